"""The roster's Excel import and export over HTTP: the template, an import with one bad row
imports nothing and names the row, a re-import updates by student number and deactivates
leavers, and guardian phones in the export are masked unless the user may see them."""

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import Student

pytestmark = pytest.mark.django_db
HEADERS = ["学号", "姓名", "班级", "住校", "监护人姓名", "监护人电话"]


def xlsx(rows, headers=HEADERS):
    return SimpleUploadedFile(
        "students.xlsx", tablib.Dataset(*rows, headers=headers).export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip


def upload(client, school, rows, **kwargs):
    return client.post(
        reverse("roster-import"), {"school": school.pk, "file": xlsx(rows, **kwargs)}
    )


def sheet(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_the_template_has_the_columns(client, officer_a):
    client.force_login(officer_a)
    rows = sheet(client.get(reverse("roster-template")))
    assert rows[0] == HEADERS and len(rows) == 2


def test_import_then_reimport_updates_and_deactivates_leavers(
    client, officer_a, class_a1, class_a2
):
    client.force_login(officer_a)
    before = Student.objects.count()
    rows = [
        ["N001", "王小明", "三年级1班", "否", "王父", "13900001111"],
        ["N002", "李小红", "三年级1班", "是", "李母", 13900002222],  # Excel gave a number
        ["A100", "走读生0改名", "三年级1班", "否", "", ""],  # already there: updated
    ]
    response = upload(client, class_a1.school, rows)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Student.objects.get(student_number="N002").guardian_phone == "13900002222"
    assert Student.objects.get(student_number="A100").name == "走读生0改名"
    # The other students of 三年级1班 were not in the file: they left (deactivated, kept).
    assert set(Student.objects.filter(school_class=class_a1, is_active=False).values_list(
        "student_number", flat=True)) == {"A101", "A102", "A1B0", "A1B1"}  # fmt: skip
    assert Student.objects.get(student_number="A201").is_active  # another class: untouched
    response = upload(client, class_a1.school, rows)
    assert Student.objects.count() == before + 2  # no duplicates


def test_one_bad_row_imports_nothing_and_names_the_row(client, officer_a, class_a1):
    client.force_login(officer_a)
    before = list(Student.objects.values_list("student_number", "name", "is_active"))
    rows = [
        ["N001", "王小明", "三年级1班", "否", "王父", "13900001111"],
        ["N002", "李小红", "九年级9班", "否", "李母", "13900002222"],
        ["N003", "", "三年级1班", "也许", "", "电话"],
        ["N001", "重复", "三年级1班", "否", "", ""],
    ]
    response = upload(client, class_a1.school, rows)
    assert response.status_code == 400
    errors = response.context["rows"]
    numbers = {n for n, _ in errors}
    assert numbers == {3, 4, 5}, errors
    text = " ".join(reason for _, reason in errors)
    assert "九年级9班" in text and "也许" in text and "重复" in text
    assert "第 3 行" in response.content.decode() or "<td>3</td>" in response.content.decode()
    assert list(Student.objects.values_list("student_number", "name", "is_active")) == before


def test_bad_files_are_form_errors(client, officer_a, class_a1):
    client.force_login(officer_a)
    bad = SimpleUploadedFile("x.xlsx", b"not a spreadsheet")
    response = client.post(reverse("roster-import"), {"school": class_a1.school.pk, "file": bad})
    assert response.status_code == 400 and response.context["form"].errors
    response = upload(client, class_a1.school, [["x", "y"]], headers=["a", "b"])
    assert response.status_code == 400 and "缺少列" in response.content.decode()


def test_only_the_school_managers_import(client, teacher_a, officer_a, class_a1, class_b1):
    client.force_login(teacher_a)
    assert client.get(reverse("roster-import")).status_code == 403
    client.force_login(officer_a)
    response = upload(client, class_b1.school, [["N9", "某某", "B班", "否", "", ""]])
    assert response.status_code == 400  # school B is not a choice
    assert not Student.objects.filter(student_number="N9").exists()


def test_export_masks_phones_except_for_the_homeroom_teacher(
    client, teacher_a, teacher_a2, class_a1
):
    url = reverse("roster-export", args=[class_a1.pk])
    client.force_login(teacher_a)
    phones = [r[5] for r in sheet(client.get(url))[1:]]
    assert "13800000000" in phones
    client.force_login(teacher_a2)
    phones = [r[5] for r in sheet(client.get(url))[1:]]
    assert phones and all("****" in p for p in phones)
    assert "13800000000" not in phones
