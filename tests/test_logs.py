"""Logs: an unexpected error leaves its traceback after start-up, and no log line holds an API key."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.error import HTTPError

import pytest
from werkzeug.serving import make_server

from moderation import create_app
from moderation.logs import redact

SECRET = "AIzaSyTopSecret-123"


def test_an_unexpected_error_is_logged_with_its_traceback_after_start_up_on_the_embedded_database(tmp_path, caplog):
    # Not TESTING, so the 500 handler answers instead of re-raising; creating the app migrates the fresh SQLite file.
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/fresh.sqlite3"})

    @app.get("/broken")
    def broken():
        """A view with a bug."""
        raise RuntimeError("the view broke")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/broken")

    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.name == "moderation.errors"
    assert "Traceback" in caplog.text and "RuntimeError: the view broke" in caplog.text


def test_a_command_on_a_fresh_embedded_database_prints_only_its_own_output(tmp_path):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3", "SECRET_KEY": "x"}

    result = subprocess.run([sys.executable, "-m", "flask", "--app", "moderation", "articles", "list"], cwd=tmp_path,
                            env=environment, capture_output=True, text=True, timeout=120)

    assert (result.returncode, result.stderr) == (0, "")  # no "INFO [alembic.runtime.migration] ..." lines
    assert result.stdout.startswith("us-cuba-migration-talks\t")


@pytest.mark.parametrize("line, expected", [
    (f'"POST /v1alpha1/comments:analyze?key={SECRET}&alt=json HTTP/1.1" 401 -',
     '"POST /v1alpha1/comments:analyze?key=[redacted]&alt=json HTTP/1.1" 401 -'),
    (f"GET /x?alt=json&api_key={SECRET}", "GET /x?alt=json&api_key=[redacted]"),
    (f'"https://news.example/?KEY={SECRET}"', '"https://news.example/?KEY=[redacted]"'),
    (f"Authorization: Bearer {SECRET}", "Authorization: [redacted]"),
    (f"{{'Authorization': 'Basic {SECRET}'}}", "{'Authorization': '[redacted]'}"),
    (f'"Bearer {SECRET}"', '"Bearer [redacted]"'),
    ("GET /articles/key-points?page=2&monkey=3&keyboard=1 HTTP/1.1",
     "GET /articles/key-points?page=2&monkey=3&keyboard=1 HTTP/1.1"),
])
def test_redact_replaces_key_parameters_and_authorization_values_only(line, expected):
    assert redact(line) == expected


def test_the_development_servers_access_log_redacts_the_key(app, caplog):
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"), pytest.raises(HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/v1alpha1/comments:analyze?key={SECRET}",
                                   data=b"{}", timeout=10)
    finally:
        server.shutdown()
        thread.join()

    [line] = [r.getMessage() for r in caplog.records if r.name == "werkzeug" and "comments:analyze" in r.getMessage()]
    assert "comments:analyze?key=[redacted]" in line and " 401 " in line
    assert SECRET not in caplog.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_access_log_redacts_the_key_the_referer_and_the_authorization_header(tmp_path):
    port, access_log = free_port(), tmp_path / "access.log"
    app = f"moderation:create_app({{'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/g.sqlite3'}})"
    # gunicorn's default format, with the Authorization header added as an operator might.
    log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" "%({authorization}i)s"'
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
         "--access-logformat", log_format, app],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_listening(server, port)
        with pytest.raises(HTTPError):
            urllib.request.urlopen(urllib.request.Request(
                f"{base}/v1alpha1/comments:analyze?key={SECRET}", data=b"{}",
                headers={"Referer": f"https://news.example/story?key={SECRET}"}), timeout=10)
        urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/v1/articles", headers={"Authorization": f"Bearer {SECRET}"}), timeout=10)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()

    lines = access_log.read_text().splitlines()
    assert SECRET not in access_log.read_text() and SECRET not in output
    assert '"POST /v1alpha1/comments:analyze?key=[redacted] HTTP/1.1" 401' in lines[0]
    assert '"https://news.example/story?key=[redacted]"' in lines[0]
    assert '"GET /api/v1/articles HTTP/1.1"' in lines[1] and lines[1].endswith('"[redacted]"')


def wait_until_listening(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.communicate()[0].decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not listen within 60 s")
