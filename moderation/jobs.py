"""Bulk work as jobs on RQ, the job queue on the Redis that already holds the rate limits (REDIS_URL): any worker
on any host takes the next job (`flask --app moderation worker`). Without REDIS_URL, the embedded default, a job runs
at once in the process that enqueues it, so nothing else needs to be running. Why RQ: docs/scaling.md.

A job is a module-level function called by its import path with picklable arguments, inside an app context. A
worker runs each job in a forked child; a child that dies (killed, out of memory) has its job put back on the queue,
up to JOB_RETRIES times, and a job whose whole worker vanished is put back once its heartbeat has lapsed, so jobs
must be idempotent: running one twice must leave what running it once leaves.
"""
from __future__ import annotations

from collections.abc import Callable

import click
import redis
from flask import Flask, current_app
from rq import Queue, Retry, Worker
from rq.registry import FailedJobRegistry, StartedJobRegistry

JOB_RETRIES = 3
JOB_TIMEOUT_SECONDS = 30 * 60  # one job's longest run; a rescan chunk takes seconds
EXTENSION = "jobs"


def enqueue(func: Callable, *args, **kwargs) -> str | None:
    """Run `func(*args, **kwargs)` as a job; returns the RQ job id, or None when it ran here and has finished.

    On the queue when REDIS_URL is set (raises redis.RedisError when Redis cannot take it), otherwise now, in this
    process and app context (its exceptions propagate to the caller)."""
    queue = job_queue()
    if queue is None:
        func(*args, **kwargs)
        return None
    return queue.enqueue_call(func, args=args, kwargs=kwargs, retry=Retry(max=JOB_RETRIES),
                              timeout=JOB_TIMEOUT_SECONDS).id


def job_queue() -> Queue | None:
    """The app's RQ queue, or None without REDIS_URL."""
    connection = current_app.extensions[EXTENSION]
    return Queue(current_app.config["JOB_QUEUE_NAME"], connection=connection) if connection is not None else None


def requeue_abandoned() -> None:
    """Put back the jobs of workers that died with the machine (heartbeat lapsed); workers do this themselves every
    few minutes, a command waiting for its jobs does it while it waits."""
    queue = job_queue()
    if queue is not None:
        StartedJobRegistry(queue=queue).cleanup()


def failed_job_count() -> int:
    """Jobs that failed past their retries (kept by RQ for a year; see `rq info`)."""
    queue = job_queue()
    return FailedJobRegistry(queue=queue).count if queue is not None else 0


class ModerationWorker(Worker):
    """An RQ worker whose jobs' heartbeats lapse after `heartbeat_grace` seconds past the check interval (RQ's own
    grace is a fixed minute), so that a dead host's job goes back to the queue as soon as the deployment wants."""

    heartbeat_grace = 60

    def get_heartbeat_ttl(self, job) -> int:
        return super().get_heartbeat_ttl(job) - 60 + self.heartbeat_grace


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (for scripts and tests).")
@click.option("--check-interval", default=10, show_default=True,
              help="Seconds between a running job's heartbeats.")
@click.option("--grace", default=60, show_default=True,
              help="Seconds after a missed heartbeat before a job of a vanished worker is given to another.")
def worker_command(burst: bool, check_interval: int, grace: int) -> None:
    """Take jobs from the queue JOB_QUEUE_NAME on the Redis at REDIS_URL (rescan chunks, e-mails to readers) until
    stopped. Run one per core, on as many hosts as needed, with the same settings and policy files as the web
    workers: a job names rows of the database the worker is given."""
    connection = current_app.extensions[EXTENSION]
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: without it, jobs run in the process that makes them")
    _warm_up()
    worker = ModerationWorker([job_queue()], connection=connection,
                              job_monitoring_interval=check_interval, maintenance_interval=max(60, 2 * grace))
    worker.heartbeat_grace = grace
    worker.work(burst=burst)


def _warm_up() -> None:
    """Compile the policy's word lists and drop pooled connections before the first fork, so that every job's child
    starts warm and opens its own database connection."""
    from moderation.db import db
    from moderation.pipeline import moderate
    from moderation.pipeline.types import ModerationContext
    from moderation.policy import current_policy

    moderate("Warming up the policy.", ModerationContext(article_text="warming up"), current_policy())
    db.engine.dispose()


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions[EXTENSION] = redis.Redis.from_url(url) if url else None
    app.cli.add_command(worker_command)
