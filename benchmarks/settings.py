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
    rescan_rows: tuple[int, int]  # stored comments for the two rescan runs
    postgres_url: str
    redis_url: str | None
    databases: tuple[str, ...]  # "sqlite", "postgresql": where the posting, article and queue suites run
