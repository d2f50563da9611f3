"""The comment section in a frame on the newsroom's page (docs/embed.md).

`/embed/stream` starts a frame: it checks the page's origin against the allowed list, finds or creates the story
and shows the public comment section in the frame's layout. The public views themselves (read, post, notice,
resubmit, report) are served under /embed/ too; frame.py keeps their session in the page and their links in the
frame. Sign-in in the frame: the newsroom's SSO token, an OpenID provider through a pop-up, or a local account."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature
from sqlalchemy import func, select

from moderation.auth.forms import LoginForm
from moderation.auth.identities import SignInRefused
from moderation.auth.oidc import HANDOFF_SECONDS, enabled_providers, handoff_serializer
from moderation.auth.sso import sso_account
from moderation.db import db
from moderation.embed.settings import (OriginError, is_allowed_origin, method_enabled, normalise_origin, origin_of,
                                       sign_in_methods)
from moderation.embed.frame import ensure_csrf_secret, in_frame
from moderation.embed.stories import StoryRefused, story_for
from moderation.extensions import limit_message, limiter
from moderation.messages import say
from moderation.models import User
from moderation.public import views as public
from moderation.public.forms import CommentForm, ConfirmForm
from moderation.security import content_security_policy

bp = Blueprint("embed", __name__)
ORIGIN_KEY = "embed_origin"  # the newsroom page's origin, checked against the allowed list on every request
STORY_KEY = "embed_story"  # the slug of the story the frame shows
FRAME_KEYS = (ORIGIN_KEY, STORY_KEY, public.HIDE_COOKIE)

# The public pages, served in the frame as they are (frame.py maps their links to these endpoints).
for rule, endpoint, view, methods in (
    ("/embed/articles/<slug>", "article", public.article, ["GET"]),
    ("/embed/articles/<slug>/comments", "post", public.post, ["POST"]),
    ("/embed/comments/<int:comment_id>/notice", "notice", public.notice, ["GET"]),
    ("/embed/comments/<int:comment_id>/resubmit", "resubmit", public.resubmit, ["POST"]),
    ("/embed/comments/<int:comment_id>/report", "report", public.report, ["GET", "POST"]),
):
    bp.add_url_rule(rule, endpoint, view, methods=methods)


@bp.before_request
def _frame_checks():
    """Every frame page after the first needs the session of a frame on a page of an allowed site."""
    if not in_frame():
        return None  # the no-JavaScript link, a page of the site itself
    # The reader is the frame session's alone: never one Flask-Login cached in an app context that outlives a
    # request (tests run many requests in one); _frame_headers drops it again at the end.
    g.pop("_login_user", None)
    ensure_csrf_secret()
    if request.endpoint == "embed.stream":
        return None
    if not is_allowed_origin(session.get(ORIGIN_KEY)):
        return _refusal("This comment section has expired. Reload the page to see the comments again.", 400)
    return None


@bp.after_request
def _frame_headers(response):
    """Only the allowed page that opened the frame may frame it; a refusal may show in any frame (it holds
    nothing to click). Pages carry the session in their links, so they are never cached."""
    if not in_frame():
        return response
    g.pop("_login_user", None)
    origin = session.get(ORIGIN_KEY)
    ancestors = origin if is_allowed_origin(origin) else ("*" if g.get("frame_refusal") else "'none'")
    response.headers["Content-Security-Policy"] = content_security_policy(frame_ancestors=ancestors)
    response.headers["Cache-Control"] = "no-store"
    return response


def _refusal(message: str, status: int):
    g.frame_refusal = True
    return render_template("embed/refused.html", message=message), status


@bp.before_app_request
def _local_registration_switch():
    """An admin who turns local accounts off closes registration; /auth/login stays for staff."""
    if request.endpoint == "auth.register" and request.method == "POST" and not method_enabled("local"):
        abort(403, "Creating an account with a password is turned off on this site; sign in from a story's comments.")


@bp.app_context_processor
def _frame_context():
    framed = in_frame()
    return {"in_frame": framed, "page_layout": "embed/layout.html" if framed else "base.html"}


@bp.route("/embed/stream")
@limiter.limit(lambda: current_app.config["EMBED_STARTS_PER_MINUTE"],
               error_message=limit_message("comment sections opened from this address"))
def stream():
    """The frame's first page: `url` (the story's canonical URL), `origin` (the embedding page's), optional
    `story_id` and `title`. Refused with a message when the origin is not on the allowed list."""
    try:
        origin = normalise_origin(request.args.get("origin", ""))
    except OriginError:
        return _refusal("This comment section was embedded without naming its page's site.", 400)
    referrer_origin = origin_of(request.referrer or "")
    if referrer_origin is not None and referrer_origin != origin:
        return _refusal("This comment section was opened from another site than the one it names.", 403)
    if not is_allowed_origin(origin):
        return _refusal(f"Comments from this service cannot be shown on {origin}: the site is not on its list of "
                        f"sites allowed to embed them.", 403)
    try:
        story = story_for(request.args.get("url", ""), request.args.get("story_id"), request.args.get("title"))
    except StoryRefused as refusal:
        return _refusal(str(refusal), 403)
    logout_user()  # a frame starts signed out: its session is its own, whatever came before
    session.clear()
    session.update({ORIGIN_KEY: origin, STORY_KEY: story.slug})
    ensure_csrf_secret()
    return public.article_page(story, CommentForm())


def _back_to_story():
    return redirect(url_for("embed.article", slug=session.get(STORY_KEY), _anchor="comments"))


def _signed_in(user: User):
    """A fresh frame session for the reader, keeping which page and story the frame belongs to; back to the story."""
    kept = {key: session[key] for key in FRAME_KEYS if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
    ensure_csrf_secret()
    say(f"Signed in as {user.display_name}.", "success")
    return _back_to_story()


def _require_csrf() -> None:
    """The one-click forms of the frame carry only their CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form expired; please reload the page.")


@bp.route("/embed/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGINS_PER_MINUTE"], methods=["POST"],
               error_message=limit_message("sign-in attempts from this address"))
def sign_in():
    """The ways to sign in that an admin left on: the newsroom's own (SSO), each OpenID provider, a local account."""
    methods = sign_in_methods()
    form = LoginForm()
    if request.method == "POST":
        if not methods.get("local"):
            abort(403, "Signing in with a password is turned off on this site.")
        if form.validate_on_submit():
            email = form.email.data.strip().lower()
            user = db.session.scalar(select(User).where(func.lower(User.email) == email))
            if user is not None and user.check_password(form.password.data):
                return _signed_in(user)
            form.password.errors.append("That email and password do not match an account.")
    frame = handoff_serializer().dumps({"origin": session[ORIGIN_KEY], "story": session.get(STORY_KEY)})
    return render_template("embed/sign_in.html", form=form, methods=methods, providers=enabled_providers(),
                           frame=frame), \
        400 if form.errors else 200


@bp.route("/embed/sso", methods=["POST"])
def sso():
    """The newsroom's SSO token, handed to the frame by embed.js: check it and sign the reader in."""
    _require_csrf()
    if not method_enabled("sso"):
        say("Signing in through the newsroom's site is turned off here.", "error")
        return _back_to_story()
    try:
        user = sso_account(request.form.get("token", ""))
    except SignInRefused as refusal:
        db.session.rollback()
        say(f"You could not be signed in: {refusal}", "error")
        return _back_to_story()
    return _signed_in(user)


@bp.route("/embed/signed-in", methods=["POST"])
def signed_in():
    """The code the OpenID pop-up handed the frame: sign that reader in here, if it was meant for this frame."""
    _require_csrf()
    try:
        handoff = handoff_serializer().loads(request.form.get("code", ""), max_age=HANDOFF_SECONDS)
        user = db.session.get(User, int(handoff["user"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        user, handoff = None, {}
    if user is None or handoff.get("origin") != session.get(ORIGIN_KEY):
        say("That sign-in has expired; please sign in again.", "error")
        return _back_to_story()
    return _signed_in(user)


@bp.route("/embed/sign-out", methods=["POST"])
def sign_out():
    _require_csrf()
    if current_user.is_authenticated:
        logout_user()
    return _back_to_story()


@bp.route("/embed/comments/hide", methods=["GET", "POST"])
def hide_comments():
    """Hide Comments in the frame: kept in the frame's session, as a cookie set in a frame may be blocked."""
    form = ConfirmForm()
    if form.validate_on_submit():
        session[public.HIDE_COOKIE] = "1"
        return _back_to_story()
    back = url_for("embed.article", slug=session.get(STORY_KEY), _anchor="comments")
    return render_template("public/hide.html", form=form, back=back)


@bp.route("/embed/comments/show", methods=["POST"])
def show_comments():
    _require_csrf()
    session.pop(public.HIDE_COOKIE, None)
    return _back_to_story()


@bp.route("/stories/by-url")
@limiter.limit(lambda: current_app.config["EMBED_STARTS_PER_MINUTE"],
               error_message=limit_message("comment sections opened from this address"))
def by_url():
    """The no-JavaScript link of the snippet: the story's comments on this site, created on first view when its
    site is allowed."""
    try:
        story = story_for(request.args.get("url", ""), request.args.get("story_id"), request.args.get("title"))
    except StoryRefused as refusal:
        abort(403, str(refusal))
    return redirect(url_for("public.article", slug=story.slug, _anchor="comments"))

