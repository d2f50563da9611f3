"""The comment section embedded on a newsroom's page, in Chromium with third-party cookies blocked: the newsroom
(examples/newsroom) on one loopback origin, the comments served from another, a third origin not on the list."""
from __future__ import annotations

import json
import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from examples.newsroom.app import STORY_PATH, create_newsroom
from moderation.db import db
from moderation.embed.settings import set_allowed_origins
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Watched, screenshot
from tests.conftest import make_test_app
from tests.oidc_provider import openid_provider, provider_person  # noqa: F401 - a fixture

SSO_SECRET = "browser-test-sso-secret-0123456789abcdef"
ISSUER = "https://herald.example"
CLEAN = "Good to see the barrier funded before next hurricane season."
HELD = "You are a complete idiot and a moron."
REPLY = "Agreed, and the Key Biscayne residents made a strong case."


def serve(app, host: str = "127.0.0.1"):
    server = make_server(host, 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def sites(tmp_path_factory, openid_provider):  # noqa: F811 - the fixture imported above
    """The comment service on 127.0.0.1, the newsroom on localhost (another site: its cookies are third-party in
    the frame), and a page on a port not on the list."""
    instance = tmp_path_factory.mktemp("embed-site")
    comments = make_test_app(
        tmp_path_factory, SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'site.sqlite3'}", WTF_CSRF_ENABLED=True,
        SSO_SECRET=SSO_SECRET, SSO_ISSUER=ISSUER,
        OIDC_PROVIDERS={"loopback": {"issuer": openid_provider, "client_id": "comments", "client_secret": "s",
                                     "label": "Loopback ID"}},
    )
    comments_server = serve(comments)
    comments_url = f"http://127.0.0.1:{comments_server.server_port}"
    newsroom = serve(create_newsroom(comments_url, SSO_SECRET, ISSUER))
    stranger = serve(create_newsroom(comments_url, SSO_SECRET, ISSUER))
    with comments.app_context():
        set_allowed_origins([f"http://localhost:{newsroom.server_port}"])
        db.session.commit()
    yield {"story": f"http://localhost:{newsroom.server_port}{STORY_PATH}",
           "stranger": f"http://localhost:{stranger.server_port}{STORY_PATH}", "provider": openid_provider}
    for server in (comments_server, newsroom, stranger):
        server.shutdown()
    with comments.app_context():
        db.engine.dispose()


@pytest.fixture
def blocking_browser(chromium, tmp_path):
    """Chromium contexts whose profile blocks third-party cookies, as Safari and Firefox do by default."""
    contexts = []

    def open_page(viewport: dict, color_scheme: str = "light") -> Watched:
        profile = tmp_path / f"profile-{len(contexts)}"
        (profile / "Default").mkdir(parents=True)
        (profile / "Default" / "Preferences").write_text(json.dumps(
            {"profile": {"cookie_controls_mode": 1, "block_third_party_cookies": True}}))
        context = chromium.browser_type.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, viewport=viewport,
            color_scheme=color_scheme)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Watched(context.pages[0] if context.pages else context.new_page())

    yield open_page
    for context in contexts:
        context.close()


def comment_frame(page):
    return page.frame_locator("#comments iframe")


def frame_fits_its_content(page) -> None:
    """The frame is as tall as the section in it: embed.js sized it from the frame's messages."""
    frame = page.frame_locator("#comments iframe")
    content = frame.locator("body").evaluate("body => Math.ceil(body.getBoundingClientRect().height)")
    expect(page.locator("#comments iframe")).to_have_attribute("style", re.compile(rf"height: {content}px"))


def test_readers_sign_in_by_sso_and_openid_post_and_reply_in_the_frame(sites, blocking_browser):
    lee = blocking_browser({"width": 1280, "height": 900})
    page = lee.page
    page.goto(sites["story"] + "?reader=42")  # signed in to the newsroom: the page carries an SSO token
    frame = comment_frame(page)
    expect(frame.locator(".embed-bar")).to_contain_text("Signed in as Lee Newsreader")
    inner = page.frames[1]
    assert inner.evaluate("() => document.hasStorageAccess()") is False  # third-party cookies really are blocked
    assert page.context.cookies(inner.url) == []  # and the frame holds none
    frame.locator("#body").fill(CLEAN)
    frame.get_by_role("button", name="Post comment").click()
    expect(frame.locator(".flash-success")).to_have_text("Your comment is published.")
    expect(frame.locator(".comment .body").first).to_have_text(CLEAN)
    frame.locator("#body").fill(HELD)
    frame.get_by_role("button", name="Post comment").click()
    expect(frame.locator("main")).to_contain_text("What our comment policy says")
    expect(frame.locator("mark").first).to_be_visible()
    frame.get_by_role("link", name="Back to the story").click()
    expect(frame.get_by_role("link", name="Hide Comments")).to_be_visible()
    frame_fits_its_content(page)
    screenshot(page, "embed-desktop-1280")
    lee.assert_nothing_ran()

    provider_person(sites["provider"], "oda-7", email="oda@example.org", email_verified=True, name="Oda Provider")
    oda = blocking_browser({"width": 390, "height": 844}, color_scheme="dark")
    page = oda.page
    page.goto(sites["story"])
    frame = comment_frame(page)
    frame.locator(".embed-bar").get_by_role("link", name="Sign in").click()
    with page.expect_popup() as opened:
        frame.get_by_role("link", name="Sign in with Loopback ID").click()
    popup = opened.value
    popup.get_by_placeholder("sub").fill("oda-7")
    popup.get_by_role("button", name="Authorize").click()
    popup.wait_for_event("close")
    expect(frame.locator(".embed-bar")).to_contain_text("Signed in as Oda Provider")
    frame.locator("details.reply summary").first.click()
    frame.get_by_label("Reply to Lee Newsreader").fill(REPLY)
    frame.get_by_role("button", name="Post reply").click()
    expect(frame.locator(".flash-success")).to_have_text("Your comment is published.")
    expect(frame.locator(".replies .comment .body").first).to_have_text(REPLY)
    frame_fits_its_content(page)
    assert frame.locator("body").evaluate("body => getComputedStyle(body).backgroundColor") != "rgb(255, 255, 255)"
    page.locator("#comments iframe").scroll_into_view_if_needed()
    screenshot(page, "embed-phone-390-dark")
    oda.assert_nothing_ran()


def test_a_page_from_a_site_not_on_the_list_is_refused_in_the_frame(sites, blocking_browser):
    watched = blocking_browser({"width": 390, "height": 844})
    watched.page.goto(sites["stranger"])
    expect(comment_frame(watched.page).locator(".flash-error")).to_contain_text(
        "is not on its list of sites allowed to embed them")
    screenshot(watched.page, "embed-refused-390")
