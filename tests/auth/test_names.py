"""Display names under the policy: its rules, reserved names and look-alike uniqueness, through the register form,
the API and the moderator's reset; `users check-names` lists the names chosen before."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.lookalike import name_key
from moderation.models import Comment, Decision, Role, User
from tests.api.conftest import bearer, make_key
from tests.conftest import PASSWORD, create_user

COMMENTS_URL = "/api/v1/articles/us-cuba-migration-talks/comments"
CLEAN = "The talks in Havana are overdue and both governments should keep them going."


def register(client, name: str, email: str):
    return client.post("/auth/register", data={"display_name": name, "email": email, "password": PASSWORD,
                                                "confirm": PASSWORD})


@pytest.mark.parametrize("same", ["Maria Reader", "MARIA  READER", "Mаria Reader", "𝐌𝐚𝐫𝐢𝐚 Reader", "Maria\u200b Reader"])
def test_names_that_look_alike_share_a_key(same):
    assert name_key(same) == name_key("Maria Reader")


@pytest.mark.parametrize("other", ["Mario Reader", "Maria Readers", "Ana Reader"])
def test_different_names_have_different_keys(other):
    assert name_key(other) != name_key("Maria Reader")


@pytest.mark.parametrize(
    "name, says",
    [
        ("Fuck You Tom", "“Fuck” falls under profanity"),
        ("Kill All Jews", "falls under hate speech"),
        ("You Moron", "falls under personal comments"),
        ("Moderator", "“moderator” are kept for the site"),
        ("M0DERATOR", "“moderator” are kept for the site"),
        ("Miami Herald", "“miami herald” are kept"),
        ("Ad Min", None),  # two words, neither reserved: accepted
    ],
)
def test_the_register_form_refuses_a_name_the_policy_refuses_with_the_reason(client, app, name, says):
    response = register(client, name, "new@example.org")
    created = db.session.scalar(select(User).where(User.email == "new@example.org"))
    if says is None:
        assert response.status_code == 302 and created.display_name == name
        return
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and says in page and created is None
    assert 'aria-invalid="true"' in page  # the field is marked and described by its error


def test_a_name_is_unique_among_active_accounts_by_how_it_looks(client, app):
    create_user("Maria Reader")
    response = register(client, "mаria  READER", "second@example.org")  # Cyrillic а, other case and spacing
    assert response.status_code == 400 and "Another reader uses this name" in response.get_data(as_text=True)
    deleted = db.session.scalar(select(User).where(User.display_name == "Maria Reader"))
    deleted.deleted_at = deleted.created_at
    db.session.commit()
    assert register(client, "Maria Reader", "third@example.org").status_code == 302  # a deleted account's name is free


def test_the_api_refuses_a_name_the_policy_refuses_and_stores_nothing(client, app):
    headers = bearer(make_key()[1])
    response = client.post(COMMENTS_URL, headers=headers,
                           json={"text": CLEAN, "author": {"external_id": "u-9", "display_name": "Shit Head"}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == "author.display_name" and "profanity" in error["message"]
    assert db.session.scalars(select(Comment)).all() == [] and db.session.scalars(select(User)).all() == []


def test_the_api_refuses_a_look_alike_of_another_readers_name_but_not_the_same_authors(client, app):
    create_user("Maria Reader")
    headers = bearer(make_key()[1])
    taken = client.post(COMMENTS_URL, headers=headers,
                        json={"text": CLEAN, "author": {"external_id": "u-1", "display_name": "maria reader"}})
    assert taken.status_code == 422 and "Another reader" in taken.get_json()["error"]["message"]
    for _ in range(2):  # the same author again under the same name is no clash with themself
        posted = client.post(COMMENTS_URL, headers=headers,
                             json={"text": CLEAN, "author": {"external_id": "u-2", "display_name": "Ana Rivera"}})
        assert posted.status_code in (200, 201)


def test_a_moderator_resets_a_name_and_the_log_keeps_the_old_one(client, auth, moderator):
    offender = create_user("Shit Head", email="sh@example.org")
    auth.login(moderator)
    page = client.get(f"/admin/authors/{offender.id}").get_data(as_text=True)
    assert f"/admin/authors/{offender.id}/reset-name" in page
    response = client.post(f"/admin/authors/{offender.id}/reset-name")
    assert response.status_code == 303
    db.session.refresh(offender)
    assert offender.display_name == f"Reader {offender.id}"
    logged = db.session.scalar(select(Decision).where(Decision.action == "reset_name"))
    assert logged.subject_user_id == offender.id and "Shit Head" in logged.note and logged.actor_id == moderator.id


def test_a_reader_cannot_reset_names(client, auth, reader):
    other = create_user("Shit Head", email="sh@example.org")
    auth.login(reader)
    assert client.post(f"/admin/authors/{other.id}/reset-name").status_code == 403
    db.session.refresh(other)
    assert other.display_name == "Shit Head"


def test_check_names_lists_offending_names_and_fails(runner, app):
    create_user("Maria Reader")
    create_user("MARIA READER", email="maria2@example.org")
    create_user("Fuck You Tom", email="fyt@example.org")
    create_user("Moderator", email="mod@example.org")
    create_user("Ana Rivera")
    create_user("Site Admin", role=Role.ADMIN)  # staff may carry a staff role in their name
    result = runner.invoke(args=["users", "check-names"])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert [line.split("\t")[2] for line in lines] == ["MARIA READER", "Fuck You Tom", "Moderator"]
    assert "looks the same as the name of account" in lines[0] and "profanity" in lines[1]


@pytest.mark.parametrize(
    "given, expected",
    [
        ("Nina Navarro", "Nina Navarro"),
        ("Fuck You Tom", "nina.n"),  # refused by the policy: the e-mail's local part instead
        ("MARIA READER", "nina.n"),  # another account's name as it looks
        ("Moderator", "nina.n"),
    ],
)
def test_a_name_from_a_sign_in_provider_is_held_to_the_same_policy(app, given, expected):
    from moderation.auth.identities import OutsideIdentity, account_for

    create_user("Maria Reader")
    user = account_for(OutsideIdentity("sso", "sub-1", "nina.n@example.org", True, given))
    db.session.commit()
    assert user.display_name == expected


def test_a_provider_name_and_address_both_refused_give_a_neutral_name(app):
    from moderation.auth.identities import OutsideIdentity, account_for

    user = account_for(OutsideIdentity("sso", "sub-2", "shithead@example.org", True, "Shit Head"))
    db.session.commit()
    assert user.display_name == f"Reader {user.id}"
