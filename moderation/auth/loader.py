"""How Flask-Login finds the signed-in user."""
from __future__ import annotations

from moderation.db import db
from moderation.extensions import login_manager
from moderation.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
