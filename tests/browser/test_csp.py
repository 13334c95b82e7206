"""The main pages under the Content-Security-Policy in a real browser (Debian's Chromium
through Playwright): as the bureau and as a school's officer, on a phone (390×844) and a
desktop (1366×900), no page reports a CSP violation or any other console error, and the
behaviours moved out of inline script still work (language switch, print button, the
counselling form's fields). Screenshots in test-artifacts/csp/ for a person to look at."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.chromium import DESKTOP, PHONE, log_in, open_page, screenshot
from tests.factories import HazardFactory, InspectionFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "pw-12345"


@pytest.fixture
def county(transactional_db):
    """One school with a hazard, a self check to fill and a half-spent remediation project;
    the bureau, the school's officer and counsellor. All before the browser opens."""
    from hazards.models import RemediationExpense, RemediationProject
    from inspections.checklist_data import load_standard_checklist
    from inspections.models import Checklist, ChecklistItem, ChecklistSection, Inspection

    load_standard_checklist(Checklist, ChecklistSection, ChecklistItem)
    school = SchoolFactory(name="东风小学")
    users = {
        "bureau": UserFactory(username="bureau-1", role="bureau_staff", scope_all_schools=True),
        "officer": UserFactory(username="officer-1", role="school_officer", schools=[school]),
        "counsellor": UserFactory(username="counsellor-1", role="counsellor", schools=[school]),
    }
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    hazard = HazardFactory(school=school, title="消防通道堆放杂物")
    inspection = InspectionFactory(
        school=school, kind=Inspection.Kind.SELF, checklist=Checklist.objects.first()
    )
    project = RemediationProject.objects.create(
        name="消防遗留问题整改", category="fire", budget_yuan=100_000
    )
    RemediationExpense.objects.create(
        project=project, school=school, date=datetime.date(2024, 6, 1), amount_yuan=37_000
    )
    return {"school": school, "hazard": hazard, "inspection": inspection, **users}


def pages(county):
    hazard, inspection = county["hazard"], county["inspection"]
    return {
        "dashboard": reverse("dashboard"),
        "ledger": reverse("hazard-list"),
        "hazard": reverse("hazard-detail", args=[hazard.pk]),
        "report": reverse("hazard-create"),
        "snapshot": reverse("snapshot"),
        "inspections": reverse("inspection-list"),
        "inspection": reverse("inspection-detail", args=[inspection.pk]),
        "fill": reverse("inspection-fill", args=[inspection.pk]),
        "projects": reverse("remediation-list"),
        "poster": reverse("snapshot-poster", args=[county["school"].pk]),
        "api-docs": reverse("api-docs"),
    }


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("persona", ["bureau", "officer"])
def test_main_pages_break_no_policy(live_server, county, persona, size):
    base, urls = live_server.url, pages(county)
    public = reverse("public-snapshot", args=[county["school"].snapshot_token])
    with open_page(*size) as page:
        page.goto(base + public, wait_until="networkidle")
        screenshot(page, f"csp/public-snapshot-{size[0]}.png")
        log_in(page, base, county[persona].username, PASSWORD)
        for name, url in urls.items():
            response = page.goto(base + url, wait_until="networkidle")
            assert response.status == 200, f"{name}: {response.status}"
            assert "script-src 'self'" in response.headers["content-security-policy"]
            screenshot(page, f"csp/{persona}-{name}-{size[0]}.png")
        assert page.problems == [], "the browser reported errors (CSP violations among them)"


def test_moved_behaviours_still_work(live_server, county):
    base = live_server.url
    with open_page(*PHONE) as page:
        log_in(page, base, "counsellor-1", PASSWORD)
        page.goto(base + reverse("counselling-create"), wait_until="networkidle")
        assert page.is_visible("#id_student_code") and not page.is_visible("#id_participants")
        page.select_option("#id_kind", "group")
        assert page.is_visible("#id_participants") and not page.is_visible("#id_student_code")
        screenshot(page, "csp/counselling-form-390.png")

        # A fresh 随手拍 id made by the page's script (js/app.js), not the server's fallback.
        response = page.goto(base + reverse("snapshot"), wait_until="networkidle")
        served = re.search(r'name="client_id" value="([^"]+)"', response.text()).group(1)
        assert page.input_value("input[name=client_id]") not in ("", served)

        # The print button, with window.print replaced by a flag (a test script is no page
        # script: the policy does not apply to it).
        page.add_init_script("window.print = () => { window.printed = true; };")
        page.goto(base + reverse("inspection-detail", args=[county["inspection"].pk]))
        page.click("[data-action=print]")
        assert page.evaluate("window.printed") is True

        page.click(".navbar-toggler")  # on a phone the menu (and the switch) is folded
        with page.expect_navigation():
            page.select_option("#language-select", "en")
        assert page.get_attribute("html", "lang") == "en"
        assert page.problems == []
