"""Two moderators decide the same item at the same moment, each in a real session of its own: one wins, the
other is told who won, and nothing is overwritten. On PostgreSQL the loser's UPDATE waits on the winner's row
lock and then matches no row; on SQLite the writers queue on the database lock. Both databases run it."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from moderation.audit import Actor
from moderation.db import db
from moderation.models import ActorType, Comment, CommentStatus, Decision
from moderation.queue import StaleDecision, perform
from tests.admin.helpers import make_author, make_comment, reload

ATTEMPTS = [("approve", None), ("reject", "spam")]


def decide_in_own_session(app, comment_id, actor, action, reason, ready, results):
    """One moderator's request: read the item, wait for the other to have read it too, then decide."""
    with app.app_context():
        try:
            comment = db.session.get(Comment, comment_id)
            seen = comment.version
            ready.wait(timeout=10)
            decision = perform(comment, action, actor, expected_version=seen, reason=reason)
            db.session.commit()
            results[actor.name] = ("won", decision.id)
        except StaleDecision as stale:
            db.session.rollback()
            results[actor.name] = ("stale", stale.decision.actor_name if stale.decision else None)
        finally:
            db.session.remove()


@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_decisions_one_wins_and_the_other_sees_who(app, round_):
    comment = make_comment(make_author())
    actors = [Actor(ActorType.USER, 1000 + i, name) for i, name in enumerate(("Mod One", "Mod Two"))]
    ready = threading.Barrier(2)
    results: dict = {}
    threads = [threading.Thread(target=decide_in_own_session,
                                args=(app, comment.id, actor, action, reason, ready, results))
               for actor, (action, reason) in zip(actors, ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome for outcome, _ in results.values()) == ["stale", "won"]
    winner = next(name for name, (outcome, _) in results.items() if outcome == "won")
    loser = next(name for name in results if name != winner)
    assert results[loser] == ("stale", winner)
    human = db.session.scalars(select(Decision).where(Decision.comment_id == comment.id,
                                                      Decision.actor_type == ActorType.USER)).all()
    assert [d.actor_name for d in human] == [winner]
    comment = reload(comment)
    assert comment.version == 2
    expected = CommentStatus.PUBLISHED if winner == "Mod One" else CommentStatus.REJECTED
    assert comment.status is expected


def test_many_concurrent_bulk_and_single_decisions_never_double_apply(app):
    comments = [make_comment(make_author(f"Author {i}")) for i in range(5)]
    ready = threading.Barrier(4)
    results: dict = {}

    def moderator(index):
        actor = Actor(ActorType.USER, 2000 + index, f"Mod {index}")
        with app.app_context():
            rows = {c.id: c.version for c in db.session.scalars(select(Comment))}
            ready.wait(timeout=10)
            won = 0
            for comment_id, version in sorted(rows.items()):
                try:
                    perform(db.session.get(Comment, comment_id), "approve" if index % 2 else "reject", actor,
                            expected_version=version, reason="other")
                    db.session.commit()
                    won += 1
                except StaleDecision:
                    db.session.rollback()
            results[index] = won
            db.session.remove()

    threads = [threading.Thread(target=moderator, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results.values()) == len(comments)
    decided = db.session.scalar(select(func.count()).select_from(Decision).where(Decision.actor_type == ActorType.USER))
    assert decided == len(comments)
    assert {reload(c).version for c in comments} == {2}
