"""`users create-admin EMAIL`, `users set-role EMAIL ROLE`: who may moderate; `users check-names`: names chosen before
the policy judged them."""
from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from moderation.db import db
from moderation.inputs import STORABLE_TEXT, text_fault
from moderation.models import Role, User
from moderation.services.names import offending_names

users = AppGroup("users", help="Manage accounts and roles.")


def _find(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@users.command("create-admin")
@click.argument("email", type=STORABLE_TEXT)
@click.option("--name", default=None, type=STORABLE_TEXT, help="Display name (default: the part of the email before @).")
def create_admin(email: str, name: str | None) -> None:
    """Create an admin account, or promote an existing one (password from MODERATION_ADMIN_PASSWORD or a prompt)."""
    password = os.environ.get("MODERATION_ADMIN_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < 8:
        raise click.ClickException("the password must have at least 8 characters")
    if text_fault(password):  # from the environment, where bytes that are not UTF-8 become lone surrogates
        raise click.ClickException(f"the password {text_fault(password)}")
    user = _find(email)
    if user is None:
        user = User(email=email.strip().lower(), display_name=name or email.split("@")[0])
        db.session.add(user)
    user.role = Role.ADMIN
    user.set_password(password)
    db.session.commit()
    click.echo(f"{user.email} is an admin")


@users.command("set-role")
@click.argument("email", type=STORABLE_TEXT)
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role(email: str, role: str) -> None:
    """Make an account a reader, moderator or admin."""
    user = _find(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    user.role = Role(role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}")


@users.command("check-names")
def check_names() -> None:
    """List active accounts whose display name the policy refuses now (a rule, a reserved name for a reader, a
    look-alike of an older account's name), one a line: id, email or external id, name, reason. Exit status 1 when
    there are any; a moderator resets a name on the account's page in /admin."""
    offending = offending_names()
    for user, reason in offending:
        click.echo(f"{user.id}\t{user.email or user.external_id or '-'}\t{user.display_name}\t{reason}")
    click.echo(f"{len(offending)} offending name{'s' if len(offending) != 1 else ''}.", err=True)
    if offending:
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(users)
