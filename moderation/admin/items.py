"""What a moderator sees on each queue item, loaded for a whole page in a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from moderation.db import db
from moderation.models import Comment, Decision, Report, User
from moderation.policy import current_policy
from moderation.audit import Actor
from moderation.queue import allowed_actions, allowed_author_actions, default_reason, is_own


@dataclass(frozen=True)
class Finding:
    """One rule's judgement of the comment: the rule by its one name and the clause of the policy it enforces."""

    rule: str
    title: str
    clause: str
    score: float
    action: str
    explanation: str


@dataclass
class AuthorRecord:
    """The author's history at a glance."""

    published: int = 0
    pending: int = 0
    rejected: int = 0
    reported: int = 0


@dataclass
class Item:
    comment: Comment
    findings: list[Finding]
    quiet_scores: list[Finding]
    decisions: list[Decision]
    reports: list[Report]
    author: AuthorRecord
    actions: tuple[str, ...]
    author_actions: tuple[str, ...]
    report_reasons: dict[str, int] = field(default_factory=dict)

    own: bool = False

    @property
    def suggested_reason(self) -> str:
        """The rejection reason preselected for the keyboard's r: what readers reported, else the rule that held
        the comment, else other."""
        return default_reason(self.comment, self.report_reasons)


def findings_of(comment: Comment) -> tuple[list[Finding], list[Finding]]:
    """The rules that held or rejected the comment (rejections first, then by score), and the rest of the scores."""
    policy = current_policy()
    found = []
    for category, finding in (comment.verdict or {}).get("categories", {}).items():
        rule = policy.for_category(category)
        found.append(Finding(rule.id if rule else category, policy.label(category), rule.clause if rule else "",
                             finding.get("score", 0.0), finding.get("action", "none"), finding.get("explanation", "")))
    found.sort(key=lambda f: (f.action != "reject", -f.score))
    return [f for f in found if f.action != "none"], [f for f in found if f.action == "none"]


def load_items(comments: list[Comment], viewer: Actor) -> list[Item]:
    """Decisions, reports, author records and the actions `viewer` may take, for a page of comments."""
    if not comments:
        return []
    ids = [c.id for c in comments]
    decisions = _group(db.session.scalars(
        select(Decision).where(Decision.comment_id.in_(ids)).order_by(Decision.id)
    ), "comment_id")
    reports = _group(db.session.scalars(
        select(Report).options(joinedload(Report.reporter)).where(Report.comment_id.in_(ids)).order_by(Report.id)
    ), "comment_id")
    records = author_records({c.author_id for c in comments})
    _load_parents(comments)
    items = []
    for comment in comments:
        shown, quiet = findings_of(comment)
        history = decisions.get(comment.id, [])
        item_reports = reports.get(comment.id, [])
        reasons: dict[str, int] = defaultdict(int)
        for report in item_reports:
            if not report.resolved:
                reasons[report.reason] += 1
        items.append(Item(
            comment=comment,
            findings=shown,
            quiet_scores=quiet,
            decisions=history,
            reports=item_reports,
            author=records.get(comment.author_id, AuthorRecord()),
            actions=allowed_actions(comment, history[-1] if history else None, viewer),
            author_actions=allowed_author_actions(comment.author),
            report_reasons=dict(reasons),
            own=is_own(comment, viewer),
        ))
    return items


def author_records(author_ids: set[int]) -> dict[int, AuthorRecord]:
    """Counts of each author's comments by status, and of their comments readers reported."""
    records: dict[int, AuthorRecord] = defaultdict(AuthorRecord)
    by_status = select(Comment.author_id, Comment.status, func.count()).where(
        Comment.author_id.in_(author_ids)
    ).group_by(Comment.author_id, Comment.status)
    for author_id, status, count in db.session.execute(by_status):
        setattr(records[author_id], status.value, count)
    reported = select(Comment.author_id, func.count(func.distinct(Report.comment_id))).join(
        Report, Report.comment_id == Comment.id
    ).where(Comment.author_id.in_(author_ids)).group_by(Comment.author_id)
    for author_id, count in db.session.execute(reported):
        records[author_id].reported = count
    return dict(records)


def author_record(author: User) -> AuthorRecord:
    return author_records({author.id}).get(author.id, AuthorRecord())


def _group(rows, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _load_parents(comments: list[Comment]) -> None:
    """One query for the comments that replies on this page answer (they then come from the identity map)."""
    parent_ids = {c.parent_id for c in comments if c.parent_id is not None}
    if parent_ids:
        db.session.scalars(
            select(Comment).options(joinedload(Comment.author)).where(Comment.id.in_(parent_ids))
        ).unique().all()
