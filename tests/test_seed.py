"""The seed article and the `articles` commands."""
from __future__ import annotations

from sqlalchemy import select

from moderation.db import db
from moderation.models import Article, ModerationMode

SEED_SLUG = "us-cuba-migration-talks"


def test_seed_article_holds_the_story_only(app):
    article = db.session.scalar(select(Article).where(Article.slug == SEED_SLUG))
    assert article.title == "US-Cuba migration talks to be held Wednesday in Havana"
    assert article.source == "Miami Herald"
    assert len(article.paragraphs) == 14
    assert article.paragraphs[0].startswith("U.S. and Cuban government officials will meet in Havana")
    assert article.paragraphs[-1].endswith("but Washington has rejected that deal.")
    assert "Read more Cuba stories" not in article.body
    assert "Facebook" not in article.body
    assert article.comments_open and article.moderation_mode is ModerationMode.POST


def test_articles_add_stores_a_new_story(runner, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(
        "Title: Havana <b>talks</b> end\nSource: Miami Herald\nPublished: 2014-01-09\nModeration: pre\n\n"
        "First paragraph.\n\nSecond paragraph.\n"
    )
    result = runner.invoke(args=["articles", "add", str(story)])
    assert result.exit_code == 0, result.output
    article = db.session.scalar(select(Article).where(Article.slug == "havana-b-talks-b-end"))
    assert article.title == "Havana <b>talks</b> end"
    assert article.paragraphs == ["First paragraph.", "Second paragraph."]
    assert article.moderation_mode is ModerationMode.PRE
    assert str(article.published_on) == "2014-01-09"


def test_articles_add_refuses_a_duplicate_slug_and_changes_nothing(runner, tmp_path):
    story = tmp_path / "dup.txt"
    story.write_text(f"Title: Other\nSlug: {SEED_SLUG}\n\nBody.\n")
    result = runner.invoke(args=["articles", "add", str(story)])
    assert result.exit_code != 0
    assert "exists already" in result.output
    article = db.session.scalar(select(Article).where(Article.slug == SEED_SLUG))
    assert article.title.startswith("US-Cuba")


def test_articles_add_names_the_bad_line(runner, tmp_path):
    story = tmp_path / "bad.txt"
    story.write_text("Title: Fine\nColour: blue\n\nBody.\n")
    result = runner.invoke(args=["articles", "add", str(story)])
    assert result.exit_code != 0
    assert "bad.txt:2" in result.output


def test_articles_list(runner):
    result = runner.invoke(args=["articles", "list"])
    assert SEED_SLUG in result.output


def test_seed_command_adds_nothing_to_a_seeded_database(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "nothing added" in result.output
    assert len(db.session.scalars(select(Article)).all()) == 1


def test_seed_command_fills_an_empty_database(runner):
    db.session.execute(db.delete(Article))
    db.session.commit()
    result = runner.invoke(args=["seed"])
    assert "seeded" in result.output
    assert db.session.scalar(select(Article.slug)) == SEED_SLUG
