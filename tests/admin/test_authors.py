"""Acting on authors: warn, suspend, ban (rejecting what waits), always pre-moderate, and lifting each."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation.audit import Actor
from moderation.db import db
from moderation.models import Comment, CommentStatus, Decision, Role, User
from moderation.queue import ActionNotAllowed, act_on_author, allowed_author_actions
from tests.admin.helpers import ARTICLE_URL, make_author, make_comment, reload
from tests.conftest import PASSWORD, create_user

CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."


def act(client, user, action, **fields):
    return client.post(f"/admin/authors/{user.id}/act", data={"action": action, **fields})


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def logged(user, action) -> Decision:
    return db.session.scalars(select(Decision).where(Decision.subject_user_id == user.id,
                                                     Decision.action == action)).one()


def test_a_warning_shows_to_the_author_until_acknowledged(client, auth, moderator, reader):
    auth.login(moderator)
    comment = make_comment(reader)
    response = act(client, reader, "warn", message="Keep it civil, please.", comment_id=str(comment.id))
    assert response.status_code == 303
    assert fresh(reader).warning == "Keep it civil, please."
    entry = logged(reader, "warn")
    assert (entry.note, entry.comment_id, entry.actor_id) == ("Keep it civil, please.", comment.id, moderator.id)
    auth.logout()
    auth.login(reader)
    assert "Keep it civil, please." in client.get(ARTICLE_URL).get_data(as_text=True)
    client.post("/account/warning?back=/")
    assert fresh(reader).warning is None
    assert "Keep it civil, please." not in client.get(ARTICLE_URL).get_data(as_text=True)


def test_a_warning_needs_a_message(client, auth, moderator, reader):
    auth.login(moderator)
    act(client, reader, "warn", message="  ")
    assert fresh(reader).warning is None


def test_a_suspended_author_cannot_post_until_lifted(client, auth, moderator, reader):
    auth.login(moderator)
    act(client, reader, "suspend", days="3", message="Cooling off", confirm="y")
    assert fresh(reader).is_suspended() and logged(reader, "suspend").note == "3 days: Cooling off"
    auth.logout()
    auth.login(reader)
    page = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN}, follow_redirects=True).get_data(as_text=True)
    assert "suspended from commenting" in page
    auth.logout()
    auth.login(moderator)
    act(client, reader, "unsuspend")
    assert not fresh(reader).is_suspended()


@pytest.mark.parametrize("days", ["0", "-1", "abc", ""])
def test_a_suspension_needs_a_sensible_number_of_days(client, auth, moderator, reader, days):
    auth.login(moderator)
    act(client, reader, "suspend", days=days, message="Cooling off", confirm="y")
    assert fresh(reader).suspended_until is None


@pytest.mark.parametrize("reject_pending", [True, False])
def test_a_ban_can_reject_everything_the_author_has_waiting(client, auth, moderator, reader, reject_pending):
    waiting = [make_comment(reader, f"Waiting {i}.") for i in range(2)]
    published = make_comment(reader, "Already out.", status=CommentStatus.PUBLISHED)
    auth.login(moderator)
    act(client, reader, "ban", message="Abuse", confirm="y", **({"reject_pending": "y"} if reject_pending else {}))
    assert fresh(reader).banned
    expected = CommentStatus.REJECTED if reject_pending else CommentStatus.PENDING
    assert [reload(c).status for c in waiting] == [expected, expected]
    assert reload(published).status is CommentStatus.PUBLISHED
    rejections = db.session.scalars(select(Decision).where(Decision.action == "reject")).all()
    assert len(rejections) == (2 if reject_pending else 0)
    assert all(d.note == "with the author's ban" and d.reason == "personal_attack" for d in rejections)
    auth.logout()
    assert client.post("/auth/login", data={"email": reader.email, "password": PASSWORD}).status_code in (200, 302)
    page = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN}, follow_redirects=True).get_data(as_text=True)
    assert "banned" in page


def test_always_premoderate_holds_the_authors_next_comment(client, auth, moderator, reader):
    auth.login(moderator)
    act(client, reader, "premoderate")
    assert fresh(reader).always_premoderate
    auth.logout()
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN})
    [comment] = db.session.scalars(select(Comment)).all()
    assert comment.status is CommentStatus.PENDING and comment.hold_reason == "premoderation"
    auth.logout()
    auth.login(moderator)
    act(client, reader, "stop_premoderating")
    assert not fresh(reader).always_premoderate


def test_staff_accounts_are_not_acted_on(app, moderator, admin_user):
    assert allowed_author_actions(moderator) == ()
    with pytest.raises(ActionNotAllowed):
        act_on_author(moderator, "ban", Actor.for_user(admin_user))
    assert not fresh(moderator).banned


@pytest.mark.parametrize(("state", "refused"), [
    ({"banned": True}, "ban"), ({"banned": False}, "unban"), ({"always_premoderate": True}, "premoderate"),
    ({"banned": True}, "suspend"),
])
def test_actions_follow_the_accounts_state(app, moderator, state, refused):
    author = make_author()
    for key, value in state.items():
        setattr(author, key, value)
    db.session.commit()
    assert refused not in allowed_author_actions(author)
    with pytest.raises(ActionNotAllowed):
        act_on_author(author, refused, Actor.for_user(moderator), days=1)


def test_the_author_page_shows_record_state_and_history(client, auth, moderator):
    author = make_author()
    make_comment(author, "One held.")
    make_comment(author, "One out.", status=CommentStatus.PUBLISHED)
    act_on_author(author, "premoderate", Actor.for_user(moderator))
    db.session.commit()
    auth.login(moderator)
    page = client.get(f"/admin/authors/{author.id}").get_data(as_text=True)
    assert "1 published" in page and "1 waiting" in page and "Always pre-moderated" in page
    assert "Stop pre-moderating" in page and "premoderate" in page


def test_only_admins_change_roles_and_not_their_own(client, auth, admin_user, reader):
    auth.login(admin_user)
    client.post(f"/admin/users/{reader.id}/role", data={"role": "moderator"})
    assert fresh(reader).role is Role.MODERATOR and logged(reader, "set_role").note == "reader -> moderator"
    page = client.post(f"/admin/users/{admin_user.id}/role", data={"role": "reader"}, follow_redirects=True)
    assert fresh(admin_user).role is Role.ADMIN and "cannot remove your own admin role" in page.get_data(as_text=True)
    listed = client.get("/admin/users").get_data(as_text=True)
    assert reader.display_name in listed
    found = client.get("/admin/users", query_string={"q": "ana"}).get_data(as_text=True)
    assert reader.email in found


def test_a_new_moderator_can_open_the_queue(client, auth, admin_user):
    user = create_user("Newly Promoted")
    auth.login(admin_user)
    client.post(f"/admin/users/{user.id}/role", data={"role": "moderator"})
    auth.logout()
    auth.login(user)
    assert client.get("/admin/").status_code == 200
