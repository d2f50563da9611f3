"""Response headers every page gets, and proxy awareness."""
from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY_BASE = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """The site's policy; only the embedded comment frame (moderation/embed) names ancestors other than 'none'."""
    return f"{CONTENT_SECURITY_POLICY_BASE}; frame-ancestors {frame_ancestors}"


CONTENT_SECURITY_POLICY = content_security_policy()


def init_app(app: Flask) -> None:
    hops = int(app.config.get("PROXY_FIX_HOPS", 0))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.after_request(_set_headers)


def _set_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'"):
        response.headers.setdefault("X-Frame-Options", "DENY")  # for browsers that predate frame-ancestors
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
