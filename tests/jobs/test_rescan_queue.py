"""The policy rescan as chunks on the job queue: in process without Redis; on real Redis spread over worker processes
(`flask --app moderation worker`) with the same stored verdicts as one process, and nothing lost when a worker is
killed in the middle of a chunk."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rq import Queue, Worker
from rq.job import Job
from rq.registry import StartedJobRegistry
from sqlalchemy import delete, insert, select, update

from moderation.db import db
from moderation.jobs import JOB_RETRIES, requeue_abandoned
from moderation.models import Article, Comment, CommentFlag, Decision, RescanChunk, RescanRun, User
from moderation.services import rescan

REPO_ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "The talks in Havana are overdue and both governments should keep them going.",
    "You are a stupid idiot and everyone here knows it.",
    "What the f.u.c.k is this government doing with the visas?",
    "Thanks for the clear reporting on the visa numbers.",
    "Shut up, moron, nobody asked for your worthless opinion.",
    "Families on both sides of the strait have waited long enough.",
]
WAIT_SECONDS = 90


def store_unjudged(count: int) -> None:
    """`count` comments stored as published by a policy that let everything through, so the rescan has work."""
    author = User(display_name="Writer", external_id="writer")
    db.session.add(author)
    db.session.flush()
    article_id = db.session.scalar(select(Article.id))
    db.session.execute(insert(Comment), [
        {"article_id": article_id, "author_id": author.id, "body": f"{TEXTS[i % len(TEXTS)]} ({i})",
         "status": "published", "verdict": {}, "verdict_outcome": "publish", "max_score": 0.0,
         "policy_name": "old", "policy_version": "old"} for i in range(count)])
    db.session.commit()


def reset_verdicts() -> None:
    """Back to the state store_unjudged left, so that a second rescan starts from the same place."""
    for model in (CommentFlag, Decision, RescanChunk, RescanRun):
        db.session.execute(delete(model))
    db.session.execute(update(Comment).values(status="published", verdict={}, verdict_outcome="publish",
                                              max_score=0.0, hold_reason=None, policy_name="old", policy_version="old"))
    db.session.commit()


def stored_verdicts() -> dict:
    """Everything a rescan writes, by comment id."""
    db.session.expire_all()
    flags = {}
    for flag in db.session.scalars(select(CommentFlag)):
        flags.setdefault(flag.comment_id, []).append((flag.category, flag.score, flag.action))
    logged = {}
    for decision in db.session.scalars(select(Decision).where(Decision.action == "rescan")):
        logged.setdefault(decision.comment_id, []).append((decision.from_status, decision.to_status, decision.reason))
    return {c.id: (c.status.value, c.verdict_outcome, c.max_score, c.policy_version, c.verdict,
                   sorted(flags.get(c.id, [])), logged.get(c.id, []))
            for c in db.session.scalars(select(Comment).order_by(Comment.id))}


def test_in_process_the_chunks_run_here_and_cover_every_comment(app, runner):
    store_unjudged(45)

    result = runner.invoke(args=["policy", "rescan", "--chunk-size", "10"])

    assert result.exit_code == 0, result.output
    chunks = list(db.session.scalars(select(RescanChunk).order_by(RescanChunk.first_id)))
    assert len(chunks) == 5 and all(chunk.done_at is not None and chunk.worker is None for chunk in chunks)
    assert sum(chunk.scanned for chunk in chunks) == 45
    assert [c.first_id for c in chunks[1:]] == [c.last_id + 1 for c in chunks[:-1]]
    held = sum(1 for verdict in stored_verdicts().values() if verdict[0] != "published")
    assert held > 0 and f"changed: " in result.output and "(of 45 comments" in result.output


def test_a_chunk_run_again_changes_nothing_more(app, runner):
    store_unjudged(12)
    run = rescan.start_run(None, dry_run=False, chunk_size=100)
    chunk_id = run.chunks[0].id
    rescan.rescan_chunk(chunk_id)
    once = stored_verdicts()

    rescan.rescan_chunk(chunk_id)

    assert stored_verdicts() == once
    assert rescan.progress(run.id).finished


def test_the_admin_dashboard_shows_the_latest_rescan_progress(app, client, auth, moderator):
    store_unjudged(5)
    run = rescan.start_run(None, dry_run=True, chunk_size=2)
    rescan.rescan_chunk(run.chunks[0].id)
    auth.login(moderator)

    page = client.get("/admin/dashboard").get_data(as_text=True)

    assert f"Rescan {run.id} (dry run)" in page and "2 of 5 comments, 1 of 3 chunks (40%)" in page


# Real Redis and worker processes below.


@pytest.fixture
def queue_name() -> str:
    """A job queue of this test's own: another test run on the same Redis must not take its jobs."""
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture
def queued(app, redis_url, queue_name, other_worker):
    """The same database with REDIS_URL set: the rescan command's side of the queue."""
    return other_worker(REDIS_URL=redis_url, JOB_QUEUE_NAME=queue_name)


@pytest.fixture
def workers(app, redis_url, queue_name):
    """Start `flask --app moderation worker` processes on the test database; stopped (killed) at the end."""
    started: list[subprocess.Popen] = []
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": redis_url,
           "JOB_QUEUE_NAME": queue_name, "SECRET_KEY": "test-secret"}

    def start(count: int) -> list[subprocess.Popen]:
        new = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "moderation", "worker", "--check-interval", "1",
                                 "--grace", "2"], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(count)]
        started.extend(new)
        import redis

        connection = redis.Redis.from_url(redis_url)
        wait_until(lambda: len({w.pid for w in Worker.all(connection=connection)} & {p.pid for p in new}) == count,
                   "workers to register")
        return new

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def wait_until(condition, what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def one_process_verdicts(runner) -> dict:
    result = runner.invoke(args=["policy", "rescan", "--chunk-size", "20"])
    assert result.exit_code == 0, result.output
    verdicts = stored_verdicts()
    reset_verdicts()
    return verdicts


def test_two_workers_store_the_same_verdicts_as_one_process(app, runner, queued, workers):
    store_unjudged(200)
    expected = one_process_verdicts(runner)
    workers(2)

    with queued.app_context():  # the command runs in the app it finds current
        result = queued.test_cli_runner().invoke(args=["policy", "rescan", "--chunk-size", "20"])

    assert result.exit_code == 0, result.output
    assert stored_verdicts() == expected
    done_by = set(db.session.scalars(select(RescanChunk.worker)))
    assert len(done_by) == 2 and None not in done_by


def _horse_of(worker: subprocess.Popen) -> int | None:
    """The child a worker forked for its current job (RQ's 'work horse'), if it has one."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return int(children[0]) if children else None


def test_a_worker_killed_mid_chunk_loses_nothing_its_chunk_is_run_again(app, runner, queued, queue_name, workers):
    store_unjudged(300)
    expected = one_process_verdicts(runner)
    first, second = workers(2)

    with queued.app_context():
        enqueue = queued.test_cli_runner().invoke(args=["policy", "rescan", "--chunk-size", "100", "--no-wait"])
    assert enqueue.exit_code == 0, enqueue.output
    connection = queued.extensions["jobs"]
    first_name = next(w.name for w in Worker.all(connection=connection) if w.pid == first.pid)
    busy: list = []

    def first_is_mid_chunk() -> bool:
        started = StartedJobRegistry(queue=Queue(queue_name, connection=connection))
        jobs = [job_id for job_id in started.get_job_ids(cleanup=False)
                if Job.fetch(job_id, connection=connection).worker_name == first_name]
        busy[:] = [_horse_of(first), *jobs[:1]]
        return None not in busy and len(busy) == 2

    wait_until(first_is_mid_chunk, "the first worker to start a chunk")
    horse, job_id = busy
    os.kill(horse, signal.SIGKILL)  # the machine's death: the worker and the child doing the chunk, at once
    os.kill(first.pid, signal.SIGKILL)
    first.wait()

    killed_chunk = db.session.get(RescanChunk, Job.fetch(job_id, connection=queued.extensions["jobs"]).args[0])
    assert killed_chunk.done_at is None  # it really died mid-chunk: nothing of it was committed
    run_id = killed_chunk.run_id
    with queued.app_context():
        def finished() -> bool:
            requeue_abandoned()  # what the waiting rescan command (and every worker, now and then) does
            db.session.rollback()
            return rescan.progress(run_id).finished

        wait_until(finished, "the killed chunk to be run again by the other worker")
    assert stored_verdicts() == expected
    db.session.refresh(killed_chunk)
    assert killed_chunk.worker == next(w.name for w in Worker.all(connection=queued.extensions["jobs"])
                                       if w.pid == second.pid)
    assert Job.fetch(job_id, connection=queued.extensions["jobs"]).retries_left == JOB_RETRIES - 1
