"""Admins choose the sites that may embed the comments and the sign-in methods; the CLI manages the sites too."""
from __future__ import annotations

from moderation.db import db
from moderation.embed.settings import (allowed_origins, normalise_origin, role_claims_allowed, set_sign_in_methods,
                                       sign_in_methods)
from moderation.models import Decision


def test_an_admin_sets_the_allowed_sites_and_turns_sign_in_methods_off(client, auth, admin_user, sso):
    auth.login(admin_user)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Embedding and sign-in" in page and 'name="method-sso"' in page
    response = client.post("/admin/settings/embed", data={
        "allowed_origins": "https://News.Example/\nhttp://localhost:8001\nhttps://news.example",
        "method-local": "y", "sso_role_claims": "y",
    })
    assert response.status_code == 303
    assert allowed_origins() == ["https://news.example", "http://localhost:8001"]
    assert sign_in_methods() == {"local": True, "sso": False}
    assert role_claims_allowed() is True
    assert "embedding and sign-in" in db.session.query(Decision).order_by(Decision.id.desc()).first().note


def test_a_bad_origin_is_named_and_nothing_is_saved(client, auth, admin_user):
    auth.login(admin_user)
    response = client.post("/admin/settings/embed", data={"allowed_origins": "https://ok.example\nnews.example/path",
                                                          "method-local": "y"})
    assert response.status_code == 400
    assert "&#39;news.example/path&#39; is not an origin" in response.get_data(as_text=True)
    assert allowed_origins() == []


def test_origins_are_normalised_or_refused():
    assert normalise_origin("HTTPS://News.Example:443/") == "https://news.example"
    assert normalise_origin("http://127.0.0.1:8001") == "http://127.0.0.1:8001"
    for bad in ("ftp://news.example", "https://news.example/a", "https://news.example?x", "javascript:alert(1)", ""):
        try:
            normalise_origin(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_the_cli_says_when_no_site_is_allowed_yet(runner):
    result = runner.invoke(args=["embed", "origins", "list"])
    assert result.exit_code == 0 and result.stdout == "" and "embed origins add" in result.stderr


def test_the_cli_adds_lists_and_removes_sites(runner):
    assert runner.invoke(args=["embed", "origins", "add", "https://news.example", "http://localhost:8001"]).exit_code == 0
    assert runner.invoke(args=["embed", "origins", "list"]).output.split() == ["https://news.example",
                                                                             "http://localhost:8001"]
    bad = runner.invoke(args=["embed", "origins", "add", "news.example/x"])
    assert bad.exit_code == 1 and "is not an origin" in bad.output
    assert runner.invoke(args=["embed", "origins", "remove", "https://NEWS.example"]).exit_code == 0
    assert allowed_origins() == ["http://localhost:8001"]
    assert runner.invoke(args=["embed", "origins", "remove", "https://gone.example"]).exit_code == 1


def test_turning_local_accounts_off_closes_registration_but_not_staff_sign_in(client, auth, moderator):
    set_sign_in_methods({"local": False})
    db.session.commit()
    response = client.post("/auth/register", data={"display_name": "New One", "email": "new@example.org",
                                                   "password": "long enough pw", "confirm": "long enough pw"})
    assert response.status_code == 403 and "turned off" in response.get_data(as_text=True)
    assert auth.login(moderator).status_code == 302


def test_the_settings_page_names_each_providers_redirect_uri(client, auth, admin_user, loopback_oidc):
    auth.login(admin_user)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Sign in with Loopback ID" in page
    assert "<code>http://localhost/auth/oidc/loopback/callback</code>" in page
