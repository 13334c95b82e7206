"""Issue #3's acceptance in a real browser: the bureau opens a 2025 cross-inspection round and
publishes the pairings; the inspecting school's officer fills the checklist on a phone with one
failed item and a photo; the finding is in the inspected school's ledger with the photo and in
the round summary. Screenshots in test-artifacts/round_*.png."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.chromium import DESKTOP, PHONE, log_in, open_page, screenshot
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "pw-12345"


@pytest.fixture
def county(transactional_db):
    """Three primary schools with an officer each, and a bureau user (all before the browser)."""
    from inspections.checklist_data import load_standard_checklist
    from inspections.models import Checklist, ChecklistItem, ChecklistSection

    # A transactional test may start after a flush, without the data migration's rows.
    load_standard_checklist(Checklist, ChecklistSection, ChecklistItem)
    schools = [SchoolFactory(name=name) for name in ("东风小学", "红旗小学", "朝阳小学")]
    officers = {}
    for school in schools:
        officers[school.name] = UserFactory(
            username=f"officer-{school.code}", role="school_officer", schools=[school]
        )
    bureau = UserFactory(username="bureau-1", role="bureau_staff", scope_all_schools=True)
    for user in [bureau, *officers.values()]:
        user.set_password(PASSWORD)
        user.save()
    return {"schools": schools, "officers": officers, "bureau": bureau}


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, format="JPEG")
    return {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_round_to_ledger(live_server, county):
    base, inspected = live_server.url, county["schools"][0]
    with open_page(*DESKTOP) as page:
        log_in(page, base, "bureau-1", PASSWORD)
        page.goto(base + reverse("round-create"))
        page.fill("#id_name", "2025年春季交叉互查")
        page.fill("#id_period_start", "2025-04-01")
        page.fill("#id_period_end", "2025-04-30")
        page.select_option("#id_checklist", index=1)
        for school in county["schools"]:
            page.get_by_label(school.name).check()
        with page.expect_navigation():
            page.get_by_role("button", name="创建并生成配对").click()
        assert page.locator("[data-testid=pairing-form] select").count() == 3
        with page.expect_navigation():
            page.get_by_role("button", name="发布").click()
        row = page.locator("[data-testid=round-summary] tr", has_text=inspected.name)
        inspector = row.locator("td").nth(1).inner_text().strip()
        round_url = page.url
        screenshot(page, "round_published.png")
        assert page.problems == []

    with open_page(*PHONE) as phone:
        log_in(phone, base, county["officers"][inspector].username, PASSWORD)
        phone.goto(base + reverse("inspection-list"))
        with phone.expect_navigation():
            # The phone shows the list as cards (the table is hidden): click the visible one.
            phone.locator(f"text={inspector}检查{inspected.name} >> visible=true").first.click()
        with phone.expect_navigation():
            phone.get_by_role("link", name="填写检查表").click()
        phone.eval_on_selector_all(
            "input[type=radio][value=pass]", "els => els.forEach(e => e.checked = true)"
        )
        assert not phone.is_visible("input[name=photos_E6]")  # photos are asked for failed items
        phone.locator("label[for=r-E6-fail]").click()
        assert phone.is_visible("input[name=photos_E6]")
        phone.fill("input[name=note_E6]", "二楼疏散通道堆放桌椅")
        phone.set_input_files("input[name=photos_E6]", jpeg())
        screenshot(phone, "round_fill_phone.png")
        with phone.expect_navigation():
            phone.get_by_role("button", name="提交检查").click()
        assert phone.locator("[data-testid=inspection-status]").inner_text() == "已提交"
        assert phone.problems == []

    with open_page(*PHONE) as phone:
        log_in(phone, base, county["officers"][inspected.name].username, PASSWORD)
        phone.goto(base + reverse("hazard-list"))
        with phone.expect_navigation():
            phone.locator("a:visible", has_text="E6").first.click()
        assert "二楼疏散通道堆放桌椅" in phone.content() and "交叉互查" in phone.content()
        sources = phone.eval_on_selector_all(
            ".photo-grid img", "els => els.map(e => e.getAttribute('src'))"
        )
        assert len(set(sources)) == 1  # the one photo (in the photos card and on its timeline step)
        screenshot(phone, "round_hazard_phone.png")

    with open_page(*DESKTOP) as page:
        log_in(page, base, "bureau-1", PASSWORD)
        page.goto(round_url)
        cells = page.locator("[data-testid=round-summary] tr", has_text=inspected.name).locator(
            "td"
        )
        assert (
            cells.nth(2).inner_text(),
            cells.nth(3).inner_text(),
            cells.nth(4).inner_text(),
        ) == ("已提交", "1", "0")
