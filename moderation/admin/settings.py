"""Article settings (moderators), the report threshold and roles (admins); every change goes in the log."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from moderation.admin.blueprint import admin_required, back_to, bp
from moderation.admin.forms import ArticleSettingsForm, EmbedSettingsForm, FindUserForm, RoleForm, SiteSettingsForm
from moderation.audit import Actor, record
from moderation.db import db
from moderation.embed.settings import (OriginError, allowed_origins, available_methods, oidc_providers,
                                       role_claims_allowed, set_allowed_origins, set_role_claims_allowed, set_sign_in_methods,
                                       sign_in_methods)
from moderation.messages import say
from moderation.models import Article, Comment, CommentStatus, ModerationMode, Role, Setting, User
from moderation.services.reporting import report_threshold

USERS_SHOWN = 100


def article_settings_form(article: Article) -> ArticleSettingsForm:
    return ArticleSettingsForm(data={
        "comments_open": article.comments_open,
        "moderation_mode": article.moderation_mode.value,
        "premoderate_first_comments": article.premoderate_first_comments,
    })


def describe_article_settings(article: Article) -> str:
    return (f"{article.slug}: comments {'open' if article.comments_open else 'closed'}, "
            f"{article.moderation_mode.value}-moderation, first-time commenters "
            f"{'pre-moderated' if article.premoderate_first_comments else 'not pre-moderated'}")


@bp.route("/articles")
def articles():
    """Every story with its comment settings and how many comments wait."""
    stories = db.session.scalars(select(Article).order_by(Article.created_at.desc(), Article.id.desc())).all()
    waiting = dict(db.session.execute(
        select(Comment.article_id, func.count()).where(Comment.status == CommentStatus.PENDING)
        .group_by(Comment.article_id)
    ).all())
    return render_template("admin/articles.html", articles=stories, waiting=waiting)


@bp.route("/articles/<int:article_id>", methods=["GET", "POST"])
def article(article_id: int):
    """Close or reopen comments, choose post- or pre-moderation, pre-moderate first-time commenters."""
    story = db.session.get(Article, article_id) or abort(404)
    form = ArticleSettingsForm() if request.method == "POST" else article_settings_form(story)
    if form.validate_on_submit():
        story.comments_open = form.comments_open.data
        story.moderation_mode = ModerationMode(form.moderation_mode.data)
        story.premoderate_first_comments = form.premoderate_first_comments.data
        record(Actor.for_user(current_user), "article_settings", note=describe_article_settings(story))
        db.session.commit()
        say(f"Saved the settings of “{story.title}”.", "success")
        return redirect(back_to(url_for("admin.article", article_id=story.id)), code=303)
    return render_template("admin/article.html", article=story, form=form), \
        400 if form.errors else 200


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def site_settings():
    """Site-wide settings only admins change: how many reports hide a comment."""
    current = report_threshold()
    form = SiteSettingsForm(data={"report_hide_threshold": current}) if request.method == "GET" else SiteSettingsForm()
    if form.validate_on_submit():
        value = form.report_hide_threshold.data
        setting = db.session.get(Setting, "report_hide_threshold") or Setting(key="report_hide_threshold")
        setting.value = value
        db.session.add(setting)
        record(Actor.for_user(current_user), "setting", note=f"report_hide_threshold: {current} -> {value}")
        db.session.commit()
        say(f"A comment is now hidden after {value} reader report{'s' if value != 1 else ''}.", "success")
        return redirect(url_for("admin.site_settings"), code=303)
    return render_template("admin/settings.html", form=form, **_embed_page(_embed_form())), \
        400 if form.errors else 200


def _embed_form() -> EmbedSettingsForm:
    return EmbedSettingsForm(data={"allowed_origins": "\n".join(allowed_origins()),
                                   "sso_role_claims": role_claims_allowed()})


def _embed_page(form: EmbedSettingsForm, methods: dict[str, bool] | None = None) -> dict:
    callbacks = {f"oidc:{name}": url_for("oidc.callback", name=name, _external=True) for name in oidc_providers()}
    return {"embed_form": form, "methods": available_methods(), "enabled": methods or sign_in_methods(),
            "callbacks": callbacks}


@bp.route("/settings/embed", methods=["POST"])
@admin_required
def embed_settings():
    """The sites allowed to embed the comments, the sign-in methods on, and whether SSO role claims count."""
    form = EmbedSettingsForm()
    methods = {key: f"method-{key}" in request.form for key, _label in available_methods()}
    if form.validate_on_submit():
        before = (allowed_origins(), sign_in_methods(), role_claims_allowed())
        try:
            set_allowed_origins((form.allowed_origins.data or "").splitlines())
        except OriginError as error:
            form.allowed_origins.errors.append(str(error))
        else:
            set_sign_in_methods(methods)
            set_role_claims_allowed(form.sso_role_claims.data)
            after = (allowed_origins(), sign_in_methods(), role_claims_allowed())
            record(Actor.for_user(current_user), "setting", note=f"embedding and sign-in: {before} -> {after}")
            db.session.commit()
            say("Saved the embedding and sign-in settings.", "success")
            return redirect(url_for("admin.site_settings"), code=303)
    db.session.rollback()
    current = report_threshold()
    return render_template("admin/settings.html", form=SiteSettingsForm(data={"report_hide_threshold": current}),
                           **_embed_page(form, methods)), 400


@bp.route("/users")
@admin_required
def users():
    """Staff accounts, and any account found by email or name, with their roles."""
    search = FindUserForm(request.args)
    statement = select(User).order_by(User.role.desc(), User.display_name).limit(USERS_SHOWN)
    query = (search.q.data or "").strip()
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern)))
    else:
        statement = statement.where(User.role != Role.READER)
    return render_template("admin/users.html", users=db.session.scalars(statement).all(), search=search,
                           role_form=RoleForm())


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int):
    """Make an account a reader, moderator or admin; an admin cannot demote themselves by accident."""
    person = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if not form.validate():
        abort(400, "Choose a role.")
    role = Role(form.role.data)
    if person.id == current_user.id and role is not Role.ADMIN:
        say("You cannot remove your own admin role; ask another admin.", "error")
    elif role is not person.role:
        previous = person.role
        person.role = role
        record(Actor.for_user(current_user), "set_role", subject=person, note=f"{previous.value} -> {role.value}")
        db.session.commit()
        say(f"{person.display_name} is now {role.value}.", "success")
    return redirect(back_to(url_for("admin.users")), code=303)
