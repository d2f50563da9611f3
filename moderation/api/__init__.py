"""The JSON API for other services."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Blueprints of the API register here (issue 5)."""
