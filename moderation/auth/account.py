"""The reader's account page (name, password, the decision e-mail, deletion) and password reset by e-mail."""
from __future__ import annotations

from flask import current_app, redirect, render_template, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required, logout_user

from moderation.auth.forms import (DeleteAccountForm, NewPasswordForm, NoticeForm, PasswordForm, RenameForm,
                                   ResetRequestForm)
from moderation.auth.views import bp, checked_name
from moderation.db import db
from moderation.extensions import limit_message, limiter
from moderation.messages import say
from moderation.services.accounts import delete_account, send_reset_link, user_for_reset_token


def account_page(status: int = 200, **forms):
    """The account page; a form sent with errors is passed in so its fields keep what was typed."""
    defaults = {
        "rename": RenameForm(display_name=current_user.display_name),
        "password": PasswordForm(),
        "notices": NoticeForm(notify_decisions=current_user.notify_decisions),
        "delete": DeleteAccountForm(),
    }
    return render_template("auth/account.html", **(defaults | forms)), status


@bp.route("/account")
@login_required
def account():
    """Name, password, e-mail preference and deletion of the signed-in account."""
    return account_page()


@bp.route("/account/name", methods=["POST"])
@login_required
def rename():
    """A new display name, under the same policy as at registration."""
    form = RenameForm()
    if not (form.validate_on_submit() and checked_name(form.display_name, current_user)):
        return account_page(400, rename=form)
    current_user.display_name = form.display_name.data
    db.session.commit()
    say(gettext("Your display name is changed."), "success", about="name")
    return redirect(url_for("auth.account", _anchor="name"))


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    """A new password, given the current one."""
    form = PasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            current_user.set_password(form.password.data)
            db.session.commit()
            say(gettext("Your password is changed."), "success", about="password")
            return redirect(url_for("auth.account", _anchor="password"))
        form.current.errors = [*form.current.errors, gettext("That is not your current password.")]
    return account_page(400, password=form)


@bp.route("/account/notices", methods=["POST"])
@login_required
def notices():
    """Whether to be told by e-mail when a moderator decides on a held comment."""
    form = NoticeForm()
    if not form.validate_on_submit():
        return account_page(400, notices=form)
    current_user.notify_decisions = form.notify_decisions.data
    db.session.commit()
    say(gettext("We will e-mail you when a moderator decides on your held comments.") if form.notify_decisions.data
        else gettext("We will not e-mail you about moderators' decisions."), "success", about="notices")
    return redirect(url_for("auth.account", _anchor="notices"))


@bp.route("/account/delete", methods=["POST"])
@login_required
def delete():
    """Delete the account, given the password."""
    form = DeleteAccountForm()
    if not (form.validate_on_submit() and current_user.check_password(form.password.data)):
        if not form.errors:
            form.password.errors = [*form.password.errors, gettext("That is not your password.")]
        return account_page(400, delete=form)
    delete_account(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    kept = current_app.config["ACCOUNT_DELETION_COMMENTS"] != "remove"
    say(gettext("Your account is deleted. Your comments stay, under “deleted account”.") if kept
        else gettext("Your account is deleted. Your comments are removed."), "success")
    return redirect(url_for("public.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESETS_PER_HOUR"],
    methods=["POST"],
    error_message=limit_message(lazy_gettext("password reset requests from this address")),
)
def request_reset():
    """Ask for a password reset link by e-mail."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        send_reset_link(form.email.data)
        db.session.commit()
        say(gettext("If an account uses %(email)s, a link to choose a new password is on its way.",
                    email=form.email.data.strip()),
            "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with the link from the e-mail."""
    user = user_for_reset_token(token)
    if user is None:
        say(gettext("This link has expired or was used already. Ask for a new one."), "error")
        return redirect(url_for("auth.request_reset"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        say(gettext("Your password is changed. Sign in with it now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200
