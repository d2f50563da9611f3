"""Unbound Flask extensions, bound in the factory."""
from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask
from flask_babel import gettext, lazy_gettext, ngettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


def seconds_until_retry() -> int:
    """How long until the limit this request met lets it through again (also sent as Retry-After)."""
    limit = limiter.current_limit
    return max(1, int(limit.reset_at - time.time())) if limit is not None else 60


def limit_message(what: str) -> Callable[[], str]:
    """A refusal that says which limit was met and when to try again, e.g. for `what` = "comments" (a lazy_gettext
    string where readers see it, so that it is drawn in their language)."""

    def message() -> str:
        limit = limiter.current_limit
        allowed = gettext(" (at most %(limit)s)", limit=limit.limit) if limit is not None else ""
        return gettext("Too many %(what)s%(allowed)s. Please try again in %(wait)s.",
                       what=what, allowed=allowed, wait=_duration(seconds_until_retry()))

    return message


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    minutes += 1 if rest else 0
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    login_manager.localize_callback = str  # the lazy message, drawn in the reader's language, stored as text
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    limiter.init_app(app)
