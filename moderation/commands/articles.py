"""`articles add FILE`, `articles list`: the service serves many stories, not only the seed."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from moderation.articles import ArticleFileError, add_article, parse_article_file
from moderation.db import db
from moderation.models import Article
from moderation.seed import seed_if_empty

articles = AppGroup("articles", help="Manage the stories readers comment on.")


@articles.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def add(files: tuple[Path, ...]) -> None:
    """Add articles from files: 'Title:', 'Slug:', 'Source:', 'Byline:', 'Published:' lines, a blank line, paragraphs.
    A file that cannot be added is reported and the others are still added; the exit status is 1 if any failed."""
    failed = 0
    for path in files:
        try:
            article = add_article(parse_article_file(path))
            db.session.commit()
        except ArticleFileError as error:
            db.session.rollback()
            failed += 1
            click.echo(f"Error: {error}", err=True)
            continue
        click.echo(f"added {article.slug}: {article.title}")
    if failed:
        click.echo(f"{failed} of {len(files)} files were not added", err=True)
        click.get_current_context().exit(1)


@articles.command("list")
def list_articles() -> None:
    """List the stored articles."""
    for article in db.session.scalars(select(Article).order_by(Article.id)):
        state = "open" if article.comments_open else "closed"
        click.echo(f"{article.slug}\t{state}\t{article.moderation_mode.value}\t{article.title}")


@click.command("seed")
def seed() -> None:
    """Load the bundled seed story into a database that has no articles (run after `db upgrade`)."""
    added = seed_if_empty()
    click.echo("seeded the bundled articles" if added else "the database has articles already; nothing added")


def register(app: Flask) -> None:
    app.cli.add_command(articles)
    app.cli.add_command(seed)
