"""`flask --app moderation policy rescan --dry-run` over many stored comments: its rate and whether its memory stays flat."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import database
from benchmarks.corpus import Sample
from benchmarks.measure import Figure
from benchmarks.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")


class RescanMissing(Exception):
    """The rescan command is not in this checkout yet."""


def run(samples: list[Sample], settings: Settings) -> list[Figure]:
    """The same dry run over the small and the large count, on PostgreSQL (SQLite when it is not asked for).

    The rate is marginal, the extra comments over the extra CPU time, so the command's start-up does not count.
    """
    database_name = "postgresql" if "postgresql" in settings.databases else "sqlite"
    runs = {count: _rescan(count, samples, settings, database_name) for count in settings.rescan_rows}
    small, large = settings.rescan_rows
    label = f"{database_name}, dry run"
    marginal = (large - small) / (runs[large]["cpu_seconds"] - runs[small]["cpu_seconds"])
    rate = Figure("rescan", f"comments/s per core, {small:,} → {large:,} stored ({label})", "/s", [marginal],
                  target="≥2,000/s per core",
                  note=f"CPU-seconds between the two runs; {runs[large]['seconds']:.0f} s wall for {large:,}")
    rate.check(lambda f: f.median >= 2000)
    memory = Figure("rescan", f"peak RSS, {large:,} stored ({label})", "MiB", [runs[large]["peak_mib"]],
                    f"{small:,} stored", [runs[small]["peak_mib"]], target="flat: ≤1.25× the small run")
    memory.check(lambda f: f.median <= 1.25 * f.baseline_median)
    return [rate, memory]


def require_rescan_command() -> None:
    """The command is built by the policy work; say so plainly when this checkout lacks it."""
    answer = subprocess.run([FLASK, "--app", "moderation", "policy", "rescan", "--help"], cwd=REPO_ROOT,
                            capture_output=True, text=True, env=_environment(database.fresh_sqlite_url()))
    if answer.returncode != 0 or "--dry-run" not in answer.stdout:
        raise RescanMissing("`flask --app moderation policy rescan --dry-run` is not in this checkout yet")


def _rescan(count: int, samples: list[Sample], settings: Settings, database_name: str) -> dict:
    """Fill a fresh database with `count` comments, run the dry rescan once, measure it from outside."""
    require_rescan_command()
    url = database.recreate_postgres(settings.postgres_url) if database_name == "postgresql" \
        else database.fresh_sqlite_url()
    app = database.bench_app(url)
    authors = database.create_authors(app, 200)
    judged = database.verdicts_for([s.text for s in samples])
    database.insert_comments(app, article_id=database.seed_article_id(app), author_ids=authors, judged=judged,
                             count=count, status=None)  # machine-decided: the rescan judges every one
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen([FLASK, "--app", "moderation", "policy", "rescan", "--dry-run"], cwd=REPO_ROOT,
                                   env=_environment(url), stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory and CPU time
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise RuntimeError(f"policy rescan failed: {errors.read().decode()[-2000:]}")
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}


def _environment(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    return env
