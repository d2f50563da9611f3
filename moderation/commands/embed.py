"""`embed origins list|add|remove`: the sites whose pages may embed the comment section (also in /admin/settings)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from moderation.db import db
from moderation.embed.settings import OriginError, allowed_origins, normalise_origin, set_allowed_origins
from moderation.inputs import STORABLE_TEXT

embed = AppGroup("embed", help="The comment section embedded on newsroom pages.")
origins = AppGroup("origins", help="Sites allowed to embed the comments, as origins (https://news.example).")
embed.add_command(origins)


@origins.command("list")
def list_origins() -> None:
    """Print the allowed origins, one a line (an empty list is said on stderr, so that stdout stays one per line)."""
    current = allowed_origins()
    for origin in current:
        click.echo(origin)
    if not current:
        click.echo("No site may embed the comments yet: flask --app moderation embed origins add ORIGIN", err=True)


@origins.command("add")
@click.argument("origin", nargs=-1, required=True, type=STORABLE_TEXT)
def add(origin: tuple[str, ...]) -> None:
    """Allow pages on ORIGIN (scheme, host and port, e.g. https://news.example) to embed the comments."""
    try:
        stored = set_allowed_origins([*allowed_origins(), *origin])
    except OriginError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"allowed: {', '.join(stored)}")


@origins.command("remove")
@click.argument("origin", type=STORABLE_TEXT)
def remove(origin: str) -> None:
    """Stop pages on ORIGIN from embedding the comments (frames already open are refused on their next request)."""
    try:
        target = normalise_origin(origin)
    except OriginError as error:
        raise click.ClickException(str(error)) from None
    current = allowed_origins()
    if target not in current:
        raise click.ClickException(f"{target} is not on the list.")
    set_allowed_origins([o for o in current if o != target])
    db.session.commit()
    click.echo(f"removed {target}")


def register(app: Flask) -> None:
    app.cli.add_command(embed)
