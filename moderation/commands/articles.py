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

articles = AppGroup("articles", help="Manage the stories readers comment on.")


@articles.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def add(files: tuple[Path, ...]) -> None:
    """Add articles from files: 'Title:', 'Slug:', 'Source:', 'Byline:', 'Published:' lines, a blank line, paragraphs."""
    for path in files:
        try:
            article = add_article(parse_article_file(path))
            db.session.commit()
        except ArticleFileError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        click.echo(f"added {article.slug}: {article.title}")


@articles.command("list")
def list_articles() -> None:
    """List the stored articles."""
    for article in db.session.scalars(select(Article).order_by(Article.id)):
        state = "open" if article.comments_open else "closed"
        click.echo(f"{article.slug}\t{state}\t{article.moderation_mode.value}\t{article.title}")


def register(app: Flask) -> None:
    app.cli.add_command(articles)
