"""`flask --app moderation <command>`: each module adds its group; this list is all of them."""
from __future__ import annotations

import importlib

from flask import Flask

COMMAND_MODULES = ("articles", "users", "api_keys", "policy", "embed")


def init_app(app: Flask) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"moderation.commands.{name}").register(app)
