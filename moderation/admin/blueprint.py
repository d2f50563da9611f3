"""The /admin blueprint: every page needs a moderator; a few need an admin."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, request, session, url_for
from flask_login import current_user, login_required

from moderation.auth.views import safe_next
from moderation.policy import current_policy
from moderation.queue import count_label, queue_counts
from moderation.templating import timeago

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_filter(count_label)


@bp.context_processor
def queue_tab_counts() -> dict:
    """Every admin page shows the queue's counts in its tabs."""
    return {"counts": queue_counts()}


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


ACTION_LABELS = {
    "approve": "approved",
    "reject": "rejected",
    "feature": "featured",
    "unfeature": "unfeatured",
    "undo": "undid a decision on",
}


def describe(decision) -> str:
    """'Mo Derator rejected it (spam), 3 minutes ago': what a second moderator is told."""
    if decision is None:
        return "Someone else decided this comment first; nothing was changed."
    what = ACTION_LABELS.get(decision.action, decision.action.replace("_", " "))
    reason = f" ({decision.reason})" if decision.reason else ""
    return (f"{decision.actor_name} {what} this comment{reason}, {timeago(decision.created_at)}, "
            f"before you did; nothing was changed.")


def offer_undo(summary: str, endpoint: str, fields: dict, **values) -> None:
    """Remember the decision just taken, so the next admin page offers to undo it: a button that posts `fields`
    to `url_for(endpoint, **values)` (the comment's undo, or lifting the ban or suspension just imposed)."""
    session["undo"] = {"summary": summary, "url": url_for(endpoint, **values), "fields": fields}


# The anchor of messages about no item, on pages that may land anywhere (a bulk decision's summary): no template
# draws it, so base.html shows them in its region fixed to the viewport (moderation/messages.py).
IN_VIEW = "in-view"


def about_item(comment_id: int | None) -> str:
    """Where a message about a queue item is drawn: inside the item (its template claims "item-<id>") when the page
    shows it, else in the region fixed to the viewport."""
    return f"item-{comment_id}" if comment_id else IN_VIEW


@bp.context_processor
def admin_globals() -> dict:
    """The undo offer is shown once, on the next admin page rendered."""
    return {"undo_offer": session.pop("undo", None), "describe_decision": describe, "current_policy": current_policy}
