"""到家报平安 over HTTP: the roll page, one tap per student saved by the JSON endpoint
(one row per student and day), "all arrived" then the exceptions, bad input as 400, and
who may see which class and which guardian phones."""

import datetime
import json
from datetime import UTC

import pytest
import time_machine
from django.urls import reverse

from supervision.models import CheckIn

from ..factories import SchoolClassFactory, StudentFactory
from .conftest import HOLIDAY, WEDNESDAY, WORKDAY, day_students

pytestmark = pytest.mark.django_db
EVENING = datetime.datetime(2024, 10, 9, 10, 0, tzinfo=UTC)  # 18:00 in Beijing


def post(client, school_class, **body):
    return client.post(
        reverse("checkin-mark", args=[school_class.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


@time_machine.travel(EVENING, tick=False)
def test_one_tap_saves_one_row_and_a_repeat_keeps_it(client, teacher_a, class_a1):
    client.force_login(teacher_a)
    student = day_students(class_a1)[0]
    for status in ("arrived", "arrived", "excused"):
        response = post(
            client, class_a1, date=str(WEDNESDAY), kind="home", student=student.pk, status=status
        )
        assert response.status_code == 200, response.content
    assert response.json() == {"marks": {str(student.pk): "excused"}}
    rows = CheckIn.objects.filter(student=student)
    assert [(r.date, r.kind, r.status, r.marked_by) for r in rows] == [
        (WEDNESDAY, "home", "excused", teacher_a)
    ]


@time_machine.travel(EVENING, tick=False)
def test_all_arrived_then_the_exceptions(client, teacher_a, class_a1):
    client.force_login(teacher_a)
    first, second, third = day_students(class_a1)
    post(client, class_a1, date=str(WEDNESDAY), kind="home", student=first.pk, status="excused")
    response = post(client, class_a1, date=str(WEDNESDAY), kind="home", all=True)
    assert response.json()["marks"] == {str(second.pk): "arrived", str(third.pk): "arrived"}
    post(client, class_a1, date=str(WEDNESDAY), kind="home", student=third.pk, status="pending")
    statuses = dict(CheckIn.objects.values_list("student__name", "status"))
    assert statuses == {first.name: "excused", second.name: "arrived", third.name: "pending"}
    # Boarders are on the 查寝 roll, not on the home roll.
    assert not CheckIn.objects.filter(student__is_boarding=True).exists()


@time_machine.travel(EVENING, tick=False)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"date": str(WEDNESDAY), "kind": "home", "student": 999999, "status": "arrived"},
            "student",
        ),
        ({"date": "2024-08-20", "kind": "home", "student": 0, "status": "arrived"}, "date"),
        ({"date": str(HOLIDAY), "kind": "home", "student": 0, "status": "arrived"}, "date"),
        ({"date": "2024-10-10", "kind": "home", "student": 0, "status": "arrived"}, "date"),
        ({"date": "2024-13-40", "kind": "home", "student": 0, "status": "arrived"}, "date"),
        ({"date": str(WEDNESDAY), "kind": "home", "student": 0, "status": "gone"}, "status"),
        ({"date": str(WEDNESDAY), "kind": "nap", "student": 0, "status": "arrived"}, "kind"),
        ({"date": str(WEDNESDAY), "kind": "home", "student": "x", "status": "arrived"}, "student"),
    ],
)
def test_bad_input_is_a_400_with_the_field(client, teacher_a, class_a1, body, field):
    client.force_login(teacher_a)
    if body["student"] == 0:
        body["student"] = day_students(class_a1)[0].pk
    response = post(client, class_a1, **body)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not CheckIn.objects.exists()


@time_machine.travel(EVENING, tick=False)
def test_a_boarder_or_another_class_student_is_unknown_on_the_home_roll(
    client, teacher_a, class_a1, class_a2
):
    client.force_login(teacher_a)
    boarder = class_a1.students.get(is_boarding=True, student_number="A1B0")
    other = class_a2.students.get()
    for student in (boarder, other):
        response = post(
            client, class_a1, date=str(WEDNESDAY), kind="home", student=student.pk, status="arrived"
        )
        assert response.status_code == 400
    response = client.post(
        reverse("checkin-mark", args=[class_a1.pk]),
        data="{not json",
        content_type="application/json",
    )
    assert response.status_code == 400


@time_machine.travel(datetime.datetime(2024, 10, 12, 10, 0, tzinfo=UTC), tick=False)
def test_a_make_up_workday_takes_check_ins(client, teacher_a, class_a1):
    client.force_login(teacher_a)
    student = day_students(class_a1)[0]
    response = post(
        client, class_a1, date=str(WORKDAY), kind="home", student=student.pk, status="arrived"
    )
    assert response.status_code == 200


@time_machine.travel(EVENING, tick=False)
def test_teacher_of_another_class_and_another_school(
    client, teacher_a2, officer_b, class_a1, class_b1
):
    client.force_login(teacher_a2)
    assert client.get(reverse("checkin-roll", args=[class_a1.pk])).status_code == 403
    student = day_students(class_a1)[0]
    response = post(
        client, class_a1, date=str(WEDNESDAY), kind="home", student=student.pk, status="arrived"
    )
    assert response.status_code == 403
    client.force_login(officer_b)
    assert client.get(reverse("checkin-roll", args=[class_a1.pk])).status_code == 404
    assert (
        post(
            client, class_a1, date=str(WEDNESDAY), student=student.pk, status="arrived"
        ).status_code
        == 404
    )
    assert not CheckIn.objects.exists()


@time_machine.travel(datetime.datetime(2024, 10, 8, 23, 30, tzinfo=UTC), tick=False)
def test_the_page_opens_on_the_beijing_date_at_2330_utc(client, teacher_a, class_a1):
    client.force_login(teacher_a)
    response = client.get(reverse("checkin-roll", args=[class_a1.pk]))
    assert response.context["day"] == WEDNESDAY  # 07:30 on 9 October in Beijing


@time_machine.travel(EVENING, tick=False)
def test_homeroom_teacher_sees_phones_whole_others_masked(client, teacher_a, principal_a, class_a1):
    client.force_login(teacher_a)
    page = client.get(reverse("checkin-roll", args=[class_a1.pk])).content.decode()
    assert "13800000000" in page
    # Another teacher of the school sees the roster masked.
    from .conftest import UserFactory

    other = UserFactory(role="teacher", schools=[class_a1.school])
    client.force_login(other)
    page = client.get(reverse("roster"), {"class": class_a1.pk}).content.decode()
    assert "走读生0" in page and "138****0000" in page and "13800000000" not in page


def _class_of(school, size, teacher):
    school_class = SchoolClassFactory(school=school, homeroom_teacher=teacher, name=f"班{size}")
    StudentFactory.create_batch(size, school_class=school_class)
    return school_class


@time_machine.travel(EVENING, tick=False)
def test_a_55_student_page_costs_the_same_queries_as_a_5_student_one(
    client, teacher_a, class_a1, django_assert_max_num_queries
):
    client.force_login(teacher_a)
    small, big = _class_of(class_a1.school, 5, teacher_a), _class_of(class_a1.school, 55, teacher_a)
    counts = {}
    for school_class in (small, big):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("checkin-roll", args=[school_class.pk]))
        assert response.status_code == 200
        counts[school_class.students.count()] = len(ctx)
    assert counts[5] == counts[55], counts
    with django_assert_max_num_queries(12):
        client.get(reverse("checkin-roll", args=[big.pk]))
    assert response.content.decode().count('data-student="') == 55
