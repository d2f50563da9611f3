"""In chromium, a reader whose browser asks for Spanish posts a Spanish comment and reads the policy's notice in
Spanish, then switches the site to English and stays there."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, spanish_reader

SPANISH_ATTACK = "Eres un pendejo y no sabes nada de lo que pasa en Cuba."


def test_a_reader_asking_for_spanish_reads_the_notice_in_spanish(site, chromium):
    with spanish_reader(site, chromium, "Rosa Lectora", "rosa@example.org", "phone") as watched:
        page = watched.page
        page.goto(site["article"])
        expect(page.locator("p.policy")).to_contain_text("le pedimos que se abstenga de groserías")
        expect(page.locator(".policy-translation")).to_contain_text("Traducción al español")
        page.locator("#body").fill(SPANISH_ATTACK)
        page.get_by_role("button", name="Publicar comentario").click()

        notice = page.locator(".policy-notice")
        expect(notice).to_contain_text("Lo que dice nuestra política de comentarios")
        expect(notice).to_contain_text("Comentarios personales: le pedimos que «se abstenga de comentarios personales».")
        assert "pendejo" in " ".join(notice.locator("mark").all_inner_texts())
        screenshot(page, "notice-in-spanish-phone")

        page.get_by_role("button", name="English").click()
        expect(page.locator(".policy-notice")).to_contain_text("we ask that you “refrain from personal comments”.")
        page.goto(site["article"])
        expect(page.get_by_role("button", name="Post comment")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        watched.assert_nothing_ran()
