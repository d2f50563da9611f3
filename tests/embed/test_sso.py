"""Single sign-on from the newsroom's site: a valid token signs the reader in; every kind of bad token is refused
with a message that says which."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from joserfc.jwk import OctKey, RSAKey
from sqlalchemy import func, select

from moderation.auth.identities import SignInRefused
from moderation.auth.sso import sso_account, verify_sso_token
from moderation.db import db
from moderation.embed.settings import set_role_claims_allowed, set_sign_in_methods
from moderation.models import Role, SignInIdentity, UsedSsoToken, User
from tests.conftest import create_user
from tests.embed.conftest import csrf_of, frame_link, sso_token, start_frame


def hs256_signed_with(secret: bytes) -> str:
    """An HS256 token made by hand, with a secret no JOSE library would take (a public key)."""
    def part(data) -> str:
        raw = data if isinstance(data, bytes) else json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    claims = json.loads(base64.urlsafe_b64decode(sso_token().split(".")[1] + "=="))
    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}"
    return f"{signing_input}.{part(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def refusal(token: str) -> str:
    with pytest.raises(SignInRefused) as refused:
        verify_sso_token(token)
    return str(refused.value)


def test_a_valid_token_creates_the_account_and_a_second_one_updates_it(app, sso):
    user = sso_account(sso_token())
    assert (user.display_name, user.email, user.role) == ("Lee Newsreader", "lee@news-readers.example", Role.READER)
    again = sso_account(sso_token(name="Lee N.", email="lee@news-readers.example"))
    assert again.id == user.id and again.display_name == "Lee N."
    assert db.session.scalar(select(func.count()).select_from(SignInIdentity)) == 1


def test_an_expired_token_is_refused(app, sso):
    now = int(time.time())
    assert "has expired" in refusal(sso_token(iat=now - 900, exp=now - 300))


def test_a_tampered_token_is_refused(app, sso):
    header, payload, signature = sso_token().split(".")
    forged = sso_token(sub="someone-else").split(".")[1]  # another payload under the first signature
    assert "signature does not match" in refusal(f"{header}.{forged}.{signature}")
    assert "signature does not match" in refusal(sso_token(key=OctKey.import_key("another-newsroom-secret-0123456789")))


def test_a_replayed_token_is_refused(app, sso):
    token = sso_token()
    verify_sso_token(token)
    assert "used already" in refusal(token)
    assert db.session.scalar(select(func.count()).select_from(UsedSsoToken)) == 1


def test_a_token_for_another_audience_or_from_another_issuer_is_refused(app, sso):
    assert "meant for another service" in refusal(sso_token(aud="another-comment-service"))
    assert "does not trust" in refusal(sso_token(iss="https://evil.example"))


def test_a_token_without_the_required_claims_or_living_too_long_is_refused(app, sso):
    assert "lacks required claims: jti" in refusal(sso_token(jti=None))
    assert "lacks required claims: exp" in refusal(sso_token(exp=None))
    assert "lives too long" in refusal(sso_token(exp=int(time.time()) + 86400))
    assert "not a valid token" in refusal("not.a.jwt")
    assert "signature does not match" in refusal(sso_token(algorithm="HS512"))
    with pytest.raises(SignInRefused, match="e-mail"):
        sso_account(sso_token(email="not-an-address"))


def test_a_used_token_id_is_forgotten_once_the_token_expires(app, sso):
    db.session.add(UsedSsoToken(jti="old", expires_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
    db.session.commit()
    verify_sso_token(sso_token())
    assert db.session.scalar(select(func.count()).select_from(UsedSsoToken)) == 1


def test_rs256_with_the_newsrooms_public_key(app, sso, monkeypatch):
    private = RSAKey.generate_key(2048)
    public_pem = private.as_pem(private=False).decode()
    monkeypatch.setitem(app.config, "SSO_PUBLIC_KEY", public_pem)
    assert verify_sso_token(sso_token(key=private, algorithm="RS256"))["sub"] == "newsroom-user-42"
    other = RSAKey.generate_key(2048)
    assert "signature does not match" in refusal(sso_token(key=other, algorithm="RS256"))
    # The public key is not an HMAC secret: an HS256 token "signed" with it (algorithm confusion) must fail.
    assert "signature does not match" in refusal(hs256_signed_with(public_pem.encode()))


def test_a_role_claim_counts_only_when_the_site_allows_it(app, sso):
    assert sso_account(sso_token(role="moderator", sub="m1", email="m1@news.example")).role is Role.READER
    set_role_claims_allowed(True)
    db.session.commit()
    assert sso_account(sso_token(role="moderator", sub="m2", email="m2@news.example")).role is Role.MODERATOR
    with pytest.raises(SignInRefused, match="role must be one of"):
        sso_account(sso_token(role="admin", sub="m3", email="m3@news.example"))


def test_an_sso_token_links_a_reader_by_email_but_never_takes_over_staff(app, sso):
    reader = create_user("Existing Reader", email="lee@news-readers.example")
    assert sso_account(sso_token()).id == reader.id
    create_user("Staff Member", email="staff@news.example", role=Role.MODERATOR)
    with pytest.raises(SignInRefused, match="staff account"):
        sso_account(sso_token(sub="x", email="staff@news.example"))


def test_the_frame_signs_the_reader_in_with_the_token_or_says_why_not(client, app, allowed, sso, csrf_on):
    page = start_frame(client, title="Council")
    action = frame_link(page, r"/embed/sso$")
    assert client.post(action, data={"token": sso_token()}).status_code == 400  # CSRF still holds
    token = sso_token()
    signed = client.post(action, data={"token": token, "csrf_token": csrf_of(page)}, follow_redirects=True)
    assert "Signed in as Lee Newsreader" in signed.get_data(as_text=True)
    assert "Post comment" in signed.get_data(as_text=True)
    again = client.post(action, data={"token": token, "csrf_token": csrf_of(page)}, follow_redirects=True)
    assert "You could not be signed in: This sign-in token has been used already" in again.get_data(as_text=True)


def test_sso_turned_off_by_an_admin_is_refused_in_the_frame(client, app, allowed, sso):
    set_sign_in_methods({"sso": False})
    db.session.commit()
    page = start_frame(client, title="Council")
    response = client.post(frame_link(page, r"/embed/sso$"), data={"token": sso_token()}, follow_redirects=True)
    assert "turned off" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "lee@news-readers.example")) == 0
