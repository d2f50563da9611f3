"""Every piece of user text (comment bodies, display names, report notes, rejection notes, article titles from
the CLI, comments and names sent through the API) is shown as text on every page that shows it."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import Comment, CommentStatus, Role, User
from moderation.security import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, create_user
from tests.public.helpers import ARTICLE_URL
from tests.security.conftest import api_key
from tests.security.xss import NAME_PAYLOADS, PAYLOADS, injected_markup

XSS_SLUG = "xss-title-story"


def register(client, name: str, email: str) -> User:
    client.post("/auth/register", data={"display_name": name, "email": email, "password": PASSWORD, "confirm": PASSWORD})
    return db.session.scalar(select(User).where(User.email == email))


def add_article_with_hostile_title(runner, tmp_path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        f"Title: {PAYLOADS[0]} and {PAYLOADS[1]}\nSlug: {XSS_SLUG}\nSource: {PAYLOADS[2]}\n\n{PAYLOADS[3]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["articles", "add", str(story)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def hostile_site(app, runner, tmp_path, new_client):
    """The site after attackers used every input: forms, reports, the API and a careless editor's CLI."""
    add_article_with_hostile_title(runner, tmp_path)
    author_client, reporter_client, moderator_client = new_client(), new_client(), new_client()
    author = register(author_client, NAME_PAYLOADS[0], "author@example.org")
    reporter = register(reporter_client, NAME_PAYLOADS[1], "reporter@example.org")
    for payload in PAYLOADS:
        author_client.post(f"{ARTICLE_URL}/comments", data={"body": payload})
        author_client.post(f"/articles/{XSS_SLUG}/comments", data={"body": payload})
    comments = db.session.scalars(select(Comment).order_by(Comment.id)).all()
    published = [c for c in comments if c.status is CommentStatus.PUBLISHED]
    for comment in published[:3]:
        reporter_client.post(f"/comments/{comment.id}/report", data={"reason": "spam", "note": PAYLOADS[1]})
    moderator = create_user("Mo Derator", role=Role.ADMIN)
    moderator_client.post("/auth/login", data={"email": moderator.email, "password": PASSWORD})
    for comment, action in zip(comments[:4], ("reject", "approve", "reject", "feature")):
        db.session.refresh(comment)
        moderator_client.post(
            f"/admin/comments/{comment.id}/decide",
            data={"action": action, "version": comment.version, "reason": "other", "note": PAYLOADS[5]},
        )
    secret = api_key("comment")
    for number, payload in enumerate(PAYLOADS[:4]):
        moderator_client.post(
            f"/api/v1/articles/{XSS_SLUG}/comments",
            json={"text": payload, "author": {"external_id": f"partner-{number}", "display_name": NAME_PAYLOADS[2]}},
            headers={"Authorization": f"Bearer {secret}"},
        )
    db.session.expire_all()
    return {
        "author": (author_client, author),
        "reporter": (reporter_client, reporter),
        "moderator": (moderator_client, moderator),
        "comments": db.session.scalars(select(Comment).order_by(Comment.id)).all(),
    }


def pages_to_audit(site) -> list[tuple[str, str]]:
    """(who, path) for every page that shows the hostile text."""
    comments = site["comments"]
    published = next(c for c in comments if c.status is CommentStatus.PUBLISHED and c.author_id == site["author"][1].id)
    pages = [("author", "/"), ("author", ARTICLE_URL), ("author", f"/articles/{XSS_SLUG}"), ("anonymous", ARTICLE_URL)]
    pages += [("author", f"/comments/{c.id}/notice") for c in comments if c.author_id == site["author"][1].id]
    pages += [("reporter", f"/comments/{published.id}/report")]
    pages += [("moderator", f"/admin/queue/{name}") for name in ("pending", "reported", "rejected", "approved")]
    pages += [("moderator", f"/admin/queue/pending?q={PAYLOADS[0]}&rule={PAYLOADS[1]}")]
    pages += [("moderator", f"/admin/comments/{c.id}") for c in comments[:6]]
    pages += [("moderator", f"/admin/authors/{site['author'][1].id}"), ("moderator", "/admin/log"),
              ("moderator", "/admin/dashboard"), ("moderator", "/admin/articles"), ("moderator", "/admin/users")]
    return pages


def test_no_page_renders_user_text_as_markup(hostile_site, new_client):
    anonymous = new_client()
    problems, shown = {}, set()
    for who, path in pages_to_audit(hostile_site):
        client = anonymous if who == "anonymous" else hostile_site[who][0]
        response = client.get(path)
        assert response.status_code == 200, f"{who} {path}: {response.status_code}"
        page = response.get_data(as_text=True)
        if found := injected_markup(page):
            problems[f"{who} {path}"] = found
        text = html.unescape(page)
        shown |= {payload for payload in PAYLOADS + NAME_PAYLOADS if payload in text}
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert problems == {}
    assert shown == set(PAYLOADS + NAME_PAYLOADS)  # every payload was on some page, as text


def test_the_content_security_policy_forbids_inline_and_foreign_scripts():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/", ARTICLE_URL, "/auth/login", "/no-such-page", "/api/v1/articles"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_api_json_never_reflects_markup_as_html(client, app):
    secret = api_key("moderate")
    response = client.post("/api/v1/moderate", json={"text": PAYLOADS[0]}, headers={"Authorization": f"Bearer {secret}"})
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
