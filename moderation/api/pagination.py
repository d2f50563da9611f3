"""Opaque cursors for keyset pagination over ids, and the page-size parameter."""
from __future__ import annotations

import base64

from flask import request

from moderation.api.errors import field_error

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_CURSOR_LENGTH = 200
MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns on PostgreSQL; a larger one is no id of ours


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor continues after; ValueError for anything this module did not make."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("not a cursor") from None
    prefix, _, number = text.partition(":")
    if prefix != "after" or not number.isdigit() or int(number) > MAX_ID:
        raise ValueError("not a cursor")
    return int(number)


def bad_cursor():
    return field_error("cursor", "cursor is not one this API gave out; start again without it.")


def cursor_argument() -> str | None:
    """?cursor= as sent, if sent; an empty or overlong one is refused, not taken for the first page."""
    raw = request.args.get("cursor")
    if raw is not None and not 1 <= len(raw) <= MAX_CURSOR_LENGTH:
        raise bad_cursor()
    return raw


def page_arguments() -> tuple[int | None, int]:
    """The id position of ?cursor= and the ?limit= size of the requested page; 422 naming the bad one."""
    raw = cursor_argument()
    try:
        after = decode_cursor(raw) if raw is not None else None
    except ValueError:
        raise bad_cursor() from None
    return after, page_limit()


def page_limit() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise field_error("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def split_page(rows: list, limit: int) -> tuple[list, str | None]:
    """Rows fetched with one extra beyond `limit`: the page, and a cursor only when more follow."""
    page = rows[:limit]
    return page, encode_cursor(page[-1].id) if len(rows) > limit else None
