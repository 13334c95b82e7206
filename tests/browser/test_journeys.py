"""Journeys of real staff in Debian's Chromium (Playwright), each leaving screenshots at
390×844 and 1366×900 in test-artifacts/journeys/: a forgotten password reset by mail; an
inspector filling the checklist on a phone, losing the signal mid-way and resuming; a
principal refused with the reason shown; a bureau admin importing staff from Excel, first
with a bad row, then a good file; and an axe-core check (npm) of the main pages with no
serious or critical violation.

Every ORM call is made before the browser opens (tests/chromium.py explains why).
"""

import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from hazards.models import Hazard
from inspections.checklist_data import NAME, load_standard_checklist
from inspections.models import Checklist, ChecklistItem, ChecklistSection, Inspection
from tests.chromium import ARTIFACTS, DESKTOP, PHONE, log_in, open_page
from tests.factories import HazardFactory, InspectionFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pass-1234"
NEW_PASSWORD = "Anquan-2025-new"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def shots(page, name):
    """Full-page screenshots of the current page at the phone's and the desktop's size; the
    page must not be wider than the phone's screen (no control or cell overflowing)."""
    folder = ARTIFACTS / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        if label == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width + 1, f"{name}: the page is {overflow}px wide on a phone"
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})


@pytest.fixture
def world(transactional_db):
    school = SchoolFactory(name="锡尼镇第一小学", code="S001")
    other = SchoolFactory(name="杭锦旗第二中学", code="S002")
    people = {
        "admin": UserFactory(username="admin1", role=User.Role.BUREAU_ADMIN,
                             scope_all_schools=True),
        "officer": UserFactory(username="officer1", role=User.Role.SCHOOL_OFFICER, schools=[school],
                               email="officer1@example.cn"),
        "bureau": UserFactory(username="bureau1", role=User.Role.BUREAU_STAFF,
                              scope_all_schools=True),
        "principal": UserFactory(username="principal1", role=User.Role.PRINCIPAL, schools=[school]),
        "inspector": UserFactory(username="officer2", role=User.Role.SCHOOL_OFFICER,
                                 schools=[other]),
    }  # fmt: skip
    if not Checklist.objects.filter(name=NAME, version=1).exists():  # flushed by transactions
        load_standard_checklist(Checklist, ChecklistSection, ChecklistItem)
    checklist = Checklist.objects.get(name=NAME, version=1)
    inspection = InspectionFactory(
        kind=Inspection.Kind.CROSS, school=school, inspecting_school=other,
        checklist=checklist, date=timezone.localdate(), title="春季互查",
    )  # fmt: skip
    hazard = HazardFactory(
        school=school, title="消防通道堆放杂物", status=Hazard.Status.VERIFYING,
        submitted_by=people["principal"], rectification_note="已清理",
    )  # fmt: skip
    return {"school": school, "inspection": inspection, "hazard": hazard, **people}


@pytest.fixture
def page():
    with open_page(*PHONE) as browser_page:
        yield browser_page


def test_a_forgotten_password_is_reset_by_mail_once(live_server, world, page):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_test_id("forgot-password").click()
    page.fill("input[name=email]", "officer1@example.cn")
    shots(page, "reset-1-ask")
    page.get_by_test_id("account-form").locator("button[type=submit]").click()
    page.get_by_test_id("reset-sent").wait_for()
    shots(page, "reset-2-sent")
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page.goto(live_server.url + path)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    shots(page, "reset-3-new")
    page.get_by_test_id("account-form").locator("button[type=submit]").click()
    page.get_by_test_id("reset-complete").wait_for()
    page.goto(live_server.url + path)  # the same link again
    page.get_by_test_id("reset-link-invalid").wait_for()
    shots(page, "reset-4-used")
    log_in(page, live_server.url, "officer1", NEW_PASSWORD)
    assert page.problems == []


def test_an_inspector_fills_the_checklist_drops_the_signal_and_resumes(live_server, world, page):
    inspection = world["inspection"]
    log_in(page, live_server.url, "officer2", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/fill/")
    page.get_by_test_id("section-nav").wait_for()
    first_section = page.locator("section[data-section]").first
    code = first_section.get_attribute("data-section")
    page.once("dialog", lambda dialog: dialog.accept())
    first_section.locator("button[data-all-pass]").click()
    expect(page.locator(f'[data-section-count="{code}"]')).not_to_have_text(re.compile(r"^0/"))
    shots(page, "checklist-1-section-passed")
    items = page.locator("fieldset[data-item]")
    last = items.nth(items.count() - 1)
    last_code = last.get_attribute("data-item")
    page.context.set_offline(True)
    last.locator(f"label[for=r-{last_code}-fail]").click()
    page.locator("[data-offline-notice]:not(.d-none)").wait_for()
    shots(page, "checklist-2-offline")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(last.locator("[data-save-state]")).to_contain_text("已保存")
    page.reload()
    assert page.locator(f"#r-{last_code}-fail").is_checked()
    answered = int(page.locator("[data-answered]").inner_text())
    assert answered >= 2
    shots(page, "checklist-3-resumed")


def test_the_submitter_sees_why_he_may_not_close(live_server, world, page):
    log_in(page, live_server.url, "principal1", PASSWORD)
    page.goto(f"{live_server.url}/hazards/{world['hazard'].pk}/")
    reason = page.get_by_test_id("unavailable-actions")
    assert "整改提交人不能验收自己提交的整改" in reason.inner_text()
    shots(page, "refusal-1-hazard")
    page.goto(f"{live_server.url}/hazards/{world['hazard'].pk}/close/")
    assert "整改提交人不能验收自己提交的整改" in page.content()
    shots(page, "refusal-2-403")


STAFF_HEADERS = [
    "用户名", "姓名", "手机号", "电子邮箱", "角色", "所属学校（学校代码，多个用、分隔）",
    "所属部门", "在职",
]  # fmt: skip


def _staff_file(tmp_path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(STAFF_HEADERS)
    for row in rows:
        sheet.append(row)
    path = tmp_path / f"staff-{len(rows)}.xlsx"
    book.save(path)
    return str(path)


def test_bureau_imports_staff_bad_row_then_good_file(live_server, world, page, tmp_path):
    good = [["wang", "王老师", "", "", "教师/班主任", "S001", "", "是"]]
    bad = _staff_file(tmp_path, [*good, ["zhao", "赵", "", "", "宇航员", "S009", "", "是"]])
    fine = _staff_file(tmp_path, good)
    log_in(page, live_server.url, "admin1", PASSWORD)
    page.goto(live_server.url + "/schools/import/")
    page.select_option("select[name=kind]", "staff")
    page.set_input_files("input[name=file]", bad)
    page.get_by_test_id("import-form").locator("button[type=submit]").click()
    errors = page.get_by_test_id("import-errors")
    assert "第 3 行" in errors.inner_text() and "宇航员" in errors.inner_text()
    shots(page, "import-1-bad-row")
    page.select_option("select[name=kind]", "staff")
    page.set_input_files("input[name=file]", fine)
    page.get_by_test_id("import-form").locator("button[type=submit]").click()
    page.get_by_test_id("import-preview").wait_for()
    shots(page, "import-2-preview")
    page.get_by_test_id("import-confirm").click()
    page.locator(".alert-success").wait_for()
    shots(page, "import-3-done")
    assert "新增 1 条" in page.locator(".alert-success").inner_text()


SERIOUS = {"serious", "critical"}


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (npm ci)")
def test_main_pages_have_no_serious_accessibility_violation(live_server, world, page):
    log_in(page, live_server.url, "officer1", PASSWORD)
    pages = {
        "dashboard": "/",
        "ledger": "/hazards/",
        "hazard": f"/hazards/{world['hazard'].pk}/",
        "inspections": "/inspections/",
        "profile": "/accounts/profile/",
        "password": "/accounts/password/change/",
    }
    found = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.evaluate(AXE.read_text() + "\n;true")  # not a <script> tag: the CSP forbids inline
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [
            (v["id"], [n["target"] for n in v["nodes"]][:5])
            for v in result["violations"]
            if v["impact"] in SERIOUS
        ]
        if bad:
            found[name] = bad
    (ARTIFACTS / "journeys").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "journeys" / "axe.json").write_text(json.dumps(found, ensure_ascii=False))
    assert found == {}


def _photo(tmp_path, name):
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (320, 240), (200, 60, 60)).save(path, "JPEG")
    return str(path)


def test_report_rectify_verify_and_a_public_snapshot(live_server, world, page, tmp_path):
    token = world["school"].snapshot_token
    # The officer reports with a photo, assigns and rectifies on a phone.
    log_in(page, live_server.url, "officer1", PASSWORD)
    page.goto(live_server.url + "/hazards/new/")
    page.fill("input[name=title]", "楼梯扶手松动")
    page.select_option("select[name=category]", "building")
    page.set_input_files("input[name=photos]", _photo(tmp_path, "before.jpg"))
    shots(page, "hazard-1-report")
    page.get_by_role("button", name="提交").click()
    page.get_by_test_id("actions").wait_for()
    hazard_url = page.url
    page.get_by_role("link", name="交办整改").click()
    page.select_option("select[name=responsible]", index=1)
    page.fill("textarea[name=measures]", "更换扶手螺栓")
    page.locator("form button[type=submit]").last.click()
    page.get_by_role("link", name="提交整改").click()
    page.fill("textarea[name=note]", "已更换螺栓并加固")
    page.set_input_files("input[name=photos]", _photo(tmp_path, "after.jpg"))
    shots(page, "hazard-2-rectify")
    page.locator("form button[type=submit]").last.click()
    page.get_by_test_id("unavailable-actions").wait_for()  # verification is the bureau's
    # The bureau verifies and closes.
    page.context.clear_cookies()
    log_in(page, live_server.url, "bureau1", PASSWORD)
    page.goto(hazard_url)
    page.get_by_role("link", name="验收销号").click()
    page.locator("form button[type=submit]").last.click()
    assert "已销号" in page.content()
    shots(page, "hazard-3-closed")
    # A teacher files a 随手拍 through the school's public link, without signing in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/s/{token}/")
    page.fill("textarea[name=title]", "操场围栏破损")
    page.fill("input[name=location]", "操场东侧")
    page.set_input_files("input[name=photos]", _photo(tmp_path, "snap.jpg"))
    shots(page, "snapshot-1-form")
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    shots(page, "snapshot-2-done")
    assert page.problems == []
