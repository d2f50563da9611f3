"""Deciding: one item, several at once, or the author behind them. Each view is fetch, check, act, commit."""
from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from moderation.admin.blueprint import ACTION_LABELS, IN_VIEW, about_item, back_to, bp, describe, offer_undo
from moderation.admin.forms import AuthorActionForm, BulkForm, DecisionForm
from moderation.audit import Actor
from moderation.db import db
from moderation.messages import say
from moderation.models import Comment, User
from moderation.queue import (
    GRAVE_AUTHOR_ACTIONS,
    UNDOABLE,
    ActionNotAllowed,
    StaleDecision,
    act_on_author,
    perform,
    perform_bulk,
)


# What each author action did, as the notice after it says.
AUTHOR_ACTION_LABELS = {"warn": "warned", "suspend": "suspended", "unsuspend": "suspension lifted", "ban": "banned",
                        "unban": "ban lifted", "premoderate": "always pre-moderated from now on",
                        "stop_premoderating": "no longer pre-moderated"}


# The undo offered after an action on an author: its reverse.
UNDO_AUTHOR_ACTIONS = {"suspend": "unsuspend", "ban": "unban", "premoderate": "stop_premoderating"}


def _form_errors(form) -> str:
    return "; ".join(f"{name}: {error}" for name, errors in form.errors.items() for error in errors)


def _redirect_back(default: str, focus: int | str | None = None):
    """Back to the page the form came from, scrolled to the item the moderator should look at next (`focus`, else
    the form's `focus` field): after a refusal, the item refused, where its message is shown."""
    target = back_to(default)
    focus = str(focus if focus is not None else request.form.get("focus", ""))
    return redirect(f"{target}#item-{focus}" if focus.isdigit() else target, code=303)


@bp.route("/comments/<int:comment_id>/decide", methods=["POST"])
def decide(comment_id: int):
    """Approve, reject, feature, unfeature or undo one comment, refusing a stale decision."""
    comment = db.session.get(Comment, comment_id) or abort(404)
    form = DecisionForm()
    back = url_for("admin.comment", comment_id=comment_id)
    if not form.validate():
        say(f"Nothing was changed: {_form_errors(form)}", "error", about_item(comment_id))
        return _redirect_back(back, comment_id)
    action = form.action.data
    try:
        perform(comment, action, Actor.for_user(current_user), expected_version=form.version.data,
                reason=form.reason.data or None, note=form.note.data)
        db.session.commit()
    except StaleDecision as stale:
        db.session.rollback()
        say(describe(stale.decision), "error", about_item(comment_id))
        return _redirect_back(back, comment_id)
    except ActionNotAllowed as refusal:
        db.session.rollback()
        say(f"Nothing was changed: {refusal}.", "error", about_item(comment_id))
        return _redirect_back(back, comment_id)
    summary = f"You {ACTION_LABELS[action]} the comment by {comment.author.display_name}."
    if action in UNDOABLE:
        offer_undo(summary, "admin.decide", {"action": "undo", "version": comment.version, "focus": comment.id},
                   comment_id=comment.id)
    else:
        say(summary, "success", IN_VIEW)
    return _redirect_back(back)


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
        say("Nothing was changed: select at least one item and an action."
            + (f" ({_form_errors(form)})" if form.errors else ""), "error", IN_VIEW)
        return _redirect_back(url_for("admin.index"))
    try:
        outcome = perform_bulk(items, form.action.data, Actor.for_user(current_user),
                               reason=form.reason.data or None, note=form.note.data)
        db.session.commit()
    except ActionNotAllowed as refusal:
        db.session.rollback()
        say(f"Nothing was changed: {refusal}.", "error", IN_VIEW)
        return _redirect_back(url_for("admin.index"))
    done = len(outcome.decided)
    say(f"{ACTION_LABELS[form.action.data].capitalize()} {done} comment{'s' if done != 1 else ''}.",
        "success" if done else "info", IN_VIEW)
    for stale in outcome.stale:
        comment_id = stale.decision.comment_id if stale.decision else None
        say(f"Comment #{comment_id or '?'}: {describe(stale.decision)}", "error", about_item(comment_id))
    for comment_id, why in outcome.refused:
        say(f"Comment #{comment_id}: {why}.", "error", about_item(comment_id))
    return _redirect_back(url_for("admin.index"))


@bp.route("/authors/<int:user_id>/act", methods=["POST"])
def act(user_id: int):
    """Warn, suspend, ban or always pre-moderate an author, or lift it."""
    author = db.session.get(User, user_id) or abort(404)
    form = AuthorActionForm()
    context = db.session.get(Comment, int(form.comment_id.data)) if (form.comment_id.data or "").isdigit() else None
    about = context.id if context is not None else None
    back = url_for("admin.author", user_id=user_id)
    if not form.validate():
        say(f"Nothing was changed: {_form_errors(form)}", "error", about_item(about))
        return _redirect_back(back)
    action = form.action.data
    if action in GRAVE_AUTHOR_ACTIONS and not form.confirm.data:
        say(f"Nothing was changed: tick the box to confirm that you {action} {author.display_name}.", "error",
            about_item(about))
        return _redirect_back(back)
    try:
        decision = act_on_author(author, action, Actor.for_user(current_user), days=form.days.data,
                                 message=form.message.data, reject_pending=form.reject_pending.data, comment=context)
        db.session.commit()
    except ActionNotAllowed as refusal:
        db.session.rollback()
        say(f"Nothing was changed: {refusal}.", "error", about_item(about))
    except StaleDecision as stale:
        db.session.rollback()
        say(f"Nothing was changed: {describe(stale.decision)}", "error", about_item(about))
    else:
        detail = f" ({decision.note})" if decision.note and action != "warn" else ""
        summary = f"{author.display_name}: {AUTHOR_ACTION_LABELS[action]}{detail}."
        if action in UNDO_AUTHOR_ACTIONS:
            offer_undo(summary, "admin.act", {"action": UNDO_AUTHOR_ACTIONS[action], "comment_id": about or "",
                                              "focus": about or ""}, user_id=author.id)
        else:
            say(summary, "success", about_item(about))
    return _redirect_back(back)
