"""The decision log: every automatic and human decision, filtered, paged by keyset and exported as CSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask import Response, abort, render_template, request, stream_with_context
from sqlalchemy import select

from moderation.admin.blueprint import bp
from moderation.db import db
from moderation.models import ActorType, Decision, User
from moderation.policy import current_policy

PAGE_SIZE = 50
CSV_COLUMNS = ("id", "created_at", "actor_type", "actor_id", "actor_name", "action", "comment_id",
               "subject_user_id", "from_status", "to_status", "rule", "reason", "note", "policy_version")
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

    @classmethod
    def from_args(cls, args) -> LogFilters:
        try:
            since = date.fromisoformat(args["since"]) if args.get("since") else None
            until = date.fromisoformat(args["until"]) if args.get("until") else None
        except ValueError:
            abort(400, "Dates are written YYYY-MM-DD.")
        return cls(args.get("who", ""), args.get("action", ""), args.get("rule", ""), since, until,
                   args.get("comment", type=int), args.get("author", type=int))

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
        return conditions


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _statement(filters: LogFilters):
    return select(Decision).where(*filters.conditions()).order_by(Decision.id.desc())


@bp.route("/log")
def log():
    """The newest decisions first, with filters by moderator, action, rule and date."""
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
        decisions=rows[:PAGE_SIZE],
        next_before=rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
        filters=filters,
        filter_args={k: v for k, v in request.args.items() if k != "before" and v},
        moderators=db.session.scalars(select(User).where(User.id.in_(
            select(Decision.actor_id).where(Decision.actor_type == ActorType.USER)
        )).order_by(User.display_name)).all(),
        actions=db.session.scalars(select(Decision.action).distinct().order_by(Decision.action)).all(),
        rules=[rule.id for rule in current_policy().rules],
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
        for decision in db.session.scalars(_statement(filters).execution_options(yield_per=500)):
            writer.writerow([_csv_cell(getattr(decision, column)) for column in CSV_COLUMNS])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="moderation-log-{stamp}.csv"'})
