"""Reader reports; enough distinct reporters hide a published comment and send it to the queue."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext
from sqlalchemy import select

from moderation.audit import Actor, record
from moderation.db import db
from moderation.models import Comment, CommentStatus, Report, Setting, User
from moderation.pipeline.types import Refused


def report_threshold() -> int:
    """Distinct reporters that hide a published comment: the admin's setting, else the configured default."""
    stored = db.session.get(Setting, "report_hide_threshold")
    return int(stored.value) if stored is not None else int(current_app.config["REPORT_HIDE_THRESHOLD"])


def report_comment(comment: Comment, reporter: User, reason: str, note: str = "") -> Report:
    """Record one report per reader per comment; the caller commits."""
    if comment.author_id == reporter.id:
        raise Refused("own_comment", lazy_gettext("You cannot report your own comment."))
    if comment.status is not CommentStatus.PUBLISHED:
        raise Refused("not_published", lazy_gettext("Only published comments can be reported."))
    existing = select(Report.id).where(Report.comment_id == comment.id, Report.reporter_id == reporter.id)
    if db.session.scalar(existing) is not None:
        raise Refused("duplicate_report", lazy_gettext("You have already reported this comment."))
    report = Report(comment=comment, reporter=reporter, reason=reason, note=note.strip())
    db.session.add(report)
    comment.report_count += 1
    if comment.report_count >= report_threshold():
        _hide_for_review(comment)
    return report


def _hide_for_review(comment: Comment) -> None:
    comment.status = CommentStatus.PENDING
    comment.hold_reason = "reports"
    comment.version += 1
    record(
        Actor.system("report threshold"),
        "hide_reported",
        comment=comment,
        from_status=CommentStatus.PUBLISHED.value,
        to_status=CommentStatus.PENDING.value,
        reason=f"reported by {comment.report_count} readers",
    )
