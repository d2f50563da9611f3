"""The public pages: the article with its policy paragraph, comments as threads, hiding comments."""
from __future__ import annotations

import pytest

from moderation.db import db
from moderation.models import Article
from moderation.policy import current_policy
from tests.public.helpers import ARTICLE_URL, add_comment


def test_index_lists_the_seed_article(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b"US-Cuba migration talks to be held Wednesday in Havana" in page.data
    assert b'href="/articles/us-cuba-migration-talks"' in page.data


def test_article_page_shows_story_and_policy_paragraph_from_the_policy(client):
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert "Havana has offered to swap him for four convicted Cuban spies" in page
    paragraph = current_policy().paragraph
    assert paragraph.startswith("The Miami Herald is pleased to provide")
    assert paragraph.replace("'", "&#39;") in page
    assert "Read more Cuba stories" not in page


def test_unknown_article_is_404_page(client):
    response = client.get("/articles/no-such-story")
    assert response.status_code == 404
    assert b"Not Found" in response.data


def test_signed_out_reader_is_asked_to_sign_in_to_comment(client):
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert "to comment" in page and 'name="body"' not in page


def test_comments_newest_first_with_replies_under_their_parent_and_a_count(client, reader):
    first = add_comment(reader, "First comment about the talks.")
    second = add_comment(reader, "Second comment about the visas.")
    add_comment(reader, "A reply to the first comment.", parent=first)
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert "Comments <span class=\"count\">(3)</span>" in page
    assert page.index("Second comment") < page.index("First comment") < page.index("A reply to the first")
    assert page.index(f'id="c{second.id}"') < page.index(f'id="c{first.id}"')


def test_comment_text_is_escaped(client, reader):
    add_comment(reader, "<script>alert('x')</script> & <b>bold</b>")
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_hide_comments_asks_for_confirmation_then_hides_on_all_stories(client, reader):
    add_comment(reader, "Visible until hidden.")
    confirm = client.get("/comments/hide", query_string={"back": ARTICLE_URL}).get_data(as_text=True)
    assert "This affects comments on all stories." in confirm and "Cancel" in confirm and "OK" in confirm
    response = client.post("/comments/hide", query_string={"back": ARTICLE_URL})
    assert response.status_code == 302 and response.headers["Location"] == ARTICLE_URL
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert "Visible until hidden." not in page
    assert "Comments are hidden on all stories" in page
    client.post("/comments/show", query_string={"back": ARTICLE_URL})
    assert "Visible until hidden." in client.get(ARTICLE_URL).get_data(as_text=True)


def test_hide_comments_redirect_stays_local(client):
    response = client.post("/comments/hide", query_string={"back": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_closed_article_shows_no_form(client, auth, reader):
    db.session.query(Article).update({Article.comments_open: False})
    db.session.commit()
    auth.login(reader)
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert "Comments are closed on this story." in page
    assert 'id="comment-form"' not in page


def test_long_threads_are_paged_by_keyset_with_replies_kept_under_their_parent(client, reader, monkeypatch):
    monkeypatch.setattr("moderation.public.threads.THREADS_PER_PAGE", 3)
    comments = [add_comment(reader, f"Comment number {n} on the visa figures.") for n in range(5)]
    add_comment(reader, "A reply to the oldest comment.", parent=comments[0])
    first = client.get(ARTICLE_URL).get_data(as_text=True)
    assert [n for n in range(5) if f"Comment number {n} " in first] == [2, 3, 4]
    assert f"?older={comments[2].id}" in first
    second = client.get(ARTICLE_URL, query_string={"older": comments[2].id}).get_data(as_text=True)
    assert [n for n in range(5) if f"Comment number {n} " in second] == [0, 1]
    assert second.index("Comment number 0") < second.index("A reply to the oldest comment.")
    assert "Older comments" not in second


@pytest.mark.parametrize("older", ["abc", "²", "9" * 40, "-1"])
def test_bad_page_cursor_shows_the_first_page(client, reader, older):
    add_comment(reader, "Still shown.")
    response = client.get(ARTICLE_URL, query_string={"older": older})
    assert response.status_code == 200 and "Still shown." in response.get_data(as_text=True)


def test_error_pages_speak_to_readers_and_link_back_to_the_story(client, app):
    missing = client.get("/articles/no-such-story", headers={"Referer": f"http://localhost{ARTICLE_URL}"})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 404 and "requested URL" not in page and "nothing here" in page
    assert f'href="http://localhost{ARTICLE_URL}#comments">Back to the story' in page
    elsewhere = client.get("/articles/no-such-story", headers={"Referer": "https://evil.example/articles/x"})
    assert "Back to the story" not in elsewhere.get_data(as_text=True)
