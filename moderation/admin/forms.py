"""Moderator forms; Flask-WTF checks each one's CSRF token. The queue's many small forms are written in the
templates by hand and validated here."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from moderation.models import ModerationMode, Role
from moderation.queue import AUTHOR_ACTIONS, COMMENT_ACTIONS, rejection_reasons

NOTE_MAX = 1000


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class DecisionForm(FlaskForm):
    action = SelectField(choices=choices((a, a) for a in COMMENT_ACTIONS), validators=[DataRequired()])
    version = IntegerField(validators=[Optional()])
    reason = SelectField("Reason", validators=[Optional()])
    note = TextAreaField("Note to the author (optional)", validators=[Optional(), Length(max=NOTE_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = choices([("", "")] + rejection_reasons())


class BulkForm(DecisionForm):
    """Approve or reject the checked items; each item is sent as "id:version"."""

    action = SelectField(choices=choices([("approve", "Approve"), ("reject", "Reject")]), validators=[DataRequired()])


class AuthorActionForm(FlaskForm):
    action = SelectField(choices=choices((a, a) for a in AUTHOR_ACTIONS), validators=[DataRequired()])
    days = IntegerField("Days", validators=[Optional(), NumberRange(min=1, max=3650)])
    message = TextAreaField("Message", validators=[Optional(), Length(max=NOTE_MAX)])
    reject_pending = BooleanField("Also reject their pending comments")
    confirm = BooleanField("I confirm")  # required for a suspension or a ban (checked by the view)
    comment_id = HiddenField(validators=[Optional()])


class ArticleSettingsForm(FlaskForm):
    comments_open = BooleanField("Comments open")
    moderation_mode = SelectField(
        "Moderation",
        choices=choices([(ModerationMode.POST.value, "Post-moderation: publish what the rules pass"),
                         (ModerationMode.PRE.value, "Pre-moderation: hold every comment for a moderator")]),
    )
    premoderate_first_comments = BooleanField("Pre-moderate first-time commenters")


class SiteSettingsForm(FlaskForm):
    report_hide_threshold = IntegerField(
        "Readers whose reports hide a published comment and send it to Pending",
        validators=[DataRequired(), NumberRange(min=1, max=1000)],
    )


class EmbedSettingsForm(FlaskForm):
    """Sites that may embed the comments and the sign-in methods; one checkbox per method is added per request
    (the methods depend on what is configured), as `method-KEY` fields read by the view."""

    allowed_origins = TextAreaField("Sites allowed to embed the comments, one origin a line (https://news.example)",
                                    validators=[Optional(), Length(max=10000)])
    sso_role_claims = BooleanField("Let the newsroom's SSO token make a reader a moderator (its role claim)")


class RoleForm(FlaskForm):
    role = SelectField(choices=choices((r.value, r.value.capitalize()) for r in Role), validators=[DataRequired()])


class FindUserForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Email or name", validators=[Optional(), Length(max=254)])
