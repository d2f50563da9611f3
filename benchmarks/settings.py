"""How much each suite runs, chosen by the runner's mode and flags."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    repeats: int  # each figure is the median of this many runs, with their min–max
    seconds: int  # one wrk run
    baseline_per_class: int  # comments per length class given to the slow better-profanity baseline
    queue_rows: int  # pending comments for the queue figures
    article_comments: int  # published comments on the article page
    rescan_rows: tuple[int, int]  # stored comments: the 1- and 2-worker runs, and the opt-in large run
    rescan_large: bool  # also rescan the large count (a million by default: about 15 minutes on 2 cores)
    postgres_url: str
    redis_url: str | None
    worker_counts: tuple[int, ...]  # gunicorn workers for the api and posting suites
    databases: tuple[str, ...]  # "sqlite", "postgresql": where the posting, article and queue suites run
