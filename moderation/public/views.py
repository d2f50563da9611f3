"""Articles and their comments: read, post, reply, edit once after a policy notice, report, hide."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from moderation.audit import Actor, record
from moderation.auth.views import safe_next
from moderation.db import db
from moderation.errors import explaining_headers, handle_http_error
from moderation.extensions import limit_message, limiter
from moderation.i18n import reader_language
from moderation.messages import say
from moderation.models import Article, Comment, CommentStatus, Report
from moderation.pipeline.types import Refused
from moderation.policy import current_policy
from moderation.public.forms import CommentForm, ConfirmForm, ReportForm, ResubmitForm, new_form_token
from moderation.public.threads import comment_threads
from moderation.services.commenting import post_comment, resubmit_comment
from moderation.services.reporting import report_comment

bp = Blueprint("public", __name__)
bp.add_app_template_global(new_form_token)
HIDE_COOKIE = "hide_comments"
HIDE_COOKIE_AGE = 10 * 365 * 24 * 3600
MAX_ID_DIGITS = 18  # a longer number overflows the database's integer and is no comment's id anyway


def comments_hidden() -> bool:
    # In the embedded comment frame the choice lives in the frame's session (moderation/embed/frame.py).
    return request.cookies.get(HIDE_COOKIE) == "1" or session.get(HIDE_COOKIE) == "1"


def get_article_or_404(slug: str) -> Article:
    return db.session.scalar(select(Article).where(Article.slug == slug)) or abort(404)


def get_comment_or_404(comment_id: int) -> Comment:
    return db.session.get(Comment, comment_id) or abort(404)


@bp.route("/")
def index():
    """The list of stories open for discussion."""
    articles = db.session.scalars(select(Article).order_by(Article.created_at.desc(), Article.id.desc())).all()
    counts = dict(
        db.session.execute(
            select(Comment.article_id, func.count())
            .where(Comment.status == CommentStatus.PUBLISHED)
            .group_by(Comment.article_id)
        ).all()
    )
    return render_template("public/index.html", articles=articles, counts=counts)


@bp.route("/articles/<slug>")
def article(slug: str):
    """The story, its comment policy in the page's words, the comments and the form."""
    story = get_article_or_404(slug)
    older = request.args.get("older", "")
    after = int(older) if older.isascii() and older.isdigit() and len(older) <= MAX_ID_DIGITS else None
    return article_page(story, CommentForm(), after)


def article_page(story: Article, form: CommentForm, after: int | None = None) -> str:
    """The story page with `form` in the comment form, or in its reply form when it answers a comment."""
    page = comment_threads(story, current_user, after=after)
    return render_template(
        "public/article.html",
        article=story,
        policy=current_policy(),
        threads=page.threads,
        published_count=page.published_count,
        older_cursor=page.older_cursor,
        is_first_page=after is None,
        hidden=comments_hidden(),
        form=form,
        report_form=ReportForm(),
        confirm_form=ConfirmForm(),
        reported_ids=_reported_by_viewer(story),
    )


def _reported_by_viewer(story: Article) -> set[int]:
    """Ids of this story's comments the signed-in reader has reported (shown as "Reported", not "Report")."""
    if not current_user.is_authenticated:
        return set()
    return set(db.session.scalars(
        select(Report.comment_id).join(Comment).where(Comment.article_id == story.id,
                                                      Report.reporter_id == current_user.id)
    ))


@bp.route("/articles/<slug>/comments", methods=["POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["COMMENTS_PER_MINUTE"],
    key_func=lambda: f"user:{current_user.id}",
    error_message=limit_message(lazy_gettext("comments in a short time")),
)
def post(slug: str):
    """Post a comment or a reply and tell the reader its fate."""
    story = get_article_or_404(slug)
    form = CommentForm()
    if not form.validate_on_submit():
        refusal = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return refuse_post(story, form, refusal, 422)
    parent = _parent_for(form.parent_id.data)
    once = _once_key(form.form_token.data)
    earlier = _posted_with(once)
    if earlier is not None:
        return _after_judgement(earlier)
    try:
        comment = post_comment(current_user, story, form.body.data, parent, idempotency_key=once)
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        return refuse_post(story, form, refusal.message, 422)
    except IntegrityError:
        db.session.rollback()  # the same form, sent twice at once: the other request stored it
        earlier = _posted_with(once)
        if earlier is None:
            raise
        return _after_judgement(earlier)
    return _after_judgement(comment)


def form_anchor(form: CommentForm) -> str:
    """The id of the form `form` was sent from: the comment form, or the reply form under a comment."""
    parent = form.parent_id.data
    return f"reply-form-{parent}" if parent and parent.isascii() and parent.isdigit() else "comment-form"


def refuse_post(story: Article, form: CommentForm, message: str, status: int):
    """The story page again, not a redirect: the refusal beside the form and the reader's text still in it
    (the form's action ends in the form's anchor, so the browser lands there)."""
    say(message, "error", about=form_anchor(form))
    return article_page(story, form), status


@bp.errorhandler(RateLimitExceeded)
def rate_limited(error: RateLimitExceeded):
    """Too many posts or reports: the same page with the text kept and the wait stated, not a bare error page."""
    headers = explaining_headers(error)
    if request.endpoint == "public.post":
        story = get_article_or_404(request.view_args["slug"])
        return (*refuse_post(story, CommentForm(), error.description, 429), headers)
    if request.endpoint == "public.report":
        comment = get_comment_or_404(request.view_args["comment_id"])
        say(error.description, "error", about="report-form")
        return render_template("public/report.html", comment=comment, form=ReportForm()), 429, headers
    return handle_http_error(error)


def _once_key(form_token: str | None) -> str | None:
    """The form's one-time token as the comment's idempotency key, per author (API keys use "<key id>:...")."""
    return f"form:{current_user.id}:{form_token}" if form_token else None


def _posted_with(once_key: str | None) -> Comment | None:
    if once_key is None:
        return None
    return db.session.scalar(select(Comment).where(Comment.idempotency_key == once_key))


def _parent_for(raw_id: str | None) -> Comment | None:
    if not raw_id:
        return None
    if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= MAX_ID_DIGITS):
        abort(400, gettext("The comment you replied to does not exist."))
    parent = db.session.get(Comment, int(raw_id))
    if parent is None or parent.status is not CommentStatus.PUBLISHED:
        abort(400, gettext("The comment you replied to is not available."))
    return parent


def _after_judgement(comment: Comment):
    """Published: back to the thread. Held or rejected: the notice that quotes the policy."""
    if comment.verdict_outcome == "publish" and comment.status is CommentStatus.PUBLISHED:
        say(gettext("Your comment is published."), "success", about=f"c{comment.id}")
        return redirect(url_for("public.article", slug=comment.article.slug, _anchor=f"c{comment.id}"))
    # An anchor of its own (the page's main content, the skip link's target): a redirect without one would keep the
    # form's (#comment-form), which the notice lacks.
    return redirect(url_for("public.notice", comment_id=comment.id, _anchor="main"))


@bp.route("/comments/<int:comment_id>/notice")
@login_required
def notice(comment_id: int):
    """What happened to the reader's comment, which sentence of the policy it met, and the one edit allowed."""
    comment = get_comment_or_404(comment_id)
    if comment.author_id != current_user.id:
        abort(404)
    return notice_page(comment, ResubmitForm(body=comment.body, version=comment.version))


def notice_page(comment: Comment, form: ResubmitForm) -> str:
    """The policy notice with `form` as the one edit."""
    return render_template("public/notice.html", comment=comment, policy=current_policy(), form=form)


@bp.route("/comments/<int:comment_id>/resubmit", methods=["POST"])
@login_required
def resubmit(comment_id: int):
    """Edit and resubmit once after the policy notice."""
    comment = get_comment_or_404(comment_id)
    if comment.author_id != current_user.id:
        abort(404)
    form = ResubmitForm()
    if not form.validate_on_submit():
        say(gettext("Write something first."), "error", about="comment-form")
        return notice_page(comment, form), 422
    try:
        resubmit_comment(comment, form.body.data, current_user, expected_version=form.version.data)
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        say(refusal.message, "error", about="comment-form")
        return notice_page(comment, form), 422  # the edit stays in the form, as on the story page
    return _after_judgement(comment)


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["REPORTS_PER_HOUR"],
    key_func=lambda: f"user:{current_user.id}",
    methods=["POST"],
    error_message=limit_message(lazy_gettext("reports in an hour")),
)
def report(comment_id: int):
    """Report a comment to the moderators, naming the rule it breaks."""
    comment = get_comment_or_404(comment_id)
    if comment.status is not CommentStatus.PUBLISHED:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        about = f"c{comment.id}"
        try:
            report_comment(comment, current_user, form.reason.data, form.note.data or "")
            db.session.commit()
        except Refused as refusal:
            db.session.rollback()
            say(refusal.message, "error", about=about)
        except IntegrityError:
            db.session.rollback()
            say(gettext("You have already reported this comment."), "error", about=about)
        else:
            say(gettext("Thank you. The moderators will look at this comment."), "success", about=about)
        return redirect(url_for("public.article", slug=comment.article.slug, _anchor=f"c{comment.id}"))
    status = 400 if form.errors else 200
    return render_template("public/report.html", comment=comment, form=form), status


@bp.route("/comments/hide", methods=["GET", "POST"])
def hide_comments():
    """Hide comments on all stories for this browser, after a confirmation."""
    form = ConfirmForm()
    back = safe_next(request.args.get("back"))
    if form.validate_on_submit():
        response = make_response(redirect(back))
        response.set_cookie(HIDE_COOKIE, "1", max_age=HIDE_COOKIE_AGE, httponly=True, samesite="Lax")
        return response
    return render_template("public/hide.html", form=form, back=back)


@bp.route("/comments/show", methods=["POST"])
def show_comments():
    """Show comments again on every story."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, gettext("The form expired; please try again."))
    back = safe_next(request.args.get("back"))
    response = make_response(redirect(back))
    response.delete_cookie(HIDE_COOKIE)
    return response


@bp.route("/account/warning", methods=["POST"])
@login_required
def acknowledge_warning():
    """The reader has read the moderators' warning; stop showing it."""
    form = ConfirmForm()
    if form.validate_on_submit() and current_user.warning:
        record(Actor.for_user(current_user), "acknowledge_warning", subject=current_user, note=current_user.warning)
        current_user.warning = None
        db.session.commit()
    return redirect(safe_next(request.args.get("back")))


MY_COMMENTS_SHOWN = 200


@bp.route("/account/comments")
@login_required
def my_comments():
    """Every comment of the signed-in reader, newest first, with its state and, when rejected, why."""
    mine = db.session.scalars(
        select(Comment).where(Comment.author_id == current_user.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(MY_COMMENTS_SHOWN)
    ).all()
    return render_template("public/my_comments.html", comments=mine, limit=MY_COMMENTS_SHOWN,
                           why={c.id: why_not_published(c) for c in mine if c.status is CommentStatus.REJECTED})


def why_not_published(comment: Comment) -> tuple[list[str], list[str]]:
    """The titles of the rules a rejected comment met (the moderator's reason, else the policy's) and the policy's
    sentences for them, each sentence once (the rules of one policy often quote the same sentence), in the reader's
    language."""
    rules = {rule.id: rule for rule in current_policy().in_language(reader_language()).rules}
    by_category = {rule.category: rule for rule in rules.values()}
    if comment.rejection_reason in rules:
        met = [rules[comment.rejection_reason]]
    else:
        met = [by_category[r["category"]] for r in comment.verdict.get("reasons", []) if r.get("category") in by_category]
    return [rule.title for rule in met], list(dict.fromkeys(rule.sentence for rule in met))
