"""A reader's own account: password reset links, the decision notice, deleting the account."""
from __future__ import annotations

import hashlib

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from moderation.audit import Actor, record
from moderation.db import db
from moderation.mail import send_mail, send_mail_after_commit
from moderation.models import Comment, CommentStatus, User
from moderation.models._types import utcnow

DELETED_NAME = "deleted account"  # reserved in policies/lexicons/reserved-names.txt, so no reader can take it
_RESET_SALT = "password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    """Changes with the password, so a link stops working once used (or once the password changes otherwise)."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """A signed, timed token naming the account and its current password."""
    return _serializer().dumps({"id": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The account a token from `reset_token` names, or None when it is forged, older than PASSWORD_RESET_MAX_AGE
    seconds, already used, or for a deleted account."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) and isinstance(data.get("id"), int) else None
    if user is None or user.deleted_at is not None or data.get("pw") != _password_fingerprint(user):
        return None
    return user


def send_reset_link(email: str) -> None:
    """Mail a reset link to the account with this e-mail, if any (the page says the same either way)."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower(), User.deleted_at.is_(None)))
    if user is None:
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    link = url_for("auth.reset_password", token=reset_token(user), _external=True)
    send_mail(user.email, "Choose a new password", (
        f"Hello {user.display_name},\n\nSomeone (we hope you) asked to reset the password of your account for the "
        f"comments. Choose a new one here within {minutes} minutes:\n\n{link}\n\n"
        "If it was not you, ignore this message: your password stays as it is.\n"
    ))


def tell_author_of_decision(comment: Comment, action: str) -> None:
    """After a moderator approves or rejects a held comment: e-mail the author, if they asked for it, once the
    decision commits."""
    author = comment.author
    if not (author.notify_decisions and author.email and author.deleted_at is None):
        return
    title = comment.article.title
    if action == "approve":
        subject, outcome = f"Your comment on “{title}” is published", "A moderator approved your comment; it is published."
    else:
        subject, outcome = f"Your comment on “{title}” was not published", "A moderator decided not to publish your comment."
    note = f"\nNote from the moderators: {comment.rejection_note}\n" if action == "reject" and comment.rejection_note else ""
    body = (f"Hello {author.display_name},\n\n{outcome}\n{note}\nYour comment:\n\n{comment.body}\n\n"
            f"All your comments and where they stand: {url_for('public.my_comments', _external=True)}\n\n"
            f"You get this e-mail because you asked for it; switch it off on {url_for('auth.account', _external=True)}\n")
    send_mail_after_commit(db.session(), author.email, subject, body)


def delete_account(user: User) -> None:
    """Forget the reader: name, e-mail, password and preferences go; their comments are kept under "deleted account"
    or removed (ACCOUNT_DELETION_COMMENTS = keep | remove). The row stays for the log. The caller commits."""
    removed = 0
    if current_app.config["ACCOUNT_DELETION_COMMENTS"] == "remove":
        removed = db.session.execute(
            update(Comment).where(Comment.author_id == user.id)
            .values(body="", status=CommentStatus.REJECTED, hold_reason=None, rejection_reason="author_deleted",
                    featured=False, version=Comment.version + 1)
        ).rowcount
    record(Actor.for_user(user), "delete_account", subject=user,
           note=f"{removed} comments removed" if removed else "comments kept under “deleted account”")
    user.display_name = DELETED_NAME
    user.email = user.external_id = user.password_hash = user.warning = None
    user.notify_decisions = False
    user.deleted_at = utcnow()
