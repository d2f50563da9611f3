"""A policy rescan as a run split into chunks by comment id; a chunk is marked done in the transaction that stores
its verdicts, so progress is exact, a chunk run twice changes nothing more, and an unfinished run can be resumed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db import db
from moderation.models._types import UTCDateTime, utcnow


class RescanRun(db.Model):
    __tablename__ = "rescan_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    policy_file: Mapped[str | None] = mapped_column(String(1000))  # None: the configured policy
    policy_name: Mapped[str] = mapped_column(String(100))
    policy_version: Mapped[str] = mapped_column(String(64))  # every worker must find this version in its files
    dry_run: Mapped[bool]
    comment_count: Mapped[int]  # stored comments when the run began (the progress bar's length)

    chunks = relationship("RescanChunk", back_populates="run", order_by="RescanChunk.first_id")


class RescanChunk(db.Model):
    __tablename__ = "rescan_chunks"
    __table_args__ = (UniqueConstraint("run_id", "first_id", name="uq_rescan_chunks_run_first"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("rescan_runs.id"))
    first_id: Mapped[int]  # comment ids first_id..last_id, both included
    last_id: Mapped[int]
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scanned: Mapped[int] = mapped_column(default=0)
    # [[comment id, old status, new status, reasons], ...] for each comment whose status changed (or would)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    worker: Mapped[str | None] = mapped_column(String(200))  # the queue worker that did it; None in process

    run = relationship("RescanRun", back_populates="chunks")
