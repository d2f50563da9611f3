"""Sign in with an OpenID provider: a real one on loopback; PKCE, state and nonce; accounts linked by verified e-mail;
from the comment frame through a pop-up."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from moderation.db import db
from moderation.embed.settings import set_sign_in_methods
from moderation.models import SignInIdentity, User
from tests.conftest import create_user
from tests.embed.conftest import frame_link, start_frame
from tests.oidc_provider import authorize_at_provider, provider_person


def begin(client, path: str = "/auth/oidc/loopback/start") -> str:
    response = client.get(path)
    assert response.status_code == 302
    return response.headers["Location"]


def test_the_request_carries_pkce_state_and_nonce(client, loopback_oidc):
    query = parse_qs(urlsplit(begin(client)).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == ["http://localhost/auth/oidc/loopback/callback"]


def test_a_reader_signs_in_and_is_linked_by_the_verified_email(client, loopback_oidc, reader):
    provider_person(loopback_oidc, "oda-1", email=reader.email, email_verified=True, name="Ana at the provider")
    back = authorize_at_provider(begin(client), "oda-1")
    response = client.get(back)
    assert response.status_code == 302
    identity = db.session.scalar(select(SignInIdentity).where(SignInIdentity.provider == "oidc:loopback"))
    assert (identity.subject, identity.user_id) == ("oda-1", reader.id)
    assert "Ana at the provider" in client.get("/").get_data(as_text=True)  # signed in, the provider's name shown


def test_an_unverified_email_gets_its_own_account(client, loopback_oidc, reader):
    provider_person(loopback_oidc, "oda-2", email=reader.email, email_verified=False, name="Not Ana")
    client.get(authorize_at_provider(begin(client), "oda-2"))
    identity = db.session.scalar(select(SignInIdentity).where(SignInIdentity.subject == "oda-2"))
    assert identity.user_id != reader.id and identity.user.email is None
    assert identity.user.display_name == "Not Ana"


def test_a_forged_state_is_refused(client, loopback_oidc):
    provider_person(loopback_oidc, "oda-3", email="oda3@example.org", email_verified=True, name="Oda Three")
    back = authorize_at_provider(begin(client), "oda-3")
    forged = re.sub(r"state=[^&]+", "state=forged", back)
    response = client.get(forged)
    assert response.status_code == 400 and "could not be checked" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_code_cannot_be_used_in_another_browser(client, app, loopback_oidc):
    provider_person(loopback_oidc, "oda-4", email="oda4@example.org", email_verified=True, name="Oda Four")
    back = authorize_at_provider(begin(client), "oda-4")
    response = app.test_client().get(back)  # no state in this browser's session
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_provider_an_admin_turned_off_is_not_offered(client, loopback_oidc, allowed):
    set_sign_in_methods({"oidc:loopback": False})
    db.session.commit()
    assert client.get("/auth/oidc/loopback/start").status_code == 404
    page = client.get(frame_link(start_frame(client, title="T"), r"/embed/sign-in$"))
    assert "Loopback ID" not in page.get_data(as_text=True)


def test_from_the_frame_the_popup_hands_the_sign_in_back(client, loopback_oidc, allowed):
    frame = client.application.test_client()  # the frame, without cookies of its own
    sign_in = frame.get(frame_link(start_frame(frame, title="Council"), r"/embed/sign-in$"))
    popup_start = frame_link(sign_in, r"/auth/oidc/loopback/start$")
    provider_person(loopback_oidc, "oda-5", email="oda5@example.org", email_verified=True, name="Oda Five")
    done = client.get(authorize_at_provider(begin(client, popup_start), "oda-5"))  # the pop-up: first-party
    code = unescape(re.search(r'data-frame-code="([^"]+)"', done.get_data(as_text=True)).group(1))
    signed = frame.post(frame_link(sign_in, r"/embed/signed-in$"), data={"code": code}, follow_redirects=True)
    assert "Signed in as Oda Five" in signed.get_data(as_text=True)
    elsewhere = frame.get(frame_link(start_frame(frame, url="https://news.example/other", title="Other"),
                                     r"/embed/sign-in$"))
    tampered = frame.post(frame_link(elsewhere, r"/embed/signed-in$"), data={"code": code[:-2] + "xx"},
                          follow_redirects=True)
    assert "That sign-in has expired" in tampered.get_data(as_text=True)


def test_the_sign_in_page_offers_each_provider_that_is_on(client, loopback_oidc):
    assert 'href="/auth/oidc/loopback/start">Loopback ID</a>' in client.get("/auth/login").get_data(as_text=True)
    set_sign_in_methods({"oidc:loopback": False})
    db.session.commit()
    assert "Loopback ID" not in client.get("/auth/login").get_data(as_text=True)
