"""Screenshots of the article, the comment form's messages, the queue and the dashboard at phone and desktop
widths, on a site of their own, written to test-artifacts/screenshots (each path is printed) to be looked at."""
from __future__ import annotations

import pytest

from tests.browser.conftest import WIDTHS, screenshot
from tests.browser.test_journeys import ABUSIVE, CLEAN, HELD, post_comment_in_browser, register, seed, sign_in


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots_of_the_article_the_notice_the_queue_and_the_dashboard(site, open_page, width):
    seed(site, "Queue Filler", HELD)
    reader = open_page(width)
    register(reader.page, f"Screen Reader {width}", f"screen-{width}@example.org")
    post_comment_in_browser(reader.page, site["article"], CLEAN)
    screenshot(reader.page, f"article-comments-{width}")
    reader.page.goto(site["article"])
    screenshot(reader.page, f"article-top-{width}")
    post_comment_in_browser(reader.page, site["article"], ABUSIVE)
    screenshot(reader.page, f"comment-notice-{width}")
    reader.page.goto(site["article"])
    reader.page.get_by_role("link", name="Hide Comments").click()
    screenshot(reader.page, f"hide-dialog-{width}")
    moderator = open_page(width)
    sign_in(moderator.page, "mo@example.org")
    moderator.page.goto("/admin/queue/pending")
    screenshot(moderator.page, f"queue-{width}")
    moderator.page.goto("/admin/dashboard")
    screenshot(moderator.page, f"dashboard-{width}")
    reader.assert_nothing_ran()
    moderator.assert_nothing_ran()
