"""The comment boxes in chromium: a live character count against the policy's limit, a long paste kept whole, and
without JavaScript the server's refusal that keeps the text."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from moderation.policy import current_policy
from tests.browser.conftest import WIDTHS, spanish_reader
from tests.browser.test_journeys import register, seed

PARAGRAPH = "The talks in Havana matter to families on both sides of the strait. "


@pytest.fixture
def limit(site) -> int:
    with site["app"].app_context():
        return current_policy().max_length


def test_the_count_follows_typing_and_pasting_and_a_long_paste_is_not_cut(site, open_page, limit):
    seed(site, "Count Neighbour", ["Families in Miami have waited a long time for these talks to resume."])
    watched = open_page()
    page = watched.page
    register(page, "Cara Counter", "cara@example.org")
    page.goto(site["article"])
    box, count = page.locator("#body"), page.locator("#body-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_text(f"0 / {limit:,}")

    box.press_sequentially("Hello 🙂")
    expect(count).to_have_text(f"7 / {limit:,}")  # the emoji is one character, as the server counts it
    box.fill("x" * 1234)
    expect(count).to_have_text(f"1,234 / {limit:,}")

    pasted = (PARAGRAPH * limit)[: limit + 10]
    box.fill("")
    box.focus()
    page.keyboard.insert_text(pasted)  # what a paste does: the browser inserts the text in one go
    expect(count).to_have_text(f"{limit + 10:,} / {limit:,}: 10 too many")
    expect(count).to_have_class(re.compile(r"\bover\b"))
    assert box.input_value() == pasted
    page.get_by_role("button", name="Post comment").click()
    assert f"longer than {limit:,} characters" in box.evaluate("box => box.validationMessage")
    assert page.url.endswith(site["article"])  # held back by the browser, text and all

    reply = page.locator(".comment", has_text="Families in Miami")
    reply.locator("summary", has_text="Reply").click()
    reply.locator("textarea").fill("Agreed.")
    expect(reply.locator(".char-count")).to_have_text(f"7 / {limit:,}")
    watched.assert_nothing_ran()


def test_without_javascript_the_server_refuses_a_long_comment_and_keeps_the_text(site, chromium, limit):
    setup = chromium.new_context(viewport=WIDTHS["desktop"], base_url=site["url"])
    register(setup.new_page(), "Noah Noscript", "noah@example.org")
    state = setup.storage_state()
    setup.close()
    context = chromium.new_context(viewport=WIDTHS["desktop"], base_url=site["url"], java_script_enabled=False,
                                   storage_state=state)
    page = context.new_page()
    page.goto(site["article"])
    expect(page.locator("#body-count")).to_have_text(f"Up to {limit:,} characters.")
    text = (PARAGRAPH * limit)[: limit + 1]
    page.locator("#body").fill(text)
    page.get_by_role("button", name="Post comment").click()
    refusal = page.locator("#comment-form .flash-error")
    expect(refusal).to_contain_text(f"longer than {limit} characters")
    expect(refusal).to_be_in_viewport(ratio=1)  # the page lands on the form (its action's #comment-form), not the top
    assert page.locator("#body").input_value() == text
    context.close()


def test_a_spanish_reader_counts_in_spanish(site, chromium, limit):
    with spanish_reader(site, chromium, "Rosa Contadora", "rosa.count@example.org", "desktop") as watched:
        page = watched.page
        page.goto(site["article"])
        box, count = page.locator("#body"), page.locator("#body-count")
        spanish = page.evaluate("n => n.map(x => new Intl.NumberFormat('es').format(x))", [limit + 10, limit])
        box.fill((PARAGRAPH * limit)[: limit + 10])
        expect(count).to_have_text(f"{spanish[0]} / {spanish[1]}: 10 de más")
        page.get_by_role("button", name="Publicar comentario").click()
        message = box.evaluate("box => box.validationMessage")
        assert f"El comentario tiene más de {spanish[1]} caracteres; acórtelo en 10." in message
        watched.assert_nothing_ran()
