"""The dashboard page."""
from __future__ import annotations

from flask import render_template

from moderation.admin.blueprint import bp
from moderation.dashboard import comments_per_day, queue_state, rule_bars_svg, rule_stats, stacked_days_svg
from moderation.services.rescan import latest_progress

DAYS_SHOWN = 30


@bp.route("/dashboard")
def dashboard():
    """Comments per day by outcome, the queue and its oldest item, hits and precision per rule, the latest rescan."""
    days = comments_per_day(DAYS_SHOWN)
    rules = rule_stats()
    return render_template(
        "admin/dashboard.html",
        days=days,
        days_chart=stacked_days_svg(days),
        state=queue_state(),
        rules=rules,
        rules_chart=rule_bars_svg(rules),
        rescan=latest_progress(),
    )
