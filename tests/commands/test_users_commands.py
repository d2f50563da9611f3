"""The users commands: create-admin (with a chosen display name) and set-role."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import Role, User
from tests.conftest import PASSWORD, create_user


def account(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.parametrize("options, display_name", [
    (["--name", "Ana María Editor"], "Ana María Editor"),
    ([], "Ana.Editor"),
])
def test_create_admin_names_the_account_as_asked_or_after_the_email(runner, options, display_name):
    result = runner.invoke(args=["users", "create-admin", "Ana.Editor@Example.org", *options],
                           input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    user = account("ana.editor@example.org")
    assert (user.display_name, user.role) == (display_name, Role.ADMIN)
    assert user.check_password(PASSWORD)


def test_create_admin_promotes_an_existing_account_and_keeps_its_name(runner, monkeypatch):
    create_user("Reader Rita", email="rita@example.org")
    monkeypatch.setenv("MODERATION_ADMIN_PASSWORD", "a new long password")

    result = runner.invoke(args=["users", "create-admin", "rita@example.org", "--name", "Ignored"])

    assert result.exit_code == 0, result.output
    user = account("rita@example.org")
    assert (user.display_name, user.role) == ("Reader Rita", Role.ADMIN)
    assert user.check_password("a new long password")


def test_set_role_makes_a_reader_a_moderator(runner):
    create_user("Reader Rita", email="rita@example.org")

    result = runner.invoke(args=["users", "set-role", "rita@example.org", "moderator"])

    assert result.exit_code == 0 and account("rita@example.org").role == Role.MODERATOR
