"""The dashboard in a real browser (Debian's Chromium through Playwright): the bureau signs
in, opens the 2024 calendar-year dashboard of the demo data and sees the article's 101 drills,
with no JavaScript or loading error. Leaves a full-page screenshot in
test-artifacts/dashboard.png for a person to look at."""
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from reports.figures import FIGURES

# Playwright's sync API runs an event loop in this thread; the ORM calls made around it
# (live_server, load_demo) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DEMO_USER, DEMO_PASSWORD = "bureau", "demo12345"


def _require_environment():
    """Fail (not skip) with the fix when the browser or the front-end files are missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium fonts-wqy-microhei")
    vendor = Path(settings.BASE_DIR) / "static" / "vendor"
    if not vendor.is_dir() or not any(vendor.iterdir()):
        pytest.fail(
            "static/vendor/ is missing: run the set-up first (bash scripts/setup_and_run.sh, "
            "or SETUP_ONLY=1 bash scripts/setup_and_run.sh)"
        )


@pytest.fixture
def demo_data(transactional_db):
    """The Hangjin Banner demo data, loaded before the browser starts: ORM calls made while
    Playwright runs would open a second connection (another context) that outlives the test
    and blocks dropping the PostgreSQL test database."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def browser_page():
    """A Chromium page in Chinese that records console errors, page errors and failed
    requests in ``page.problems`` (a list of strings)."""
    from playwright.sync_api import sync_playwright

    _require_environment()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.problems = []
        page.on(
            "console",
            lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text} {msg.location}"),
        )
        page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: page.problems.append(f"requestfailed: {req.url} {req.failure}"))
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _log_in(page, base_url):
    page.goto(base_url + reverse("login"))
    page.fill("input[name=username]", DEMO_USER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/login" not in page.url, f"login as {DEMO_USER} failed: still on {page.url}"


def test_bureau_dashboard_shows_article_drills(live_server, demo_data, browser_page):
    page = browser_page
    _log_in(page, live_server.url)

    page.goto(f"{live_server.url}/?year=2024&period=calendar", wait_until="networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
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
