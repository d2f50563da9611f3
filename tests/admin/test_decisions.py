"""Each decision's effect on the comment, the public page, the author's notice and the log; stale decisions;
bulk; undo; reports and their threshold."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation.audit import Actor
from moderation.db import db
from moderation.models import ActorType, Comment, CommentStatus, Decision, Report, User
from moderation.queue import ActionNotAllowed, StaleDecision, allowed_actions, perform, perform_bulk
from moderation.services.reporting import report_comment
from tests.admin.helpers import ARTICLE_URL, make_author, make_comment, reload


@pytest.fixture
def author(app):
    return make_author()


def decide(client, comment, action, **fields):
    data = {"action": action, "version": str(comment.version), "next": "/admin/queue/pending", **fields}
    return client.post(f"/admin/comments/{comment.id}/decide", data=data)


def log_for(comment) -> list[Decision]:
    return db.session.scalars(
        select(Decision).where(Decision.comment_id == comment.id, Decision.actor_type == ActorType.USER)
        .order_by(Decision.id)
    ).all()


def public_page(client) -> str:
    return client.get(ARTICLE_URL).get_data(as_text=True)


@pytest.mark.parametrize("start", [CommentStatus.PENDING, CommentStatus.REJECTED])
def test_approving_publishes_at_once_and_is_logged(client, auth, moderator, author, start):
    comment = make_comment(author, "Lively words about Havana.", status=start,
                           fired={"personal_attack": ("reject" if start is CommentStatus.REJECTED else "review", 0.9)})
    auth.login(moderator)
    assert "Lively words" not in public_page(client)
    response = decide(client, comment, "approve")
    assert response.status_code == 303 and response.headers["Location"].startswith("/admin/queue/pending")
    comment = reload(comment)
    assert comment.status is CommentStatus.PUBLISHED and comment.hold_reason is None and comment.version == 2
    assert "Lively words" in public_page(client)
    [entry] = log_for(comment)
    assert (entry.action, entry.from_status, entry.to_status, entry.actor_name, entry.rule) == (
        "approve", start.value, "published", moderator.display_name, "personal_attack")
    assert entry.policy_version == comment.policy_version


def test_rejecting_hides_the_comment_and_tells_the_author_why(client, auth, moderator, reader):
    author = reader
    comment = make_comment(author, "Obnoxious words here.", status=CommentStatus.PUBLISHED)
    auth.login(moderator)
    assert "Obnoxious words" in public_page(client)
    decide(client, comment, "reject", reason="personal_attack", note="Please argue with the idea, not the person.")
    comment = reload(comment)
    assert (comment.status, comment.rejection_reason, comment.rejection_note) == (
        CommentStatus.REJECTED, "personal_attack", "Please argue with the idea, not the person.")
    assert "Obnoxious words" not in public_page(client)
    [entry] = log_for(comment)
    assert (entry.action, entry.reason, entry.note) == ("reject", "personal_attack",
                                                        "Please argue with the idea, not the person.")
    auth.logout()
    auth.login(author)
    notice = client.get(f"/comments/{comment.id}/notice").get_data(as_text=True)
    assert "Please argue with the idea, not the person." in notice


@pytest.mark.parametrize("reason", [None, "", "rudeness", "premoderation"])
def test_a_rejection_needs_a_known_reason(client, auth, moderator, author, reason):
    comment = make_comment(author)
    auth.login(moderator)
    response = decide(client, comment, "reject", **({"reason": reason} if reason is not None else {}))
    assert response.status_code == 303
    assert reload(comment).status is CommentStatus.PENDING and log_for(comment) == []


def test_featuring_a_held_comment_publishes_it_first_on_the_article(client, auth, moderator, author):
    make_comment(author, "An older published comment.", status=CommentStatus.PUBLISHED)
    held = make_comment(author, "A very good held comment.")
    auth.login(moderator)
    decide(client, held, "feature")
    held = reload(held)
    assert held.status is CommentStatus.PUBLISHED and held.featured
    page = public_page(client)
    assert page.index("A very good held comment.") < page.index("An older published comment.")
    assert "badge-featured" in page
    decide(client, held, "unfeature")
    assert not reload(held).featured and reload(held).status is CommentStatus.PUBLISHED
    assert [d.action for d in log_for(held)] == ["feature", "unfeature"]


@pytest.mark.parametrize(("start", "action", "fields"), [
    (CommentStatus.PENDING, "approve", {}),
    (CommentStatus.PENDING, "reject", {"reason": "spam", "note": "No ads."}),
    (CommentStatus.PENDING, "feature", {}),
    (CommentStatus.PUBLISHED, "reject", {"reason": "other"}),
])
def test_undo_puts_the_comment_back_and_logs_both(client, auth, moderator, author, start, action, fields):
    comment = make_comment(author, status=start)
    before = (comment.status, comment.hold_reason, comment.featured, comment.rejection_reason)
    auth.login(moderator)
    decide(client, comment, action, **fields)
    comment = reload(comment)
    assert "undo" in allowed_actions(comment)
    decide(client, comment, "undo")
    comment = reload(comment)
    assert (comment.status, comment.hold_reason, comment.featured, comment.rejection_reason) == before
    assert [d.action for d in log_for(comment)] == [action, "undo"]
    assert "undo" not in allowed_actions(comment)


def test_undoing_an_approval_restores_the_moderators_rejection(client, auth, moderator, author):
    comment = make_comment(author)
    auth.login(moderator)
    decide(client, comment, "reject", reason="spam", note="No ads.")
    decide(client, reload(comment), "approve")
    decide(client, reload(comment), "undo")
    comment = reload(comment)
    assert (comment.status, comment.rejection_reason, comment.rejection_note) == (CommentStatus.REJECTED, "spam", "No ads.")


def test_after_a_decision_the_queue_offers_undo_once(client, auth, moderator, author):
    comment = make_comment(author)
    auth.login(moderator)
    page = client.post(f"/admin/comments/{comment.id}/decide", data={"action": "approve", "version": "1",
                       "next": "/admin/queue/pending"}, follow_redirects=True).get_data(as_text=True)
    assert "You approved the comment by Carl Commenter." in page and 'value="undo"' in page
    assert 'value="undo"' not in client.get("/admin/queue/pending").get_data(as_text=True)


def test_a_stale_decision_names_who_decided_and_changes_nothing(client, auth, moderator, author):
    comment = make_comment(author)
    first = make_author("First Moderator")
    perform(comment, "reject", Actor.for_user(first), expected_version=1, reason="spam")
    db.session.commit()
    auth.login(moderator)
    response = client.post(f"/admin/comments/{comment.id}/decide",
                           data={"action": "approve", "version": "1"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "First Moderator rejected this comment (spam)" in page and "nothing was changed" in page
    comment = reload(comment)
    assert comment.status is CommentStatus.REJECTED and comment.version == 2
    assert [d.actor_name for d in log_for(comment)] == ["First Moderator"]


def test_perform_refuses_a_stale_version_with_the_winning_decision(app, moderator, author):
    comment = make_comment(author)
    winner = perform(comment, "approve", Actor.for_user(moderator), expected_version=1)
    db.session.commit()
    with pytest.raises(StaleDecision) as caught:
        perform(comment, "reject", Actor.for_user(moderator), expected_version=1, reason="spam")
    assert caught.value.decision.id == winner.id and caught.value.decision.action == "approve"


@pytest.mark.parametrize(("status", "featured", "action"), [
    (CommentStatus.REJECTED, False, "reject"),
    (CommentStatus.REJECTED, False, "feature"),
    (CommentStatus.PUBLISHED, False, "unfeature"),
    (CommentStatus.PUBLISHED, True, "feature"),
    (CommentStatus.PUBLISHED, False, "approve"),  # nothing to dismiss without reports
    (CommentStatus.PENDING, False, "undo"),  # no person decided yet
    (CommentStatus.PENDING, False, "delete"),
])
def test_actions_that_do_not_apply_are_refused(app, moderator, author, status, featured, action):
    comment = make_comment(author, status=status)
    comment.featured = featured
    db.session.commit()
    with pytest.raises(ActionNotAllowed):
        perform(comment, action, Actor.for_user(moderator), reason="spam")
    assert reload(comment).version == 1


def report(comment, count, reason="personal_attack"):
    """`count` distinct readers (without passwords: they never sign in) report the comment."""
    for index in range(count):
        reporter = User(display_name=f"Reporter {index}", email=f"reporter{comment.id}.{index}@example.org")
        db.session.add(reporter)
        report_comment(comment, reporter, reason, note=f"note {index}")
    db.session.commit()


def test_reported_comments_show_with_reasons_and_keeping_one_dismisses_the_reports(client, auth, moderator, author):
    comment = make_comment(author, "A disputed comment.", status=CommentStatus.PUBLISHED)
    report(comment, 2)
    auth.login(moderator)
    page = client.get("/admin/queue/reported").get_data(as_text=True)
    assert "A disputed comment." in page and "Reported by 2 readers" in page and "note 1" in page
    decide(client, reload(comment), "approve")
    comment = reload(comment)
    assert comment.status is CommentStatus.PUBLISHED and comment.report_count == 0
    assert all(r.resolved for r in db.session.scalars(select(Report)))
    assert "A disputed comment." not in client.get("/admin/queue/reported").get_data(as_text=True)


@pytest.mark.parametrize(("threshold", "reports", "hidden"), [(None, 2, False), (None, 3, True), (2, 2, True), (5, 4, False)])
def test_enough_reports_hide_a_comment_and_queue_it(client, auth, admin_user, author, threshold, reports, hidden):
    auth.login(admin_user)
    if threshold is not None:
        assert client.post("/admin/settings", data={"report_hide_threshold": threshold}).status_code == 303
    comment = make_comment(author, "A comment readers dislike.", status=CommentStatus.PUBLISHED)
    report(comment, reports)
    comment = reload(comment)
    assert (comment.status is CommentStatus.PENDING) is hidden
    assert ("A comment readers dislike." in public_page(client)) is not hidden
    pending = client.get("/admin/queue/pending").get_data(as_text=True)
    assert ("A comment readers dislike." in pending) is hidden
    if hidden:
        assert comment.hold_reason == "reports" and "held: Reader reports" in pending


def test_the_threshold_setting_is_validated_and_logged(client, auth, admin_user):
    auth.login(admin_user)
    assert client.post("/admin/settings", data={"report_hide_threshold": "0"}).status_code == 400
    client.post("/admin/settings", data={"report_hide_threshold": "4"})
    entry = db.session.scalars(select(Decision).where(Decision.action == "setting")).one()
    assert entry.note == "report_hide_threshold: 3 -> 4" and entry.actor_id == admin_user.id
    assert 'value="4"' in client.get("/admin/settings").get_data(as_text=True)


def test_bulk_decides_each_item_and_leaves_what_someone_else_decided(client, auth, moderator, author):
    fresh = [make_comment(author, f"Bulk comment {i}.") for i in range(3)]
    taken = make_comment(author, "Taken comment.")
    perform(taken, "approve", Actor.for_user(make_author("Other Mod")))
    db.session.commit()
    auth.login(moderator)
    items = [f"{c.id}:1" for c in fresh + [taken]]
    page = client.post("/admin/bulk", data={"action": "reject", "reason": "spam", "item": items,
                                            "next": "/admin/queue/pending"}, follow_redirects=True).get_data(as_text=True)
    assert "Rejected 3 comments." in page and "Other Mod approved this comment" in page
    assert [reload(c).status for c in fresh] == [CommentStatus.REJECTED] * 3
    assert all(reload(c).rejection_reason == "spam" for c in fresh)
    assert reload(taken).status is CommentStatus.PUBLISHED
    assert len(db.session.scalars(select(Decision).where(Decision.action == "reject")).all()) == 3


def test_bulk_approve_through_the_service(app, moderator, author):
    comments = [make_comment(author, f"Fine {i}.") for i in range(2)]
    outcome = perform_bulk([(c.id, c.version) for c in comments] + [(999999, 1)], "approve", Actor.for_user(moderator))
    db.session.commit()
    assert len(outcome.decided) == 2 and outcome.refused == [(999999, "no such comment")]
    assert {reload(c).status for c in comments} == {CommentStatus.PUBLISHED}


@pytest.mark.parametrize("data", [{"action": "feature", "item": "1:1"}, {"action": "approve"}, {"action": "approve", "item": "x"}])
def test_bulk_refuses_what_it_cannot_do(client, auth, moderator, author, data):
    make_comment(author)
    auth.login(moderator)
    response = client.post("/admin/bulk", data=data)
    assert response.status_code in (303, 400)
    assert db.session.scalars(select(Decision).where(Decision.actor_type == ActorType.USER)).all() == []


def test_the_item_shows_evidence_escaped_rules_author_record_and_history(client, auth, moderator, author):
    parent = make_comment(author, "The parent comment.", status=CommentStatus.PUBLISHED)
    comment = make_comment(make_author("Eve <script>"), "<b>Idiot</b> is what you are.", parent=parent,
                           fired={"personal_attack": ("review", 0.81)})
    auth.login(moderator)
    page = client.get(f"/admin/comments/{comment.id}").get_data(as_text=True)
    assert "<b>Idiot</b>" not in page and "<mark>&lt;b&gt;Idiot&lt;/b&gt;</mark>" in page
    assert "Eve &lt;script&gt;" in page and "<script>" not in page.split("<script src")[0]
    assert "0.81" in page and "personal_attack evidence" in page
    assert db.session.get(Comment, comment.id).verdict["reasons"][0]["policy"][:40] in page.replace("&#39;", "'")
    assert "In reply to Carl Commenter" in page and "The parent comment." in page
    assert "0 published" in page and "1 waiting" in page and "policy" in page


def test_the_queue_and_item_pages_work_without_inline_script_or_style(client, auth, moderator, author):
    make_comment(author)
    auth.login(moderator)
    page = client.get("/admin/").get_data(as_text=True)
    assert "style=" not in page and "<script>" not in page and "onclick" not in page
    assert "/static/admin.js" in page and "/static/admin.css" in page
    assert 'data-key="a"' in page and 'data-key="r"' in page
