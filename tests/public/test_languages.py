"""The readers' pages in English and Spanish: the reader's choice (remembered), else Accept-Language; the policy's
paragraph and the notice in the reader's language from the policy file; the story as published."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from moderation.policy import current_policy
from tests.public.helpers import ARTICLE_URL

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
