"""Placeholder until the review queue lands (issue 4): only moderators get in."""
from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_moderator():
    if not current_user.is_moderator:
        abort(403)


@bp.route("/")
def index():
    return "Review queue"
