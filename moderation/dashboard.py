"""The moderators' dashboard: comments per day by outcome, the queue, hits per rule, and each rule's precision
as people judge it; the numbers, and the same numbers as inline SVG (no script, no CDN)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import and_, func, select

from moderation.db import db
from moderation.models import ActorType, Comment, CommentFlag, CommentStatus, Decision, ScoreFeedback
from moderation.models._types import utcnow
from moderation.policy import current_policy
from moderation.queue import queue_condition

OUTCOMES = ("published", "pending", "rejected")


@dataclass(frozen=True)
class Day:
    day: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class QueueState:
    waiting: int
    reported: int
    oldest: datetime | None

    @property
    def oldest_age(self) -> timedelta | None:
        return utcnow() - self.oldest if self.oldest else None


@dataclass(frozen=True)
class RuleStats:
    """How often a rule acted, and how often people agreed with it.

    `judged` counts the comments it held or rejected that a moderator then decided, plus API clients' score
    feedback on texts it flagged; `overturned` those a moderator approved or the client judged acceptable.
    """

    rule: str
    title: str
    held: int
    rejected: int
    judged: int
    overturned: int

    @property
    def hits(self) -> int:
        return self.held + self.rejected

    @property
    def precision(self) -> float | None:
        return (self.judged - self.overturned) / self.judged if self.judged else None


def comments_per_day(days: int = 30, today: date | None = None) -> list[Day]:
    """Comments written each day of the last `days`, by their status now."""
    today = today or utcnow().date()
    start = today - timedelta(days=days - 1)
    day_column = func.date(Comment.created_at)
    rows = db.session.execute(
        select(day_column, Comment.status, func.count())
        .where(Comment.created_at >= datetime.combine(start, datetime.min.time(), tzinfo=utcnow().tzinfo))
        .group_by(day_column, Comment.status)
    ).all()
    counts: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    for day, status, count in rows:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        counts[day][status.value] += count
    return [Day(start + timedelta(days=i), counts[start + timedelta(days=i)]) for i in range(days)]


def queue_state() -> QueueState:
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(Comment.created_at)).where(Comment.status == CommentStatus.PENDING)
    ).one()
    reported = db.session.scalar(select(func.count()).select_from(Comment).where(queue_condition("reported")))
    return QueueState(waiting or 0, reported or 0, oldest)


def rule_stats() -> list[RuleStats]:
    """Hits per rule and the people's verdict on them, from the log and from API score feedback."""
    hits: dict[str, dict[str, int]] = defaultdict(lambda: {"review": 0, "reject": 0})
    for category, action, count in db.session.execute(
        select(CommentFlag.category, CommentFlag.action, func.count()).group_by(CommentFlag.category, CommentFlag.action)
    ):
        hits[category][action] = count
    judged, overturned = _moderator_judgements()
    feedback = _feedback_judgements()
    stats = []
    for rule in current_policy().rules:
        extra = feedback.get(rule.id, {})
        stats.append(RuleStats(
            rule=rule.id,
            title=rule.title,
            held=hits[rule.id]["review"],
            rejected=hits[rule.id]["reject"],
            judged=judged.get(rule.id, 0) + extra.get("judged", 0),
            overturned=overturned.get(rule.id, 0) + extra.get("overturned", 0),
        ))
    return stats


def _moderator_judgements() -> tuple[dict[str, int], dict[str, int]]:
    """Per rule: flagged comments a person approved or rejected, and of those the ones a person approved."""
    human = and_(Decision.comment_id == CommentFlag.comment_id, Decision.actor_type == ActorType.USER)

    def per_rule(actions: tuple[str, ...]) -> dict[str, int]:
        rows = db.session.execute(
            select(CommentFlag.category, func.count(func.distinct(CommentFlag.comment_id)))
            .join(Decision, and_(human, Decision.action.in_(actions)))
            .group_by(CommentFlag.category)
        )
        return dict(rows.all())

    return per_rule(("approve", "reject", "feature")), per_rule(("approve", "feature"))


def _feedback_judgements() -> dict[str, dict[str, int]]:
    """Score feedback from API clients: our verdict at the time against the client's approve/reject."""
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"judged": 0, "overturned": 0})
    for verdict, rejected in db.session.execute(select(ScoreFeedback.verdict, ScoreFeedback.rejected)):
        for rule_id, finding in (verdict or {}).get("categories", {}).items():
            if finding.get("action", "none") != "none":
                result[rule_id]["judged"] += 1
                result[rule_id]["overturned"] += 0 if rejected else 1
    return result


# --- charts --------------------------------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, AXIS = 720, 220, 28


def stacked_days_svg(days: list[Day]) -> Markup:
    """Bars per day, stacked by outcome; each bar has a <title> with its numbers for hover and screen readers."""
    peak = max((d.total for d in days), default=0) or 1
    slot = (CHART_WIDTH - AXIS) / max(len(days), 1)
    bar = max(slot * 0.75, 1)
    parts = []
    for index, day in enumerate(days):
        x = AXIS + index * slot
        y = CHART_HEIGHT - AXIS
        label = f"{day.day.isoformat()}: " + ", ".join(f"{day.counts[o]} {o}" for o in OUTCOMES)
        parts.append(f'<g><title>{escape(label)}</title>')
        for outcome in OUTCOMES:
            height = (CHART_HEIGHT - 2 * AXIS) * day.counts[outcome] / peak
            if height:
                y -= height
                parts.append(f'<rect class="bar-{outcome}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}"/>')
        parts.append("</g>")
        last = index == len(days) - 1
        if last or (index % 7 == 0 and index < len(days) - 4):
            anchor, tick_x = ("end", x + bar) if last else ("start", x)
            parts.append(f'<text class="tick" text-anchor="{anchor}" x="{tick_x:.1f}" y="{CHART_HEIGHT - 8}">'
                         f'{day.day.strftime("%d %b")}</text>')
    parts.append(f'<text class="tick" x="0" y="{AXIS - 6}">{peak}</text>')
    parts.append(f'<line class="axis" x1="{AXIS}" y1="{CHART_HEIGHT - AXIS}" x2="{CHART_WIDTH}" y2="{CHART_HEIGHT - AXIS}"/>')
    return _svg("Comments per day by outcome", "".join(parts), CHART_HEIGHT)


def rule_bars_svg(stats: list[RuleStats]) -> Markup:
    """Horizontal bars: hits per rule (held and rejected), each under its rule's title, with precision written beside
    it. Titles sit above the bars, not beside them, so that the chart keeps its width for the bars and its words
    can be drawn larger on a phone (admin.css) without running into them."""
    row, label, bar = 58, 26, 22
    height = row * len(stats) + 6
    peak = max((s.hits for s in stats), default=0) or 1
    room = CHART_WIDTH - 260  # what is left beside the longest bar for "12 · 85% precise"
    parts = []
    for index, s in enumerate(stats):
        y = 4 + index * row
        held = room * s.held / peak
        rejected = room * s.rejected / peak
        precision = f"{s.precision:.0%} precise" if s.precision is not None else "not judged yet"
        parts.append(f'<g><title>{escape(f"{s.title}: {s.held} held, {s.rejected} rejected, {precision}")}</title>')
        parts.append(f'<text class="label" x="0" y="{y + label - 8}">{escape(s.title)}</text>')
        parts.append(f'<rect class="bar-pending" x="0" y="{y + label}" width="{held:.1f}" height="{bar}"/>')
        parts.append(f'<rect class="bar-rejected" x="{held:.1f}" y="{y + label}" width="{rejected:.1f}" height="{bar}"/>')
        parts.append(f'<text class="value" x="{held + rejected + 8:.1f}" y="{y + label + 17}">'
                     f'{s.hits} · {escape(precision)}</text></g>')
    return _svg("Hits per rule and precision", "".join(parts), height)


def _svg(title: str, body: str, height: int) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )
