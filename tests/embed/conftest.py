"""The embedded comment frame: an allowed newsroom origin, the frame's session read from its pages, SSO tokens."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import uuid
from html import unescape

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import OctKey

from moderation.db import db
from moderation.embed.settings import set_allowed_origins

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


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory):
    """A real OpenID provider on loopback (oidc-provider-mock, Authlib inside), in its own process so that its
    own deprecation warnings stay out of the test run: nonce required, any client id. Yields its issuer URL; set
    a person's claims with provider_person()."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path_factory.mktemp("openid-provider") / "provider.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
                                "--require-nonce"], stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://localhost:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if process.poll() is not None:
                    raise RuntimeError(f"the OpenID provider stopped; see {log.name}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the OpenID provider did not answer in 10 s; see {log.name}")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def loopback_oidc(app, monkeypatch, openid_provider):
    """The provider configured on the app, as an admin would in OIDC_PROVIDERS."""
    monkeypatch.setitem(app.config, "OIDC_PROVIDERS", {"loopback": {
        "issuer": openid_provider, "client_id": "comments-test", "client_secret": "secret", "label": "Loopback ID"}})
    return openid_provider


def provider_person(issuer: str, sub: str, **claims) -> None:
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()


def authorize_at_provider(authorize_url: str, sub: str) -> str:
    """What a person does at the provider: choose who they are; returns the redirect back to us."""
    response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["Location"]
