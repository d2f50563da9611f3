"""Re-running a policy over stored comments, as a run of chunks by id range, each chunk a job (moderation/jobs.py).

A chunk reads its comments in id order (never more than one chunk in memory), judges each whose status is still the
machine's, and in ONE transaction stores the new verdicts, logs the changed statuses and marks itself done. So a
chunk whose worker dies before the commit leaves nothing behind and is simply run again, and a chunk run again after
its commit finds itself done and changes nothing: the result is the same however the chunks are spread over workers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from moderation.audit import Actor, record
from moderation.db import db
from moderation.jobs import enqueue
from moderation.models import Comment, RescanChunk, RescanRun
from moderation.models._types import utcnow
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext, Refused
from moderation.policy import Policy, current_policy, load_policy
from moderation.services.commenting import STATUS_FOR_OUTCOME, store_verdict

CHUNK_SIZE = 1000  # comment ids per chunk: a few seconds of work, one transaction of a bounded size
READ_BATCH = 500  # rows fetched at a time within a chunk


class PolicyMismatch(RuntimeError):
    """This worker's policy files are not the version the run was started with; the chunk is left for another."""


@dataclass(frozen=True)
class Progress:
    """How far a run has got: chunks and comments done, and the status changes found so far."""

    run: RescanRun
    chunks_done: int
    chunk_count: int
    scanned: int

    @property
    def finished(self) -> bool:
        return self.chunks_done == self.chunk_count

    @property
    def line(self) -> str:
        """'Rescan 3 (dry run) with policy miami-herald 4: 1,200 of 5,000 comments, 1 of 5 chunks (24%)'."""
        share = self.scanned / self.run.comment_count if self.run.comment_count else 1.0
        kind = " (dry run)" if self.run.dry_run else ""
        state = "finished" if self.finished else f"{share:.0%}"
        return (f"Rescan {self.run.id}{kind} with policy {self.run.policy_name} {self.run.policy_version}: "
                f"{self.scanned:,} of {self.run.comment_count:,} comments, {self.chunks_done:,} of "
                f"{self.chunk_count:,} chunks ({state})")


def start_run(policy_file: Path | None, dry_run: bool, chunk_size: int = CHUNK_SIZE) -> RescanRun:
    """Record a run and its chunks, covering every stored comment's id in ranges of `chunk_size`; commits.
    Raises PolicyError for a policy file that cannot be used."""
    policy = load_policy(policy_file) if policy_file else current_policy()
    low, high, count = db.session.execute(select(func.min(Comment.id), func.max(Comment.id), func.count())).one()
    run = RescanRun(policy_file=str(policy_file) if policy_file else None, policy_name=policy.name,
                    policy_version=policy.version, dry_run=dry_run, comment_count=count)
    db.session.add(run)
    db.session.flush()
    if count:
        db.session.execute(RescanChunk.__table__.insert(), [
            {"run_id": run.id, "first_id": first, "last_id": min(first + chunk_size - 1, high), "scanned": 0,
             "changes": []}
            for first in range(low, high + 1, chunk_size)
        ])
    db.session.commit()
    return run


def enqueue_chunks(run: RescanRun, on_done=lambda chunk: None) -> int:
    """Enqueue every chunk of the run not yet done (all of a new run; what is left of an interrupted one); returns
    how many. Without a queue each runs here, in turn, and `on_done(chunk)` follows each."""
    pending = list(db.session.scalars(select(RescanChunk.id).where(RescanChunk.run_id == run.id,
                                                                    RescanChunk.done_at.is_(None))
                                      .order_by(RescanChunk.first_id)))
    for chunk_id in pending:
        if enqueue(rescan_chunk, chunk_id) is None:
            on_done(db.session.get(RescanChunk, chunk_id))
    return len(pending)


def progress(run_id: int) -> Progress:
    """Read fresh from the database, whichever workers did the chunks."""
    run = db.session.get(RescanRun, run_id)
    chunk_count, done, scanned = db.session.execute(
        select(func.count(), func.count(RescanChunk.done_at), func.coalesce(func.sum(RescanChunk.scanned), 0))
        .where(RescanChunk.run_id == run_id)).one()
    return Progress(run, done, chunk_count, scanned)


def latest_progress() -> Progress | None:
    """The newest run's progress, for the admin's progress line; None before any run."""
    run_id = db.session.scalar(select(func.max(RescanRun.id)))
    return progress(run_id) if run_id is not None else None


def change_summary(run_id: int) -> Counter:
    """(old status, new status) -> how many comments changed (or would), over the chunks done."""
    changes: Counter = Counter()
    for chunk_changes in db.session.scalars(select(RescanChunk.changes).where(RescanChunk.run_id == run_id)):
        changes.update((old, new) for _id, old, new, _reasons in chunk_changes)
    return changes


def rescan_chunk(chunk_id: int) -> None:
    """The job: judge the chunk's comments again and, in one transaction, store what changed and mark it done.
    A chunk already done is left as it is. Raises PolicyMismatch when this process's policy files differ from the
    run's (the job then fails and is retried, so a worker with the right files can take it)."""
    chunk = db.session.scalar(select(RescanChunk).where(RescanChunk.id == chunk_id).with_for_update())
    if chunk is None or chunk.done_at is not None:
        db.session.rollback()
        return
    run = chunk.run
    policy = _run_policy(run)
    query = (
        select(Comment)
        .where(Comment.id.between(chunk.first_id, chunk.last_id))
        .options(defer(Comment.verdict))  # only ever overwritten here: decoding it per row would be wasted
        .order_by(Comment.id)
        .execution_options(yield_per=READ_BATCH)
    )
    changes, scanned = [], 0
    for comment in db.session.scalars(query):
        scanned += 1
        change = _rescan_one(comment, policy, run.dry_run)
        if change is not None:
            changes.append([comment.id, *change])
    chunk.scanned, chunk.changes, chunk.done_at, chunk.worker = scanned, changes, utcnow(), _worker_name()
    db.session.commit()


def _run_policy(run: RescanRun) -> Policy:
    policy = _policy_file(run.policy_file) if run.policy_file else current_policy()
    if policy.version != run.policy_version:
        _policy_file.cache_clear()  # the file may have changed since this process read it
        policy = _policy_file(run.policy_file) if run.policy_file else policy
    if policy.version != run.policy_version:
        raise PolicyMismatch(f"rescan {run.id} needs policy {run.policy_name} {run.policy_version}; this worker has "
                             f"{policy.name} {policy.version}")
    return policy


@lru_cache(maxsize=2)
def _policy_file(path: str) -> Policy:
    """A policy named by file, loaded (and its lists compiled) once per process rather than once per chunk."""
    return load_policy(path)


def _worker_name() -> str | None:
    from rq import get_current_job

    job = get_current_job()
    return job.worker_name if job is not None else None


def _rescan_one(comment: Comment, policy: Policy, dry_run: bool) -> tuple[str, str, str] | None:
    """Judge one stored comment again; returns (old status, new status, reasons) when its status would change."""
    if comment.status is not STATUS_FOR_OUTCOME.get(comment.verdict_outcome):
        return None  # a person decided it: kept
    context = ModerationContext(
        article_title=comment.article.title,
        article_text=comment.article.body,
        parent_text=comment.parent.body if comment.parent is not None else None,
        premoderate=comment.hold_reason == "premoderation",
    )
    try:
        verdict = moderate(comment.body, context, policy)
    except Refused:
        return None
    new_status = STATUS_FOR_OUTCOME[verdict.outcome]
    reasons = "; ".join(reason["explanation"] for reason in verdict.reasons) or "no rule acted"
    old_status = comment.status
    if not dry_run:
        store_verdict(comment, verdict, policy, context)
        if new_status is not old_status:
            record(Actor.rule(), "rescan", comment=comment, from_status=old_status.value, to_status=new_status.value,
                   rule=verdict.reasons[0]["category"] if verdict.reasons else None, reason=reasons[:200],
                   note=f"policy {policy.name} {policy.version}")
    return (old_status.value, new_status.value, reasons) if new_status is not old_status else None
