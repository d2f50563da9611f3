"""The decision log: every automatic and human decision, filtered, paged by keyset and exported as CSV."""
from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask import Response, abort, render_template, request, stream_with_context
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from moderation.admin.blueprint import bp
from moderation.db import db
from moderation.models import ActorType, Comment, Decision, User
from moderation.policy import current_policy
from moderation.queue import escape_like

PAGE_SIZE = 50
EXCERPT_CHARACTERS = 100
# The log's own columns, then the people, story and comment they are about and the rule's and reason's names.
CSV_COLUMNS = ("id", "created_at", "actor_type", "actor_id", "actor_name", "action", "comment_id",
               "subject_user_id", "from_status", "to_status", "rule", "reason", "note", "policy_version",
               "author_name", "article_title", "comment_excerpt", "rule_title", "reason_title")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class LogFilters:
    """The log's filters as read from the query string; bad values are refused, not ignored."""

    who: str = ""  # "user:<id>", or an actor type: rule, api_key, system
    action: str = ""
    rule: str = ""
    since: date | None = None
    until: date | None = None
    comment_id: int | None = None
    subject_id: int | None = None
    author_name: str = ""  # part of the display name of the author a decision is about, any case

    @classmethod
    def from_args(cls, args) -> LogFilters:
        try:
            since = date.fromisoformat(args["since"]) if args.get("since") else None
            until = date.fromisoformat(args["until"]) if args.get("until") else None
        except ValueError:
            abort(400, "Dates are written YYYY-MM-DD.")
        comment = (args.get("comment") or "").strip().lstrip("#")
        if comment and not comment.isdigit():
            abort(400, "A comment is given by its number, e.g. 12.")
        return cls(args.get("who", ""), args.get("action", ""), args.get("rule", ""), since, until,
                   int(comment) if comment else None, args.get("author", type=int),
                   (args.get("author_name") or "").strip())

    def conditions(self) -> list:
        conditions = []
        if self.who.startswith("user:") and self.who[5:].isdigit():
            conditions += [Decision.actor_type == ActorType.USER, Decision.actor_id == int(self.who[5:])]
        elif self.who in {t.value for t in ActorType}:
            conditions.append(Decision.actor_type == ActorType(self.who))
        if self.action:
            conditions.append(Decision.action == self.action)
        if self.rule:
            conditions.append(Decision.rule == self.rule)
        if self.since:
            conditions.append(Decision.created_at >= _start_of(self.since))
        if self.until:
            conditions.append(Decision.created_at < _start_of(self.until + timedelta(days=1)))
        if self.comment_id:
            conditions.append(Decision.comment_id == self.comment_id)
        if self.subject_id:
            conditions.append(Decision.subject_user_id == self.subject_id)
        if self.author_name:
            pattern = f"%{escape_like(self.author_name.lower())}%"
            named = select(User.id).where(func.lower(User.display_name).like(pattern, escape="\\"))
            conditions.append(Decision.subject_user_id.in_(named))
        return conditions


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _statement(filters: LogFilters):
    """The filtered log, newest first, with the author, comment and story each row names loaded alongside."""
    return (select(Decision)
            .options(joinedload(Decision.subject_user), joinedload(Decision.comment).joinedload(Comment.article))
            .where(*filters.conditions()).order_by(Decision.id.desc()))


def excerpt(text: str | None) -> str:
    """The start of a comment on one line, at most EXCERPT_CHARACTERS long, cut at a word."""
    return textwrap.shorten(text or "", EXCERPT_CHARACTERS, placeholder=" …")


def reason_name(reason: str | None) -> str:
    """A rejection reason by its one name ("Personal comments"); a rule's own explanation as it was written."""
    return dict(current_policy().reasons()).get(reason or "", reason or "")


def _named(decision: Decision) -> dict:
    """What a row of the log says in words: the author, the story, the comment's start, the rule and reason."""
    comment = decision.comment
    return {
        "author_name": decision.subject_user.display_name if decision.subject_user else "",
        "article_title": comment.article.title if comment is not None else "",
        "comment_excerpt": excerpt(comment.body) if comment is not None else "",
        "rule_title": current_policy().label(decision.rule) if decision.rule else "",
        "reason_title": reason_name(decision.reason),
    }


@bp.route("/log")
def log():
    """The newest decisions first, naming the author, story and comment of each, with filters by moderator, action,
    rule, author, comment and date."""
    filters = LogFilters.from_args(request.args)
    statement = _statement(filters)
    before = request.args.get("before", "")
    if before:
        if not before.isdigit():
            abort(400, "This page link is not valid.")
        statement = statement.where(Decision.id < int(before))
    rows = db.session.scalars(statement.limit(PAGE_SIZE + 1)).all()
    return render_template(
        "admin/log.html",
        decisions=[(decision, _named(decision)) for decision in rows[:PAGE_SIZE]],
        next_before=rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
        filters=filters,
        filter_args={k: v for k, v in request.args.items() if k != "before" and v},
        moderators=db.session.scalars(select(User).where(User.id.in_(
            select(Decision.actor_id).where(Decision.actor_type == ActorType.USER)
        )).order_by(User.display_name)).all(),
        actions=db.session.scalars(select(Decision.action).distinct().order_by(Decision.action)).all(),
        rules=[rule.id for rule in current_policy().rules],
        subject_name=db.session.scalar(select(User.display_name).where(User.id == filters.subject_id))
        if filters.subject_id else None,
        actor_types=[t.value for t in ActorType if t is not ActorType.USER],
    )


def _csv_cell(value) -> str:
    """Plain text in every cell; a leading formula character is neutralised for spreadsheet users."""
    if value is None:
        return ""
    text = value.value if hasattr(value, "value") else value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@bp.route("/log.csv")
def log_csv():
    """The filtered log as CSV, streamed so that a long log does not sit in memory."""
    filters = LogFilters.from_args(request.args)

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        # The header first: stream_with_context runs the generator to its first yield at once, and a download
        # abandoned there must not leave a server-side cursor open (PostgreSQL streams yield_per through one).
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        decisions = db.session.scalars(_statement(filters).execution_options(yield_per=500))
        try:
            for decision in decisions:
                values = {**{column: getattr(decision, column, None) for column in CSV_COLUMNS}, **_named(decision)}
                writer.writerow([_csv_cell(values[column]) for column in CSV_COLUMNS])
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        finally:
            decisions.close()  # also when the client goes away mid-download

    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="moderation-log-{stamp}.csv"'})
