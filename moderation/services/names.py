"""Display names under the policy: judged by the policy's name rules as a comment is, free of reserved names
(staff roles, the site's name) and unique among active accounts, compared as they look."""
from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import lazy_gettext
from sqlalchemy import select

from moderation.audit import Actor, record
from moderation.db import db
from moderation.lookalike import name_key
from moderation.models import Decision, User
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import Policy, current_policy

# The API's schema allows one character (a service's own initials); the site's forms ask for two. 80: the column.
MIN_LENGTH, MAX_LENGTH = 1, 80


class NameRefused(ValueError):
    """A display name that may not be used; the message says why, in words for the person who chose it."""


def tidy(name: str) -> str:
    """The name as stored: surrounding space dropped, runs of white space as one space."""
    return " ".join(name.split())


def check_display_name(name: str, *, user: User | None = None) -> str:
    """The tidied name when `user` (None: a new account) may take it; raises NameRefused naming the reason: the
    length (1 to 80 characters), a rule of the policy, a reserved name, or another active account's look-alike name."""
    name = tidy(name)
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        raise NameRefused(lazy_gettext(
            "A display name has %(least)s to %(most)s characters (spaces around it not counted).",
            least=MIN_LENGTH, most=MAX_LENGTH))
    policy = current_policy()
    reason = policy_reason(name, policy) or reserved_reason(name, policy)
    if reason:
        raise NameRefused(reason)
    if name_taken(name, user):
        raise NameRefused(lazy_gettext(
            "Another reader uses this name, or one that looks the same. Please choose another."))
    return name


def policy_reason(name: str, policy: Policy) -> str | None:
    """Why the policy's name rules refuse `name` (a rule that would hold or reject it as a comment), or None."""
    rules = {rule.category: rule for rule in policy.rules if rule.id in policy.names.rules}
    if not rules:
        return None
    verdict = moderate(name, ModerationContext(), policy)
    for finding in verdict.findings:
        rule = rules.get(finding.category)
        if rule is not None and finding.action != "none":
            words = ", ".join(f"“{span.text}”" for span in finding.result.spans) or f"“{name}”"
            return f"Display names follow the comment policy: {words} falls under {rule.title.lower()}. " \
                   "Please choose another name."
    return None


def reserved_reason(name: str, policy: Policy) -> str | None:
    """Why `name` is reserved (it contains a reserved name as whole words, compared as they look), or None."""
    key = f" {_words(name)} "
    for reserved in policy.names.reserved:
        if f" {_words(reserved)} " in key:
            return f"Names with “{reserved}” are kept for the site and its staff. Please choose another name."
    return None


@lru_cache(maxsize=1024)  # the reserved names recur on every check
def _words(text: str) -> str:
    """The look-alike key with punctuation as spaces: "Mod-Team" and "mod team" contain the same words."""
    return " ".join(re.split(r"[\W_]+", name_key(text))).strip()


def name_taken(name: str, user: User | None = None) -> bool:
    """Whether another active (not deleted) account's name looks the same as `name`."""
    query = select(User.id).where(User.name_key == name_key(name), User.deleted_at.is_(None)).limit(1)
    if user is not None and user.id is not None:
        query = query.where(User.id != user.id)
    return db.session.scalar(query) is not None


def offending_names() -> list[tuple[User, str]]:
    """Active accounts whose name breaks the policy now, with the reason: a rule, a reserved name (readers only), or
    a look-alike of an older account's name (the older keeps it). Reads every account; meant for the `users check-names` command."""
    policy = current_policy()
    first_with_key: dict[str, int] = {}
    offending = []
    users = db.session.scalars(select(User).where(User.deleted_at.is_(None)).order_by(User.id))
    for user in users:
        reason = policy_reason(user.display_name, policy)
        if reason is None and not user.is_moderator:  # the reserved names are the staff's to use
            reason = reserved_reason(user.display_name, policy)
        key = name_key(user.display_name)
        if reason is None and key in first_with_key:
            reason = f"looks the same as the name of account {first_with_key[key]}"
        first_with_key.setdefault(key, user.id)
        if reason:
            offending.append((user, reason))
    return offending


def reset_display_name(user: User, actor: Actor) -> Decision:
    """A moderator replaces an offending name with a neutral one ("Reader 42", numbered on until free) that the reader
    may change on their account page; logged with the old name. The caller commits."""
    old = user.display_name
    candidate, attempt = f"Reader {user.id}", 1
    while name_taken(candidate, user):
        attempt += 1
        candidate = f"Reader {user.id}-{attempt}"
    user.display_name = candidate
    return record(actor, "reset_name", subject=user, note=f"was “{old}”, now “{candidate}”")
