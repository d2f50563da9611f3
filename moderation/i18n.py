"""The readers' pages in the languages the policy covers (Flask-Babel): the reader's own choice, remembered in a
cookie, else the browser's Accept-Language, else the policy's own language. Catalogues live in
moderation/translations/ (compiled .mo files are committed, so a fresh clone has them; see README, "Languages")."""
from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale, refresh

from moderation.policy import current_policy

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # a year, in seconds
# The API is for engineers and answers in English (its messages are the catalogue's source text), whatever the
# caller's Accept-Language says; the API registers its blueprints here (moderation/api/__init__.py).
ENGLISH_ONLY_BLUEPRINTS: set[str] = set()
ENGINEERS_LANGUAGE = "en"

babel = Babel()


def reader_languages() -> tuple[str, ...]:
    """The ISO 639-1 codes a reader may choose: the policy's languages, its own first."""
    return tuple(current_policy().languages)


def select_locale() -> str:
    """The reader's language: the one they chose (cookie), else the best of Accept-Language, else the policy's.
    English on the API's routes; the policy's language outside a request (a CLI command)."""
    if not has_request_context():
        return current_policy().language
    if request.blueprint in ENGLISH_ONLY_BLUEPRINTS:
        return ENGINEERS_LANGUAGE
    offered = reader_languages()
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in offered:
        return chosen
    return request.accept_languages.best_match(offered) or current_policy().language


def language_choices() -> list[tuple[str, str]]:
    """(code, name in that language) of each language a reader may choose, for the switch in the page header."""
    return [(code, language.name) for code, language in current_policy().languages.items()]


def reader_language() -> str:
    """The language of the page being drawn, as an ISO 639-1 code."""
    return str(get_locale() or current_policy().language)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps the locale on the app context, which a request shares with one already pushed (a CLI
    # command, a test holding the app): choose it afresh for every request.
    app.before_request(refresh)
    app.jinja_env.globals.update(reader_language=reader_language, language_choices=language_choices)
