"""Registration, sign-in and sign-out: hashed passwords, CSRF, local redirects only."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import User
from tests.conftest import PASSWORD, make_test_app


def register(client, email="new@example.org", name="New Reader", password=PASSWORD, confirm=None):
    return client.post(
        "/auth/register",
        data={"display_name": name, "email": email, "password": password, "confirm": confirm or password},
    )


@pytest.mark.real_password_hash
def test_register_creates_a_signed_in_reader_with_a_hashed_password(client):
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.role.value == "reader"
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt:")
    page = client.get("/")
    assert b"New Reader" in page.data


def test_duplicate_email_is_refused_case_insensitively(client, reader):
    response = register(client, email=reader.email.upper())
    assert response.status_code == 400
    assert b"exists already" in response.data
    assert len(db.session.scalars(select(User)).all()) == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "not-an-email"}, b"Invalid email"),
        ({"password": "short", "confirm": "short"}, b"at least 8"),
        ({"confirm": "something else"}, b"The passwords differ."),
        ({"name": ""}, b"This field is required."),
    ],
)
def test_bad_registration_says_why(client, fields, message):
    response = register(client, **fields)
    assert response.status_code == 400
    assert message in response.data
    assert db.session.scalars(select(User)).all() == []


def test_login_with_a_bad_password_fails(client, auth, reader):
    response = auth.login(reader, password="wrong password")
    assert response.status_code == 400
    assert b"do not match" in response.data
    assert b"Ana Reader" not in client.get("/").data


def test_login_and_logout(client, auth, reader):
    assert auth.login(reader).status_code == 302
    assert b"Ana Reader" in client.get("/").data
    auth.logout()
    assert b"Ana Reader" not in client.get("/").data


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/articles/us-cuba-migration-talks", "/articles/us-cuba-migration-talks"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_redirects_only_to_local_paths(client, reader, target, expected):
    response = client.post(
        "/auth/login", query_string={"next": target}, data={"email": reader.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_forms_without_a_csrf_token_are_refused(tmp_path_factory, _session_app):
    app = make_test_app(tmp_path_factory, WTF_CSRF_ENABLED=True,
                        SQLALCHEMY_DATABASE_URI=_session_app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        client = app.test_client()
        response = register(client, email="csrf@example.org")
        assert response.status_code == 400
        assert db.session.scalar(select(User).where(User.email == "csrf@example.org")) is None
        db.session.remove()
        db.engine.dispose()
