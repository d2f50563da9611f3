"""The review queue: list held, reported, rejected and approved comments by keyset, and perform decisions on them.

Discourse's model at our size: the actions allowed on an item are computed from its state, `perform` checks the
action is allowed, applies it with an optimistic version check in the UPDATE itself (so two moderators, or a
moderator and an API client, cannot both win), and appends the decision to the log. Nothing here commits: the
caller commits once the whole request has succeeded, or rolls back.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select, tuple_, update
from sqlalchemy.orm import joinedload

from moderation.audit import Actor, record
from moderation.db import db
from moderation.models import ActorType, Comment, CommentFlag, CommentStatus, Decision, Report, Role, User
from moderation.models._types import utcnow
from moderation.policy import current_policy
from moderation.services.accounts import tell_author_of_decision

# Approved holds what a person approved or featured; what the rules published alone is Auto-published.
QUEUES = ("pending", "reported", "rejected", "approved", "auto_published")
QUEUE_LABELS = {"pending": "Pending", "reported": "Reported", "rejected": "Rejected", "approved": "Approved",
                "auto_published": "Auto-published"}
# The tabs a moderator must work: the Queue link's badge counts them all.
WAITING = ("pending", "reported")
SORTS = ("oldest", "newest", "score")
# Pending and Reported are worked oldest first; the others are looked through for recent mistakes.
DEFAULT_SORT = {"pending": "oldest", "reported": "oldest", "rejected": "newest", "approved": "newest",
                "auto_published": "newest"}
# What may be done to several items of a tab at once: nothing that leaves them where they are.
BULK_ACTIONS = {"pending": ("approve", "reject"), "reported": ("approve", "reject"), "rejected": ("approve",),
                "approved": ("reject",), "auto_published": ("reject",)}
HOLD_REASONS = ("premoderation", "reports")  # filter values besides the rule ids
MAX_PAGE = 200
COUNT_CAP = 1000  # tab counts stop here ("1000+")

COMMENT_ACTIONS = ("approve", "reject", "feature", "unfeature", "undo")
UNDOABLE = ("approve", "reject", "feature", "unfeature")
AUTHOR_ACTIONS = ("warn", "suspend", "unsuspend", "ban", "unban", "premoderate", "stop_premoderating")
# Actions on an author that shut them out: each needs a reason, and the moderator's confirmation (admin forms).
GRAVE_AUTHOR_ACTIONS = ("suspend", "ban")


class StaleDecision(Exception):
    """Someone decided this item first; `.decision` is their log row (who, what, when), or None if unknown."""

    def __init__(self, decision: Decision | None):
        who = f"{decision.actor_name} ({decision.action})" if decision is not None else "someone else"
        super().__init__(f"Already decided by {who}; nothing was changed.")
        self.decision = decision


class ActionNotAllowed(Exception):
    """The action does not apply to the item in its current state, or its reason is missing or unknown."""


# --- listing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What narrows a queue; every field is optional."""

    article_id: int | None = None
    rule: str | None = None  # a policy rule id, or a hold reason ("premoderation", "reports")
    author_id: int | None = None
    search: str | None = None

    def active(self) -> bool:
        return any(value not in (None, "") for value in (self.article_id, self.rule, self.author_id, self.search))


def queue_condition(name: str):
    """The WHERE clause that defines a queue."""
    if name == "pending":
        return Comment.status == CommentStatus.PENDING
    if name == "reported":
        unresolved = exists().where(Report.comment_id == Comment.id, Report.resolved.is_(False))
        return and_(Comment.status == CommentStatus.PUBLISHED, Comment.report_count > 0, unresolved)
    if name == "rejected":
        return Comment.status == CommentStatus.REJECTED
    if name == "approved":
        return and_(Comment.status == CommentStatus.PUBLISHED, _approved_by_a_person())
    if name == "auto_published":
        return and_(Comment.status == CommentStatus.PUBLISHED, ~_approved_by_a_person())
    raise ValueError(f"unknown queue {name!r} (known: {', '.join(QUEUES)})")


def _approved_by_a_person():
    """A person approved or featured the comment (the decisions' comment index answers it per row)."""
    return exists().where(Decision.comment_id == Comment.id, Decision.actor_type == ActorType.USER,
                          Decision.action.in_(("approve", "feature")))


def _filter_conditions(filters: QueueFilters) -> list:
    conditions = []
    if filters.article_id:
        conditions.append(Comment.article_id == filters.article_id)
    if filters.author_id:
        conditions.append(Comment.author_id == filters.author_id)
    if filters.rule in HOLD_REASONS:
        conditions.append(Comment.hold_reason == filters.rule)
    elif filters.rule:
        conditions.append(exists().where(CommentFlag.comment_id == Comment.id, CommentFlag.category == filters.rule))
    if filters.search and filters.search.strip():
        conditions.append(Comment.body.ilike(f"%{escape_like(filters.search.strip())}%", escape="\\"))
    return conditions


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern with backslash as the escape: its %, _ and backslashes match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sort_columns(sort: str):
    if sort == "score":
        return Comment.max_score, Comment.id
    return Comment.created_at, Comment.id


def encode_cursor(sort: str, comment: Comment) -> str:
    """An opaque position after `comment` in a queue sorted by `sort`."""
    key = comment.max_score if sort == "score" else comment.created_at.isoformat()
    raw = json.dumps({"s": sort, "k": [key, comment.id]}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple:
    """The (sort key, id) a cursor points after; ValueError for anything we did not issue for this sort."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key, comment_id = data["k"]
        if data["s"] != sort:
            raise ValueError("the cursor belongs to another sort order")
        if not isinstance(comment_id, int) or isinstance(comment_id, bool) or not 0 < comment_id < 2**31:
            raise ValueError("bad id")  # ids are 32-bit on PostgreSQL: a larger one would fail in the query
        if sort == "score":
            if not isinstance(key, (int, float)) or isinstance(key, bool):
                raise ValueError("bad score")
            return float(key), comment_id
        moment = datetime.fromisoformat(key)
        if moment.tzinfo is None:
            raise ValueError("naive time")
        return moment, comment_id
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise ValueError("invalid cursor") from error
    except ValueError as error:
        raise ValueError(f"invalid cursor: {error}") from error


def queue_page(
    name: str,
    *,
    cursor: str | None = None,
    limit: int = 20,
    article_id: int | None = None,
    rule: str | None = None,
    author_id: int | None = None,
    search: str | None = None,
    sort: str | None = None,
) -> tuple[list[Comment], str | None]:
    """One page of a queue and the cursor of the next page (None at the end).

    Keyset pagination on (created_at, id) or (max_score, id), which the comment indexes cover, so page 5,000
    costs what page 1 does. Raises ValueError for an unknown queue, sort or cursor.
    """
    sort = sort or DEFAULT_SORT.get(name, "oldest")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (known: {', '.join(SORTS)})")
    limit = max(1, min(int(limit), MAX_PAGE))
    filters = QueueFilters(article_id, rule, author_id, search)
    statement = (
        select(Comment)
        .options(joinedload(Comment.author), joinedload(Comment.article))
        .where(queue_condition(name), *_filter_conditions(filters))
    )
    columns = _sort_columns(sort)
    descending = sort != "oldest"
    if cursor:
        position = tuple_(*columns)
        after = decode_cursor(cursor, sort)
        statement = statement.where(position < after if descending else position > after)
    statement = statement.order_by(*(column.desc() if descending else column.asc() for column in columns))
    rows = db.session.scalars(statement.limit(limit + 1)).unique().all()
    items = list(rows[:limit])
    next_cursor = encode_cursor(sort, items[-1]) if len(rows) > limit else None
    return items, next_cursor


def queue_counts() -> dict[str, int]:
    """How many items are in each tab, counted up to COUNT_CAP + 1 (an exact count of 100,000 rows is a scan on
    every page load, and "1000+" tells a moderator as much), and under "waiting" the Pending and Reported ones."""
    counts = {name: _capped_count(queue_condition(name)) for name in QUEUES}
    counts["waiting"] = sum(counts[name] for name in WAITING)
    return counts


def newer_than(name: str, comment_id: int, **filters) -> int:
    """How many comments of a queue (narrowed as by `queue_page`) arrived after the comment `comment_id`, up to
    COUNT_CAP + 1: what the queue page polls for to say "3 new comments" without a reload."""
    condition = and_(queue_condition(name), Comment.id > comment_id,
                     *_filter_conditions(QueueFilters(**filters)))
    return _capped_count(condition)


def latest_comment_id() -> int:
    """The newest comment's id (0 when there is none): the mark a queue page polls from."""
    return db.session.scalar(select(func.max(Comment.id))) or 0


def _capped_count(condition) -> int:
    first_rows = select(Comment.id).where(condition).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(first_rows)) or 0


def count_label(count: int) -> str:
    """'1000+' for a count that reached the cap."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


# --- what may be done --------------------------------------------------------------------------------------------


def rejection_reasons() -> list[tuple[str, str]]:
    """A rejection names one of the policy's rules, spam, or other: (key, name) pairs."""
    return current_policy().reasons()


def latest_decision(comment_id: int) -> Decision | None:
    """The newest log row about this comment, read fresh from the database."""
    return db.session.scalar(
        select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id.desc()).limit(1)
    )


def is_own(comment: Comment, actor: Actor) -> bool:
    """The actor is a person who wrote the comment."""
    return actor.type is ActorType.USER and actor.id == comment.author_id


def held_by(comment: Comment) -> str | None:
    """The id of the rule whose finding held or rejected the comment: the gravest (a rejection before a hold, then
    the higher score), or None when no rule of the policy acted."""
    policy = current_policy()
    acting = sorted((finding.get("action") != "reject", -finding.get("score", 0.0), category)
                    for category, finding in (comment.verdict or {}).get("categories", {}).items()
                    if finding.get("action", "none") != "none")
    rules = (policy.for_category(category) for *_, category in acting)
    return next((rule.id for rule in rules if rule is not None), None)


def default_reason(comment: Comment, reported: dict[str, int]) -> str:
    """The reason a rejection of this comment defaults to: what readers reported most (`reported`: reason -> count
    of their unanswered reports), else the rule that held it, else other."""
    if reported:
        return max(reported, key=lambda reason: (reported[reason], reason == held_by(comment)))
    return held_by(comment) or "other"


def unanswered_reports(comment_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each comment, its readers' unanswered reports counted by reason."""
    rows = db.session.execute(
        select(Report.comment_id, Report.reason, func.count())
        .where(Report.comment_id.in_(comment_ids), Report.resolved.is_(False))
        .group_by(Report.comment_id, Report.reason)
    )
    counted: dict[int, dict[str, int]] = {}
    for comment_id, reason, count in rows:
        counted.setdefault(comment_id, {})[reason] = count
    return counted


def _undoable(last: Decision | None) -> bool:
    return last is not None and last.actor_type is ActorType.USER and last.action in UNDOABLE


def allowed_actions(comment: Comment, last: Decision | None | bool = False, actor: Actor | None = None) -> tuple[str, ...]:
    """The decisions that make sense for this comment now (pass `last` when already loaded, to save a query); none
    for a moderator on their own comment, which another moderator decides."""
    if actor is not None and is_own(comment, actor):
        return ()
    if last is False:
        last = latest_decision(comment.id)
    if comment.status is CommentStatus.PENDING:
        actions = ["approve", "reject", "feature"]  # featuring a held comment publishes it, as in Coral
    elif comment.status is CommentStatus.PUBLISHED:
        actions = ["approve"] if comment.report_count > 0 else []  # approve = keep it and dismiss the reports
        actions += ["reject", "unfeature" if comment.featured else "feature"]
    else:
        actions = ["approve"]
    if _undoable(last):
        actions.append("undo")
    return tuple(actions)


# --- deciding ----------------------------------------------------------------------------------------------------


def perform(
    comment: Comment,
    action: str,
    actor: Actor,
    *,
    expected_version: int | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> Decision:
    """Apply one decision to a comment and log it; the caller commits.

    `expected_version` is the version the actor saw; when it no longer matches, or another session changes the
    row between our read and our write, StaleDecision is raised with the decision that won and nothing changes.
    """
    if expected_version is not None and expected_version != comment.version:
        raise StaleDecision(latest_decision(comment.id))
    if is_own(comment, actor):
        raise ActionNotAllowed("a moderator cannot decide on their own comment; another moderator will")
    version = comment.version
    last = latest_decision(comment.id)
    if action not in allowed_actions(comment, last):
        raise ActionNotAllowed(f"cannot {action} a {comment.status.value} comment")
    if action == "reject":
        reason = _checked_rejection_reason(reason)
    previous = comment.status
    changes, log_fields = _changes_for(comment, action, reason, note, last)
    _update_if_unchanged(comment, version, changes)
    if action in ("approve", "reject"):
        _resolve_reports(comment)
        if previous is CommentStatus.PENDING:
            tell_author_of_decision(comment, action)  # by e-mail, if they asked, once this commits
    return record(
        actor,
        action,
        comment=comment,
        from_status=previous.value,
        to_status=comment.status.value,
        **log_fields,
    )


def _checked_rejection_reason(reason: str | None) -> str:
    known = [key for key, _label in rejection_reasons()]
    if reason not in known:
        raise ActionNotAllowed(f"a rejection needs a reason: one of {', '.join(known)}")
    return reason


def _changes_for(comment: Comment, action: str, reason: str | None, note: str | None, last: Decision | None):
    """The new column values for an action, and what the log row says besides the statuses."""
    note = (note or "").strip() or None
    if action == "approve":
        changes = {"status": CommentStatus.PUBLISHED, "hold_reason": None, "rejection_reason": None,
                   "rejection_note": None, "report_count": 0}
        return changes, {"reason": reason, "note": note, "rule": held_by(comment)}
    if action == "reject":
        changes = {"status": CommentStatus.REJECTED, "hold_reason": None, "rejection_reason": reason,
                   "rejection_note": note}
        return changes, {"reason": reason, "note": note, "rule": held_by(comment)}
    if action == "feature":
        changes = {"status": CommentStatus.PUBLISHED, "hold_reason": None, "featured": True}
        return changes, {"note": note}
    if action == "unfeature":
        return {"featured": False}, {"note": note}
    return _undo_changes(comment, last), {"note": f"undid decision #{last.id} ({last.action} by {last.actor_name})"}


def _undo_changes(comment: Comment, last: Decision) -> dict:
    """Put the comment back as it was before the last person's decision."""
    if last.action == "feature":
        changes = {"featured": False}
    elif last.action == "unfeature":
        changes = {"featured": True}
    else:
        changes = {"rejection_reason": None, "rejection_note": None}
    restored = CommentStatus(last.from_status)
    changes["status"] = restored
    changes["hold_reason"] = _hold_reason_for(comment) if restored is CommentStatus.PENDING else None
    if restored is CommentStatus.REJECTED:
        changes.update(_previous_rejection(comment.id, before=last.id))
    return changes


def _hold_reason_for(comment: Comment) -> str:
    if any(flag.action != "none" for flag in comment.flags):
        return "rule"
    return "reports" if comment.report_count > 0 else "premoderation"


def _previous_rejection(comment_id: int, before: int) -> dict:
    """The reason and note of the rejection an undone approval had overturned (none for a rule's rejection)."""
    earlier = db.session.scalar(
        select(Decision)
        .where(Decision.comment_id == comment_id, Decision.id < before, Decision.to_status == "rejected")
        .order_by(Decision.id.desc())
        .limit(1)
    )
    if earlier is None or earlier.actor_type is ActorType.RULE:
        return {}
    return {"rejection_reason": earlier.reason, "rejection_note": earlier.note}


def _update_if_unchanged(comment: Comment, version: int, changes: dict) -> None:
    """UPDATE ... WHERE id = ? AND version = ?: a concurrent decision makes it match no row."""
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.version == version)
        .values(**changes, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(comment)
        raise StaleDecision(latest_decision(comment.id))
    db.session.refresh(comment)


def _resolve_reports(comment: Comment) -> None:
    """A person has looked at the comment: the readers' reports on it are answered."""
    db.session.execute(
        update(Report)
        .where(Report.comment_id == comment.id, Report.resolved.is_(False))
        .values(resolved=True)
        .execution_options(synchronize_session=False)
    )


# --- bulk ----------------------------------------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """What happened to each selected item: decided, already decided by someone else, or not applicable."""

    decided: list[Decision] = field(default_factory=list)
    stale: list[StaleDecision] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def perform_bulk(
    items: list[tuple[int, int | None]],
    action: str,
    actor: Actor,
    *,
    reason: str | None = None,
    note: str | None = None,
) -> BulkOutcome:
    """The same decision on several (comment id, expected version) items; each is checked on its own."""
    if action not in ("approve", "reject"):
        raise ActionNotAllowed("only approve and reject apply to several comments at once")
    if action == "reject":
        reason = _checked_rejection_reason(reason)
    outcome = BulkOutcome()
    ids = [comment_id for comment_id, _version in items]
    comments = {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(ids)))}
    for comment_id, version in items:
        comment = comments.get(comment_id)
        if comment is None:
            outcome.refused.append((comment_id, "no such comment"))
            continue
        try:
            outcome.decided.append(perform(comment, action, actor, expected_version=version, reason=reason, note=note))
        except StaleDecision as stale:
            outcome.stale.append(stale)
        except ActionNotAllowed as refusal:
            outcome.refused.append((comment_id, str(refusal)))
    return outcome


# --- authors -------------------------------------------------------------------------------------------------------


def allowed_author_actions(author: User) -> tuple[str, ...]:
    """What may be done to an author now; staff accounts are managed by role, not by these."""
    if author.role is not Role.READER:
        return ()
    actions = ["warn"]
    if not author.banned:
        actions.append("unsuspend" if author.is_suspended() else "suspend")
    actions.append("unban" if author.banned else "ban")
    actions.append("stop_premoderating" if author.always_premoderate else "premoderate")
    return tuple(actions)


def act_on_author(
    author: User,
    action: str,
    actor: Actor,
    *,
    days: int | None = None,
    message: str | None = None,
    reject_pending: bool = False,
    comment: Comment | None = None,
) -> Decision:
    """Warn, suspend, ban or always pre-moderate an author (and the reverse); `comment` is the item acted from.

    A ban with `reject_pending` also rejects every comment of theirs still waiting. The caller commits.
    """
    if action not in allowed_author_actions(author):
        raise ActionNotAllowed(f"cannot {action.replace('_', ' ')} this account now")
    message = (message or "").strip() or None
    note = message
    if action in GRAVE_AUTHOR_ACTIONS and not message:
        raise ActionNotAllowed(f"{'a suspension' if action == 'suspend' else 'a ban'} needs a reason")
    if action == "warn":
        if not message:
            raise ActionNotAllowed("a warning needs a message for the author")
        author.warning = message
    elif action == "suspend":
        if not days or days < 1 or days > 3650:
            raise ActionNotAllowed("a suspension needs a number of days between 1 and 3650")
        author.suspended_until = utcnow() + timedelta(days=days)
        note = f"{days} day{'s' if days != 1 else ''}" + (f": {message}" if message else "")
    elif action == "unsuspend":
        author.suspended_until = None
    elif action == "ban":
        author.banned = True
        if reject_pending:
            rejected = _reject_pending_of(author, actor)
            note = (f"{message}; " if message else "") + f"rejected {rejected} pending comment(s)"
    elif action == "unban":
        author.banned = False
    elif action == "premoderate":
        author.always_premoderate = True
    elif action == "stop_premoderating":
        author.always_premoderate = False
    return record(actor, action, comment=comment, subject=author, note=note)


def _reject_pending_of(author: User, actor: Actor) -> int:
    """Reject what the banned author has waiting, each for the rule that held it (or what readers reported)."""
    pending = db.session.scalars(
        select(Comment).where(Comment.author_id == author.id, Comment.status == CommentStatus.PENDING)
    ).all()
    reported = unanswered_reports([comment.id for comment in pending])
    for comment in pending:
        decision = perform(comment, "reject", actor, reason=default_reason(comment, reported.get(comment.id, {})))
        decision.note = "with the author's ban"
    return len(pending)
