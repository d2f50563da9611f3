"""A broken policy file never takes the service down quietly: at start the app refuses to run and names the
file and the line; a bad reload keeps the policy in force and says why."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from moderation import create_app
from moderation.db import db
from moderation.models import Comment
from moderation.policy import PolicyError, current_policy, reload_policy
from tests.public.helpers import ARTICLE_URL

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def broken_policy(tmp_path: Path, line_number: int, replacement: str) -> Path:
    """A copy of the policy (with its lexicons) whose line `line_number` is replaced."""
    folder = tmp_path / "policies"
    shutil.copytree(POLICIES, folder)
    path = folder / "miami-herald.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = replacement
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(start))


def test_a_policy_file_that_is_not_toml_stops_the_app_naming_file_and_line(tmp_path):
    line = line_of(POLICIES / "miami-herald.toml", "review_threshold")
    path = broken_policy(tmp_path, line, "review_threshold = = 0.5")
    with pytest.raises(PolicyError) as refusal:
        create_app({"POLICY_FILE": str(path), "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert str(path) in str(refusal.value) and f"line {line}" in str(refusal.value)


@pytest.mark.parametrize(
    "start, replacement, named",
    [
        ("review_threshold", 'review_threshold = "high"', ["rule 'profanity'", "field 'review_threshold'"]),
        ('filter = "profanity"', 'filter = "no-such-filter"', ["rule 'profanity'", "unknown filter"]),
        ("max_length", "max_length = -5", ["field 'max_length'"]),
        ('rules = ["profanity"', 'rules = ["profanity", "spelling"]', ["field 'names.rules'", "rule ids"]),
        ('reserved = "reserved-names.txt"', 'reserved = "missing.txt"', ["field 'names.reserved'", "cannot read"]),
    ],
)
def test_a_policy_with_a_bad_value_stops_the_app_naming_file_rule_and_field(tmp_path, start, replacement, named):
    path = broken_policy(tmp_path, line_of(POLICIES / "miami-herald.toml", start), replacement)
    with pytest.raises(PolicyError) as refusal:
        create_app({"POLICY_FILE": str(path), "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert str(path) in str(refusal.value)
    assert all(part in str(refusal.value) for part in named), str(refusal.value)


@pytest.fixture
def restore_policy(app):
    original = current_policy()
    yield
    app.extensions["policy"] = original


def test_a_bad_reload_keeps_the_policy_in_force_and_says_why(app, client, auth, reader, tmp_path, restore_policy):
    before = current_policy()
    path = broken_policy(tmp_path, line_of(POLICIES / "miami-herald.toml", "max_length"), "max_length = 0")
    with pytest.raises(PolicyError, match="max_length"):
        reload_policy(app, path)
    assert current_policy() is before
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": "The talks in Havana matter to Miami families."})
    assert response.status_code == 302
    assert db.session.scalars(select(Comment.policy_version)).one() == before.version


def test_a_good_reload_takes_effect_for_the_next_comment(app, tmp_path, restore_policy):
    path = broken_policy(tmp_path, line_of(POLICIES / "miami-herald.toml", "max_length"), "max_length = 500")
    assert reload_policy(app, path).max_length == 500
    assert current_policy().max_length == 500
