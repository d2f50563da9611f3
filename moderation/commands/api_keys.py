"""`api-keys create NAME --scopes ...`, `api-keys list`, `api-keys revoke NAME`: who may call the API."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from moderation.api_keys import SCOPES, ApiKeyError, all_keys, create_key, revoke_key
from moderation.db import db
from moderation.inputs import STORABLE_TEXT

api_keys = AppGroup("api-keys", help="Manage the keys other services use to call the API.")


@api_keys.command("create")
@click.argument("name", type=STORABLE_TEXT)
@click.option("--scopes", default="moderate", show_default=True, type=STORABLE_TEXT,
              help=f"Comma-separated, from: {', '.join(SCOPES)}.")
def create(name: str, scopes: str) -> None:
    """Create a key and print it; it is shown this once and only its hash is kept."""
    try:
        key, secret = create_key(name, scopes)
        db.session.commit()
    except ApiKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"created key {key.name!r} with scopes {key.scopes}; store it now, it will not be shown again:")
    click.echo(secret)


@api_keys.command("list")
def list_keys() -> None:
    """List keys: name, prefix, scopes, state and last use."""
    for key in all_keys():
        state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never used"
        click.echo(f"{key.name}\t{key.prefix}…\t{key.scopes}\t{state}\t{used}")


@api_keys.command("revoke")
@click.argument("name", type=STORABLE_TEXT)
def revoke(name: str) -> None:
    """Revoke a key at once; requests with it get 401 from now on."""
    try:
        key = revoke_key(name)
        db.session.commit()
    except ApiKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"revoked key {key.name!r}")


def register(app: Flask) -> None:
    app.cli.add_command(api_keys)
