"""Queue listing: which comments are in which tab, filters, and keyset pages that never skip or repeat."""
from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select

from moderation.audit import Actor
from moderation.db import db
from moderation.models import Article, Comment, CommentStatus
from moderation.queue import SORTS, encode_cursor, perform, queue_counts, queue_page
from moderation.services.reporting import report_comment
from tests.admin.helpers import bulk_insert_comments, make_author, make_comment

SEEDED = 5_000


def walk(name: str, sort: str, limit: int, **filters) -> list[int]:
    """Every id of a queue, page by page."""
    ids, cursor = [], None
    while True:
        items, cursor = queue_page(name, cursor=cursor, limit=limit, sort=sort, **filters)
        ids += [c.id for c in items]
        if cursor is None:
            return ids


@pytest.mark.parametrize("sort", SORTS)
def test_keyset_pages_cover_a_large_queue_once_in_order(app, sort):
    bulk_insert_comments(make_author(), SEEDED)
    ids = walk("pending", sort, limit=200)
    assert len(ids) == SEEDED and len(set(ids)) == SEEDED
    rows = {c.id: c for c in db.session.scalars(select(Comment))}
    keys = [(rows[i].max_score, i) if sort == "score" else (rows[i].created_at, i) for i in ids]
    assert keys == sorted(keys, reverse=sort != "oldest")


def test_a_page_ends_with_no_cursor_exactly_at_the_end(app):
    bulk_insert_comments(make_author(), 40)
    first, cursor = queue_page("pending", cursor=None, limit=20)
    second, last = queue_page("pending", cursor=cursor, limit=20)
    assert len(first) == len(second) == 20 and last is None


def cursor_of(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize("cursor", [
    "not base64!",
    cursor_of([]),
    cursor_of({"s": "oldest"}),
    cursor_of({"s": "oldest", "k": ["yesterday", 1]}),
    cursor_of({"s": "oldest", "k": ["2026-01-01T00:00:00", 1]}),  # no time zone
    cursor_of({"s": "oldest", "k": ["2026-01-01T00:00:00+00:00", "1"]}),
    cursor_of({"s": "score", "k": [0.5, 1]}),  # issued for another order
])
def test_an_invalid_cursor_is_a_value_error_and_a_400_page(client, auth, moderator, cursor):
    with pytest.raises(ValueError):
        queue_page("pending", cursor=cursor, limit=10, sort="oldest")
    auth.login(moderator)
    assert client.get("/admin/queue/pending", query_string={"cursor": cursor}).status_code == 400


@pytest.mark.parametrize("bad", [{"name": "spam"}, {"sort": "random"}])
def test_unknown_queues_and_orders_are_refused(app, bad):
    with pytest.raises(ValueError):
        queue_page(bad.get("name", "pending"), cursor=None, limit=10, sort=bad.get("sort"))


def test_each_tab_holds_the_right_comments_with_live_counts(client, auth, moderator):
    author, reporter = make_author(), make_author("Rita Reporter")
    pending = make_comment(author, "Pending words.")
    rejected = make_comment(author, "Rejected words.", status=CommentStatus.REJECTED,
                            fired={"profanity": ("reject", 0.95)})
    published = make_comment(author, "Published words.", status=CommentStatus.PUBLISHED)
    reported = make_comment(author, "Reported words.", status=CommentStatus.PUBLISHED)
    approved = make_comment(author, "Approved words.")
    perform(approved, "approve", Actor.for_user(moderator))
    report_comment(reported, reporter, "spam")
    db.session.commit()
    expected = {"pending": [pending], "rejected": [rejected], "approved": [approved],
                "auto_published": [published, reported], "reported": [reported]}
    for name, comments in expected.items():
        assert set(walk(name, "oldest", 10)) == {c.id for c in comments}, name
    assert queue_counts() == {"pending": 1, "reported": 1, "rejected": 1, "approved": 1, "auto_published": 2,
                              "waiting": 2}
    auth.login(moderator)
    page = client.get("/admin/queue/reported").get_data(as_text=True)
    assert "Reported words." in page and "Published words." not in page
    assert 'Reported <span class="count-pill">1</span>' in page
    assert 'Auto-published <span class="count-pill">2</span>' in page
    assert 'Queue <span class="count-pill" title="Pending and Reported">2</span>' in page


def test_filters_narrow_by_article_rule_hold_author_and_text(app):
    carl, dora = make_author(), make_author("Dora Writer")
    other = Article(slug="other-story", title="Other story", body="Text.")
    db.session.add(other)
    db.session.commit()
    a = make_comment(carl, "Tariffs are a tax on you.", fired={"off_topic": ("review", 0.6)})
    b = make_comment(dora, "A rude remark about 100% of people.", fired={"personal_attack": ("review", 0.7)})
    c = make_comment(carl, "Waiting for pre-moderation.", fired={}, article=other)
    cases = [
        ({"article_id": other.id}, {c.id}),
        ({"rule": "personal_attack"}, {b.id}),
        ({"rule": "premoderation"}, {c.id}),
        ({"author_id": carl.id}, {a.id, c.id}),
        ({"search": "TARIFFS"}, {a.id}),
        ({"search": "100%"}, {b.id}),
        ({"search": "_"}, set()),
        ({"author_id": carl.id, "rule": "off_topic"}, {a.id}),
    ]
    for filters, expected in cases:
        assert {x.id for x in queue_page("pending", cursor=None, limit=10, **filters)[0]} == expected, filters


def test_the_queue_page_pages_with_a_next_link(client, auth, moderator):
    bulk_insert_comments(make_author(), 25)
    auth.login(moderator)
    first = client.get("/admin/queue/pending").get_data(as_text=True)
    assert first.count("data-item") == 20 and "Next page" in first
    cursor = encode_cursor("oldest", queue_page("pending", cursor=None, limit=20)[0][-1])
    second = client.get("/admin/queue/pending", query_string={"cursor": cursor}).get_data(as_text=True)
    assert second.count("data-item") == 5 and "Next page" not in second and "First page" in second


def test_the_queue_filtered_by_article_offers_its_settings(client, auth, moderator):
    make_comment(make_author())
    article = db.session.scalar(select(Article))
    auth.login(moderator)
    page = client.get("/admin/queue/pending", query_string={"article": article.id}).get_data(as_text=True)
    assert "Comment settings of" in page and f'action="/admin/articles/{article.id}"' in page


def test_tab_counts_stop_at_the_cap(app, client, auth, moderator, monkeypatch):
    monkeypatch.setattr("moderation.queue.COUNT_CAP", 2)
    bulk_insert_comments(make_author(), 5)
    assert queue_counts()["pending"] == 3
    auth.login(moderator)
    assert 'class="count-pill">2+</span>' in client.get("/admin/queue/pending").get_data(as_text=True)
