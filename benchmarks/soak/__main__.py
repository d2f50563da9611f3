"""The long soak of issue 7: concurrent writers post through the API to gunicorn with 4 workers, retrying with
the same Idempotency-Key on any failure; optionally PostgreSQL is cut and restored at a TCP proxy meanwhile.
At the end every comment must be stored exactly once with its verdict. See README.md beside this file."""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from moderation import create_app
from moderation.api_keys import create_key
from moderation.db import MIGRATIONS_DIR, db
from moderation.models import Comment, Decision
from moderation.seed import seed_if_empty
from tests.faults.tcp_proxy import CuttableProxy

REPO = Path(__file__).resolve().parents[2]
SLUG = "us-cuba-migration-talks"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/soak",
                        help="dropped and recreated; its name must contain 'soak'")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--comments", type=int, default=500, help="comments per writer")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--cut-every", type=float, default=0, help="PostgreSQL only: cut the database for 2 s this often")
    return parser.parse_args()


def prepare_database(options, folder: Path) -> str:
    """A fresh, migrated, seeded database; returns its URL."""
    if options.database == "sqlite":
        return f"sqlite:///{folder / 'soak.sqlite3'}"
    url = make_url(options.postgres)
    if "soak" not in (url.database or ""):
        sys.exit("refusing to drop a database whose name does not contain 'soak'")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}"'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return options.postgres


def api_secret(database_url: str) -> str:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "soak"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        seed_if_empty()
        _, secret = create_key("soak", "comment")
        db.session.commit()
        db.engine.dispose()
    return secret


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, workers: int, port: int) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "soak"}
    server = subprocess.Popen(
        [str(REPO / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "60",
         "moderation:create_app({'RATELIMIT_ENABLED': False})"],
        cwd=REPO, env=environment,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/articles", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def post_until_stored(base: str, secret: str, writer: int, number: int, stats: dict) -> int:
    """Post one comment, retrying with the same Idempotency-Key until the service answers with its id."""
    body = json.dumps({"text": f"Writer {writer}, comment {number}: the Havana talks matter to Miami families.",
                       "author": {"external_id": f"soak-{writer}", "display_name": f"Soak {writer}"}}).encode()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json",
               "Idempotency-Key": f"soak-{writer}-{number}"}
    for attempt in range(200):
        request = urllib.request.Request(f"{base}/api/v1/articles/{SLUG}/comments", data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                stats["replayed" if response.status == 200 else "created"] += 1
                return json.loads(response.read())["id"]
        except (urllib.error.URLError, OSError) as error:
            stats[f"retry {getattr(error, 'code', type(error).__name__)}"] = stats.get(
                f"retry {getattr(error, 'code', type(error).__name__)}", 0) + 1
            time.sleep(min(2.0, 0.05 * (attempt + 1)))
    raise RuntimeError(f"writer {writer} comment {number}: never stored")


def check(database_url: str, expected: int) -> list[str]:
    """Every comment once, each with its verdict and one 'post' row in the log."""
    engine = create_engine(database_url)
    problems = []
    with engine.connect() as connection:
        comments = connection.scalar(select(func.count()).select_from(Comment))
        distinct = connection.scalar(select(func.count(func.distinct(Comment.body))))
        unjudged = connection.scalar(select(func.count()).where(Comment.verdict_outcome.is_(None)))
        posts = connection.scalar(select(func.count()).where(Decision.action == "post"))
    engine.dispose()
    if comments != expected:
        problems.append(f"{comments} comments stored, {expected} expected")
    if distinct != comments:
        problems.append(f"{comments - distinct} duplicates")
    if unjudged:
        problems.append(f"{unjudged} comments without a verdict")
    if posts != comments:
        problems.append(f"{posts} 'post' log rows for {comments} comments")
    return problems


def main() -> int:
    options = arguments()
    with tempfile.TemporaryDirectory() as folder:
        database_url = prepare_database(options, Path(folder))
        secret = api_secret(database_url)
        proxy = None
        served_url = database_url
        if options.cut_every and options.database == "postgresql":
            url = make_url(database_url)
            proxy = CuttableProxy((url.host, url.port or 5432))
            served_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        port = free_port()
        server = start_gunicorn(served_url, options.workers, port)
        stop = threading.Event()
        if proxy:
            def outages():
                while not stop.wait(options.cut_every):
                    proxy.cut()
                    time.sleep(2)
                    proxy.restore()
            threading.Thread(target=outages, daemon=True).start()
        stats = {"created": 0, "replayed": 0}
        started = time.monotonic()
        try:
            with ThreadPoolExecutor(options.writers) as pool:
                jobs = [pool.submit(post_until_stored, f"http://127.0.0.1:{port}", secret, w, n, stats)
                        for w in range(options.writers) for n in range(options.comments)]
                ids = [job.result() for job in jobs]
        finally:
            stop.set()
            server.terminate()
            server.wait()
            if proxy:
                proxy.close()
        elapsed = time.monotonic() - started
        expected = options.writers * options.comments
        problems = check(database_url, expected) + ([] if len(set(ids)) == expected else ["ids answered twice"])
    print(f"{options.database}: {expected} comments by {options.writers} writers in {elapsed:.1f} s "
          f"({expected / elapsed:.0f}/s); {stats}")
    print("OK: every comment stored once with its verdict" if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
