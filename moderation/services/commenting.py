"""Posting a comment: refuse what may not be posted, run the policy, store the verdict and log the outcome."""
from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import func, select, update

from moderation.audit import Actor, record
from moderation.db import db
from moderation.models import Article, Comment, CommentFlag, CommentStatus, ModerationMode, User
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext, Refused
from moderation.models._types import utcnow
from moderation.pipeline.verdict import Verdict
from moderation.policy import Policy, current_policy

STATUS_FOR_OUTCOME = {
    "publish": CommentStatus.PUBLISHED,
    "review": CommentStatus.PENDING,
    "reject": CommentStatus.REJECTED,
}
RECENT_COMMENTS_FOR_CONTEXT = 5


def check_may_post(author: User, article: Article) -> None:
    """Hard refusals that stop before any filter runs."""
    if not article.comments_open:
        raise Refused("comments_closed", lazy_gettext("Comments are closed on this story."))
    refusal = author.posting_refusal()
    if refusal:
        raise Refused("author_blocked", refusal)


def must_premoderate(author: User, article: Article) -> bool:
    """Pre-moderation by the article, by the author's record, or because it is the author's first comment."""
    if article.moderation_mode is ModerationMode.PRE or author.always_premoderate:
        return True
    if article.premoderate_first_comments:
        published = select(func.count()).where(
            Comment.author_id == author.id, Comment.status == CommentStatus.PUBLISHED
        )
        return (db.session.scalar(published) or 0) == 0
    return False


def build_context(
    author: User, article: Article, parent: Comment | None, judged: Comment | None = None
) -> ModerationContext:
    """The article, the parent and the author's recent comments (not the one being judged: an edit is no repeat)."""
    recent_query = (
        select(Comment.body)
        .where(Comment.author_id == author.id)
        .order_by(Comment.created_at.desc())
        .limit(RECENT_COMMENTS_FOR_CONTEXT)
    )
    if judged is not None and judged.id is not None:
        recent_query = recent_query.where(Comment.id != judged.id)
    recent = db.session.scalars(recent_query).all() if author.id is not None else []
    return ModerationContext(
        article_title=article.title,
        article_text=article.body,
        parent_text=parent.body if parent is not None else None,
        recent_texts=tuple(recent),
        premoderate=must_premoderate(author, article),
    )


def post_comment(
    author: User,
    article: Article,
    body: str,
    parent: Comment | None = None,
    *,
    via: str | None = None,
    idempotency_key: str | None = None,
) -> Comment:
    """Judge and store a new comment; raises Refused for what may not be posted. The caller commits."""
    check_may_post(author, article)
    if parent is not None and parent.article_id != article.id:
        raise Refused("bad_parent", lazy_gettext("The comment you replied to is not on this story."))
    comment = Comment(article=article, author=author, parent=parent, body=body, idempotency_key=idempotency_key)
    _apply_verdict(comment, build_context(author, article, parent))
    db.session.add(comment)
    db.session.flush()
    _log_outcome(comment, "post", from_status=None, note=via)
    return comment


def resubmit_comment(comment: Comment, body: str, author: User, expected_version: int | None = None) -> Comment:
    """The one edit a reader may make after being told which part of the policy the comment met.

    `expected_version` is the version the author was shown; a moderator's decision since then wins."""
    if comment.author_id != author.id:
        raise Refused("not_yours", lazy_gettext("You can only edit your own comments."))
    if comment.resubmitted or comment.verdict_outcome == "publish":
        raise Refused("no_resubmit", lazy_gettext("This comment can no longer be edited."))
    check_may_post(author, comment.article)
    _claim_version(comment, comment.version if expected_version is None else expected_version)
    previous = comment.status.value
    comment.body = body
    comment.edited_at = utcnow()
    comment.resubmitted = True
    _apply_verdict(comment, build_context(author, comment.article, comment.parent, judged=comment))
    db.session.flush()
    _log_outcome(comment, "resubmit", from_status=previous, note="edited by the author after the policy notice")
    return comment


def _claim_version(comment: Comment, seen: int) -> None:
    """UPDATE ... WHERE version = seen: a moderator's decision committed meanwhile makes it match no row, and
    the row stays locked until our commit, so a decision racing this edit finds the version moved on."""
    claimed = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.version == seen)
        .values(version=seen + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Refused("changed", lazy_gettext(
            "A moderator acted on this comment after you opened it, so your edit was not saved."))
    comment.version = seen + 1


def _apply_verdict(comment: Comment, context: ModerationContext) -> None:
    policy = current_policy()
    store_verdict(comment, moderate(comment.body, context, policy), policy, context)


def store_verdict(comment: Comment, verdict: Verdict, policy: Policy, context: ModerationContext) -> None:
    """Write a verdict onto a comment: status, why it waits, top score, the policy version and per-rule flags."""
    comment.verdict = verdict.to_dict()
    comment.verdict_outcome = verdict.outcome
    comment.status = STATUS_FOR_OUTCOME[verdict.outcome]
    comment.hold_reason = _hold_reason(verdict, context)
    comment.max_score = verdict.max_score
    comment.policy_name, comment.policy_version = policy.name, policy.version
    comment.language = verdict.languages[0] if verdict.languages else None
    comment.flags[:] = [
        CommentFlag(category=f.category, score=f.result.score, action=f.action)
        for f in verdict.findings
        if f.action != "none"
    ]


def _hold_reason(verdict: Verdict, context: ModerationContext) -> str | None:
    """Why a held comment waits: a rule fired, or only pre-moderation holds it."""
    if verdict.outcome != "review":
        return None
    rule_hit = any(f.action != "none" for f in verdict.findings)
    return "rule" if rule_hit or not context.premoderate else "premoderation"


def _log_outcome(comment: Comment, action: str, from_status: str | None, note: str | None) -> None:
    """The policy decided this comment's status; the log says so with the rules that fired."""
    reasons = comment.verdict.get("reasons", [])
    record(
        Actor.rule(),
        action,
        comment=comment,
        from_status=from_status,
        to_status=comment.status.value,
        rule=reasons[0]["category"] if reasons else None,
        reason="; ".join(r["explanation"] for r in reasons)[:200] or None,
        note=note,
    )


def published_or_own(viewer: User | None) -> object:
    """The visibility rule for comment lists: published ones, plus the viewer's own pending ones."""
    visible = Comment.status == CommentStatus.PUBLISHED
    if viewer is not None and viewer.is_authenticated:
        visible = visible | ((Comment.author_id == viewer.id) & (Comment.status == CommentStatus.PENDING))
    return visible

