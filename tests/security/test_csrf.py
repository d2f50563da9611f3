"""Cross-site request forgery: every state-changing route of the site refuses a POST without the form's token,
and every form the site renders carries one."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from moderation.models import Role
from tests.conftest import PASSWORD, create_user
from tests.public.helpers import ARTICLE_URL, add_comment
from tests.security.conftest import table_counts
from tests.security.routes import site_routes


def form_token(client, path: str = "/auth/login") -> str:
    """The CSRF token a page's form carries."""
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def sign_in_with_token(client, user) -> None:
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": form_token(client)})
    assert response.status_code == 302


@pytest.fixture
def targets(app):
    """A comment by someone else to report, and ids for every URL argument."""
    author = create_user("Someone Else")
    comment = add_comment(author, "I hope the Havana talks lead to safer, legal migration for Cuban families.")
    return {"comment_id": comment.id, "user_id": author.id, "article_id": comment.article_id}


def test_every_post_route_of_the_site_is_listed(app):
    assert {"POST /auth/login", "POST /articles/<slug>/comments", "POST /comments/<int:comment_id>/report"} <= {
        str(route) for route in site_routes(app, "POST")
    }


def test_a_post_without_the_token_is_refused_on_every_site_route(app, csrf_client, targets):
    sign_in_with_token(csrf_client, create_user("Ada Admin", role=Role.ADMIN))
    before = table_counts()
    refused = {}
    for route in site_routes(app, "POST"):
        response = csrf_client.post(route.url(targets), data={"body": "forged", "reason": "spam", "action": "approve"})
        refused[str(route)] = response.status_code == 400 and b"CSRF token is missing" in response.data
    assert [route for route, ok in refused.items() if not ok] == []
    assert table_counts() == before


def test_a_forged_comment_with_a_wrong_token_is_not_stored(app, csrf_client, reader):
    sign_in_with_token(csrf_client, reader)
    response = csrf_client.post(f"{ARTICLE_URL}/comments", data={"body": "forged", "csrf_token": "not-the-token"})
    assert response.status_code == 400
    assert table_counts()["comments"] == 0


class _Forms(HTMLParser):
    """Collect each POST form's action and whether it carries a csrf_token field."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.forms.append({"action": attrs.get("action"), "token": False})
        elif tag == "input" and attrs.get("name") == "csrf_token" and attrs.get("value") and self.forms:
            self.forms[-1]["token"] = True


@pytest.mark.parametrize("role", [Role.READER, Role.ADMIN])
def test_every_form_on_every_page_carries_a_token(app, csrf_client, targets, role):
    sign_in_with_token(csrf_client, create_user("Page Viewer", role=role))
    pages = [r for r in site_routes(app, "GET") if r.endpoint != "static"]
    if role is Role.READER:
        pages = [r for r in pages if r.blueprint != "admin"]
    missing = []
    for route in pages:
        response = csrf_client.get(route.url(targets))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        missing += [f"{route} -> form {form['action']}" for form in parser.forms if not form["token"]]
    assert missing == []
