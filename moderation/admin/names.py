"""A moderator resets a reader's display name that breaks the policy (listed by `flask users check-names`)."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from moderation.admin.blueprint import bp
from moderation.audit import Actor
from moderation.db import db
from moderation.models import User
from moderation.public.forms import ConfirmForm
from moderation.services.names import reset_display_name


@bp.route("/authors/<int:user_id>/reset-name", methods=["POST"])
def reset_name(user_id: int):
    """Replace a reader's name with "Reader <id>"; staff names are managed by role, not here."""
    author = db.session.get(User, user_id) or abort(404)
    if author.is_moderator or author.deleted_at is not None or not ConfirmForm().validate():
        abort(400, "This account's name cannot be reset here.")
    old = author.display_name
    reset_display_name(author, Actor.for_user(current_user))
    db.session.commit()
    flash(f"“{old}” is now “{author.display_name}”; the change is in the log.", "success")
    return redirect(url_for("admin.author", user_id=user_id), code=303)
