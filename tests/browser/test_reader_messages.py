"""Each reader journey in chromium at phone width: the message lands inside the viewport beside what it is about,
and whatever the reader typed is still in the form; screenshots at 390 and 1280 px of every page named in issue 13.
Password reset and the decision e-mail run end to end through a real SMTP server on loopback."""
from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from moderation.db import db
from moderation.models import Comment, User
from moderation.models._types import utcnow
from tests.browser.conftest import WIDTHS, screenshot, screenshots_at_both_widths
from tests.browser.test_journeys import ABUSIVE, CLEAN, post_comment_in_browser, register, seed, sign_in
from tests.conftest import PASSWORD

OTHER = "Miami families have waited years for these talks; I hope they lead somewhere."
TYPED = "The talks matter to my family in Hialeah, and I have a lot to say about them."


def in_view(locator) -> None:
    """The element is wholly inside the viewport (not above or below what the reader sees)."""
    expect(locator).to_be_visible()
    expect(locator).to_be_in_viewport(ratio=1)


def change_user(site, email: str, **fields) -> None:
    with site["app"].app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.commit()
        db.session.remove()


NEIGHBOURS = itertools.count(1)


@pytest.fixture
def outbox(site, smtp_server, monkeypatch):
    """The served site sends its mail to the loopback SMTP server for this test; the outbox starts empty."""
    port, received = smtp_server
    monkeypatch.setitem(site["app"].config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(site["app"].config, "MAIL_PORT", port)
    received.messages.clear()
    return received


@pytest.fixture
def other_comment(site) -> int:
    """A published comment by a reader of its own (the same author repeating a comment would be held)."""
    return seed(site, f"Neighbour {next(NEIGHBOURS)}", [OTHER])[0]


def test_posting_replying_and_refusals_show_the_message_in_view_and_keep_the_text(site, open_page, other_comment):
    watched = open_page("phone")
    page = watched.page
    register(page, "Vera Viewport", "vera@example.org")

    post_comment_in_browser(page, site["article"], CLEAN)
    in_view(page.get_by_role("status").filter(has_text="Your comment is published."))

    page.goto(site["article"])
    page.locator("#body").fill("   ")
    page.get_by_role("button", name="Post comment").click()
    in_view(page.locator("#comment-form").get_by_role("alert").filter(has_text="Write something first."))

    thread = page.locator(f"#c{other_comment}")
    thread.locator("summary", has_text="Reply").click()
    thread.locator("textarea").fill(ABUSIVE)
    thread.get_by_role("button", name="Post reply").click()
    in_view(page.get_by_role("status").filter(has_text="awaiting review").or_(
        page.get_by_role("status").filter(has_text="not published")))
    screenshots_at_both_widths(page, "notice-after-reply")
    watched.assert_nothing_ran()


def test_the_rate_limit_keeps_the_text_and_says_so_beside_the_form(limited_site, chromium):
    context = chromium.new_context(viewport=WIDTHS["phone"], base_url=limited_site["url"])
    page = context.new_page()
    register(page, "Rhea Rapid", "rhea@example.org")
    post_comment_in_browser(page, limited_site["article"], CLEAN + " First.")
    post_comment_in_browser(page, limited_site["article"], TYPED)
    in_view(page.locator("#comment-form").get_by_role("alert").filter(has_text="Too many comments"))
    assert page.locator("#body").input_value() == TYPED
    expect(page.locator("h1")).to_contain_text("Havana")  # the story itself, not a bare error page
    screenshots_at_both_widths(page, "rate-limited")
    context.close()


def test_a_suspended_reader_sees_the_end_date_and_a_ban_while_typing_keeps_the_text(site, open_page):
    watched = open_page("phone")
    page = watched.page
    register(page, "Sam Suspended", "sam@example.org")
    post_comment_in_browser(page, site["article"], ABUSIVE)  # held or rejected: the notice offers one edit
    notice_url = page.url.split("#")[0]

    page.goto(site["article"])
    page.locator("#body").fill(TYPED)
    change_user(site, "sam@example.org", banned=True)
    page.get_by_role("button", name="Post comment").click()
    in_view(page.locator("#comment-form").get_by_role("alert").filter(has_text="banned"))
    assert page.locator("#body").input_value() == TYPED

    change_user(site, "sam@example.org", banned=False)
    page.goto(notice_url)
    page.locator("textarea#body").fill(TYPED)
    change_user(site, "sam@example.org", banned=True)  # banned while editing
    page.get_by_role("button", name="Resubmit").click()
    in_view(page.locator("#comment-form").get_by_role("alert").filter(has_text="banned"))
    assert page.locator("textarea#body").input_value() == TYPED

    until = utcnow() + timedelta(days=2)
    change_user(site, "sam@example.org", banned=False, suspended_until=until)
    page.goto(site["article"] + "#comment-form")
    status = page.locator("#comment-form")
    in_view(status)
    expect(status).to_contain_text(f"suspended from commenting until {until.strftime('%d %B %Y')}")
    expect(status.locator("textarea")).to_have_count(0)
    screenshots_at_both_widths(page, "suspended-status")
    change_user(site, "sam@example.org", suspended_until=None)
    watched.assert_nothing_ran()


def test_signed_out_reply_and_report_ask_to_sign_in_and_return_to_the_comment(site, open_page, other_comment):
    with site["app"].app_context():
        from tests.conftest import create_user
        create_user("Otto Outside", email="otto@example.org")
        db.session.remove()
    watched = open_page("phone")
    page = watched.page
    page.goto(site["article"])
    comment = page.locator(f"#c{other_comment}")
    comment.get_by_role("link", name="Reply").click()
    page.get_by_label("Email").fill("otto@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"#c{other_comment}$"))
    in_view(page.locator(f"#c{other_comment} .body"))

    comment.get_by_role("link", name="Report").click()
    expect(page.get_by_label("Why are you reporting this comment?")).to_have_value("")  # nothing preselected
    page.get_by_label(re.compile("Anything else")).fill("Reads like an advert.")
    page.get_by_role("button", name="Send report").click()  # no reason chosen: the browser asks for one first
    assert page.get_by_label("Why are you reporting this comment?").evaluate("s => s.validity.valueMissing")
    assert page.get_by_label(re.compile("Anything else")).input_value() == "Reads like an advert."
    page.get_by_label("Why are you reporting this comment?").select_option("spam")
    page.get_by_role("button", name="Send report").click()
    in_view(page.get_by_role("status").filter(has_text="The moderators will look at this comment."))
    expect(page.locator(f"#c{other_comment} .reported")).to_have_text("Reported")

    page.get_by_role("link", name="Hide Comments").click()
    page.locator("#hide-dialog").get_by_role("button", name="OK").click()
    expect(page).to_have_url(re.compile(r"#comments$"))
    in_view(page.get_by_role("button", name="Show Comments"))
    page.get_by_role("button", name="Show Comments").click()
    expect(page).to_have_url(re.compile(r"#comments$"))
    watched.assert_nothing_ran()


def test_a_name_under_the_policy_is_refused_beside_the_field_with_the_form_kept(site, open_page):
    watched = open_page("phone")
    page = watched.page
    page.goto("/auth/register")
    page.get_by_label("Display name").fill("Fuck You Tom")
    page.get_by_label("Email").fill("tom@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    name = page.get_by_label("Display name")
    expect(name).to_have_attribute("aria-invalid", "true")
    in_view(page.locator("#display_name-error"))
    expect(page.locator("#display_name-error")).to_contain_text("profanity")
    assert name.input_value() == "Fuck You Tom" and page.get_by_label("Email").input_value() == "tom@example.org"
    screenshot(page, "register-name-refused-phone")
    watched.assert_nothing_ran()


def test_password_reset_by_email_through_smtp_in_the_browser(site, open_page, outbox):
    with site["app"].app_context():
        from tests.conftest import create_user
        create_user("Fern Forgetful", email="fern@example.org")
        db.session.remove()
    watched = open_page("phone")
    page = watched.page
    page.goto("/auth/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("fern@example.org")
    page.get_by_role("button", name="Send the link").click()
    in_view(page.get_by_role("status").filter(has_text="on its way"))
    link = re.search(r"https?://\S+/auth/reset/\S+", outbox.only("fern@example.org").get_content()).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("Repeat the new password").fill("a brand new passphrase")
    page.get_by_role("button", name="Save the new password").click()
    in_view(page.get_by_role("status").filter(has_text="Your password is changed"))
    page.get_by_label("Email").fill("fern@example.org")
    page.get_by_label("Password").fill("a brand new passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".site-header")).to_contain_text("Fern Forgetful")
    watched.assert_nothing_ran()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots_of_the_readers_pages(site, open_page, width):
    watched = open_page(width)
    page = watched.page
    register(page, f"Shot Reader {width}", f"shot-{width}@example.org")
    post_comment_in_browser(page, site["article"], ABUSIVE)
    screenshot(page, f"notice-{width}")
    post_comment_in_browser(page, site["article"], CLEAN)
    screenshot(page, f"published-message-{width}")
    with site["app"].app_context():
        mine = db.session.scalar(select(Comment.id).join(User).where(User.email == f"shot-{width}@example.org",
                                                                    Comment.body == CLEAN))
        db.session.remove()
    page.goto("/account/comments")
    screenshot(page, f"my-comments-{width}")
    page.goto("/auth/account")
    screenshot(page, f"account-{width}")
    page.goto(f"/comments/{seed(site, f'Shot Neighbour {width}', [OTHER])[0]}/report")
    screenshot(page, f"report-form-{width}")
    page.get_by_role("button", name="Sign out").click()
    page.goto(site["article"] + f"#c{mine}")
    screenshot(page, f"signed-out-comment-{width}")
    page.goto("/auth/reset")
    screenshot(page, f"reset-request-{width}")
    page.goto("/auth/register")
    page.get_by_label("Display name").fill("Moderator")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#display_name-error")).to_contain_text("kept for the site")
    screenshot(page, f"register-refused-{width}")
    page.goto("/articles/no-such-story", referer=site["url"] + site["article"])
    expect(page.get_by_role("link", name="Back to the story")).to_be_visible()
    screenshot(page, f"not-found-{width}")
    watched.missing.clear()  # the 404 asked for
    watched.assert_nothing_ran()


def test_a_reader_asks_for_decision_emails_and_gets_one_when_a_moderator_approves(site, open_page, outbox):
    reader = open_page("phone")
    register(reader.page, "Dana Decided", "dana@example.org")
    reader.page.goto("/auth/account")
    reader.page.get_by_label(re.compile("E-mail me when a moderator")).check()
    reader.page.locator("#notices").get_by_role("button", name="Save").click()
    in_view(reader.page.get_by_role("status").filter(has_text="We will e-mail you"))
    post_comment_in_browser(reader.page, site["article"], "The mayor is a clown.")
    expect(reader.page.get_by_role("status").filter(has_text="awaiting review")).to_be_visible()
    held = int(re.search(r"/comments/(\d+)/notice", reader.page.url).group(1))

    moderator = open_page()
    sign_in(moderator.page, "mo@example.org")
    moderator.page.goto(f"/admin/comments/{held}")
    moderator.page.locator("button[data-key=\"a\"]").first.click()  # Approve (its key: a)
    for _ in range(50):  # the click returns before the decision's request has finished
        if outbox.messages:
            break
        moderator.page.wait_for_timeout(100)
    mail = outbox.only("dana@example.org")
    assert "is published" in mail["Subject"] and "The mayor is a clown." in mail.get_content()
    reader.assert_nothing_ran()
