"""The comment section in a frame on a newsroom's page: allowed origins, lazy stories, framing, the frame's session."""
from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from moderation.db import db
from moderation.embed.settings import set_allowed_origins
from moderation.embed.stories import canonical_url, fetch_title
from moderation.models import Article, Comment, ModerationMode
from moderation.policy import current_policy
from moderation.services.commenting import post_comment
from tests.conftest import PASSWORD
from tests.embed.conftest import NEWSROOM, STORY_URL, csrf_of, frame_link, start_frame


def test_an_allowed_page_gets_the_comment_section_framable_only_by_it(client, allowed):
    response = start_frame(client, title="Council votes on the budget", story_id="cms-981")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert current_policy().paragraph[:60] in page  # the policy paragraph, escaped as everywhere
    assert "Hide Comments" in page and 'class="story"' not in page  # the section, without the story itself
    assert response.headers["Content-Security-Policy"].endswith(f"frame-ancestors {NEWSROOM}")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers  # the frame's session never depends on a cookie
    story = db.session.scalar(select(Article).where(Article.canonical_url == STORY_URL))
    assert (story.title, story.cms_story_id, story.source) == ("Council votes on the budget", "cms-981", "news.example")


def test_the_rest_of_the_site_still_refuses_to_be_framed(client, allowed):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_one_story_per_canonical_url_whatever_the_query_or_fragment(client, allowed):
    for url in (STORY_URL, STORY_URL + "?utm_source=x", STORY_URL + "#comments", "HTTPS://NEWS.example:443/2026/11/30/council-vote"):
        assert start_frame(client, url=url, title="Council").status_code == 200
    assert db.session.scalar(select(func.count()).where(Article.canonical_url.is_not(None))) == 1
    assert canonical_url("https://news.example/a?b=1#c") == "https://news.example/a"


def test_a_page_from_a_site_not_on_the_list_is_refused_with_a_message(client, allowed):
    response = start_frame(client, url="https://elsewhere.example/story", origin="https://elsewhere.example")
    assert response.status_code == 403
    assert "not on its list of sites allowed to embed them" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors *")  # the message shows in the frame
    assert db.session.scalar(select(func.count()).where(Article.canonical_url.is_not(None))) == 0


def test_an_allowed_page_cannot_name_a_story_of_another_site(client, allowed):
    response = start_frame(client, url="https://elsewhere.example/story")
    assert response.status_code == 403
    assert "https://elsewhere.example is not allowed" in response.get_data(as_text=True)


def test_a_frame_opened_from_another_page_than_the_one_it_names_is_refused(client, allowed):
    response = client.get("/embed/stream", query_string={"url": STORY_URL, "origin": NEWSROOM},
                          headers={"Referer": "https://evil.example/page"})
    assert response.status_code == 403
    assert "another site" in response.get_data(as_text=True)


def test_a_frame_page_without_a_frame_session_says_it_expired(client, allowed):
    story = start_frame(client, title="T")
    slug = db.session.scalar(select(Article.slug).where(Article.canonical_url == STORY_URL))
    response = client.get(f"/embed/articles/{slug}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    tampered = frame_link(story, r"/embed/sign-in$").replace("_es=", "_es=x")
    assert "expired" in client.get(tampered).get_data(as_text=True)


def test_removing_a_site_refuses_its_open_frames_on_their_next_request(client, allowed):
    first = start_frame(client, title="T")
    set_allowed_origins([])
    db.session.commit()
    assert client.get(frame_link(first, r"/embed/sign-in$")).status_code == 400


def test_a_reader_signs_in_posts_and_reports_in_the_frame_with_csrf_and_no_cookie(client, allowed, csrf_on, reader):
    other = start_frame(client, title="Council")
    sign_in = client.get(frame_link(other, r"/embed/sign-in$"))
    form_action = frame_link(sign_in, r"/embed/sign-in$")
    assert client.post(form_action, data={"email": reader.email, "password": PASSWORD}).status_code == 400  # no CSRF
    signed = client.post(form_action, data={"email": reader.email, "password": PASSWORD,
                                            "csrf_token": csrf_of(sign_in)}, follow_redirects=True)
    assert "Signed in as" in signed.get_data(as_text=True) and "Ana Reader" in signed.get_data(as_text=True)
    assert client.get_cookie("session") is None
    post = frame_link(signed, r"/embed/articles/[^/]+/comments$")
    slug = urlsplit(post).path.split("/")[3]
    bare = f"/embed/articles/{slug}/comments"  # the same form without the frame's session: signed out, refused
    assert client.post(bare, data={"body": "x", "csrf_token": csrf_of(signed)}).status_code == 400
    published = client.post(post, data={"body": "The budget vote was well explained, thank you.",
                                         "csrf_token": csrf_of(signed)}, follow_redirects=True)
    assert "Your comment is published." in published.get_data(as_text=True)
    assert urlsplit(published.request.url).path == f"/embed/articles/{slug}"
    comment = db.session.scalar(select(Comment).where(Comment.author_id == reader.id))
    assert comment.article.canonical_url == STORY_URL


def test_a_held_comment_shows_the_policy_notice_in_the_frame(client, allowed, reader):
    page = start_frame(client, title="Council")
    signed = client.post(frame_link(client.get(frame_link(page, r"/embed/sign-in$")), r"/embed/sign-in$"),
                         data={"email": reader.email, "password": PASSWORD}, follow_redirects=True)
    notice = client.post(frame_link(signed, r"/comments$"), data={"body": "You are an idiot and a moron."},
                         follow_redirects=True)
    text = notice.get_data(as_text=True)
    assert urlsplit(notice.request.url).path.startswith("/embed/comments/")
    assert "What our comment policy says" in text and "site-header" not in text
    assert notice.headers["Content-Security-Policy"].endswith(f"frame-ancestors {NEWSROOM}")


def test_hide_comments_in_the_frame_is_kept_in_the_frame_session(client, allowed):
    page = start_frame(client, title="Council")
    hidden = client.post(frame_link(page, r"/embed/comments/hide$"), follow_redirects=True)
    assert "Comments are hidden on all stories in this browser." in hidden.get_data(as_text=True)
    shown = client.post(frame_link(hidden, r"/embed/comments/show$"), follow_redirects=True)
    assert "Hide Comments" in shown.get_data(as_text=True)


def test_the_no_javascript_link_opens_the_story_here(client, allowed):
    response = client.get("/stories/by-url", query_string={"url": STORY_URL + "?x=1", "title": "Council"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="{STORY_URL}"' in page and "Council" in page
    assert client.get("/stories/by-url", query_string={"url": "https://elsewhere.example/a"}).status_code == 403


@pytest.fixture
def newsroom_server():
    """A newsroom page on loopback, to read its title from; every request is recorded."""
    requests_seen = []

    def page(environ, start_response):
        requests_seen.append(environ["PATH_INFO"])
        if environ["PATH_INFO"] == "/late":  # a title past the first 256 KiB is not read
            return Response("<html>" + " " * 300_000 + "<title>Too late</title>",
                            content_type="text/html")(environ, start_response)
        if environ["PATH_INFO"] == "/moved":
            return Response("", status=302, headers={"Location": "http://169.254.169.254/"})(environ, start_response)
        html = ('<html><head><title>Plain title</title><meta property="og:title" content="Council &amp; budget: '
                'the vote"></head><body>' + "x" * 500_000 + "</body></html>")
        return Response(html, content_type="text/html; charset=utf-8")(environ, start_response)

    server = make_server("127.0.0.1", 0, page, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests_seen
    server.shutdown()


def test_the_title_is_read_from_the_allowed_page_when_the_snippet_gives_none(client, app, newsroom_server):
    origin, seen = newsroom_server
    set_allowed_origins([origin])
    db.session.commit()
    assert start_frame(client, url=f"{origin}/story?utm=1", origin=origin).status_code == 200
    assert db.session.scalar(select(Article.title).where(Article.canonical_url == f"{origin}/story")) == \
        "Council & budget: the vote"
    assert seen == ["/story"]
    assert fetch_title(f"{origin}/moved") is None  # a redirect is not followed
    assert fetch_title(f"{origin}/late") is None
    set_allowed_origins([])
    db.session.commit()
    assert fetch_title(f"{origin}/story") is None and seen == ["/story", "/moved", "/late"]  # never off the list


def test_the_moderator_sees_and_can_open_the_source_page(client, allowed, auth, moderator, reader):
    start_frame(client, title="Council")
    story = db.session.scalar(select(Article).where(Article.canonical_url == STORY_URL))
    story.moderation_mode = ModerationMode.PRE
    post_comment(reader, story, "The budget vote was well explained.")
    db.session.commit()
    auth.login(moderator)
    for path in ("/admin/queue/pending", "/admin/articles", f"/admin/articles/{story.id}"):
        page = client.get(path).get_data(as_text=True)
        assert f'href="{STORY_URL}" target="_blank" rel="noopener noreferrer"' in page, path


def frame_signed_in(client, user, **params):
    page = start_frame(client, title="Council", **params)
    sign_in = client.get(frame_link(page, r"/embed/sign-in$"))
    return client.post(frame_link(sign_in, r"/embed/sign-in$"), data={"email": user.email, "password": PASSWORD},
                       follow_redirects=True)


def test_report_and_the_one_edit_after_the_notice_stay_in_the_frame(app, allowed, reader, moderator):
    author, other = app.test_client(), app.test_client()
    notice = author.post(frame_link(frame_signed_in(author, reader), r"/comments$"),
                         data={"body": "You are an idiot and a moron."}, follow_redirects=True)
    edited = author.post(frame_link(notice, r"/embed/comments/\d+/resubmit$"),
                         data={"body": "I disagree with you about the vote.", "version": "1"}, follow_redirects=True)
    assert urlsplit(edited.request.url).path.startswith("/embed/")
    assert "Your comment is published." in edited.get_data(as_text=True)
    report_page = other.get(frame_link(frame_signed_in(other, moderator), r"/embed/comments/\d+/report$"))
    assert report_page.status_code == 200 and "Report a comment" in report_page.get_data(as_text=True)
    # The report form posts to its own address, which carries the frame's session.
    reported = other.post(report_page.request.url, data={"reason": "spam"}, follow_redirects=True)
    assert "The moderators will look at this comment." in reported.get_data(as_text=True)
    assert urlsplit(reported.request.url).path.startswith("/embed/articles/")
