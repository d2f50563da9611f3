"""Playwright driving Debian's chromium (no browser download) against the app served on a free port over
a fresh SQLite file, with CSRF on as in production. Without /usr/bin/chromium the tests are skipped,
except in CI (CI set), where that is a failure."""
from __future__ import annotations

import os
from contextlib import contextmanager
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from moderation.db import db
from moderation.extensions import limiter
from moderation.models import Article, Role
from tests.conftest import PASSWORD, create_user, make_test_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{CHROMIUM} is missing; .ci/run installs it with apt-get install -y chromium")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install -y chromium); the browser tests need it")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serve(tmp_path_factory, **config):
    """A fresh site: its own SQLite file (seeded with the bundled story), CSRF on, served in a thread."""
    instance = tmp_path_factory.mktemp("browser-site")
    app = make_test_app(
        tmp_path_factory,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'site.sqlite3'}",
        WTF_CSRF_ENABLED=True,
        **config,
    )
    with app.app_context():
        create_user("Mo Derator", email="mo@example.org", role=Role.MODERATOR)
        slug = db.session.scalar(select(Article.slug).order_by(Article.id))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"app": app, "url": f"http://127.0.0.1:{server.server_port}", "article": f"/articles/{slug}"}
    server.shutdown()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from _serve(tmp_path_factory)


@pytest.fixture
def limited_site(tmp_path_factory):
    """A site of its own with rate limits on. The limiter is one object for every app: it is switched off again
    for the other tests when this one ends."""
    try:
        yield from _serve(tmp_path_factory, RATELIMIT_ENABLED=True, COMMENTS_PER_MINUTE="1 per minute")
    finally:
        limiter.enabled = False


class Watched:
    """A page that records what must never happen: a dialog opened by page script, a CSP violation, a JS error."""

    def __init__(self, page):
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.missing: list[str] = []
        page.on("dialog", self._dialog)
        page.on("response", lambda response: response.status == 404 and self.missing.append(response.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        # A missing resource is reported by URL in `missing` (browsers ask for /favicon.ico on their own).
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_nothing_ran(self):
        assert self.page.evaluate("() => window.__xss") is None
        assert self.dialogs == []
        assert [e for e in self.errors if "Content Security Policy" in e or "Refused to" in e] == []
        assert self.errors == []
        assert [url for url in self.missing if not url.endswith("/favicon.ico")] == []


@pytest.fixture
def open_page(chromium, site):
    """Open pages in fresh browser contexts (one per person), at a given width."""
    contexts = []

    def open_page(width: str = "desktop") -> Watched:
        context = chromium.new_context(viewport=WIDTHS[width], base_url=site["url"])
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Watched(context.new_page())

    yield open_page
    for context in contexts:
        context.close()


SCREENSHOT_ATTEMPTS = 3


def screenshot(page, name: str) -> Path:
    """Headless Chromium on a busy machine sometimes cannot capture a frame still being painted: wait and retry."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state("load")
    for attempt in range(1, SCREENSHOT_ATTEMPTS + 1):
        try:
            page.screenshot(path=str(path))
            break
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error) or attempt == SCREENSHOT_ATTEMPTS:
                raise
            page.wait_for_timeout(300)
    print(f"screenshot: {path}")
    return path


def screenshots_at_both_widths(page, name: str) -> None:
    """`name`-phone.png as the page is (390 px wide), then `name`-desktop.png at 1280 px; the page is left at 390."""
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(WIDTHS["desktop"])
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(WIDTHS["phone"])


@contextmanager
def spanish_reader(site, chromium, name: str, email: str, width: str):
    """A watched page in a Chromium context whose browser asks for Spanish, signed in as a new reader called `name`
    through the Spanish sign-in form; the context is closed afterwards."""
    with site["app"].app_context():
        create_user(name, email=email)
        db.session.remove()
    context = chromium.new_context(viewport=WIDTHS[width], base_url=site["url"], locale="es-US",
                                   extra_http_headers={"Accept-Language": "es-US,es;q=0.9"})
    context.set_default_timeout(10_000)
    try:
        watched = Watched(context.new_page())
        watched.page.goto("/auth/login")
        watched.page.get_by_label("Correo electrónico").fill(email)
        watched.page.get_by_label("Contraseña").fill(PASSWORD)
        watched.page.get_by_role("button", name="Iniciar sesión").click()
        yield watched
    finally:
        context.close()
