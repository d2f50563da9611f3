"""The app factory: configuration order, the instance folder, the generated secret."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from moderation import create_app
from moderation.db import db
from moderation.models import Article


def test_passed_config_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-environment")
    app = create_app({"SECRET_KEY": "from-mapping", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"})
    assert app.config["SECRET_KEY"] == "from-mapping"


def test_environment_supplies_secret_and_database(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-environment")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")


def test_secret_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert len(first) == 64 and first == second
    assert (tmp_path / "instance" / "secret_key").read_text() == first
    assert (tmp_path / "instance" / "moderation.sqlite3").exists()


def test_instance_config_file_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("REPORT_HIDE_THRESHOLD = 7\nSECRET_KEY = 'from-file'\n")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.db"})
    assert app.config["REPORT_HIDE_THRESHOLD"] == 7
    assert app.config["SECRET_KEY"] == "from-file"


def test_empty_sqlite_database_is_migrated_and_seeded_on_first_start(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/fresh.db"})
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"articles", "users", "comments", "reports", "decisions", "alembic_version"} <= tables
        slugs = db.session.scalars(select(Article.slug)).all()
        assert slugs == ["us-cuba-migration-talks"]
        journal = db.session.execute(db.text("PRAGMA journal_mode")).scalar()
        assert journal == "wal"


def test_second_start_does_not_seed_again(tmp_path):
    config = {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/twice.db"}
    create_app(config)
    app = create_app(config)
    with app.app_context():
        assert len(db.session.scalars(select(Article)).all()) == 1


@pytest.mark.parametrize("path", ["/", "/articles/us-cuba-migration-talks", "/auth/login"])
def test_security_headers_on_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
