"""The log page with its filters and CSV export, article settings, and the dashboard's numbers."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from moderation.audit import Actor
from moderation.dashboard import comments_per_day, queue_state, rule_stats
from moderation.db import db
from moderation.models import ActorType, CommentStatus, Decision, ModerationMode, ScoreFeedback
from moderation.models._types import utcnow
from moderation.queue import perform
from tests.admin.helpers import make_author, make_comment, seed_article, verdict_for


@pytest.fixture
def history(app, moderator):
    """A rule's hold approved by a moderator, a rule's rejection confirmed, and a rejection with a formula."""
    author = make_author()
    held = make_comment(author, "Held then approved.", fired={"personal_attack": ("review", 0.7)})
    rejected = make_comment(author, "Rejected twice.", status=CommentStatus.REJECTED,
                            fired={"profanity": ("reject", 0.95)})
    pending = make_comment(author, "Held then rejected.", fired={"personal_attack": ("review", 0.8)})
    actor = Actor.for_user(moderator)
    perform(held, "approve", actor)
    perform(pending, "reject", actor, reason="personal_attack", note="=HYPERLINK(\"http://x\")")
    db.session.commit()
    return {"held": held, "rejected": rejected, "pending": pending}


def test_the_log_lists_every_decision_and_filters_them(client, auth, moderator, history):
    auth.login(moderator)
    page = client.get("/admin/log").get_data(as_text=True)
    assert page.count("<tr class=\"actor-") == db.session.scalar(select(func.count()).select_from(Decision))
    by_mod = client.get("/admin/log", query_string={"who": f"user:{moderator.id}"}).get_data(as_text=True)
    assert by_mod.count("<tr class=\"actor-user") == 2 and "actor-rule" not in by_mod
    by_rule = client.get("/admin/log", query_string={"rule": "profanity"}).get_data(as_text=True)
    assert by_rule.count("<tr class=") == 1
    rules_only = client.get("/admin/log", query_string={"who": "rule", "action": "post"}).get_data(as_text=True)
    assert rules_only.count("<tr class=\"actor-rule") == 3
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    assert "No decisions match." in client.get("/admin/log", query_string={"since": tomorrow}).get_data(as_text=True)
    today = utcnow().date().isoformat()
    assert "No decisions match." not in client.get("/admin/log", query_string={"since": today, "until": today}).get_data(as_text=True)
    assert client.get("/admin/log", query_string={"since": "last week"}).status_code == 400


def test_the_csv_export_has_every_row_and_neutralises_formulas(client, auth, moderator, history):
    auth.login(moderator)
    response = client.get("/admin/log.csv", query_string={"action": "reject"})
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["actor_name"], row["from_status"], row["to_status"], row["reason"]) == (
        moderator.display_name, "pending", "rejected", "personal_attack")
    assert row["note"].startswith("'=HYPERLINK") and row["policy_version"] == history["pending"].policy_version
    everything = list(csv.DictReader(io.StringIO(client.get("/admin/log.csv").get_data(as_text=True))))
    assert len(everything) == db.session.scalar(select(func.count()).select_from(Decision))


def test_the_log_pages_by_keyset(client, auth, moderator):
    author = make_author()
    for index in range(55):
        db.session.add(Decision(actor_type=ActorType.SYSTEM, actor_name="system", action="note", subject_user_id=author.id))
    db.session.commit()
    auth.login(moderator)
    first = client.get("/admin/log").get_data(as_text=True)
    assert first.count("<tr class=") == 50 and "Older" in first
    last_id = db.session.scalar(select(func.min(Decision.id)))
    second = client.get("/admin/log", query_string={"before": last_id + 5}).get_data(as_text=True)
    assert second.count("<tr class=") == 5 and "Older" not in second


def test_article_settings_change_from_the_admin_and_take_effect(client, auth, moderator, reader):
    article = seed_article()
    auth.login(moderator)
    response = client.post(f"/admin/articles/{article.id}", data={"moderation_mode": "pre", "comments_open": "y",
                                                                   "premoderate_first_comments": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    assert article.moderation_mode is ModerationMode.PRE and article.premoderate_first_comments
    entry = db.session.scalars(select(Decision).where(Decision.action == "article_settings")).one()
    assert "pre-moderation" in entry.note and entry.actor_id == moderator.id
    client.post(f"/admin/articles/{article.id}", data={"moderation_mode": "post"})
    db.session.expire_all()
    assert not article.comments_open
    auth.logout()
    auth.login(reader)
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Comments are closed on this story." in page
    assert client.post(f"/admin/articles/{article.id}", data={"moderation_mode": "post"}).status_code == 403


def test_article_settings_refuse_an_unknown_mode(client, auth, moderator):
    auth.login(moderator)
    article = seed_article()
    assert client.post(f"/admin/articles/{article.id}", data={"moderation_mode": "none"}).status_code == 400
    db.session.expire_all()
    assert article.moderation_mode is ModerationMode.POST


def test_rule_precision_counts_moderator_overturns_and_score_feedback(app, history):
    db.session.add_all([
        ScoreFeedback(text="fine", suggested_scores={}, rejected=False, policy_version="v",
                      verdict=verdict_for("fine text", {"personal_attack": ("review", 0.6)})),
        ScoreFeedback(text="bad", suggested_scores={}, rejected=True, policy_version="v",
                      verdict=verdict_for("bad text", {"personal_attack": ("reject", 0.9)})),
        ScoreFeedback(text="unflagged", suggested_scores={}, rejected=True, policy_version="v",
                      verdict=verdict_for("unflagged text", {})),
    ])
    db.session.commit()
    stats = {s.rule: s for s in rule_stats()}
    attack = stats["personal_attack"]
    # moderators: one approve (overturn) and one reject (agree); feedback: one overturn and one agree
    assert (attack.held, attack.judged, attack.overturned) == (2, 4, 2) and attack.precision == 0.5
    assert stats["profanity"].rejected == 1 and stats["profanity"].precision is None
    assert (stats["off_topic"].judged, stats["hate_speech"].hits) == (0, 0)


def test_comments_per_day_and_the_queue_state(app):
    author = make_author()
    make_comment(author, "Old one.", created_at=utcnow() - timedelta(days=2))
    make_comment(author, "New one.", status=CommentStatus.PUBLISHED)
    days = comments_per_day(7)
    assert len(days) == 7 and days[-1].day == utcnow().date()
    assert days[-1].counts == {"published": 1, "pending": 0, "rejected": 0}
    assert days[-3].counts["pending"] == 1
    state = queue_state()
    assert state.waiting == 1 and state.oldest_age >= timedelta(days=2) - timedelta(minutes=1)


def test_the_dashboard_shows_charts_as_svg_and_numbers(client, auth, moderator, history):
    auth.login(moderator)
    page = client.get("/admin/dashboard").get_data(as_text=True)
    assert page.count("<svg class=\"chart\"") == 2 and "class=\"bar-published\"" in page
    assert "Personal comments" in page and "50%" in page and "style=" not in page
    assert "<script>" not in page and "<script src=\"http" not in page  # no inline script, no CDN
