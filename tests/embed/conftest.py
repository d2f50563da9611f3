"""The embedded comment frame: an allowed newsroom origin, the frame's session read from its pages, SSO tokens."""
from __future__ import annotations

import re
import time
import uuid
from html import unescape

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from moderation.db import db
from moderation.embed.settings import set_allowed_origins
from tests.oidc_provider import openid_provider  # noqa: F401 - a fixture for the tests here

NEWSROOM = "https://news.example"
STORY_URL = f"{NEWSROOM}/2026/11/30/council-vote"
SSO_SECRET = "test-sso-secret-with-enough-bytes-0123456789"
SSO_ISSUER = "https://news.example"
SSO_AUDIENCE = "moderation"


@pytest.fixture
def allowed(app):
    set_allowed_origins([NEWSROOM])
    db.session.commit()
    return NEWSROOM


@pytest.fixture
def sso(app, monkeypatch):
    """SSO set up with a shared secret, as a newsroom would configure it."""
    for key, value in (("SSO_SECRET", SSO_SECRET), ("SSO_ISSUER", SSO_ISSUER), ("SSO_AUDIENCE", SSO_AUDIENCE)):
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def sso_token(key=None, algorithm: str = "HS256", **claims) -> str:
    """A newsroom's SSO token: valid for five minutes unless `claims` say otherwise (None drops a claim)."""
    now = int(time.time())
    payload = {"iss": SSO_ISSUER, "aud": SSO_AUDIENCE, "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex,
               "sub": "newsroom-user-42", "email": "lee@news-readers.example", "name": "Lee Newsreader"}
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode({"alg": algorithm}, payload, key or OctKey.import_key(SSO_SECRET), algorithms=[algorithm])


def start_frame(client, url: str = STORY_URL, origin: str = NEWSROOM, **params):
    return client.get("/embed/stream", query_string={"url": url, "origin": origin, **params})


def frame_link(response, pattern: str) -> str:
    """The first link or form action of a frame page whose path matches `pattern` (it carries the session)."""
    page = response.get_data(as_text=True)
    for match in re.finditer(r'(?:href|action)="([^"]+)"', page):
        target = unescape(match.group(1))
        if re.search(pattern, target.split("?")[0]):
            return target
    raise AssertionError(f"no link to {pattern} in the page")


def csrf_of(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.fixture
def loopback_oidc(app, monkeypatch, openid_provider):
    """The provider configured on the app, as an admin would in OIDC_PROVIDERS."""
    monkeypatch.setitem(app.config, "OIDC_PROVIDERS", {"loopback": {
        "issuer": openid_provider, "client_id": "comments-test", "client_secret": "secret", "label": "Loopback ID"}})
    return openid_provider
