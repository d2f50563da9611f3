"""Errors answered as JSON for API clients and as pages for browsers; a lost database is a 503, never a 500."""
from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from sqlalchemy.exc import DataError, DBAPIError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, ServiceUnavailable

from moderation.db import LOST_CONNECTION, is_lost_connection, roll_back
from moderation.extensions import login_manager, seconds_until_retry

log = logging.getLogger(__name__)
DATABASE_RETRY_SECONDS = 5
JSON_PREFIXES = ("/api/", "/v1alpha1/", "/integrations/", "/$discovery/")


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES) or (
        request.accept_mimetypes.best == "application/json"
    )


# Headers a client acts on: when to retry, how to authenticate, which methods exist.
KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "Allow")


def explaining_headers(error: HTTPException) -> dict[str, str]:
    """The error's headers a client acts on; a 429 always says when to come back."""
    headers = {name: value for name, value in error.get_headers() if name in KEPT_HEADERS}
    if error.code == 429:
        headers.setdefault("Retry-After", str(seconds_until_retry()))
    return headers


def _code_for(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_").replace("'", "")


def json_error(status: int, code: str, message: str, field: str | None = None, headers=None) -> Response:
    body = {"code": code, "message": message}
    if field:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_http_error(error: HTTPException):
    headers = explaining_headers(error)
    if error.code == 413:
        limit_kb = current_app.config["MAX_CONTENT_LENGTH"] // 1024
        error.description = f"The request is larger than {limit_kb} KB, the most this site accepts; nothing was saved."
    if wants_json():
        return json_error(error.code or 500, _code_for(error), error.description or error.name, headers=headers)
    return render_template("error.html", error=error, explanation=_in_words(error), back=_story_came_from()), \
        error.code, headers


# Werkzeug's stock descriptions speak to developers ("The requested URL was not found on the server"); a reader
# gets these instead. A description of our own (a 413's limit, a 429's wait) is kept.
IN_WORDS = {
    400: "Something in that request was not understood, so nothing was changed. Please go back and try again.",
    403: "This page is for the site's moderators.",
    404: "There is nothing here. The comment or story may have been removed, or the link is mistyped.",
    405: "That page cannot be used this way. Please go back and use its form.",
}


def _in_words(error: HTTPException) -> str:
    stock = type(error).description
    if error.description and error.description != stock:
        return error.description
    return IN_WORDS.get(error.code, error.description or error.name)


def _story_came_from() -> str | None:
    """The story page the reader came from (same site, by the Referer), to link back to it; None otherwise."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(f"{request.host_url}articles/") else None


def handle_database_error(error: Exception):
    """The database went away: roll back whatever was half done and tell the client to retry."""
    if not is_lost_connection(error):  # a DBAPIError on a live connection is a fault of ours
        return handle_unexpected(error)
    log.warning("database unavailable: %s: %s", type(error).__name__, error)
    roll_back()
    g._login_user = login_manager.anonymous_user()  # the page must render without loading the account
    return handle_http_error(
        ServiceUnavailable(
            "The database is not reachable just now; nothing was saved. Please try again in a few seconds.",
            retry_after=DATABASE_RETRY_SECONDS,
        )
    )


def handle_unstorable_value(error: DataError):
    """A value the database refuses to store or compare (PostgreSQL and a NUL character): the client's input, not a fault."""
    log.info("refused a value the database cannot take: %s", error.orig)
    roll_back()
    return handle_http_error(
        BadRequest("The request holds a value that cannot be stored, such as a NUL character; nothing was saved.")
    )


def handle_unexpected(error: Exception):
    if current_app.testing:
        raise error  # tests see the traceback, not a polite page
    log.exception("unhandled error")
    roll_back()
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    for lost in (*LOST_CONNECTION, DBAPIError):
        app.register_error_handler(lost, handle_database_error)
    app.register_error_handler(DataError, handle_unstorable_value)
    app.register_error_handler(Exception, handle_unexpected)
