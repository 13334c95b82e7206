"""The counselling form on a phone-sized Chromium (Playwright): choosing 团体辅导 hides the
student code and shows the head count; the session is saved. Leaves a screenshot in
test-artifacts/counselling_form.png."""

import pytest
from django.urls import reverse

from tests.chromium import PHONE, log_in, open_page, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_page():
    with open_page(*PHONE) as page:
        yield page


@pytest.fixture
def counsellor_with_password(transactional_db, counsellor_a):
    """Set up before the browser starts: ORM calls made while Playwright runs open a second
    connection that outlives the test and blocks dropping the PostgreSQL test database."""
    counsellor_a.set_password("pw-12345")
    counsellor_a.save()
    return counsellor_a


def test_counsellor_records_a_group_session_on_a_phone(
    live_server, counsellor_with_password, phone_page
):
    counsellor_a, page = counsellor_with_password, phone_page
    log_in(page, live_server.url, counsellor_a.username, "pw-12345")

    page.goto(live_server.url + reverse("counselling-create"))
    assert page.is_visible("#id_student_code") and not page.is_visible("#id_participants")
    page.select_option("#id_kind", "group")
    assert not page.is_visible("#id_student_code") and page.is_visible("#id_participants")
    page.fill("#id_participants", "15")
    screenshot(page, "counselling_form.png")
    with page.expect_navigation():
        page.click("[data-testid=record-form] button[type=submit]")

    assert page.url.endswith(reverse("counselling-list"))
    cards = page.locator("[data-testid=record-cards] .card")
    assert cards.count() == 1
    assert "团体辅导" in cards.first.inner_text() and "15" in cards.first.inner_text()
    assert page.problems == []
