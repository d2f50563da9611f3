"""Sign in with an OpenID Connect provider (Google, Facebook's OIDC endpoint, a newsroom's own identity provider).

Providers come from OIDC_PROVIDERS: {"name": {"issuer": URL, "client_id": ..., "client_secret": ..., "label": ...}}.
Authlib does the protocol: discovery from the issuer's /.well-known/openid-configuration, the authorization code
flow with PKCE (S256), and the state and nonce checks; the ID token's signature, issuer, audience and nonce are
verified before its claims are used. The provider's redirect URI to register is /auth/oidc/NAME/callback.

From the comment frame the flow runs in a pop-up window, which is first-party to this service, so its cookie
session holds the state, nonce and PKCE verifier even where third-party cookies are blocked; at the end the
pop-up hands the frame a short-lived signed code (embed.views.signed_in) and closes."""
from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from requests import RequestException

from moderation.auth.identities import OutsideIdentity, SignInRefused, account_for
from moderation.auth.views import _start_session
from moderation.db import db
from moderation.embed.settings import method_enabled, oidc_providers
from moderation.messages import say

bp = Blueprint("oidc", __name__, url_prefix="/auth/oidc")
HANDOFF_SALT = "oidc-frame-handoff"
HANDOFF_SECONDS = 120  # from the pop-up's last page to the frame's request: a click at most
EXTENSION = "oidc_clients"  # per app: Authlib's registry and the provider settings each client was made with
FRAME_KEY = "oidc_frame"  # in the pop-up's session: the frame (origin, story) that asked for this sign-in


def handoff_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=HANDOFF_SALT)


def enabled_providers() -> list[tuple[str, str]]:
    """(name, label) of each configured OpenID provider an admin left on, for "Sign in with LABEL" links."""
    return [(name, provider.get("label") or name) for name, provider in oidc_providers().items()
            if method_enabled(f"oidc:{name}")]


def _client(name: str):
    """Authlib's client for the provider NAME, (re)registered whenever its settings differ from the last seen."""
    provider = oidc_providers().get(name)
    if provider is None or not method_enabled(f"oidc:{name}"):
        abort(404, gettext("This way of signing in is not offered here."))
    oauth, registered = current_app.extensions[EXTENSION]
    if registered.get(name) != provider:
        oauth.register(
            name,
            overwrite=True,
            client_id=provider["client_id"],
            client_secret=provider["client_secret"],
            server_metadata_url=provider["issuer"].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
        registered[name] = dict(provider)
    return oauth.create_client(name)


@bp.route("/<name>/start")
def start(name: str):
    """Send the reader to the provider; `frame` (signed by the comment frame) says where to hand the sign-in back."""
    client = _client(name)
    frame = request.args.get("frame")
    session.pop(FRAME_KEY, None)
    if frame:
        try:
            session[FRAME_KEY] = handoff_serializer().loads(frame, max_age=3600)
        except BadSignature:
            abort(400, gettext("This sign-in link has expired; reload the story's page and try again."))
    try:
        return client.authorize_redirect(url_for("oidc.callback", name=name, _external=True))
    except (RequestException, OAuthError, ValueError) as error:
        current_app.logger.warning("OpenID provider %s unreachable: %s", name, error)
        abort(503, gettext("The sign-in provider cannot be reached just now; please try again in a minute."))


@bp.route("/<name>/callback")
def callback(name: str):
    """The provider's answer: check it, find or make the account, sign in here or hand the sign-in to the frame."""
    client = _client(name)
    if request.args.get("error"):
        return _refused(f"The sign-in was cancelled at the provider ({request.args['error']}).")
    try:
        token = client.authorize_access_token()
    except OAuthError as error:  # state mismatch, replayed code, bad ID token or nonce
        return _refused(f"The sign-in could not be checked ({error.error}); please start again.")
    except RequestException:
        abort(503, gettext("The sign-in provider cannot be reached just now; please try again in a minute."))
    claims = token.get("userinfo") or {}
    issuer = oidc_providers()[name]["issuer"].rstrip("/")
    if str(claims.get("iss", "")).rstrip("/") != issuer:
        return _refused("The sign-in came from another issuer than the one configured.")
    identity = OutsideIdentity(
        provider=f"oidc:{name}", subject=str(claims.get("sub", "")), email=claims.get("email"),
        email_verified=claims.get("email_verified") is True,
        display_name=str(claims.get("name") or claims.get("preferred_username") or ""),
    )
    try:
        user = account_for(identity)
        db.session.commit()
    except SignInRefused as refusal:
        db.session.rollback()
        return _refused(str(refusal))
    frame = session.pop(FRAME_KEY, None)
    if frame is not None:
        code = handoff_serializer().dumps({**frame, "user": user.id})
        return render_template("embed/popup_signed_in.html", code=code, user=user)
    _start_session(user)
    say(gettext("Signed in as %(name)s.", name=user.display_name), "success")
    return redirect(url_for("public.index"))


def _refused(message: str):
    session.pop(FRAME_KEY, None)
    return render_template("embed/popup_refused.html", message=message), 400


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = (OAuth(app), {})
    app.jinja_env.globals["oidc_sign_in_providers"] = enabled_providers
    app.register_blueprint(bp)
