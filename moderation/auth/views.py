"""Register, sign in and sign out; sign-in only redirects to paths on this site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from moderation.auth.forms import LoginForm, RegisterForm
from moderation.db import db
from moderation.extensions import limit_message, limiter
from moderation.models import User
from moderation.services.names import NameRefused, check_display_name

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target: str | None) -> str:
    """Only a local path: no scheme, no host, no protocol-relative '//', backslash or control-character tricks."""
    if not target:
        return url_for("public.index")
    parts = urlsplit(target)
    if (
        parts.scheme or parts.netloc or not target.startswith("/") or "\\" in target
        or not target.isprintable()  # a CR/LF would split the Location header; tabs vanish in browsers
        or target.startswith("//")
    ):
        return url_for("public.index")
    return target


def _start_session(user: User) -> None:
    """A fresh session on sign-in, so a session id planted before it is worthless."""
    session.clear()
    login_user(user)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["REGISTRATIONS_PER_HOUR"],
    methods=["POST"],
    error_message=limit_message(lazy_gettext("accounts registered from this address")),
)
def register():
    """Create a reader account and sign it in."""
    form = RegisterForm()
    valid = form.validate_on_submit()
    if form.is_submitted() and not form.display_name.errors:  # the name's verdict too, whatever else is amiss
        valid = checked_name(form.display_name) and valid
    if valid:
        email = form.email.data.strip().lower()
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
            form.email.errors.append(gettext("An account with this email exists already."))
        else:
            user = User(display_name=form.display_name.data, email=email)
            user.set_password(form.password.data)
            db.session.add(user)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.email.errors.append(gettext("An account with this email exists already."))
            else:
                _start_session(user)
                flash(gettext("Welcome! You can now join the conversation."), "success")
                return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


def checked_name(field, user: User | None = None) -> bool:
    """Put the display name in `field` under the policy (tidied in place); False with the reason as its error."""
    try:
        field.data = check_display_name(field.data, user=user)
    except NameRefused as refusal:
        field.errors = [*field.errors, str(refusal)]
        return False
    return True


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGINS_PER_MINUTE"],
    methods=["POST"],
    error_message=limit_message(lazy_gettext("sign-in attempts from this address")),
)
def login():
    """Sign in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.check_password(form.password.data):
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(gettext("That email and password do not match an account."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with a CSRF token, so another site cannot sign readers out)."""
    if current_user.is_authenticated:
        logout_user()
    session.clear()
    return redirect(url_for("public.index"))
