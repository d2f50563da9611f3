"""The app under load for gunicorn, with one extra no-op route so the baseline crosses the same app and server.

`gunicorn benchmarks.bench_wsgi:app`; the benchmark passes the database and limits in BENCH_APP_SETTINGS (JSON).
"""
import json
import os

from moderation import create_app
from moderation.extensions import csrf

app = create_app(json.loads(os.environ.get("BENCH_APP_SETTINGS", "{}")))


def noop():
    """Answers at once: what the app and server cost before any of the product's work."""
    return {"ok": True}


app.add_url_rule("/bench/noop", "bench_noop", csrf.exempt(noop), methods=["GET", "POST"])
