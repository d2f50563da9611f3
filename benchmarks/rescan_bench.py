"""`flask --app moderation policy rescan --dry-run` on the job queue: comments/s with 1 and then 2 queue workers
(`flask --app moderation worker`, RQ on Redis), per worker, and each worker's peak memory as the count grows."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import database
from benchmarks.corpus import Sample
from benchmarks.load import ToolMissing
from benchmarks.measure import Figure
from benchmarks.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")
WORKER_COUNTS = (1, 2)
SAMPLE_SECONDS = 0.2
QUEUE = f"bench-{os.getpid()}"  # a queue of this run's own: another checkout's workers must not take its jobs


class RescanMissing(Exception):
    """The rescan command or its queue worker is not in this checkout yet."""


def run(samples: list[Sample], settings: Settings) -> list[Figure]:
    """The same dry run over the stored comments with 1 and then 2 workers, interleaved `repeats` times; then, with
    `--rescan-large`, once over the large count with 2 workers for its wall time and memory per worker.

    The rate is comments over the run's wall time, from its record (after the command's start-up) to its last chunk
    done, as the database has them; "per worker" divides it by the workers. On PostgreSQL (SQLite when it is not asked for)."""
    if not settings.redis_url:
        raise RescanMissing("the rescan suite needs Redis for its queue workers (--redis URL)")
    require_worker_command()
    database_name = "postgresql" if "postgresql" in settings.databases else "sqlite"
    small, large = settings.rescan_rows
    url = _filled_database(small, samples, settings, database_name)
    runs: dict[int, list[dict]] = {count: [] for count in WORKER_COUNTS}
    for _ in range(settings.repeats):
        for workers in WORKER_COUNTS:
            runs[workers].append(_rescan(url, settings.redis_url, workers, small))
    label = f"{small:,} stored, {database_name}, dry run"
    one = [r["rate"] for r in runs[1]]
    figures = []
    for workers in WORKER_COUNTS:
        rates = [r["rate"] for r in runs[workers]]
        per_worker = Figure("rescan", f"comments/s, {workers} worker{'s' if workers > 1 else ''} ({label})", "/s",
                            rates, "1 worker" if workers > 1 else "", one if workers > 1 else [],
                            higher_is_better=True,
                            note=f"{statistics_text(rates, workers)}; peak RSS per worker "
                                 f"{max(max(r['peak_mib']) for r in runs[workers]):.0f} MiB")
        if workers > 1:
            per_worker.target = f"≥1.7× one worker"
            per_worker.check(lambda f: f.ratio >= 1.7)
        figures.append(per_worker)
    if settings.rescan_large:
        url = _filled_database(large, samples, settings, database_name)
        big = _rescan(url, settings.redis_url, 2, large)
        small_peak = max(max(r["peak_mib"]) for r in runs[2])
        memory = Figure("rescan", f"peak RSS per worker, {large:,} stored, 2 workers ({database_name}, dry run)", "MiB",
                        [max(big["peak_mib"])], f"{small:,} stored", [small_peak],
                        target="flat: ≤1.25× the small run",
                        note=f"{big['seconds']:.0f} s wall, {big['rate']:.0f} comments/s")
        memory.check(lambda f: f.median <= 1.25 * f.baseline_median)
        figures.append(memory)
    return figures


def statistics_text(rates: list[float], workers: int) -> str:
    per = sorted(rate / workers for rate in rates)
    return f"{per[len(per) // 2]:,.0f}/s per worker"


def require_worker_command() -> None:
    """The queue worker is built by the job-queue work; say so plainly when this checkout lacks it."""
    answer = subprocess.run([FLASK, "--app", "moderation", "worker", "--help"], cwd=REPO_ROOT, capture_output=True,
                            text=True, env=_environment(database.fresh_sqlite_url(), None))
    if answer.returncode != 0:
        raise RescanMissing("`flask --app moderation worker` is not in this checkout yet")


def _filled_database(count: int, samples: list[Sample], settings: Settings, database_name: str) -> str:
    url = database.recreate_postgres(settings.postgres_url) if database_name == "postgresql" \
        else database.fresh_sqlite_url()
    app = database.bench_app(url)
    authors = database.create_authors(app, 200)
    judged = database.verdicts_for([s.text for s in samples])
    database.insert_comments(app, article_id=database.seed_article_id(app), author_ids=authors, judged=judged,
                             count=count, status=None)  # machine-decided: the rescan judges every one
    return url


def _rescan(url: str, redis_url: str, workers: int, count: int) -> dict:
    """Start `workers` queue workers, run the dry rescan to its end, stop them; wall time, rate and peak RSS."""
    import psutil
    import redis

    env = _environment(url, redis_url)
    started = [subprocess.Popen([FLASK, "--app", "moderation", "worker"], cwd=REPO_ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    peaks = [0.0] * workers
    stop = threading.Event()

    def sample() -> None:
        """Each worker's largest resident size, its forked job child included (that is where a chunk runs)."""
        while not stop.is_set():
            for index, process in enumerate(started):
                try:
                    tree = psutil.Process(process.pid)
                    rss = max(p.memory_info().rss for p in [tree, *tree.children()])
                except psutil.Error:
                    continue
                peaks[index] = max(peaks[index], rss / 2**20)
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        _wait_for_workers(redis_url, workers)
        sampler.start()
        with tempfile.TemporaryFile() as errors:
            answer = subprocess.run([FLASK, "--app", "moderation", "policy", "rescan", "--dry-run"], cwd=REPO_ROOT,
                                    env=env, stdout=subprocess.DEVNULL, stderr=errors)
            if answer.returncode != 0:
                errors.seek(0)
                raise RuntimeError(f"policy rescan failed: {errors.read().decode()[-2000:]}")
    finally:
        stop.set()
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=60)
    seconds = _run_seconds(url)
    return {"seconds": seconds, "rate": count / seconds, "peak_mib": peaks}


def _run_seconds(url: str) -> float:
    """The latest run's wall time: from its record to its last chunk done."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            began, ended = connection.execute(text(
                "SELECT r.created_at, max(c.done_at) FROM rescan_runs r JOIN rescan_chunks c ON c.run_id = r.id "
                "WHERE r.id = (SELECT max(id) FROM rescan_runs) GROUP BY r.created_at")).one()
    finally:
        engine.dispose()
    if isinstance(began, str):  # SQLite hands back text
        from datetime import datetime

        began, ended = datetime.fromisoformat(began), datetime.fromisoformat(ended)
    return (ended - began).total_seconds()


def _wait_for_workers(redis_url: str, count: int) -> None:
    import redis
    from rq import Queue, Worker

    connection = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 120
    while len(Worker.all(queue=Queue(QUEUE, connection=connection))) < count:
        if time.monotonic() > deadline:
            raise ToolMissing(f"{count} queue workers did not register in Redis within 120 s")
        time.sleep(0.1)


def _environment(url: str, redis_url: str | None) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["JOB_QUEUE_NAME"] = QUEUE
    return env
