"""The readers' pages in English and Spanish: the reader's choice (remembered), else Accept-Language; the policy's
paragraph and the notice in the reader's language from the policy file; the story as published."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from moderation.db import db
from moderation.models._types import utcnow
from moderation.policy import current_policy
from tests.public.helpers import ARTICLE_URL
from tests.public.test_messages import element

SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "moderation" / "translations"


def test_accept_language_gives_the_page_in_spanish_with_the_policy_paragraph_translated(client):
    page = client.get(ARTICLE_URL, headers=SPANISH).get_data(as_text=True)
    spanish = current_policy().in_language("es")
    assert '<html lang="es">' in page
    assert spanish.paragraph in page and spanish.translation in page
    assert current_policy().paragraph.replace("'", "&#39;") not in page
    assert "Iniciar sesión" in page and "Sign in" not in page
    assert "Havana has offered to swap him for four convicted Cuban spies" in page  # the story as published


def test_without_a_preference_the_page_is_in_the_policys_language(client):
    page = client.get(ARTICLE_URL, headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    assert current_policy().in_language("es").translation not in page


def test_the_readers_choice_is_remembered_over_accept_language(client):
    response = client.post("/language", data={"lang": "en"}, query_string={"back": ARTICLE_URL}, headers=SPANISH)
    assert response.status_code == 302 and response.headers["Location"].endswith(ARTICLE_URL)
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get(ARTICLE_URL, headers=SPANISH).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    assert '<button type="submit" class="link" name="lang" value="es" lang="es">Español</button>' in page


def test_a_language_the_policy_does_not_offer_is_refused(client):
    response = client.post("/language", data={"lang": "fr"}, query_string={"back": ARTICLE_URL})
    assert response.status_code == 400
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_the_notice_is_in_the_readers_language(client, auth, reader):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": "Eres un pendejo y no sabes nada de Cuba."},
                           headers=SPANISH, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Lo que dice nuestra política de comentarios" in page
    assert "Comentarios personales:" in page and "le pedimos que «se abstenga de comentarios personales»." in page
    assert "<mark>pendejo</mark>" in page
    english = client.get(response.request.path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Personal comments:" in english and "we ask that you “refrain from personal comments”." in english


def test_the_compiled_catalogue_matches_its_source():
    """The .mo a fresh clone serves is the .po compiled (`pybabel compile -d moderation/translations`)."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po, po_path.with_suffix(".mo").open("rb") as mo:
            source, compiled = read_po(po), read_mo(mo)
        translated = {_key(message.id): _key(message.string) for message in source if message.id and message.string}
        assert translated and translated == {_key(message.id): _key(message.string) for message in compiled
                                             if message.id}


def _key(value):
    """A message id or string as a comparable value (a plural's forms come as a list or a tuple)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_a_readers_comments_page_says_why_in_the_readers_language(client, auth, reader):
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": "Eres un hijo de puta y un pendejo."}, headers=SPANISH)
    page = client.get("/account/comments", headers=SPANISH).get_data(as_text=True)
    spanish = current_policy().in_language("es")
    assert "Sus comentarios" in page and "No publicado." in page
    assert spanish.rule("profanity").title in page and f"“{spanish.rule('profanity').sentence}”" in page


def test_a_spanish_reader_is_refused_in_spanish_beside_the_form_with_the_text_kept(client, auth, reader):
    auth.login(reader)
    limit = current_policy().max_length
    text = "Las conversaciones en La Habana. " * (limit // 33 + 2)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": text}, headers=SPANISH)
    assert response.status_code == 422
    form = element(response.get_data(as_text=True), "comment-form")
    assert f"El comentario tiene más de {limit} caracteres." in form and 'role="alert"' in form
    assert "longer than" not in form
    assert text.strip() in form

    response = client.post(f"{ARTICLE_URL}/comments", data={"body": "   "}, headers=SPANISH)
    assert response.status_code == 422
    form = element(response.get_data(as_text=True), "comment-form")
    assert "Escriba algo primero." in form and "Write something first." not in form


def test_an_english_reader_is_still_refused_in_english(client, auth, reader):
    auth.login(reader)
    limit = current_policy().max_length
    text = "x" * (limit + 1)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": text}, headers={"Accept-Language": "en-US"})
    form = element(response.get_data(as_text=True), "comment-form")
    assert f"The comment is longer than {limit} characters." in form and text in form
    assert "caracteres" not in form


def test_a_spanish_readers_outcome_and_status_messages_are_in_spanish(client, auth, reader):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", headers=SPANISH, follow_redirects=True,
                           data={"body": "I hope the Havana talks lead to safer, legal migration for Cuban families."})
    assert "Su comentario está publicado." in response.get_data(as_text=True)
    until = utcnow() + timedelta(days=3)
    reader.suspended_until = until
    db.session.commit()
    status = element(client.get(ARTICLE_URL, headers=SPANISH).get_data(as_text=True), "comment-form")
    assert "Su cuenta está suspendida para comentar hasta el" in status
    assert format_date(until, "d MMMM yyyy", locale="es") in status  # the month in Spanish, e.g. "3 diciembre 2026"


def test_the_character_count_gets_its_words_in_the_readers_language(client, auth, reader):
    auth.login(reader)
    spanish = client.get(ARTICLE_URL, headers=SPANISH).get_data(as_text=True)
    assert 'data-too-many="{over} de más"' in spanish
    assert 'data-too-long="El comentario tiene más de {limit} caracteres; acórtelo en {over}."' in spanish
    english = client.get(ARTICLE_URL, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-too-many="{over} too many"' in english


def test_the_skip_link_and_a_comments_age_are_in_the_readers_language(client, app):
    from flask_babel import force_locale

    from moderation.templating import timeago

    spanish = client.get(ARTICLE_URL, headers=SPANISH).get_data(as_text=True)
    english = client.get(ARTICLE_URL, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Ir al contenido" in spanish and "Skip to content" not in spanish
    assert "Skip to content" in english
    with app.test_request_context(), force_locale("es"):
        assert timeago(utcnow()) == "hace un momento"
        assert timeago(utcnow() - timedelta(hours=2, minutes=5)) == "hace 2 horas"
        assert timeago(utcnow() - timedelta(minutes=1)) == "hace 1 minuto"
    with app.test_request_context(), force_locale("en"):
        assert timeago(utcnow() - timedelta(days=3)) == "3 days ago"
        assert timeago(utcnow()) == "just now"


def test_the_account_and_password_reset_pages_are_in_the_readers_language(client, auth, reader):
    auth.login(reader)
    account = client.get("/auth/account", headers=SPANISH).get_data(as_text=True)
    assert "Su cuenta" in account and "Nombre visible" in account and "Contraseña actual" in account
    assert "Eliminar mi cuenta" in account and "Esto no se puede deshacer." in account
    assert "Your account" not in account and "Current password" not in account and "Delete my account" not in account
    auth.logout()
    reset = client.get("/auth/reset", headers=SPANISH).get_data(as_text=True)
    assert "Correo electrónico" in reset and "Enviar el enlace" in reset and "¿Olvidó su contraseña?" in reset
    assert "Send the link" not in reset and "Forgot your password" not in reset
