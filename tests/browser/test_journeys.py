"""End to end in chromium: a reader's whole visit, a moderator clearing the queue by keyboard only, and the
XSS corpus on every page that shows it."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from moderation.db import db
from moderation.models import Article, Comment, User
from moderation.services.commenting import post_comment
from tests.conftest import PASSWORD, create_user
from tests.security.xss import NAME_PAYLOADS, PAYLOADS

CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."
ABUSIVE = "You are a complete idiot and a moron."
EDITED = "I disagree with you strongly about the talks."
READER_HELD = "The governor is a clown."
HELD = ("The mayor is a clown.", "Check out my crypto channel for great deals on sneakers")


def seed(site, author_name: str, bodies) -> list[int]:
    """Comments posted through the real service, as if an earlier visitor had written them."""
    with site["app"].app_context():
        author = db.session.scalar(select(User).where(User.display_name == author_name)) or create_user(author_name)
        article = db.session.scalar(select(Article).where(Article.slug == site["article"].rsplit("/", 1)[1]))
        ids = [post_comment(author, article, body).id for body in bodies]
        db.session.commit()
        db.session.remove()
        return ids


def register(page, name: str, email: str) -> None:
    page.goto("/auth/register")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Register|Create", re.I)).click()
    expect(page.locator(".site-header")).to_contain_text(name)


def sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def post_comment_in_browser(page, article: str, body: str) -> None:
    page.goto(article)
    page.locator("#body").fill(body)
    page.get_by_role("button", name="Post comment").click()


def test_a_reader_registers_comments_is_told_why_edits_hides_and_reports(site, open_page):
    seed(site, "Other Reader", ["Miami has waited for these talks for years; good news for families."])
    watched = open_page()
    page = watched.page
    register(page, "Rita Reader", "rita@example.org")

    post_comment_in_browser(page, site["article"], CLEAN)
    expect(page.locator(".flash-success")).to_contain_text("Your comment is published.")
    expect(page.locator(".comment .body", has_text=CLEAN)).to_be_visible()

    post_comment_in_browser(page, site["article"], ABUSIVE)
    notice = page.locator(".policy-notice")
    expect(notice).to_contain_text("What our comment policy says")
    expect(notice).to_contain_text("Personal comments: we ask that you “refrain from personal comments”.")
    expect(notice).not_to_contain_text("refrain from profanity, hate speech")
    expect(notice.locator("mark").first).to_be_visible()
    assert "idiot" in " ".join(notice.locator("mark").all_inner_texts())

    page.locator("textarea#body").fill(EDITED)
    page.get_by_role("button", name="Resubmit").click()
    expect(page.locator(".comment .body", has_text=EDITED)).to_be_visible()
    expect(page.get_by_text(ABUSIVE)).to_have_count(0)

    page.get_by_role("link", name="Hide Comments").click()
    dialog = page.locator("#hide-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".comment").first).to_be_visible()
    page.get_by_role("link", name="Hide Comments").click()
    dialog.get_by_role("button", name="OK").click()
    expect(page.get_by_text("Comments are hidden on all stories")).to_be_visible()
    expect(page.locator(".comment")).to_have_count(0)
    page.get_by_role("button", name="Show Comments").click()
    expect(page.locator(".comment .body", has_text=CLEAN)).to_be_visible()

    other = page.locator(".comment", has_text="Miami has waited")
    other.get_by_role("link", name="Report").click()
    page.get_by_label("Why are you reporting this comment?").select_option("off_topic")
    page.get_by_label(re.compile("Anything else")).fill("Not about the talks at all.")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".flash-success")).to_contain_text("The moderators will look at this comment.")
    watched.assert_nothing_ran()


def test_a_moderator_clears_the_queue_by_keyboard_and_the_reader_sees_the_decision(site, open_page):
    seed(site, "Queue Filler", HELD)
    reader = open_page()
    register(reader.page, "Held Reader", "held@example.org")
    post_comment_in_browser(reader.page, site["article"], READER_HELD)
    held_url = reader.page.url.split("#")[0]  # the same URL with its anchor would only scroll, not reload
    expect(reader.page.locator(".flash-info")).to_contain_text("awaiting review")

    moderator = open_page()
    page = moderator.page
    sign_in(page, "mo@example.org")
    page.goto("/admin/queue/pending")
    items = page.locator("[data-item]")
    to_clear = items.count()
    assert to_clear >= 3
    rejected_one = False
    for _ in range(to_clear):
        first = items.first
        expect(first).to_have_class(re.compile("current"))
        if not rejected_one and "Held Reader" in first.inner_text():
            page.keyboard.press("Shift+R")
            expect(first.locator("[data-reason]")).to_be_focused()
            first.locator("[data-reason]").select_option("personal_attack")  # the reason list has focus: keys choose
            page.keyboard.press("Enter")
            rejected_one = True
        else:
            page.keyboard.press("a")
        page.wait_for_load_state()
    expect(page.locator("[data-item]")).to_have_count(0)
    assert rejected_one
    moderator.assert_nothing_ran()

    reader.page.goto(held_url)
    expect(reader.page.locator(".flash-error")).to_contain_text("not published")
    reader.page.get_by_role("link", name="Held Reader").click()  # the name in the header: Your comments
    expect(reader.page.locator(".mine", has_text=READER_HELD)).to_contain_text("Not published. Personal comments")
    reader.page.goto(site["article"])
    expect(reader.page.get_by_text(READER_HELD)).to_have_count(0)


def test_no_script_from_the_xss_corpus_runs_on_any_page(site, open_page):
    with site["app"].app_context():
        attacker_id = create_user(NAME_PAYLOADS[0], email="attacker@example.org").id
        db.session.remove()
    seed(site, NAME_PAYLOADS[0], PAYLOADS)
    watched = open_page()
    page = watched.page
    sign_in(page, "attacker@example.org")
    page.goto(site["article"])
    with site["app"].app_context():
        mine = db.session.scalars(select(Comment.id).where(Comment.author_id == attacker_id)).all()
        db.session.remove()
    pages = [site["article"], *(f"/comments/{cid}/notice" for cid in mine[:6])]
    for path in pages:
        page.goto(path)
        page.keyboard.press("Tab")
        page.mouse.move(200, 300)
    watched.assert_nothing_ran()

    moderator = open_page()
    sign_in(moderator.page, "mo@example.org")
    for path in ("/admin/queue/pending", "/admin/queue/approved", f"/admin/comments/{mine[0]}", "/admin/log",
                 "/admin/dashboard", f"/admin/authors/{attacker_id}"):
        moderator.page.goto(path)
        moderator.page.mouse.move(300, 300)
    moderator.assert_nothing_ran()
