"""What the pipeline's policy tests share: a writable copy of the real policy, and an edit of one of its files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moderation.policy import DEFAULT_POLICY_FILE


@pytest.fixture
def policy_copy(tmp_path) -> Path:
    """A writable copy of the real policy folder (the policy, its lexicons and models); the policy file's path."""
    shutil.copytree(DEFAULT_POLICY_FILE.parent, tmp_path / "policies")
    return tmp_path / "policies" / DEFAULT_POLICY_FILE.name


def edit(path: Path, old: str, new: str) -> Path:
    """Replace the first `old` in the file with `new` (which must be there)."""
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")
    return path
