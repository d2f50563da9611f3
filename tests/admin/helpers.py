"""Builders for queue items: comments stored as the pipeline would store them, without running the filters,
so that these tests do not move when a filter's wording or thresholds change."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from moderation.audit import Actor, record
from moderation.db import db
from moderation.models import Article, Comment, CommentFlag, CommentStatus, User
from moderation.models._types import utcnow
from moderation.policy import current_policy

ARTICLE_URL = "/articles/us-cuba-migration-talks"
RULE_IDS = ("profanity", "hate_speech", "personal_attack", "off_topic")


def seed_article() -> Article:
    return db.session.scalar(select(Article).where(Article.slug == "us-cuba-migration-talks"))


def verdict_for(body: str, fired: dict[str, tuple[str, float]]) -> dict:
    """An issue-3 verdict in which the rules in `fired` (rule -> (action, score)) met the first word."""
    policy = current_policy()
    first_word = body.split()[0]
    categories = {}
    for rule in RULE_IDS:
        action, score = fired.get(rule, ("none", 0.01))
        spans = [{"start": 0, "end": len(first_word), "text": first_word}] if action != "none" else []
        categories[rule] = {"score": score, "action": action, "spans": spans,
                            "explanation": f"{rule} evidence" if action != "none" else ""}
    outcome = "reject" if any(a == "reject" for a, _ in fired.values()) else "review" if fired else "publish"
    reasons = [{"category": rule, "policy": policy.rule(rule).sentence, "explanation": f"{rule} evidence"}
               for rule in fired]
    return {"verdict": outcome, "policy": {"name": policy.name, "version": policy.version},
            "categories": categories, "reasons": reasons}


def make_comment(
    author: User,
    body: str = "Thoughtful words about the migration talks.",
    *,
    status: CommentStatus = CommentStatus.PENDING,
    fired: dict[str, tuple[str, float]] | None = None,
    hold_reason: str | None = "auto",
    article: Article | None = None,
    parent: Comment | None = None,
    created_at: datetime | None = None,
) -> Comment:
    """A comment the rules judged (logged as the policy's decision), committed."""
    fired = {"personal_attack": ("review", 0.72)} if fired is None and status is not CommentStatus.PUBLISHED else fired or {}
    verdict = verdict_for(body, fired)
    if hold_reason == "auto":
        hold_reason = ("rule" if fired else "premoderation") if status is CommentStatus.PENDING else None
    comment = Comment(
        article=article or seed_article(), author=author, parent=parent, body=body, status=status,
        hold_reason=hold_reason, verdict=verdict, verdict_outcome=verdict["verdict"],
        max_score=max((s for _, s in fired.values()), default=0.01), policy_name=verdict["policy"]["name"],
        policy_version=verdict["policy"]["version"], created_at=created_at or utcnow(),
        flags=[CommentFlag(category=rule, score=score, action=action) for rule, (action, score) in fired.items()],
    )
    db.session.add(comment)
    db.session.flush()
    record(Actor.rule(), "post", comment=comment, to_status=status.value, rule=next(iter(fired), None))
    db.session.commit()
    return comment


def bulk_insert_comments(author: User, count: int, *, status: CommentStatus = CommentStatus.PENDING) -> None:
    """Many comments in one INSERT, with many sharing a timestamp so that the id breaks ties."""
    start = utcnow() - timedelta(days=1)
    article = seed_article()
    db.session.execute(insert(Comment), [
        {"article_id": article.id, "author_id": author.id, "body": f"comment {i}", "status": status,
         "hold_reason": "rule" if status is CommentStatus.PENDING else None, "verdict": {},
         "verdict_outcome": "review", "max_score": (i * 37 % 100) / 100, "policy_name": "p", "policy_version": "v",
         "created_at": start + timedelta(seconds=i // 3), "featured": False, "report_count": 0,
         "resubmitted": False, "version": 1}
        for i in range(count)
    ])
    db.session.commit()


def reload(comment: Comment) -> Comment:
    """The row as another request would see it now."""
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def make_author(display_name: str = "Carl Commenter") -> User:
    """An account that writes comments but never signs in during the test (no password hashing: fast)."""
    author = User(display_name=display_name, email=f"{display_name.lower().replace(' ', '.')}@example.org")
    db.session.add(author)
    db.session.commit()
    return author
