"""Screening results of a class from Excel: all rows or none, one message per bad row."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tests.factories import SchoolClassFactory, StudentFactory
from wellbeing.models import Instrument, Screening, StudentRecord


def sheet(rows, headers=("学号", "得分", "详情")):
    book = openpyxl.Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("class.xlsx", out.getvalue())


@pytest.fixture
def klass(school_a):
    school_class = SchoolClassFactory(school=school_a)
    for n in (1, 2):
        StudentFactory(school_class=school_class, student_number=f"A{n}")
    return school_class


def post(client, klass, upload):
    phq9 = Instrument.objects.get(name__contains="PHQ-9")
    data = {"school_class": klass.pk, "instrument": phq9.pk, "date": "2025-03-09", "file": upload}
    return client.post(reverse("wellbeing-import"), data)


@time_machine.travel(datetime.date(2025, 3, 10))
def test_a_good_sheet_imports_every_row_encrypted(client, klass, counsellor_a):
    client.force_login(counsellor_a)
    response = post(client, klass, sheet([("A1", 12, "睡眠差"), ("A2", 3, None)]))
    assert response.status_code == 302
    assert StudentRecord.objects.count() == 2 and Screening.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM wellbeing_screening WHERE details <> ''")
        assert "睡眠差" not in cursor.fetchone()[0]


@time_machine.travel(datetime.date(2025, 3, 10))
def test_one_bad_row_imports_nothing_and_names_every_bad_row(client, klass, counsellor_a, school_b):
    StudentFactory(school_class=SchoolClassFactory(school=school_b), student_number="B1")
    client.force_login(counsellor_a)
    rows = [("A1", 12, ""), ("B1", 5, ""), ("A2", 30, ""), ("A2", "x", "")]
    response = post(client, klass, sheet(rows))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert [e[:5] for e in errors] == ["第 3 行", "第 4 行", "第 5 行"]
    assert "B1" in errors[0] and "0–27" in errors[1]
    assert not StudentRecord.objects.exists() and not Screening.objects.exists()
    bad = post(client, klass, SimpleUploadedFile("x.xlsx", b"not a sheet"))
    assert bad.status_code == 200 and bad.context["form"].errors["file"]
    headers = post(client, klass, sheet([("A1", 1)], headers=("姓名", "分数")))
    assert "学号" in headers.context["form"].errors["file"][0]


def test_only_the_schools_counsellor_imports(client, klass, principal_a, school_b):
    client.force_login(principal_a)
    assert post(client, klass, sheet([("A1", 1, "")])).status_code == 403
