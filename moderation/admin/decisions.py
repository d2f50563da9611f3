"""Deciding: one item, several at once, or the author behind them. Each view is fetch, check, act, commit."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from moderation.admin.blueprint import ACTION_LABELS, back_to, bp, describe, offer_undo
from moderation.admin.forms import AuthorActionForm, BulkForm, DecisionForm
from moderation.audit import Actor
from moderation.db import db
from moderation.models import Comment, User
from moderation.queue import ActionNotAllowed, StaleDecision, act_on_author, perform, perform_bulk


def _form_errors(form) -> str:
    return "; ".join(f"{name}: {error}" for name, errors in form.errors.items() for error in errors)


def _redirect_back(default: str):
    """Back to the page the form came from, scrolled to the item the moderator should look at next."""
    target = back_to(default)
    focus = request.form.get("focus", "")
    return redirect(f"{target}#item-{focus}" if focus.isdigit() else target, code=303)


@bp.route("/comments/<int:comment_id>/decide", methods=["POST"])
def decide(comment_id: int):
    """Approve, reject, feature, unfeature or undo one comment, refusing a stale decision."""
    comment = db.session.get(Comment, comment_id) or abort(404)
    form = DecisionForm()
    if not form.validate():
        flash(f"Nothing was changed: {_form_errors(form)}", "error")
        return _redirect_back(url_for("admin.comment", comment_id=comment_id))
    action = form.action.data
    try:
        perform(comment, action, Actor.for_user(current_user), expected_version=form.version.data,
                reason=form.reason.data or None, note=form.note.data)
        db.session.commit()
    except StaleDecision as stale:
        db.session.rollback()
        flash(describe(stale.decision), "error")
    except ActionNotAllowed as refusal:
        db.session.rollback()
        flash(f"Nothing was changed: {refusal}.", "error")
    else:
        offer_undo(comment, f"You {ACTION_LABELS[action]} the comment by {comment.author.display_name}.")
    return _redirect_back(url_for("admin.comment", comment_id=comment_id))


def _parse_items(values: list[str]) -> list[tuple[int, int | None]]:
    """Checked items arrive as "id:version" (the version the moderator saw)."""
    items = []
    for value in values:
        comment_id, _, version = value.partition(":")
        if not comment_id.isdigit() or (version and not version.isdigit()):
            abort(400, "A selected item was not understood.")
        items.append((int(comment_id), int(version) if version else None))
    return items


@bp.route("/bulk", methods=["POST"])
def bulk():
    """Approve or reject the checked items together; items someone else decided first are left alone."""
    form = BulkForm()
    items = _parse_items(request.form.getlist("item"))
    if not form.validate() or not items:
        flash("Nothing was changed: select at least one item and an action."
              + (f" ({_form_errors(form)})" if form.errors else ""), "error")
        return _redirect_back(url_for("admin.index"))
    try:
        outcome = perform_bulk(items, form.action.data, Actor.for_user(current_user),
                               reason=form.reason.data or None, note=form.note.data)
        db.session.commit()
    except ActionNotAllowed as refusal:
        db.session.rollback()
        flash(f"Nothing was changed: {refusal}.", "error")
        return _redirect_back(url_for("admin.index"))
    done = len(outcome.decided)
    flash(f"{ACTION_LABELS[form.action.data].capitalize()} {done} comment{'s' if done != 1 else ''}.",
          "success" if done else "info")
    for stale in outcome.stale:
        flash(f"Comment #{stale.decision.comment_id if stale.decision else '?'}: {describe(stale.decision)}", "error")
    for comment_id, why in outcome.refused:
        flash(f"Comment #{comment_id}: {why}.", "error")
    return _redirect_back(url_for("admin.index"))


@bp.route("/authors/<int:user_id>/act", methods=["POST"])
def act(user_id: int):
    """Warn, suspend, ban or always pre-moderate an author, or lift it."""
    author = db.session.get(User, user_id) or abort(404)
    form = AuthorActionForm()
    if not form.validate():
        flash(f"Nothing was changed: {_form_errors(form)}", "error")
        return _redirect_back(url_for("admin.author", user_id=user_id))
    context = db.session.get(Comment, int(form.comment_id.data)) if (form.comment_id.data or "").isdigit() else None
    try:
        decision = act_on_author(author, form.action.data, Actor.for_user(current_user), days=form.days.data,
                                 message=form.message.data, reject_pending=form.reject_pending.data, comment=context)
        db.session.commit()
    except ActionNotAllowed as refusal:
        db.session.rollback()
        flash(f"Nothing was changed: {refusal}.", "error")
    except StaleDecision as stale:
        db.session.rollback()
        flash(f"Nothing was changed: {describe(stale.decision)}", "error")
    else:
        detail = f" ({decision.note})" if decision.note and form.action.data != "warn" else ""
        flash(f"{author.display_name}: {form.action.data.replace('_', ' ')} done{detail}.", "success")
    return _redirect_back(url_for("admin.author", user_id=user_id))
