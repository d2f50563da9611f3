"""The comment section's frame keeps its session without cookies.

Browsers that block third-party cookies (Safari, Firefox, Chromium when told to) would drop any cookie set inside a
frame on the newsroom's page, and the site's own session cookie is SameSite=Lax, which a cross-site frame never
sends anyway. So under /embed/ the session is a signed token that the frame's page carries: every link and form
action of a frame page ends in `?_es=TOKEN`, and the server reads the session from there instead of a cookie.
Flask-Login, Flask-WTF's CSRF secret and flashed messages keep working unchanged on top of it: the CSRF check still
compares the form's token with the secret in the (token-carried) session. The token is signed with SECRET_KEY under
its own salt, and expires after EMBED_FRAME_SESSION_SECONDS (default 12 hours).

The public pages' views are served in the frame as they are: while a frame request builds a URL to a public page
(`public.article`, `public.post`, `auth.login`...), it gets the frame's equivalent with the token attached."""
from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer

FRAME_PREFIX = "/embed/"
TOKEN_ARG = "_es"
SALT = "embed-frame-session"

# Where a URL built inside the frame for a public page goes instead.
FRAME_ENDPOINTS = {
    "public.article": "embed.article",
    "public.post": "embed.post",
    "public.notice": "embed.notice",
    "public.resubmit": "embed.resubmit",
    "public.report": "embed.report",
    "public.hide_comments": "embed.hide_comments",
    "public.show_comments": "embed.show_comments",
    "auth.login": "embed.sign_in",
    "auth.register": "embed.sign_in",
    "auth.logout": "embed.sign_out",
}


def in_frame() -> bool:
    """Whether this request is one of the comment frame's (its session lives in the page, not a cookie)."""
    return has_request_context() and request.path.startswith(FRAME_PREFIX)


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    interface = app.session_interface
    return URLSafeTimedSerializer(app.secret_key, salt=SALT, serializer=interface.serializer,
                                  signer_kwargs={"key_derivation": "hmac", "digest_method": interface.digest_method})


def frame_token() -> str:
    """The current frame session as a signed token, as it stands now (call it after changing the session)."""
    return _serializer(current_app).dumps(dict(session))


def ensure_csrf_secret() -> None:
    """Put Flask-WTF's CSRF secret in the frame session before any link carrying the session is written, also
    after the session was cleared (generate_csrf alone trusts its per-request copy in `g`)."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if name not in session:
        g.pop(name, None)
    generate_csrf()


class FrameSessionInterface(SecureCookieSessionInterface):
    """Cookie sessions everywhere but under /embed/, where the session comes from the `_es` token."""

    def open_session(self, app, request):
        if not request.path.startswith(FRAME_PREFIX):
            return super().open_session(app, request)
        raw = request.args.get(TOKEN_ARG)
        if not raw:
            return self.session_class()
        try:
            data = _serializer(app).loads(raw, max_age=int(app.config["EMBED_FRAME_SESSION_SECONDS"]))
        except BadSignature:  # tampered or expired: start a new, empty session
            return self.session_class()
        return self.session_class(data)

    def save_session(self, app, session, response):
        if request.path.startswith(FRAME_PREFIX):
            # The frame's pages carry the session; no cookie is set inside the frame, not even Flask-Login's
            # clearing of a remember cookie that a frame never has.
            response.headers.remove("Set-Cookie")
            return
        super().save_session(app, session, response)


def frame_aware_url_for(build):
    """Wrap Flask.url_for: inside the frame, public pages' endpoints become the frame's, carrying the session."""

    def url_for(endpoint: str, **values):
        if in_frame() and not values.get("_external"):
            endpoint = FRAME_ENDPOINTS.get(endpoint, endpoint)
            if endpoint.startswith("embed."):
                values.pop("next", None)  # the frame returns to its story; it has no other pages to go back to
                values.pop("back", None)
                values[TOKEN_ARG] = frame_token()
        return build(endpoint, **values)

    return url_for


def init_app(app: Flask) -> None:
    app.session_interface = FrameSessionInterface()
    # Flask.url_for is meant to be overridable; the Jinja global was bound to the original when the
    # environment was made, so it is rebound too.
    app.url_for = frame_aware_url_for(app.url_for)
    app.jinja_env.globals["url_for"] = app.url_for
