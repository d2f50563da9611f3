"""Reader forms; Flask-WTF adds the CSRF token to each."""
from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.widgets import HiddenInput
from wtforms.validators import DataRequired, Length, Optional

from moderation.policy import current_policy

NOTE_MAX = 500


def one_character_per_line_break(text: str | None) -> str | None:
    """A textarea's line breaks as LF: browsers send CRLF, and the reader's character count sees one character."""
    return text.replace("\r\n", "\n") if text else text


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment", validators=[DataRequired(message="Write something first.")],
                         filters=[one_character_per_line_break])
    parent_id = HiddenField(validators=[Optional()])
    # One token per rendered form: the same form sent twice (a double click, a resent POST) posts once.
    form_token = HiddenField(validators=[Optional(), Length(max=64)])


class ResubmitForm(CommentForm):
    """The one edit after the policy notice, carrying the version of the comment the author was shown."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


def new_form_token() -> str:
    return secrets.token_urlsafe(16)


class ReportForm(FlaskForm):
    reason = SelectField("Why are you reporting this comment?",
                         validators=[DataRequired(message="Choose why you are reporting this comment.")])
    note = TextAreaField("Anything else the moderators should know? (optional)", validators=[Length(max=NOTE_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing chosen for the reader: a preselected reason would be sent by whoever did not look.
        self.reason.choices = [("", "Choose a reason")] + report_reasons()


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-click actions."""


def report_reasons() -> list[tuple[str, str]]:
    """A report names one of the policy's rules, spam, or other."""
    rules = [(rule.id, rule.title) for rule in current_policy().rules]
    return rules + [("spam", "Spam"), ("other", "Other")]
