"""Patrols over HTTP: start a slot, tick a point or scan its QR code, note a problem with a
photo (a hazard with source "patrol" that follows 查改督销), finish; compliance per school
and day; the printable QR sheet."""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hazards import services as hazard_services
from hazards.models import Hazard
from schools.models import School
from supervision import services
from supervision.models import Patrol, PatrolCheck, PatrolProblem, PatrolSlot
from supervision.selectors import daily_summary

from ..hazards.conftest import jpeg_bytes
from .conftest import HOLIDAY, WEDNESDAY

pytestmark = pytest.mark.django_db
MORNING = datetime.datetime(2024, 10, 9, 2, 5, tzinfo=UTC)  # 10:05 in Beijing


@time_machine.travel(MORNING, tick=False)
def test_run_a_slot_on_the_phone(client, patrol_setup, teacher_a):
    slot, (gate, stairs, garden) = patrol_setup
    client.force_login(teacher_a)
    url = reverse("patrol-slot", args=[slot.pk])
    assert "大课间" in client.get(reverse("patrol-list")).content.decode()
    assert client.post(url, {"action": "start"}).status_code == 302
    client.post(url, {"action": "tick", "point": gate.pk})
    # Scanning the stairs' QR code opens its landing page, which ticks it as scanned.
    response = client.get(reverse("patrol-scan", args=[stairs.code]))
    assert response.status_code == 302 and response.url == url
    photo = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(url, {
        "action": "problem", "point": stairs.pk, "title": "楼梯扶手松动", "category": "building",
        "description": "二楼转角", "photo": photo,
    })  # fmt: skip
    assert response.status_code == 302
    client.post(url, {"action": "finish", "note": "正常"})
    patrol = Patrol.objects.get()
    assert patrol.status == "done" and patrol.date == WEDNESDAY
    assert dict(PatrolCheck.objects.values_list("point__name", "method")) == {
        "南校门": "tick", "教学楼楼梯": "scan",
    }  # fmt: skip
    hazard = PatrolProblem.objects.get(patrol=patrol).hazard
    assert (hazard.source, hazard.location, hazard.status) == ("patrol", "教学楼楼梯", "reported")
    assert hazard.photos.count() == 1
    page = client.get(url).content.decode()
    assert "楼梯扶手松动" in page


@time_machine.travel(MORNING, tick=False)
def test_a_patrol_problem_follows_the_workflow(patrol_setup, teacher_a, officer_a, principal_a):
    slot, (gate, *_rest) = patrol_setup
    patrol = services.start_patrol(slot, actor=teacher_a, now=MORNING)
    problem = services.report_patrol_problem(
        patrol, actor=teacher_a, title="消防通道堵塞", category="fire", now=MORNING, point=gate
    )
    hazard = problem.hazard
    hazard = hazard_services.assign_hazard(
        hazard, actor=officer_a, responsible=officer_a, measures="清理杂物"
    )
    hazard = hazard_services.submit_rectification(hazard, actor=officer_a, note="已清理")
    hazard = hazard_services.close_hazard(hazard, actor=principal_a)
    assert hazard.status == Hazard.Status.CLOSED
    actions = set(hazard.events.values_list("action", flat=True))
    assert {"report", "close"} <= actions, actions


@time_machine.travel(MORNING, tick=False)
def test_a_bad_problem_form_or_a_point_elsewhere_is_refused(
    client, patrol_setup, teacher_a, school_b
):
    slot, points = patrol_setup
    client.force_login(teacher_a)
    url = reverse("patrol-slot", args=[slot.pk])
    client.post(url, {"action": "start"})
    response = client.post(url, {"action": "problem", "title": "", "category": "nope"})
    assert response.status_code == 200 and response.context["problem_form"].errors
    photo = SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        url, {"action": "problem", "title": "x", "category": "fire", "photo": photo}
    )
    assert response.status_code == 200
    assert client.post(url, {"action": "tick", "point": 999999}).status_code == 404
    assert not Hazard.objects.exists()


def test_not_on_a_holiday_and_not_for_somebody_else(
    client, patrol_setup, teacher_a, teacher_a2, officer_b
):
    slot, _ = patrol_setup
    url = reverse("patrol-slot", args=[slot.pk])
    with time_machine.travel(datetime.datetime(2024, 10, 1, 2, 5, tzinfo=UTC), tick=False):
        client.force_login(teacher_a)
        client.post(url, {"action": "start"})
        assert not Patrol.objects.filter(date=HOLIDAY).exists()
    with time_machine.travel(MORNING, tick=False):
        client.force_login(teacher_a2)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "start"}).status_code == 403
        client.force_login(officer_b)
        assert client.get(url).status_code == 404
    assert not Patrol.objects.exists()


def _patrols(slot, n, day, actor, points, prefix="班次"):
    for i in range(n):
        extra = PatrolSlot.objects.create(
            school=slot.school, name=f"{prefix}{i}", kind=slot.kind, start=datetime.time(8 + i, 0),
            end=datetime.time(8 + i, 20), patroller=actor,
        )  # fmt: skip
        extra.points.set(points)
        now = datetime.datetime.combine(day, extra.start, tzinfo=UTC)
        patrol = services.start_patrol(extra, actor=actor, now=now, day=day)
        for point in points:
            services.check_point(patrol, point, actor=actor, method="tick", now=now)
        services.finish_patrol(patrol, actor=actor, now=now)


@time_machine.travel(datetime.datetime(2024, 10, 9, 14, 0, tzinfo=UTC), tick=False)
def test_compliance_key_areas_five_times_and_two_dorm_night_patrols(patrol_setup, teacher_a):
    slot, (gate, stairs, garden) = patrol_setup
    school = slot.school
    _patrols(slot, 4, WEDNESDAY, teacher_a, [gate, stairs])
    (row,) = daily_summary(School.objects.filter(pk=school.pk), WEDNESDAY)
    assert (row["key_checks_min"], row["compliant"]) == (4, False)
    _patrols(slot, 1, WEDNESDAY, teacher_a, [gate, stairs], prefix="补巡")
    (row,) = daily_summary(School.objects.filter(pk=school.pk), WEDNESDAY)
    assert (row["key_checks_min"], row["compliant"]) == (5, True)
    school.is_boarding = True
    school.save()
    (row,) = daily_summary(School.objects.filter(pk=school.pk), WEDNESDAY)
    assert row["compliant"] is False  # no dorm night patrol yet
    PatrolSlot.objects.filter(name__in=["班次0", "班次1"]).update(kind="night")
    (row,) = daily_summary(School.objects.filter(pk=school.pk), WEDNESDAY)
    assert (row["night_patrols"], row["compliant"]) == (2, True)
    assert (row["done"], row["missed"]) == (5, 0)


def test_the_qr_sheet_for_the_officer_only(client, patrol_setup, officer_a, teacher_a, officer_b):
    slot, points = patrol_setup
    url = reverse("patrol-qr", args=[slot.school_id])
    client.force_login(officer_a)
    assert url in client.get(reverse("patrol-list")).content.decode()
    page = client.get(url).content.decode()
    assert page.count('class="segno"') == 3 and "南校门" in page
    client.force_login(teacher_a)
    assert client.get(url).status_code == 403
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
