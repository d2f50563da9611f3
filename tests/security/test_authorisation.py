"""Who may do what: every admin route tried signed out, as a reader, a moderator and an admin; every API
endpoint tried without a key, with a revoked key, with a key of each scope, and with a staff session.
The routes come from app.url_map, so a route added later is checked or the test says where to list it."""
from __future__ import annotations

import pytest

from moderation.api_keys import SCOPES, revoke_key
from moderation.db import db
from moderation.models import Role
from tests.conftest import PASSWORD, create_user
from tests.public.helpers import add_comment
from tests.security.conftest import api_key, table_counts
from tests.security.routes import admin_routes, api_routes

ADMIN_ONLY = {"admin.site_settings", "admin.embed_settings", "admin.users", "admin.set_role"}
# What each API endpoint needs: a scope, nothing (public reading and documentation), or Coral's signature.
API_ACCESS = {
    "api.moderate_text": "moderate",
    "api.moderate_batch": "moderate",
    "perspective.analyze": "moderate",
    "perspective.suggestscore": "moderate",
    "api.post_article_comment": "comment",
    "api.list_queue": "admin",
    "api.decide": "admin",
    "api.list_articles": "public",
    "api.list_comments": "public",
    "api_docs.docs": "public",
    "api_docs.openapi_json": "public",
    "perspective.discovery": "public",
    "coral.moderate_comment": "signature",
}
PERSON = {"signed out": None, "reader": Role.READER, "moderator": Role.MODERATOR, "admin": Role.ADMIN}


@pytest.fixture
def ids(app):
    author = create_user("Target Author")
    comment = add_comment(author, "You are a complete idiot and a moron.")
    return {"comment_id": comment.id, "user_id": author.id, "article_id": comment.article_id}


def client_as(new_client, person: str):
    client = new_client()
    if PERSON[person] is not None:
        user = create_user(f"{person.title()} Person", role=PERSON[person])
        assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_every_admin_route_is_for_staff_and_some_for_admins_only(app, ids, new_client):
    clients = {person: client_as(new_client, person) for person in PERSON}
    wrong = []
    for route in admin_routes(app):
        for person, client in clients.items():
            before = table_counts()
            response = client.open(route.url(ids), method=route.method, data={})
            response.close()  # the CSV log streams; closing ends its generator inside the request
            if person == "signed out":
                allowed = False
                ok = response.status_code == 302 and "/auth/login" in response.headers["Location"]
            else:
                allowed = person == "admin" or (person == "moderator" and route.endpoint not in ADMIN_ONLY)
                ok = response.status_code not in (401, 403) if allowed else response.status_code == 403
            if not allowed and table_counts() != before:
                ok = False
            if not ok:
                wrong.append(f"{person}: {route} -> {response.status_code}")
    assert wrong == []


def test_admin_only_routes_exist(app):
    assert ADMIN_ONLY <= {route.endpoint for route in admin_routes(app)}


def test_every_api_endpoint_is_listed_with_what_it_needs(app):
    unlisted = {route.endpoint for route in api_routes(app)} - set(API_ACCESS)
    assert unlisted == set(), "add these endpoints to API_ACCESS in tests/security/test_authorisation.py"


def credentials(new_client):
    """(name, client, headers, scopes) for every way a caller can present itself to the API."""
    revoked = api_key("moderate,comment,admin", name="revoked")
    revoke_key("revoked")
    db.session.commit()
    anonymous = new_client()
    yield "no key", anonymous, {}, None
    yield "a wrong key", anonymous, {"Authorization": "Bearer mk_not-a-key"}, None
    yield "a revoked key", anonymous, {"Authorization": f"Bearer {revoked}"}, None
    yield "an admin's session", client_as(new_client, "admin"), {}, None
    for scope in SCOPES:
        yield f"a {scope} key", anonymous, {"Authorization": f"Bearer {api_key(scope)}"}, {scope}
    yield "a key in ?key=", anonymous, {"query": api_key("moderate,comment,admin", name="query")}, set(SCOPES)


def test_every_api_endpoint_checks_the_key_and_its_scope(app, ids, new_client):
    wrong = []
    for name, client, headers, scopes in credentials(new_client):
        query_key = headers.pop("query", None)
        for route in api_routes(app):
            access = API_ACCESS[route.endpoint]
            if query_key and route.blueprint != "perspective":
                continue  # only Google's clients send the key in the query string
            response = client.open(route.url(ids), method=route.method, json={}, headers=headers,
                                   query_string={"key": query_key} if query_key else None)
            if access == "public":
                ok = response.status_code not in (401, 403)
            elif access == "signature":
                ok = response.status_code == 401
            elif scopes is None:
                ok = response.status_code == 401 and "WWW-Authenticate" in response.headers
            else:
                ok = response.status_code not in (401, 403) if access in scopes else response.status_code == 403
            if not ok:
                wrong.append(f"{name}: {route} -> {response.status_code}")
    assert wrong == []


def test_a_key_in_the_query_string_is_ignored_outside_the_perspective_routes(app, client):
    secret = api_key("moderate")
    response = client.post("/api/v1/moderate", query_string={"key": secret}, json={"text": "Hello there"})
    assert response.status_code in (401, 422) and "verdict" not in response.get_json()  # refused, never judged
