"""Admin tests sign in a lot; a cheap password hash keeps them fast (hash strength is tested in tests/auth)."""
from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from moderation.models import user as user_model


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(user_model, "generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))
