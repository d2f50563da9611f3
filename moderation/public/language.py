"""The reader's choice of language for the site's pages, remembered in a cookie (moderation/i18n.py reads it)."""
from __future__ import annotations

from flask import abort, make_response, redirect, request

from moderation.auth.views import safe_next
from moderation.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, reader_languages
from moderation.public.forms import ConfirmForm
from moderation.public.views import bp


@bp.route("/language", methods=["POST"])
def choose_language():
    """Remember the language the reader chose (a code of the policy's languages) and go back to the page."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, "The form expired; please try again.")
    chosen = request.form.get("lang")
    if chosen not in reader_languages():
        abort(400, f"Choose one of: {', '.join(reader_languages())}.")
    response = make_response(redirect(safe_next(request.args.get("back"))))
    response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_AGE, httponly=True, samesite="Lax")
    return response
