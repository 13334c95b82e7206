"""Bulk import from Excel by a bureau admin, through the web: a template to download, a
preview of what each row does, every bad row named with its reason and nothing imported,
re-import by the natural key without duplicates, leavers deactivated and never deleted."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from schools.models import School, SchoolAssignment
from tests.factories import SchoolFactory, UserFactory

IMPORT = "/schools/import/"
CONFIRM = "/schools/import/confirm/"
STAFF = [
    "用户名",
    "姓名",
    "手机号",
    "电子邮箱",
    "角色",
    "所属学校（学校代码，多个用、分隔）",
    "所属部门",
    "在职",
]


def xlsx(headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue())


@pytest.fixture
def admin_client(client, bureau_admin):
    client.force_login(bureau_admin)
    return client


@pytest.fixture
def schools(db):
    return SchoolFactory(code="S001", name="锡尼镇第一小学"), SchoolFactory(
        code="S002", name="杭锦旗第二中学"
    )


def upload(client, kind, file, **extra):
    return client.post(IMPORT, {"kind": kind, "file": file, **extra})


GOOD = [
    ["wang", "王老师", "13800000001", "wang@example.cn", "教师/班主任", "S001", "", "是"],
    ["li", "李安全", "13800000002", "li@example.cn", "学校安全员", "S001、S002", "", "是"],
]


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(admin_client, schools):
    bad = [*GOOD, ["zhao", "赵", "", "", "宇航员", "S009", "", "是"]]
    response = upload(admin_client, "staff", xlsx(STAFF, bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 4 行" in html and "宇航员" in html and "S009" in html
    assert not User.objects.filter(username__in=["wang", "li", "zhao"]).exists()
    # Nothing waits for a confirmation either.
    admin_client.post(CONFIRM)
    assert not User.objects.filter(username="wang").exists()


def test_a_phone_that_is_not_a_mainland_mobile_is_named_once(admin_client, schools):
    rows = [GOOD[0], ["zhao", "赵老师", 2345678, "", "教师/班主任", "S001", "", "是"],
            ["qian", "钱老师", 12800000003, "", "教师/班主任", "S001", "", "是"]]  # fmt: skip
    response = upload(admin_client, "staff", xlsx(STAFF, rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("手机号须为 11 位中国大陆手机号") == 2
    assert 'data-line="3"' in html and 'data-line="4"' in html and 'data-line="2"' not in html
    assert "。；" not in html and "。。" not in html
    assert not User.objects.filter(username="wang").exists()


def test_preview_then_confirm_imports_and_a_reimport_updates(admin_client, schools):
    preview = upload(admin_client, "staff", xlsx(STAFF, GOOD))
    assert preview.status_code == 200
    assert [r.action for r in preview.context["outcome"].rows] == ["new", "new"]
    assert not User.objects.filter(username="wang").exists()  # a preview saves nothing
    admin_client.post(CONFIRM)
    li = User.objects.get(username="li")
    assert li.role == "school_officer" and li.must_change_password and not li.has_usable_password()
    assert sorted(li.schools.values_list("code", flat=True)) == ["S001", "S002"]
    changed = [GOOD[0], ["li", "李安全", "13900000000", "li@example.cn", "校长", "S002", "", "是"]]
    preview = upload(admin_client, "staff", xlsx(STAFF, changed))
    assert [r.action for r in preview.context["outcome"].rows] == ["skip", "update"]
    admin_client.post(CONFIRM)
    assert User.objects.filter(username="li").count() == 1
    li.refresh_from_db()
    assert (li.role, li.phone) == ("principal", "13900000000")
    assert list(li.schools.values_list("code", flat=True)) == ["S002"]


def test_leavers_are_deactivated_not_deleted(admin_client, schools):
    gone = UserFactory(username="gone", role=User.Role.TEACHER, schools=[schools[0]])
    other = UserFactory(username="other", role=User.Role.TEACHER, schools=[SchoolFactory()])
    preview = upload(admin_client, "staff", xlsx(STAFF, GOOD), deactivate_absent="on")
    assert preview.context["outcome"].leavers == ["gone"]
    gone.refresh_from_db()
    assert gone.is_active  # not before the confirmation
    admin_client.post(CONFIRM)
    gone.refresh_from_db()
    other.refresh_from_db()
    assert not gone.is_active and other.is_active
    marked = [["wang", "王老师", "", "", "教师/班主任", "S001", "", "否"]]
    preview = upload(admin_client, "staff", xlsx(STAFF, marked))
    assert [(r.action, r.errors) for r in preview.context["outcome"].rows] == [("update", [])]
    admin_client.post(CONFIRM)
    assert not User.objects.get(username="wang").is_active


def test_schools_and_assignments_by_their_natural_keys(admin_client, bureau_staff):
    headers = [
        "学校代码",
        "学校名称",
        "办学类型",
        "所属镇/苏木",
        "地址",
        "寄宿制",
        "学生数",
        "教职工数",
        "在用",
    ]
    rows = [["T100", "独贵塔拉镇中心小学", "小学", "独贵塔拉镇", "", "是", 300, 40, "是"]]
    upload(admin_client, "schools", xlsx(headers, rows))
    admin_client.post(CONFIRM)
    school = School.objects.get(code="T100")
    assert school.is_boarding and school.student_count == 300
    assignment = [["T100", "bureau", "包校干部", datetime.date(2025, 3, 1), None]]
    for _twice in range(2):
        upload(
            admin_client,
            "assignments",
            xlsx(["学校代码", "用户名", "类型", "开始日期", "结束日期"], assignment),
        )
        admin_client.post(CONFIRM)
    assert (
        SchoolAssignment.objects.filter(school=school, user=bureau_staff, kind="cadre").count() == 1
    )


@pytest.mark.parametrize(
    "content", [b"not an excel file", b"PK\x03\x04broken zip", b""], ids=["text", "zip", "empty"]
)
def test_a_malformed_file_is_a_clear_message(admin_client, content):
    response = upload(admin_client, "staff", SimpleUploadedFile("x.xlsx", content))
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["file"]


def test_missing_key_column_is_named(admin_client):
    response = upload(admin_client, "staff", xlsx(["姓名"], [["王"]]))
    assert response.status_code == 400 and "缺少列：用户名" in response.content.decode()


def test_only_bureau_admins_import(client, bureau_staff, officer_a):
    for user in (bureau_staff, officer_a):
        client.force_login(user)
        assert client.get(IMPORT).status_code == 403
        assert client.get("/schools/import/template/staff/").status_code == 403


def test_templates_have_the_headers(admin_client):
    response = admin_client.get("/schools/import/template/staff/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == STAFF


def test_a_role_may_be_one_part_of_its_label(admin_client, schools):
    rows = [["zhou", "周老师", "13800000009", "", "教师", "S001", "", "是"]]
    assert upload(admin_client, "staff", xlsx(STAFF, rows)).status_code == 200
    admin_client.post(CONFIRM)
    assert User.objects.get(username="zhou").role == User.Role.TEACHER
