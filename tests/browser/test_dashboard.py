"""The dashboard in a real browser (Debian's Chromium through Playwright): the bureau signs
in, opens the 2024 calendar-year dashboard of the demo data and sees the article's 101 drills,
with no JavaScript or loading error. Leaves a full-page screenshot in
test-artifacts/dashboard.png for a person to look at."""

import re

import pytest
from django.utils import translation

from reports.figures import FIGURES
from tests.chromium import DESKTOP, log_in, open_page, screenshot
from tests.demo.fixtures import DEMO_TODAY, load_demo

pytestmark = pytest.mark.browser

DEMO_USER, DEMO_PASSWORD = "bureau", "demo12345"


@pytest.fixture
def committed_demo(transactional_db):
    """The Hangjin Banner demo data at DEMO_TODAY, committed for the live server's thread
    (so not the session's ``demo_data``, which stays in an open transaction), loaded before
    the browser starts: ORM calls made while Playwright runs would open a second connection
    (another context) that outlives the test and blocks dropping the PostgreSQL test
    database. The clock is not pinned: the session cookie must not expire in the browser's
    real time; the page read (2024) does not depend on today."""
    load_demo(DEMO_TODAY, verbosity=0)


@pytest.fixture
def browser_page():
    with open_page(*DESKTOP) as page:
        yield page


def test_bureau_dashboard_shows_article_drills(live_server, committed_demo, browser_page):
    page = browser_page
    log_in(page, live_server.url, DEMO_USER, DEMO_PASSWORD)

    page.goto(f"{live_server.url}/?year=2024&period=calendar", wait_until="networkidle")
    screenshot(page, "dashboard.png")
    with translation.override("zh-hans"):
        drills_label = str(FIGURES["drills"])
    drills = _figure_texts(page, drills_label)

    assert any(re.search(r"(?<![\d,.])101(?![\d,.])", text) for text in drills), (
        f"no 101 beside {drills_label!r}: {drills!r}"
    )
    assert page.problems == [], "the browser reported errors"


def _figure_texts(page, label):
    """For each place showing ``label``, the text of its nearest element that also holds a
    number (the figure's card, row or list item)."""
    page.get_by_text(label, exact=False).first.wait_for(state="visible")
    nearest_with_digit = (
        "xpath=ancestor-or-self::*[translate(normalize-space(.), '0123456789', '') "
        "!= normalize-space(.)][1]"
    )
    labels = page.get_by_text(label, exact=False)
    return [labels.nth(i).locator(nearest_with_digit).inner_text() for i in range(labels.count())]
