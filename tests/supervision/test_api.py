"""The supervision API: check-ins read and written, patrol logs, the bureau's summary
(counts only), and the guardian-phone rule on the API."""

import datetime
from datetime import UTC

import pytest
import time_machine

from supervision.models import CheckIn

from .conftest import WEDNESDAY, day_students

pytestmark = pytest.mark.django_db
EVENING = datetime.datetime(2024, 10, 9, 10, 0, tzinfo=UTC)


@time_machine.travel(EVENING, tick=False)
def test_write_then_read_check_ins(api_as, teacher_a, class_a1):
    api = api_as(teacher_a)
    first = day_students(class_a1)[0]
    body = {"school_class": class_a1.pk, "date": str(WEDNESDAY), "kind": "home",
            "marks": [{"student": first.pk, "status": "excused"}], "all_arrived": True}  # fmt: skip
    response = api.post("/api/v1/check-ins/", body, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(r["status"] for r in response.json()) == ["arrived", "arrived", "excused"]
    response = api.post("/api/v1/check-ins/", body, format="json")  # a retry: still 3 rows
    assert CheckIn.objects.count() == 3
    listed = api.get("/api/v1/check-ins/", {"school_class": class_a1.pk, "date": str(WEDNESDAY)})
    assert listed.status_code == 200
    phones = {r["student_name"]: r["guardian_phone"] for r in listed.json()["results"]}
    assert phones[first.name] == first.guardian_phone


@time_machine.travel(EVENING, tick=False)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"marks": [{"student": 999999, "status": "arrived"}]}, "student"),
        ({"date": "2024-07-01"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"marks": [{"student": 0, "status": "gone"}]}, "marks"),
        ({"marks": []}, "marks"),
    ],
)
def test_bad_writes_are_400s(api_as, teacher_a, class_a1, change, field):
    student = day_students(class_a1)[0]
    body = {"school_class": class_a1.pk, "date": str(WEDNESDAY), "kind": "home",
            "marks": [{"student": student.pk, "status": "arrived"}], **change}  # fmt: skip
    for mark in body["marks"]:
        mark["student"] = mark["student"] or student.pk
    response = api_as(teacher_a).post("/api/v1/check-ins/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not CheckIn.objects.exists()


@time_machine.travel(EVENING, tick=False)
def test_a_class_of_another_school_is_a_400(api_as, officer_b, class_a1, class_b1):
    student = day_students(class_a1)[0]
    body = {"school_class": class_a1.pk, "date": str(WEDNESDAY),
            "marks": [{"student": student.pk, "status": "arrived"}]}  # fmt: skip
    response = api_as(officer_b).post("/api/v1/check-ins/", body, format="json")
    assert response.status_code == 400 and "school_class" in response.json()


@time_machine.travel(EVENING, tick=False)
def test_teacher_of_class_b_reads_class_a_phones_masked(
    api_as, teacher_a, teacher_a2, class_a1, class_a2
):
    api_as(teacher_a).post(
        "/api/v1/check-ins/",
        {"school_class": class_a1.pk, "date": str(WEDNESDAY), "all_arrived": True},
        format="json",
    )
    listed = api_as(teacher_a2).get("/api/v1/check-ins/").json()["results"]
    assert listed and all("****" in r["guardian_phone"] for r in listed)
    # Writing class A's roll: 403.
    body = {"school_class": class_a1.pk, "date": str(WEDNESDAY), "all_arrived": True}
    assert api_as(teacher_a2).post("/api/v1/check-ins/", body, format="json").status_code == 403


@time_machine.travel(EVENING, tick=False)
def test_bureau_gets_counts_and_no_names(api_as, bureau_staff, teacher_a, class_a1, class_b1):
    api_as(teacher_a).post(
        "/api/v1/check-ins/",
        {"school_class": class_a1.pk, "date": str(WEDNESDAY), "all_arrived": True},
        format="json",
    )
    api = api_as(bureau_staff)
    assert api.get("/api/v1/check-ins/").json()["results"] == []
    summary = api.get("/api/v1/supervision/summary/", {"date": str(WEDNESDAY)})
    assert summary.status_code == 200
    rows = {r["school_name"]: r for r in summary.json()["schools"]}
    assert rows[class_a1.school.name]["reported"] == 1
    assert rows[class_a1.school.name]["classes"] == 1
    assert "走读生" not in summary.content.decode() and "1380000" not in summary.content.decode()
    assert api.get("/api/v1/supervision/summary/", {"date": "x"}).status_code == 400
    trend = api.get("/api/v1/supervision/trend/", {"start": "2024-10-07", "end": "2024-10-09"})
    assert [r["date"] for r in trend.json()] == ["2024-10-07", "2024-10-08", "2024-10-09"]
    assert api.get("/api/v1/supervision/trend/", {"start": "2020-01-01"}).status_code == 400


def test_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/check-ins/", "/api/v1/patrols/", "/api/v1/supervision/summary/"):
        assert path in schema
