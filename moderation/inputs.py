"""Text from outside is checked once, where it enters: it must be Unicode that can be stored and written as UTF-8,
so no NUL character (PostgreSQL refuses it in text) and no lone surrogate (a JSON "\\ud800" escape, or a byte that
is not UTF-8 read with surrogateescape). Such text is refused, never repaired, and the refusal names the field:
path segments, query strings, form fields and headers in the request hook below; JSON bodies where each API parses
them (moderation/api); command-line arguments with the STORABLE_TEXT click type; files where they are read."""
from __future__ import annotations

import re

import click
from flask import Flask, request
from werkzeug.exceptions import BadRequest

_UNUSABLE = re.compile("[\x00\ud800-\udfff]")
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def unusable_at(value: str) -> int | None:
    """The index of the first NUL character or lone surrogate in `value`, or None."""
    found = _UNUSABLE.search(value)
    return found.start() if found else None


def text_fault(value: str) -> str | None:
    """Why `value` cannot be stored or written as UTF-8 (a phrase to follow the field's name), or None."""
    at = unusable_at(value)
    if at is None:
        return None
    if value[at] == "\x00":
        return f"holds a NUL character (character {at + 1}), which cannot be stored"
    return f"holds a lone surrogate U+{ord(value[at]):04X} (character {at + 1}), which is not Unicode text"


def printable(name: str) -> str:
    """A field name fit to show in an answer: its NUL characters and lone surrogates written as escapes."""
    return _UNUSABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", name)


def field_name(path: list, root: str = "body") -> str:
    """['items', 3, 'text'] -> 'items[3].text'; the whole value is `root`."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{printable(part)}" if name else printable(part))
    return name or root


def json_fault(value) -> tuple[list, str] | None:
    """The path to the first string or member name of a parsed JSON value that text_fault refuses, and why.
    Walked with a list rather than recursion, since the parser accepts nesting deeper than a recursive walk could."""
    pending: list[tuple[list, object]] = [([], value)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, str):
            fault = text_fault(node)
            if fault:
                return path, fault
        elif isinstance(node, dict):
            for key in node:
                fault = text_fault(key)
                if fault:
                    return [*path, key], f"has a name that {fault}"
            pending.extend(reversed([([*path, key], child) for key, child in node.items()]))
        elif isinstance(node, list):
            pending.extend(reversed([([*path, index], child) for index, child in enumerate(node)]))
    return None


class UnusableText(BadRequest):
    """A request value that text_fault refuses; `field` names it (the native API answers it as a 422)."""

    error_code = "invalid_text"

    def __init__(self, field: str, fault: str):
        super().__init__(f"{field} {fault}; nothing was saved.")
        self.field = field


def _request_texts():
    """(field, text) for every path segment, query parameter, form field and header of the request, names included."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield name, value
    fields = list(request.args.items(multi=True))
    if request.mimetype in FORM_TYPES:
        request.get_data()  # kept, so a view that reads the body itself (Perspective's JSON) still can
        fields += request.form.items(multi=True)
    for name, value in fields + list(request.headers.items()):
        yield printable(name), name
        yield printable(name), value


def refuse_unusable_text() -> None:
    """Refuse, before any view runs, a request whose path, query string, form or headers hold unstorable text."""
    for field, value in _request_texts():
        fault = text_fault(value)
        if fault:
            raise UnusableText(field, fault)


class StorableText(click.ParamType):
    """A command-line string that text_fault accepts (arguments that are not UTF-8 arrive as lone surrogates)."""

    name = "text"

    def convert(self, value, param, ctx):
        fault = text_fault(value)
        if fault:
            self.fail(fault, param, ctx)
        return value


STORABLE_TEXT = StorableText()


def init_app(app: Flask) -> None:
    app.before_request(refuse_unusable_text)
