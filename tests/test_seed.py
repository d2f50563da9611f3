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


def test_articles_add_reports_each_bad_file_adds_the_others_and_exits_non_zero(runner, tmp_path):
    files = {
        "good.txt": b"Title: Good story\n\nBody.\n",
        "not-utf8.txt": b"Title: Caf\xe9\n\nBody.\n",
        "nul.txt": b"Title: Fine\n\nFirst.\n\nSec\x00ond.\n",
        "long.txt": b"Title: " + b"t" * 501 + b"\n\nBody.\n",
        "no-body.txt": b"Title: Nothing here\n\n\n",
        "later.txt": b"Title: Later story\n\nBody.\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    paths = [str(tmp_path / name) for name in files] + [str(tmp_path / "missing.txt"), str(tmp_path)]
    result = runner.invoke(args=["articles", "add", *paths])
    assert result.exit_code == 1
    assert "added good-story" in result.stdout and "added later-story" in result.stdout
    errors = result.stderr.splitlines()
    assert [line for line in errors if line.startswith("Error:")] == [
        f"Error: {tmp_path}/not-utf8.txt:1: not UTF-8 text (byte 0xe9)",
        f"Error: {tmp_path}/nul.txt:5: the line holds a NUL character (character 4), which cannot be stored",
        f"Error: {tmp_path}/long.txt: 'Title' is longer than 500 characters",
        f"Error: {tmp_path}/no-body.txt: the article has no paragraphs after the header",
        f"Error: {tmp_path}/missing.txt: No such file or directory",
        f"Error: {tmp_path}: Is a directory",
    ]
    assert errors[-1] == "6 of 8 files were not added"
    assert set(db.session.scalars(select(Article.slug))) == {SEED_SLUG, "good-story", "later-story"}
