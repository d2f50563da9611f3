"""Account forms; Flask-WTF adds the CSRF token to each."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class RegisterForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(min=2, max=80)],
                               render_kw={"autocomplete": "nickname"})
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=8, max=200, message=_l("Use at least 8 characters (200 at most)."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


def _new_password(label=_l("New password")) -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(), Length(min=8, max=200, message=_l("Use at least 8 characters (200 at most)."))
    ], render_kw={"autocomplete": "new-password"})


def _repeat() -> PasswordField:
    return PasswordField(_l("Repeat the new password"),
                         validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
                         render_kw={"autocomplete": "new-password"})


class RenameForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(min=2, max=80)],
                               render_kw={"autocomplete": "nickname"})


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "current-password"})
    password = _new_password()
    confirm = _repeat()


class NewPasswordForm(FlaskForm):
    password = _new_password()
    confirm = _repeat()


class NoticeForm(FlaskForm):
    notify_decisions = BooleanField(_l("E-mail me when a moderator approves or rejects a comment of mine that "
                                       "waited for review"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "email"})
