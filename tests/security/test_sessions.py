"""Sessions and sign-in: cookie flags, a fresh session on sign-in, hashed passwords, throttled guessing,
and ?next= that never leaves the site."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import User
from tests.conftest import PASSWORD, make_test_app


def session_cookie_header(response) -> str:
    return next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))


def test_the_session_cookie_is_httponly_and_samesite_lax(client, reader):
    response = client.post("/auth/login", data={"email": reader.email, "password": PASSWORD})
    cookie = session_cookie_header(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development: a Secure cookie would never come back


def test_behind_an_https_proxy_the_cookie_is_secure_and_the_client_address_is_the_forwarded_one(tmp_path_factory, app):
    proxied = make_test_app(tmp_path_factory, PROXY_FIX_HOPS=1)
    assert proxied.config["SESSION_COOKIE_SECURE"] and proxied.config["REMEMBER_COOKIE_SECURE"]
    with proxied.test_request_context(
        "/", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    ) as context:
        proxied.wsgi_app(context.request.environ, lambda *args: None)
        assert context.request.environ["REMOTE_ADDR"] == "203.0.113.9"
        assert context.request.environ["wsgi.url_scheme"] == "https"
    with proxied.app_context():
        db.engine.dispose()


def test_signing_in_starts_a_new_session_so_a_planted_one_is_worthless(client, reader):
    with client.session_transaction() as planted:
        planted["attacker"] = "knows this session"
        planted["_user_id"] = "999999"
    client.post("/auth/login", data={"email": reader.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "attacker" not in session
        assert session["_user_id"] == str(reader.id)


def test_signing_out_forgets_the_session(client, auth, reader):
    auth.login(reader)
    auth.logout()
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert reader.display_name.encode() not in client.get("/").data


def test_passwords_are_stored_only_as_a_modern_salted_hash(app):
    from tests.conftest import create_user

    first, second = create_user("One"), create_user("Two")
    stored = db.session.scalars(select(User.password_hash)).all()
    assert all(h.startswith(("scrypt:", "pbkdf2:sha256:")) and PASSWORD not in h for h in stored)
    assert first.password_hash != second.password_hash  # salted: the same password hashes differently


def test_sign_in_is_throttled_per_address_and_says_when_to_retry(limited_app, reader):
    client = limited_app.test_client()
    allowed = int(limited_app.config["LOGINS_PER_MINUTE"].split()[0])
    for _ in range(allowed):
        assert client.post("/auth/login", data={"email": reader.email, "password": "guess"}).status_code == 400
    refused = client.post("/auth/login", data={"email": reader.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert b"Too many sign-in attempts" in refused.data and b"try again in" in refused.data
    with client.session_transaction() as session:
        assert "_user_id" not in session  # even the right password waits


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/\r\nSet-Cookie: x=1",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https:evil.example",
        "evil.example",
        " //evil.example",
    ],
)
def test_next_never_leads_off_the_site(client, reader, target):
    response = client.post(
        "/auth/login", query_string={"next": target}, data={"email": reader.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert urlsplit(location).netloc == "" and location.isprintable()


@pytest.mark.parametrize("endpoint", ["/comments/hide?back={}", "/comments/show?back={}"])
def test_back_links_after_hiding_comments_stay_on_the_site(client, endpoint):
    response = client.post(endpoint.format("https://evil.example/"))
    assert response.status_code == 302 and response.headers["Location"] == "/"
