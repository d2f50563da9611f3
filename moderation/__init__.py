"""Comment moderation for news sites: the page's policy as filters, a review queue and a JSON API."""
from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from moderation.config import Defaults


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then the environment, then `config`."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    _load_environment(app)
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _fill_instance_defaults(app)

    from moderation import (admin, api, auth, commands, db, embed, errors, extensions, i18n, inputs, jobs, logs, mail,
                            messages, policy, public, security, shared_cache, templating)

    logs.init_app(app)
    security.init_app(app)
    extensions.init_app(app)
    mail.init_app(app)
    inputs.init_app(app)
    policy.init_app(app)
    shared_cache.init_app(app)  # before db: seeding a new database commits an article, which bumps the generation
    db.init_app(app)
    jobs.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    i18n.init_app(app)
    messages.init_app(app)
    auth.init_app(app)
    public.init_app(app)
    embed.init_app(app)
    admin.init_app(app)
    api.init_app(app)
    commands.init_app(app)
    return app


def _load_environment(app: Flask) -> None:
    for name in ("SECRET_KEY", "REDIS_URL", "POLICY_FILE", "CORAL_SIGNING_SECRETS", "CONTACT_ADDRESS", "SSO_SECRET",
                 "SSO_PUBLIC_KEY", "SSO_ISSUER", "SSO_AUDIENCE", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD",
                 "MAIL_DEFAULT_SENDER", "ACCOUNT_DELETION_COMMENTS", "JOB_QUEUE_NAME"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if os.environ.get("OIDC_PROVIDERS"):
        app.config["OIDC_PROVIDERS"] = json.loads(os.environ["OIDC_PROVIDERS"])
    if os.environ.get("MAIL_PORT"):
        app.config["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
    for name in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        if os.environ.get(name):
            app.config[name] = os.environ[name].lower() in ("1", "true", "yes")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]


def _fill_instance_defaults(app: Flask) -> None:
    """The embedded database and a secret generated once live in instance/, never in the repository."""
    instance = Path(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'moderation.sqlite3'}"
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
