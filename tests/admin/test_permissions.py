"""Who may open each admin page and take each admin action: signed out, reader, moderator, admin."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from moderation.db import db
from moderation.models import Decision, Role, Setting, User
from tests.admin.helpers import make_author, make_comment, seed_article

# (method, path, form data, admin only). {comment}, {author} and {article} are filled in per test.
ROUTES = [
    ("GET", "/admin/", None, False),
    ("GET", "/admin/queue/pending", None, False),
    ("GET", "/admin/queue/reported", None, False),
    ("GET", "/admin/queue/rejected", None, False),
    ("GET", "/admin/queue/approved", None, False),
    ("GET", "/admin/comments/{comment}", None, False),
    ("GET", "/admin/authors/{author}", None, False),
    ("GET", "/admin/log", None, False),
    ("GET", "/admin/log.csv", None, False),
    ("GET", "/admin/dashboard", None, False),
    ("GET", "/admin/articles", None, False),
    ("GET", "/admin/articles/{article}", None, False),
    ("POST", "/admin/articles/{article}", {"moderation_mode": "pre", "comments_open": "y"}, False),
    ("POST", "/admin/comments/{comment}/decide", {"action": "approve", "version": "1"}, False),
    ("POST", "/admin/bulk", {"action": "approve", "item": "{comment}:1"}, False),
    ("POST", "/admin/authors/{author}/act", {"action": "premoderate"}, False),
    ("GET", "/admin/settings", None, True),
    ("POST", "/admin/settings", {"report_hide_threshold": "5"}, True),
    ("GET", "/admin/users", None, True),
    ("POST", "/admin/users/{author}/role", {"role": "moderator"}, True),
]


@pytest.fixture
def targets(app):
    author = make_author()
    comment = make_comment(author)
    return {"comment": comment.id, "author": author.id, "article": seed_article().id}


def call(client, method, path, data, targets):
    url = path.format(**targets)
    form = {k: v.format(**targets) for k, v in (data or {}).items()}
    return client.get(url) if method == "GET" else client.post(url, data=form)


def human_decisions() -> int:
    return db.session.scalar(select(func.count()).select_from(Decision).where(Decision.actor_type == "user"))


def untouched(targets) -> bool:
    """Nothing a refused request could have changed has changed."""
    db.session.expire_all()
    author = db.session.get(User, targets["author"])
    return (human_decisions() == 0 and author.role is Role.READER and not author.always_premoderate
            and db.session.get(Setting, "report_hide_threshold") is None
            and seed_article().moderation_mode.value == "post")


@pytest.mark.parametrize(("method", "path", "data", "admin_only"), ROUTES)
def test_signed_out_visitors_are_sent_to_sign_in(client, targets, method, path, data, admin_only):
    response = call(client, method, path, data, targets)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert untouched(targets)


@pytest.mark.parametrize(("method", "path", "data", "admin_only"), ROUTES)
def test_readers_get_403_and_change_nothing(client, auth, reader, targets, method, path, data, admin_only):
    auth.login(reader)
    response = call(client, method, path, data, targets)
    assert response.status_code == 403
    assert b"Approve" not in response.data
    assert untouched(targets)


@pytest.mark.parametrize(("method", "path", "data", "admin_only"), ROUTES)
def test_moderators_may_do_everything_but_admin_pages(client, auth, moderator, targets, method, path, data, admin_only):
    auth.login(moderator)
    response = call(client, method, path, data, targets)
    if admin_only:
        assert response.status_code == 403
        assert untouched(targets)
    else:
        assert response.status_code == (200 if method == "GET" else 303)


@pytest.mark.parametrize(("method", "path", "data", "admin_only"), ROUTES)
def test_admins_may_do_everything(client, auth, admin_user, targets, method, path, data, admin_only):
    auth.login(admin_user)
    response = call(client, method, path, data, targets)
    assert response.status_code == (200 if method == "GET" else 303)


@pytest.mark.parametrize(("path", "check"), [
    ("/admin/comments/{comment}/decide", lambda t: db.session.scalar(
        select(func.count()).select_from(Decision).where(Decision.action == "approve")) == 1),
    ("/admin/authors/{author}/act", lambda t: db.session.get(User, t["author"]).always_premoderate),
])
def test_a_moderators_action_takes_effect(client, auth, moderator, targets, path, check):
    auth.login(moderator)
    data = {"action": "approve", "version": "1"} if "decide" in path else {"action": "premoderate"}
    call(client, "POST", path, data, targets)
    db.session.expire_all()
    assert check(targets)


def test_the_moderation_link_shows_only_to_staff(client, auth, reader, moderator):
    auth.login(reader)
    assert b"/admin/" not in client.get("/").data
    auth.logout()
    auth.login(moderator)
    assert b"/admin/" in client.get("/").data


def test_admin_pages_need_a_moderator_even_for_unknown_items(client, auth, reader):
    auth.login(reader)
    assert client.get("/admin/comments/999999").status_code == 403
