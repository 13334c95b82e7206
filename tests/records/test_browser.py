"""The counselling form on a phone-sized Chromium (Playwright): choosing 团体辅导 hides the
student code and shows the head count; the session is saved. Leaves a screenshot in
test-artifacts/counselling_form.png."""
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def phone_page():
    """A phone-sized Chromium page that records page errors in ``page.problems``."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() or not (Path(settings.BASE_DIR) / "static" / "vendor").is_dir():
        pytest.fail("needs /usr/bin/chromium and static/vendor/ (run the set-up first)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.problems = []
        page.on("pageerror", lambda exc: page.problems.append(str(exc)))
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def counsellor_with_password(transactional_db, counsellor_a):
    """Set up before the browser starts: ORM calls made while Playwright runs open a second
    connection that outlives the test and blocks dropping the PostgreSQL test database."""
    counsellor_a.set_password("pw-12345")
    counsellor_a.save()
    return counsellor_a


def test_counsellor_records_a_group_session_on_a_phone(live_server, counsellor_with_password, phone_page):
    counsellor_a, page = counsellor_with_password, phone_page
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", counsellor_a.username)
    page.fill("input[name=password]", "pw-12345")
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")

    page.goto(live_server.url + reverse("counselling-create"))
    assert page.is_visible("#id_student_code") and not page.is_visible("#id_participants")
    page.select_option("#id_kind", "group")
    assert not page.is_visible("#id_student_code") and page.is_visible("#id_participants")
    page.fill("#id_participants", "15")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "counselling_form.png"), full_page=True)
    with page.expect_navigation():
        page.click("[data-testid=record-form] button[type=submit]")

    assert page.url.endswith(reverse("counselling-list"))
    cards = page.locator("[data-testid=record-cards] .card")
    assert cards.count() == 1
    assert "团体辅导" in cards.first.inner_text() and "15" in cards.first.inner_text()
    assert page.problems == []
