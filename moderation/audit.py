"""Writing the decision log: who did what to which comment or author, from what status to what, and why."""
from __future__ import annotations

from dataclasses import dataclass

from moderation.db import db
from moderation.models import ActorType, Comment, Decision, User


@dataclass(frozen=True)
class Actor:
    type: ActorType
    id: int | None
    name: str

    @classmethod
    def for_user(cls, user: User) -> Actor:
        return cls(ActorType.USER, user.id, user.display_name)

    @classmethod
    def rule(cls) -> Actor:
        return cls(ActorType.RULE, None, "policy")

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(ActorType.SYSTEM, None, name)


def record(
    actor: Actor,
    action: str,
    *,
    comment: Comment | None = None,
    subject: User | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    rule: str | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> Decision:
    """Append one row to the log in the caller's transaction; the application never updates or deletes them."""
    decision = Decision(
        comment=comment,
        subject_user=subject if subject is not None else (comment.author if comment is not None else None),
        actor_type=actor.type,
        actor_id=actor.id,
        actor_name=actor.name,
        action=action,
        from_status=from_status,
        to_status=to_status,
        rule=rule,
        reason=reason,
        note=note,
        policy_version=comment.policy_version if comment is not None else None,
    )
    db.session.add(decision)
    return decision
