"""Every route of the app, read from app.url_map so that a route added later is attacked too."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

SEED_SLUG = "us-cuba-migration-talks"
# Blueprints that authenticate by API key or signature instead of a session, so carry no CSRF token.
API_BLUEPRINTS = ("api", "perspective", "coral", "api_docs")


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: str
    method: str

    @property
    def blueprint(self) -> str:
        return self.endpoint.rpartition(".")[0]

    def url(self, ids: dict[str, object]) -> str:
        """The rule with its arguments filled from `ids` (comment_id, user_id, article_id, slug, name...)."""
        url = self.rule
        for argument, value in {**DEFAULT_ARGUMENTS, **ids}.items():
            for converter in ("", "int:", "path:"):
                url = url.replace(f"<{converter}{argument}>", str(value))
        assert "<" not in url, f"tests/security/routes.py: no value for an argument of {self.rule}"
        return url

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


DEFAULT_ARGUMENTS = {"slug": SEED_SLUG, "name": "pending", "filename": "style.css", "token": "not-a-token"}


def all_routes(app: Flask) -> list[Route]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append(Route(rule.endpoint, rule.rule, method))
    return sorted(routes, key=lambda r: (r.rule, r.method))


def site_routes(app: Flask, method: str | None = None) -> list[Route]:
    """Routes browsers use with a session (everything but the API)."""
    return [r for r in all_routes(app) if r.blueprint not in API_BLUEPRINTS and (method is None or r.method == method)]


def admin_routes(app: Flask) -> list[Route]:
    return [r for r in all_routes(app) if r.blueprint == "admin"]


def api_routes(app: Flask) -> list[Route]:
    return [r for r in all_routes(app) if r.blueprint in API_BLUEPRINTS]
