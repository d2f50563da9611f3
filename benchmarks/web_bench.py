"""The app under gunicorn and wrk: the API against a no-op route, posting, the article page, the review queue."""
from __future__ import annotations

import json
import statistics
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from benchmarks import database
from benchmarks.corpus import Sample
from benchmarks.load import USER_AGENT, Gunicorn, WrkResult, wrk
from benchmarks.measure import Figure
from benchmarks.settings import Settings

API_CONNECTIONS = 64
POSTING_CLIENTS = 16
PAGE_CONNECTIONS = 16
QUEUE_PAGE = 20  # the admin queue's page size
AUTHORS = 200
# Issue 15's targets, as shares of the same run's no-op route, and the moderate route's p99 at 64 connections.
RATE_TARGETS = {"moderate": 0.6, "analyze": 0.5}
P99_TARGET_MS = 50


def api_suite(samples: list[Sample], settings: Settings) -> list[Figure]:
    """POST /api/v1/moderate and the Perspective route at 64 connections, each beside the no-op of the same app."""
    database_name = "postgresql" if "postgresql" in settings.databases else "sqlite"
    url = _database_url(database_name, settings)
    app = database.bench_app(url)
    secret = database.create_api_key(app)
    folder = Path(tempfile.mkdtemp(prefix="moderation-bench-bodies-"))
    mixed = _bodies(folder / "moderate.jsonl", samples, lambda s, _i: {"text": s.text, "article": database.SEED_SLUG})
    typical = _bodies(folder / "moderate-typical.jsonl", [s for s in samples if s.length_class == "typical"],
                      lambda s, _i: {"text": s.text, "article": database.SEED_SLUG})
    analyze = _bodies(folder / "analyze.jsonl", samples,
                      lambda s, _i: {"comment": {"text": s.text}, "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}})
    figures = []
    for workers in settings.worker_counts:
        with Gunicorn(workers, database.app_settings(url), settings.redis_url) as server:
            loads = {
                "no-op": lambda: _post(server, "/bench/noop", None, settings, API_CONNECTIONS),
                "moderate": lambda: _post(server, "/api/v1/moderate", mixed, settings, API_CONNECTIONS, auth=secret),
                "moderate typical": lambda: _post(server, "/api/v1/moderate", typical, settings, API_CONNECTIONS,
                                                  auth=secret),
                "analyze": lambda: _post(server, f"/v1alpha1/comments:analyze?key={secret}", analyze, settings,
                                         API_CONNECTIONS),
            }
            runs = _interleaved(server, loads, settings.repeats)
            rss = server.worker_rss_mib()
        label = f"{workers} workers, {database_name}"
        for name, title in (("moderate", "POST /api/v1/moderate, all lengths"),
                            ("moderate typical", "POST /api/v1/moderate, typical comments"),
                            ("analyze", "POST /v1alpha1/comments:analyze, all lengths")):
            rate = _rate_figure("api", f"{title}: req/s ({label})", runs[name], runs["no-op"])
            if name in RATE_TARGETS:
                rate.target = f"≥{RATE_TARGETS[name]:.0%} of no-op"
                rate.check(lambda f, share=RATE_TARGETS[name]: f.ratio >= share)
            latency = Figure("api", f"{title}: p99 at {API_CONNECTIONS} conn. ({label})", "ms",
                             [r.p99_ms for r in runs[name]], "no-op p99", [r.p99_ms for r in runs["no-op"]])
            if name == "moderate":
                latency.target = f"≤{P99_TARGET_MS} ms"
                latency.check(lambda f: f.median <= P99_TARGET_MS)
            figures += [rate, latency, _p50(runs[name], title, label)]
        figures.append(Figure("api", f"memory per worker after load ({label})", "MiB", rss))
    return figures


def posting_suite(samples: list[Sample], settings: Settings) -> list[Figure]:
    """Comments posted through the API by 16 clients, against the no-op at 16; every acknowledged one stored."""
    figures = []
    for database_name in settings.databases:
        url = _database_url(database_name, settings)
        app = database.bench_app(url)
        secret = database.create_api_key(app)
        folder = Path(tempfile.mkdtemp(prefix="moderation-bench-posting-"))
        bodies = _bodies(folder / "posts.jsonl", samples, lambda s, i: {
            "text": s.text, "author": {"external_id": f"bench-author-{i % AUTHORS}", "display_name": "Bench Reader"},
        })
        for workers in settings.worker_counts:
            ids_dir = folder / f"ids-{workers}"
            ids_dir.mkdir()
            label = f"{workers} workers, {database_name}"
            with Gunicorn(workers, database.app_settings(url), settings.redis_url) as server:
                counter = iter(range(10**6))
                loads = {
                    "no-op": lambda: _post(server, "/bench/noop", None, settings, POSTING_CLIENTS),
                    "post": lambda: _post(server, f"/api/v1/articles/{database.SEED_SLUG}/comments", bodies, settings,
                                          POSTING_CLIENTS, auth=secret,
                                          idempotency_label=f"bench-{workers}w-{next(counter)}", ids_dir=ids_dir),
                }
                runs = _interleaved(server, loads, settings.repeats)
            rate = _rate_figure("posting", f"comments posted/s, {POSTING_CLIENTS} clients ({label})", runs["post"],
                                runs["no-op"])
            rate.target = "≥25% of no-op"
            rate.check(lambda f: f.ratio >= 0.25)
            acknowledged, stored = _acknowledged_and_stored(app, ids_dir)
            lost = len(acknowledged - stored)
            failed = sum(r.failed for r in runs["post"])
            rate.note = f"{len(acknowledged):,} acknowledged, {lost} lost, {failed} refused"
            integrity = Figure("posting", f"acknowledged posts missing from the database ({label})", "rows", [lost],
                               target="0 lost")
            integrity.check(lambda f: f.median == 0)
            figures += [rate, _latency_figure("posting", "post p99", runs["post"], label), integrity]
    return figures


def article_suite(samples: list[Sample], settings: Settings) -> list[Figure]:
    """The public article page with no comments and with 1,000 published ones, against a no-op GET."""
    figures = []
    for database_name in settings.databases:
        url = _database_url(database_name, settings)
        app = database.bench_app(url)
        article_id = database.seed_article_id(app)
        authors = database.create_authors(app, AUTHORS)
        judged = database.verdicts_for([s.text for s in samples if s.kind == "clean"])
        label = f"2 workers, {database_name}"
        page = f"/articles/{database.SEED_SLUG}"
        with Gunicorn(2, database.app_settings(url), settings.redis_url) as server:
            empty = _interleaved(server, {"no-op": lambda: _get(server, "/bench/noop", settings),
                                  "page": lambda: _get(server, page, settings)}, settings.repeats)
            database.insert_comments(app, article_id=article_id, author_ids=authors, judged=judged,
                                     count=settings.article_comments, status="published")
            full = _interleaved(server, {"no-op": lambda: _get(server, "/bench/noop", settings),
                                 "page": lambda: _get(server, page, settings)}, settings.repeats)
        figures += [
            _rate_figure("article", f"page, no comments: req/s ({label})", empty["page"], empty["no-op"]),
            _rate_figure("article", f"page, {settings.article_comments:,} published: req/s ({label})", full["page"],
                         full["no-op"]),
            Figure("article", f"page, {settings.article_comments:,} published: p99 ({label})", "ms",
                   [r.p99_ms for r in full["page"]], "page with none, p99", [r.p99_ms for r in empty["page"]]),
        ]
    return figures


def queue_suite(samples: list[Sample], settings: Settings) -> list[Figure]:
    """The first page of the pending queue with 100,000 waiting, against an empty queue and against one page's worth.

    Read in process through queue_page() and over HTTP as a signed-in moderator, one request at a time, so that the
    time is the page's own and not a wait behind other requests.
    """
    figures = []
    for database_name in settings.databases:
        url = _database_url(database_name, settings)
        app = database.bench_app(url)
        fill = dict(article_id=database.seed_article_id(app), author_ids=database.create_authors(app, AUTHORS),
                    judged=database.verdicts_for([s.text for s in samples if s.kind == "abusive"]), status="pending")
        cookie = database.moderator_cookie(app, USER_AGENT)
        with Gunicorn(2, database.app_settings(url), settings.redis_url) as server:
            _check_signed_in(server, cookie)
            states = {}
            for pending in (0, QUEUE_PAGE, settings.queue_rows):
                database.insert_comments(app, count=pending - database.count_comments(app), **fill)
                states[pending] = _queue_reads(server, app, cookie, settings)
        rows = f"{settings.queue_rows:,}"
        full, empty, one_page = states[settings.queue_rows], states[0], states[QUEUE_PAGE]
        direct = Figure("queue", f"queue_page('pending'), {rows} pending ({database_name})", "ms", full["direct"],
                        "empty queue", empty["direct"], target="≤3× empty")
        direct.check(lambda f: f.median <= 3 * f.baseline_median)
        http = Figure("queue", f"GET /admin/queue/pending as moderator, {rows} pending: p50 ({database_name})", "ms",
                      full["http"], "empty queue", empty["http"], target="≤3× empty")
        http.check(lambda f: f.median <= 3 * f.baseline_median)
        figures += [
            direct,
            Figure("queue", f"queue_page('pending'), {rows} pending ({database_name})", "ms", full["direct"],
                   f"{QUEUE_PAGE} pending (one page)", one_page["direct"]),
            http,
            Figure("queue", f"GET /admin/queue/pending, {rows} pending: p50 ({database_name})", "ms", full["http"],
                   f"{QUEUE_PAGE} pending (one page)", one_page["http"]),
        ]
    return figures


def _queue_reads(server: Gunicorn, app, cookie: str, settings: Settings) -> dict[str, list[float]]:
    """Milliseconds for the first queue page, per repeat: in process, and over HTTP on one connection."""
    return {
        "direct": [_time_queue_page(app) for _ in range(settings.repeats)],
        "http": [wrk(server.base + "/admin/queue/pending", seconds=settings.seconds, connections=1, cookie=cookie).p50_ms
                 for _ in range(settings.repeats)],
    }


def _time_queue_page(app) -> float:
    """Median milliseconds of 50 first-page reads, in a request context as the admin view makes them."""
    from moderation.db import db
    from moderation.queue import queue_page

    timings = []
    with app.test_request_context("/admin/queue/pending"):
        for _ in range(50):
            start = time.perf_counter()
            items, _cursor = queue_page("pending", limit=20)
            timings.append(time.perf_counter() - start)
            db.session.expunge_all()
    return statistics.median(timings) * 1e3


def _check_signed_in(server: Gunicorn, cookie: str) -> None:
    """The moderator cookie must open the queue, not a sign-in redirect: a wrong cookie would time the login page."""
    request = urllib.request.Request(server.base + "/admin/queue/pending",
                                     headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    opener = urllib.request.build_opener(_NoRedirect())
    with opener.open(request, timeout=30) as answer:
        if answer.status != 200:
            raise RuntimeError(f"the moderator session got {answer.status} from the queue page")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _database_url(name: str, settings: Settings) -> str:
    if name == "postgresql":
        return database.recreate_postgres(settings.postgres_url)
    return database.fresh_sqlite_url()


def _bodies(path: Path, samples: list[Sample], body: Callable[[Sample, int], dict]) -> Path:
    """One request body a line for the wrk script, built from each sample and its index."""
    lines = (json.dumps(body(s, i), ensure_ascii=False) for i, s in enumerate(samples))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _post(server: Gunicorn, path: str, bodies: Path | None, settings: Settings, connections: int,
          **options) -> WrkResult:
    return wrk(server.base + path, seconds=settings.seconds, connections=connections, method="POST",
               bodies=bodies or _EMPTY_BODY, **options)


def _get(server: Gunicorn, path: str, settings: Settings, cookie: str | None = None) -> WrkResult:
    return wrk(server.base + path, seconds=settings.seconds, connections=PAGE_CONNECTIONS, cookie=cookie)


_EMPTY_BODY = Path(tempfile.mkdtemp(prefix="moderation-bench-")) / "empty.jsonl"
_EMPTY_BODY.write_text("{}\n")


def _interleaved(server: Gunicorn, loads: dict[str, Callable[[], WrkResult]], repeats: int,
                 warm_up: bool = True) -> dict[str, list[WrkResult]]:
    """A warm-up of each, then the loads in turn, `repeats` times, so that noise hits every figure alike."""
    if warm_up:
        for load in loads.values():
            load()
            server.drain()
    runs: dict[str, list[WrkResult]] = {name: [] for name in loads}
    for _ in range(repeats):
        for name, load in loads.items():
            runs[name].append(load())
            server.drain()
    return runs


def _rate_figure(suite: str, name: str, runs: list[WrkResult], baseline: list[WrkResult],
                 baseline_name: str = "no-op, same app") -> Figure:
    refused = sum(r.failed + r.socket_errors for r in runs)
    figure = Figure(suite, name, "/s", [r.rate for r in runs], baseline_name, [r.rate for r in baseline],
                    higher_is_better=True)
    if refused:
        last = next((r.last_failure for r in reversed(runs) if r.last_failure), 0)
        figure.note = f"{refused} non-2xx or socket errors, last status {last}"
    return figure


def _latency_figure(suite: str, name: str, runs: list[WrkResult], label: str) -> Figure:
    return Figure(suite, f"{name} ({label})", "ms", [r.p99_ms for r in runs])


def _p50(runs: list[WrkResult], title: str, label: str) -> Figure:
    return Figure("api", f"{title}: p50 ({label})", "ms", [r.p50_ms for r in runs])


def _acknowledged_and_stored(app, ids_dir: Path) -> tuple[set[int], set[int]]:
    """Ids that 2xx answers named, and which of them the database holds."""
    from sqlalchemy import select

    from moderation.db import db
    from moderation.models import Comment

    acknowledged = {int(line) for file in ids_dir.glob("ids-*.txt") for line in file.read_text().split()}
    with app.app_context():
        stored = set()
        ordered = sorted(acknowledged)
        for start in range(0, len(ordered), 5000):
            chunk = ordered[start:start + 5000]
            stored.update(db.session.scalars(select(Comment.id).where(Comment.id.in_(chunk))))
    return acknowledged, stored
