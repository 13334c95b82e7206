"""Debian's Chromium through Playwright for the browser tests (marker ``browser``).

``open_page(width, height)`` yields a Chinese page that records console errors, page errors
and failed requests in ``page.problems``; it fails (not skips) with the fix when Chromium or
the front-end files are missing. Make every ORM call before the page opens: a query made
while Playwright runs opens a second connection that outlives the test and blocks dropping
the PostgreSQL test database.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

# Playwright's sync API runs an event loop in this thread; the ORM calls made around it
# (live_server, fixtures) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PHONE = (390, 844)
DESKTOP = (1366, 900)


def require_environment():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium fonts-wqy-microhei")
    vendor = Path(settings.BASE_DIR) / "static" / "vendor"
    if not vendor.is_dir() or not any(vendor.iterdir()):
        pytest.fail(
            "static/vendor/ is missing: run the set-up first "
            "(bash scripts/setup_and_run.sh, or SETUP_ONLY=1 bash scripts/setup_and_run.sh)"
        )


@contextmanager
def open_page(width, height):
    from playwright.sync_api import sync_playwright

    require_environment()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.problems = []
        page.on(
            "console",
            lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"),
        )
        page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: _request_failed(page, req))
        try:
            yield page
        finally:
            context.close()
            browser.close()


def log_in(page, base_url, username, password):
    page.goto(base_url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert "/login" not in page.url, f"login as {username} failed: still on {page.url}"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _request_failed(page, request):
    """A failed request is a problem, except one the browser cancelled itself
    (``net::ERR_ABORTED``): a navigation drops the images still loading on the page it
    leaves, which a loaded machine makes likely."""
    if request.failure != "net::ERR_ABORTED":
        page.problems.append(f"requestfailed: {request.url} {request.failure}")
