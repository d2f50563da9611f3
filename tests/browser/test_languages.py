"""In chromium, a reader whose browser asks for Spanish posts a Spanish comment and reads the policy's notice in
Spanish, then switches the site to English and stays there."""
from __future__ import annotations

from playwright.sync_api import expect

from moderation.db import db
from tests.browser.conftest import WIDTHS, Watched, screenshot
from tests.conftest import PASSWORD, create_user

SPANISH_ATTACK = "Eres un pendejo y no sabes nada de lo que pasa en Cuba."


def test_a_reader_asking_for_spanish_reads_the_notice_in_spanish(site, chromium):
    with site["app"].app_context():
        create_user("Rosa Lectora", email="rosa@example.org")
        db.session.remove()
    context = chromium.new_context(viewport=WIDTHS["phone"], base_url=site["url"], locale="es-US",
                                   extra_http_headers={"Accept-Language": "es-US,es;q=0.9"})
    context.set_default_timeout(10_000)
    try:
        watched = Watched(context.new_page())
        page = watched.page
        page.goto("/auth/login")
        page.get_by_label("Correo electrónico").fill("rosa@example.org")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Iniciar sesión").click()
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
    finally:
        context.close()
