"""Jinja helpers: evidence highlighting that escapes everything the author wrote, and labels."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import gettext, ngettext
from markupsafe import Markup, escape

from moderation.models._types import utcnow
from moderation.policy import current_policy


def rule_label(key: str) -> str:
    """The one name of a rule, reason or hold: 'personal_attack' -> the policy's title, 'Personal comments'."""
    return current_policy().label(key)


def highlight(text: str, spans) -> Markup:
    """The text with each evidence span in <mark>; every character of the text is escaped."""
    ranges = sorted({(s["start"], s["end"]) for s in spans or () if 0 <= s["start"] < s["end"] <= len(text)})
    out, cursor = [], 0
    for start, end in ranges:
        start = max(start, cursor)
        if start >= end:
            continue
        out.append(escape(text[cursor:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


def verdict_spans(verdict: dict | None) -> list[dict]:
    """All evidence spans of a stored verdict, across categories."""
    if not verdict:
        return []
    return [span for finding in verdict.get("categories", {}).values() for span in finding.get("spans", [])]


def timeago(moment: datetime | None) -> str:
    """'3 minutes ago', in the page's language (each unit spelled out so that the catalogue has its plural forms)."""
    if moment is None:
        return ""
    seconds = int((utcnow() - moment).total_seconds())
    if seconds >= 86400:
        return ngettext("%(num)d day ago", "%(num)d days ago", seconds // 86400)
    if seconds >= 3600:
        return ngettext("%(num)d hour ago", "%(num)d hours ago", seconds // 3600)
    if seconds >= 60:
        return ngettext("%(num)d minute ago", "%(num)d minutes ago", seconds // 60)
    return gettext("just now")


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(highlight=highlight, timeago=timeago, rule_label=rule_label)
    app.jinja_env.globals.update(verdict_spans=verdict_spans)
