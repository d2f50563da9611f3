"""Command-line arguments that are not Unicode text (a byte that is not UTF-8 reaches Python as a lone surrogate)
are refused with a usage error naming the argument, before anything is stored."""
from __future__ import annotations

import pytest

from tests.security.conftest import table_counts

NOT_UTF8 = "caf\udce9"  # how Python hands over the argument bytes b"caf\xe9"


@pytest.mark.parametrize("args, named", [
    (["moderate", NOT_UTF8], "[TEXT]"),
    (["moderate", "Fine.", "--article", NOT_UTF8], "--article"),
    (["users", "create-admin", f"{NOT_UTF8}@example.org"], "EMAIL"),
    (["users", "create-admin", "ada@example.org", "--name", NOT_UTF8], "--name"),
    (["users", "set-role", f"{NOT_UTF8}@example.org", "moderator"], "EMAIL"),
    (["api-keys", "create", NOT_UTF8], "NAME"),
    (["api-keys", "create", "partner", "--scopes", NOT_UTF8], "--scopes"),
    (["api-keys", "revoke", NOT_UTF8], "NAME"),
])
def test_an_argument_that_is_not_unicode_is_a_usage_error_naming_it(app, runner, monkeypatch, args, named):
    monkeypatch.setenv("MODERATION_ADMIN_PASSWORD", "a long password")
    before = table_counts()
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{named}': holds a lone surrogate U+DCE9 (character 4)" in result.output
    assert table_counts() == before


def test_a_password_from_the_environment_that_is_not_unicode_is_refused(app, runner, monkeypatch):
    monkeypatch.setenv("MODERATION_ADMIN_PASSWORD", f"long pass {NOT_UTF8}")
    before = table_counts()
    result = runner.invoke(args=["users", "create-admin", "ada@example.org"])
    assert result.exit_code == 1
    assert "the password holds a lone surrogate" in result.output
    assert table_counts() == before
