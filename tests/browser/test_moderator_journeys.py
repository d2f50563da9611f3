"""The moderators' journeys of issue 13 in chromium: five compact cards to a 1280 x 800 screen, the Undo bar and the
"already decided" conflict inside the viewport where the page lands, new comments announced without a reload, and
the queue, log, dashboard and API docs at 390 and 1280 px (screenshots printed, nothing wider than the screen)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from moderation.audit import Actor
from moderation.db import db
from moderation.models import Comment, CommentStatus, Role, User
from moderation.queue import perform
from tests.admin.helpers import make_comment
from tests.browser.conftest import WIDTHS, screenshot
from tests.browser.test_journeys import sign_in
from tests.conftest import create_user

SCREEN = {"width": 1280, "height": 800}
HELD = ["The mayor is a clown, as usual.", "These councillors are fools.", "What a bunch of clowns run this city.",
        "The senator is an idiot about Cuba.", "Typical of the buffoons in Tallahassee.", "The governor is a moron.",
        "Another foolish idea from the clowns in charge."]


# The elements that stick out on the right: what to fix when a page is wider than the screen.
WIDEST = """() => Array.from(document.querySelectorAll("body *"))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-5).map(el => el.tagName + "." + el.className + " " + Math.round(el.getBoundingClientRect().right))"""


def with_app(site, work):
    """Run `work()` against the site's database, as another request would."""
    with site["app"].app_context():
        try:
            return work()
        finally:
            db.session.remove()


def seed_queue(site, bodies=HELD, author="Queue Writer") -> list[int]:
    """Held comments as the pipeline stores them, each with the one finding that held it."""
    def work():
        writer = db.session.scalar(select(User).where(User.display_name == author)) or create_user(author)
        return [make_comment(writer, body, fired={"personal_attack": ("review", 0.6)}).id for body in bodies]
    return with_app(site, work)


def clear_queue(site) -> None:
    """Publish what earlier tests left waiting, so each journey starts from its own items."""
    def work():
        other = db.session.scalar(select(User).where(User.email == "clearer@example.org")) or \
            create_user("Queue Clearer", email="clearer@example.org", role=Role.MODERATOR)
        for comment in db.session.scalars(select(Comment).where(Comment.status == CommentStatus.PENDING)).all():
            perform(comment, "approve", Actor.for_user(other))
        db.session.commit()
    with_app(site, work)


def inside_viewport(locator) -> bool:
    box, size = locator.bounding_box(), locator.page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["height"] > 0


def test_five_compact_cards_fill_a_1280_by_800_screen(site, open_page):
    clear_queue(site)
    seed_queue(site)
    watched = open_page()
    page = watched.page
    page.set_viewport_size(SCREEN)
    sign_in(page, "mo@example.org")
    page.goto("/admin/queue/pending")
    cards = page.locator("[data-item]")
    assert cards.count() >= 6
    cards.first.evaluate("card => window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY)")
    whole = sum(1 for index in range(cards.count()) if inside_viewport(cards.nth(index)))
    assert whole >= 5, [cards.nth(i).bounding_box()["height"] for i in range(cards.count())]
    expect(page.locator(".policy-line")).to_have_count(1)
    expect(page.locator("[data-item] .policy-line, [data-item] q")).to_have_count(0)
    watched.assert_nothing_ran()


def test_the_undo_bar_and_a_conflict_are_inside_the_viewport_and_announced(site, open_page):
    clear_queue(site)
    ids = seed_queue(site)
    watched = open_page()
    page = watched.page
    page.set_viewport_size(SCREEN)
    sign_in(page, "mo@example.org")
    page.goto("/admin/queue/pending")

    fifth = page.locator(f"#item-{ids[4]}")
    fifth.scroll_into_view_if_needed()
    fifth.get_by_role("button", name=re.compile("^Approve")).first.click()
    page.wait_for_load_state()
    undo = page.locator(".admin-status .undo-bar")
    expect(undo).to_contain_text("You approved the comment by Queue Writer.")
    assert inside_viewport(undo)
    assert page.locator(".admin-status").get_attribute("role") == "status"
    assert page.locator(".admin-status").get_attribute("aria-live") == "polite"
    page.keyboard.press("u")
    page.wait_for_load_state()
    expect(page.locator(f"#item-{ids[4]}")).to_be_visible()

    sixth = page.locator(f"#item-{ids[5]}")
    sixth.scroll_into_view_if_needed()
    with_app(site, lambda: (perform(db.session.get(Comment, ids[5]), "approve", Actor.for_user(
        create_user("Other Moderator", email="other-mod@example.org", role=Role.MODERATOR))), db.session.commit()))
    sixth.get_by_role("button", name=re.compile("^Reject")).click()
    page.wait_for_load_state()
    conflict = page.locator("[data-message]").filter(has_text="Other Moderator approved this comment")
    expect(conflict).to_be_visible()
    assert inside_viewport(conflict)
    # The item left Pending when the other moderator approved it, so the message is in the region fixed to the window.
    assert conflict.get_attribute("role") == "alert"
    assert conflict.evaluate("el => el.closest('.messages-in-view') !== null")

    page.goto(f"/admin/comments/{ids[6]}")
    with_app(site, lambda: (perform(db.session.get(Comment, ids[6]), "approve", Actor.for_user(
        db.session.scalar(select(User).where(User.email == "other-mod@example.org")))), db.session.commit()))
    page.get_by_role("button", name=re.compile("^Reject")).click()
    page.wait_for_load_state()
    beside = page.locator(f"#item-{ids[6]} [data-message]")  # the item is still on its own page: the message is in it
    expect(beside).to_contain_text("Other Moderator approved this comment")
    assert beside.get_attribute("role") == "alert" and inside_viewport(beside)
    watched.assert_nothing_ran()


def test_new_comments_are_announced_without_a_reload(site, open_page):
    clear_queue(site)
    seed_queue(site, HELD[:2])
    site["app"].config["ADMIN_POLL_SECONDS"] = 1
    watched = open_page()
    page = watched.page
    sign_in(page, "mo@example.org")
    page.goto("/admin/queue/pending")
    page.evaluate("() => { window.__sameDocument = true; }")
    seed_queue(site, ["Three new words from a clown.", "Four new words, fools.", "Five new words: idiots."])
    news = page.locator(".news a")
    expect(news).to_have_text(re.compile(r"^3 new comments"), timeout=15_000)
    assert page.evaluate("() => window.__sameDocument") is True
    assert page.locator(".news").get_attribute("aria-live") == "polite"
    assert inside_viewport(news)
    news.click()
    page.wait_for_load_state()
    expect(page.locator("[data-item]")).to_have_count(5)
    site["app"].config["ADMIN_POLL_SECONDS"] = 20
    watched.assert_nothing_ran()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_queue_log_dashboard_and_api_docs_fit_the_screen(site, open_page, width):
    seed_queue(site, HELD[:3])
    watched = open_page(width)
    page = watched.page
    sign_in(page, "mo@example.org")
    for name, path in (("queue", "/admin/queue/pending"), ("log", "/admin/log"), ("dashboard", "/admin/dashboard"),
                       ("api-docs", "/api/docs")):
        page.goto(path)
        screenshot(page, f"moderator-{name}-{width}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (f"{path} is {overflow}px wider than a {width} screen", page.evaluate(WIDEST))
    watched.assert_nothing_ran()
