"""SQL injection through every parameter: query strings (search, filters, cursors, dates), path segments
(slugs, queue names), form fields and API bodies. Nothing changes, nothing leaks, nothing gives a 500."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import Comment, Role, User
from tests.conftest import PASSWORD, create_user
from tests.public.helpers import add_comment
from tests.security.conftest import api_key, table_counts
from tests.security.routes import all_routes

INJECTIONS = (
    "' OR '1'='1",
    "1 OR 1=1",
    "1; DROP TABLE comments; --",
    "'; DELETE FROM users; --",
    '" OR ""="',
    "1' UNION SELECT password_hash, email FROM users --",
    "%' OR 1=1 --",
    "1)) OR ((1=1",
    "\\' OR 1=1 --",
    "after:1 OR 1=1",
    "after:99999999999999999999999",
    "99999999999999999999999",
    "-1",
    "NUL\x00byte",
    "%",
    "_",
    "2024-01-01' OR '1'='1",
    "²",
    "١٢",
)
QUERY_PARAMETERS = (
    "q", "rule", "article", "author", "sort", "cursor", "before", "who", "action", "since", "until",
    "comment", "status", "limit", "next", "back", "key", "version",
)


@pytest.fixture
def admin_client(app, new_client):
    author = create_user("Plain Author")
    add_comment(author, "I hope the Havana talks lead to safer, legal migration for Cuban families.")
    client = new_client()
    client.post("/auth/login", data={"email": create_user("Ada Admin", role=Role.ADMIN).email, "password": PASSWORD})
    return client


def get_pages(app) -> list[str]:
    """Every GET route, with string path arguments taken over by the injection."""
    return [route.rule for route in all_routes(app) if route.method == "GET" and route.endpoint != "static"]


def fill(rule: str, injection: str) -> str:
    for argument in ("<slug>", "<name>"):
        rule = rule.replace(argument, quote(injection, safe=""))
    for argument in ("<int:comment_id>", "<int:user_id>", "<int:article_id>"):
        rule = rule.replace(argument, "1")
    return rule


@pytest.mark.parametrize("injection", INJECTIONS)
def test_injected_query_strings_and_path_segments_change_nothing_and_never_fail(app, admin_client, injection):
    headers = {"Authorization": f"Bearer {api_key('moderate,comment,admin')}"}
    before = table_counts()
    statuses = {}
    for rule in get_pages(app):
        response = admin_client.get(fill(rule, injection), query_string={p: injection for p in QUERY_PARAMETERS},
                                    headers=headers)
        response.close()
        statuses[rule] = response.status_code
    assert {rule: status for rule, status in statuses.items() if status >= 500} == {}
    assert table_counts() == before


def test_an_injected_search_finds_nothing_it_should_not(app, admin_client):
    response = admin_client.get("/admin/users", query_string={"q": "%' OR 1=1 --"})
    assert response.status_code == 200
    assert b"Plain Author" not in response.data  # a reader is only listed when the search matches them


def test_injected_form_fields_are_stored_as_text_or_refused(app, new_client):
    client = new_client()
    client.post("/auth/login", data={"email": create_user("Ana Reader").email, "password": PASSWORD})
    users_before = table_counts()["users"]
    wrong = []
    for injection in INJECTIONS:
        refused_login = new_client().post("/auth/login", data={"email": injection, "password": injection})
        reply = client.post("/articles/us-cuba-migration-talks/comments", data={"body": "Talks", "parent_id": injection})
        posted = client.post("/articles/us-cuba-migration-talks/comments", data={"body": f"On the talks: {injection}"})
        newest = db.session.scalars(select(Comment.body).order_by(Comment.id.desc())).first()
        # PostgreSQL cannot store a NUL character, so it is refused on every database.
        stored_as_text = newest == f"On the talks: {injection}" or ("\x00" in injection and posted.status_code == 400)
        if refused_login.status_code != 400 or reply.status_code != 400 or not stored_as_text:
            wrong.append(injection)
    assert wrong == []
    assert table_counts()["users"] == users_before


def test_injected_api_bodies_are_text_or_refused(client, app):
    headers = {"Authorization": f"Bearer {api_key('moderate,comment,admin')}"}
    before = table_counts()
    failed = []
    for injection in INJECTIONS:
        responses = [
            client.post("/api/v1/moderate", json={"text": injection}, headers=headers),
            client.post("/api/v1/articles/us-cuba-migration-talks/comments", headers=headers,
                        json={"text": f"On the talks: {injection}", "parent_id": injection,
                              "author": {"external_id": injection, "display_name": injection}}),
            client.post("/api/v1/comments/1/decision", json={"action": injection, "reason": injection}, headers=headers),
            client.post("/v1alpha1/comments:analyze", headers=headers,
                        json={"comment": {"text": injection}, "requestedAttributes": {injection: {}}}),
        ]
        failed += [(injection, r.request.path, r.status_code) for r in responses if r.status_code >= 500]
    assert failed == []
    after = table_counts()
    assert after["comments"] == before["comments"] and after["users"] == before["users"]
    assert not set(INJECTIONS) & set(db.session.scalars(select(User.display_name)))
