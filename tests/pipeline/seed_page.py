"""The seed story's web page as the pipeline tests read it: the article the package ships, then what follows it on
the page (links, and the comment section whose paragraph is the policy), kept as a small fixture beside these tests."""
from __future__ import annotations

from pathlib import Path

from moderation.articles import SEED_DIR, parse_article_file

_ARTICLE = parse_article_file(SEED_DIR / "us-cuba-migration-talks.txt")
_AFTER_THE_STORY = (Path(__file__).parent / "fixtures" / "seed-page-after-the-story.txt").read_text(encoding="utf-8")
SEED_PAGE = f"{_ARTICLE.title}\n\n{_ARTICLE.body}\n\n{_AFTER_THE_STORY}"
