"""Messages to the person using the page, shown beside what they are about.

A redirect that lands on an anchor (`#c12`, `#comment-form`) scrolls the page there, so a message printed at the
top of the page goes unseen. `say(..., about="c12")` files the message under that anchor; the template that draws
the anchor draws its messages with `messages_about("c12")`, and whatever no template claimed is drawn last by
base.html in a region fixed to the viewport. Messages without `about` are drawn at the top, where such a page opens.
"""
from __future__ import annotations

from flask import Flask, flash, get_flashed_messages, request

_SEPARATOR = "|"  # Flask keeps one category string per message: "<category>|<anchor>"
_KEY = "moderation.messages"  # in the request's environ: `g` outlives a request when tests hold an app context


def say(message: str, category: str = "info", about: str | None = None) -> None:
    """Queue `message` (a string, or a lazy_gettext one, drawn now in the reader's language) for the next page shown; `category` is success, info or error; `about` the element id it
    concerns (drawn there by its template), or None for the top of the page."""
    flash(str(message), f"{category}{_SEPARATOR}{about}" if about else category)


def _pending() -> list[tuple[str, str | None, str]]:
    """(category, about, message) of this request, read once: Flask pops them from the session."""
    if _KEY not in request.environ:
        request.environ[_KEY] = [
            (kind, about or None, message)
            for category, message in get_flashed_messages(with_categories=True)
            for kind, _, about in [category.partition(_SEPARATOR)]
        ]
    return request.environ[_KEY]


def _take(wanted) -> list[tuple[str, str]]:
    taken, kept = [], []
    for kind, about, message in _pending():
        (taken if wanted(about) else kept).append((kind, about, message))
    request.environ[_KEY] = kept
    return [(kind, message) for kind, _, message in taken]


def messages_about(target: str | None = None) -> list[tuple[str, str]]:
    """(category, message) filed under the element id `target` (None: the top of the page), each drawn once."""
    return _take(lambda about: about == target)


def messages_left() -> list[tuple[str, str]]:
    """Messages about an anchor the page did not draw (a comment since hidden, say): drawn in a fixed region."""
    return _take(lambda about: True)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(messages_about=messages_about, messages_left=messages_left)
