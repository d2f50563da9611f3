"""The /admin blueprint: every page needs a moderator; a few need an admin."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, request
from flask_login import current_user, login_required

from moderation.auth.views import safe_next

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_moderator():
    """Signed-out visitors get the sign-in page, readers a 403, before any admin view runs."""
    if not current_user.is_moderator:
        abort(403)


def admin_required(view):
    """Roles and site settings are for admins only."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def back_to(default: str) -> str:
    """Where a form asked to return to (a local path only), else `default`."""
    target = request.form.get("next") or request.args.get("next")
    return safe_next(target) if target else default
