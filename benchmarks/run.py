"""`python -m benchmarks`: run the suites, print one table, write it with the raw figures to benchmarks/results/."""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import corpus
from benchmarks.database import DatabaseUnavailable
from benchmarks.load import ToolMissing
from benchmarks.measure import Figure, markdown_table, text_table
from benchmarks.rescan_bench import RescanMissing
from benchmarks.settings import Settings

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SUITES = ("pipeline", "perspective", "api", "posting", "article", "queue", "rescan")
# What a suite may lack on a machine; the suite is then reported as not run, with what to install or start.
PREREQUISITE_ERRORS = (ToolMissing, DatabaseUnavailable, RescanMissing)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run: small corpus, short loads, small tables")
    parser.add_argument("--only", nargs="+", choices=SUITES, default=list(SUITES), help="run only these suites")
    parser.add_argument("--seconds", type=int, help="length of each wrk run (8; quick 2)")
    parser.add_argument("--eval-dir", type=Path,
                        help="build the corpus from the larger public labelled sets in this folder (kaggle_insults/, "
                             "olid/, toxic_spans/) instead of the comments in benchmarks/data")
    parser.add_argument("--per-group", type=int, help="corpus comments per length class and kind (200; quick 20)")
    parser.add_argument("--baseline-per-class", type=int,
                        help="comments per length class for the slow better-profanity baseline (20; quick 3)")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/bench"),
                        help="the PostgreSQL database to use (created when missing, its tables replaced)")
    parser.add_argument("--rescan-rows", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                        help="stored comments for the 1- and 2-worker rescans and for --rescan-large "
                             "(default 20000 1000000; quick 2000 20000)")
    parser.add_argument("--rescan-large", action="store_true",
                        help="also rescan the large count with 2 workers: wall time and peak memory per worker")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
                        help="rate-limit storage shared by the gunicorn workers ('' for each worker's memory)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2],
                        help="gunicorn workers for the api and posting suites, each count in turn (default 2)")
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"])
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    with (args.results_dir / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another benchmark run is using this checkout (and its databases); try again when it ends",
                  file=sys.stderr)
            return 2
        return run_all(args)


def run_all(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    per_group = args.per_group or (20 if args.quick else 200)
    samples = corpus.build_corpus(args.eval_dir, per_group=per_group)
    machine = describe_machine()
    print(f"{machine['date']} · {machine['cpu']} · {machine['cores']} cores · Python {machine['python']} · "
          f"corpus {len(samples)} comments ({corpus.corpus_digest(samples)})", flush=True)

    figures: list[Figure] = []
    skipped: list[str] = []
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ("-quick" if args.quick else "")
    for suite in args.only:
        started = time.perf_counter()
        print(f"== {suite}", flush=True)
        try:
            figures += run_suite(suite, samples, settings)
        except PREREQUISITE_ERRORS as missing:
            skipped.append(f"{suite}: {missing}")
            print(f"   skipped: {missing}", flush=True)
        except Exception as error:  # one broken suite must not lose the figures of the others
            skipped.append(f"{suite}: failed: {type(error).__name__}: {error}")
            print(f"   FAILED: {type(error).__name__}: {error}", flush=True)
        print(f"   {time.perf_counter() - started:.0f} s", flush=True)
        write_results(args.results_dir, machine, samples, figures, skipped, args.quick, stamp)

    print()
    print(text_table(figures))
    for line in skipped:
        print(f"not run: {line}")
    print(f"\nwritten: {args.results_dir / stamp}.md and .json", file=sys.stderr)
    return 0


def run_suite(suite: str, samples, settings: Settings) -> list[Figure]:
    """Dispatch one suite; imports are local so that a missing tool only skips its own suite."""
    if suite == "pipeline":
        from benchmarks import pipeline_bench

        return pipeline_bench.run(samples, settings)
    if suite == "perspective":
        from benchmarks import perspective_bench

        return perspective_bench.run(settings)
    if suite == "rescan":
        from benchmarks import rescan_bench

        return rescan_bench.run(samples, settings)
    from benchmarks import web_bench

    return getattr(web_bench, f"{suite}_suite")(samples, settings)


def settings_for(args: argparse.Namespace) -> Settings:
    quick = args.quick
    return Settings(
        repeats=2 if quick else 3,
        seconds=args.seconds or (2 if quick else 8),
        baseline_per_class=args.baseline_per_class or (3 if quick else 20),
        queue_rows=5_000 if quick else 100_000,
        article_comments=1_000,
        rescan_rows=tuple(args.rescan_rows) if args.rescan_rows else ((2_000, 20_000) if quick else (20_000, 1_000_000)),
        rescan_large=args.rescan_large,
        postgres_url=args.postgres,
        redis_url=args.redis or None,
        worker_counts=tuple(args.workers),
        databases=tuple(args.databases),
    )


def describe_machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read_lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def write_results(directory: Path, machine: dict, samples, figures: list[Figure], skipped: list[str], quick: bool,
                  stamp: str):
    """results/<stamp>.json and .md, and latest.md, rewritten after every suite; the folder is git-ignored."""
    heading = (f"{machine['date']} · {machine['cpu']} · {machine['cores']} cores · Python {machine['python']} · "
               f"corpus {len(samples)} comments ({corpus.corpus_digest(samples)})" + (" · --quick" if quick else ""))
    markdown = heading + "\n\n" + markdown_table(figures) + "\n" + "".join(f"\nNot run: {s}" for s in skipped) + "\n"
    (directory / f"{stamp}.md").write_text(markdown, encoding="utf-8")
    (directory / "latest.md").write_text(markdown, encoding="utf-8")
    payload = {"machine": machine, "corpus": corpus.corpus_digest(samples), "quick": quick, "skipped": skipped,
               "figures": [f.to_dict() for f in figures]}
    (directory / f"{stamp}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
