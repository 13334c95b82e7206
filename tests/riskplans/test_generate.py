"""Risk-based planning: red and orange points become planned self inspections on the day
their grade's interval runs out and patrol points; re-running makes nothing twice; done
inspections and patrols come back as checks of the point. Through the page, the daily task
and the services."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections.models import Inspection
from riskplans import services
from riskplans.models import PatrolLink, PlannedCheck
from riskplans.tasks import generate_risk_plans
from risks.models import RiskCheck, RiskPoint
from supervision.models import Patrol, PatrolCheck, PatrolPoint, PatrolSlot

TODAY = datetime.date(2025, 6, 16)  # a Monday
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield


def point(school, name, grade, category="fire", checked=None, created=TODAY):
    p = RiskPoint.objects.create(
        school=school, name=name, category=category, grade=grade, created_on=created
    )
    if checked:
        RiskCheck.objects.create(point=p, date=checked)
    return p


@pytest.fixture
def register(school_a):
    """Red checked 3 days ago (due in 4), orange never checked since 1 June (due 1 July),
    red overdue (checked 20 days ago: due today), a yellow and a blue (not planned)."""
    days = datetime.timedelta
    return {
        "red": point(school_a, "锅炉房", "major", checked=TODAY - days(3)),
        "orange": point(
            school_a, "学生宿舍", "significant", "dormitory", created=TODAY.replace(day=1)
        ),
        "late": point(school_a, "食堂操作间", "major", "canteen", checked=TODAY - days(20)),
        "yellow": point(school_a, "楼梯", "general"),
        "blue": point(school_a, "操场", "low"),
    }


def test_grade_sets_the_planned_day_and_yellow_blue_are_left(school_a, register):
    done = services.generate_for_school(school_a, actor=None, today=TODAY)
    assert (done.inspections, done.points, done.patrol_created) == (3, 3, 3)
    planned = {
        pc.point.name: (pc.due_on, pc.inspection.date, pc.inspection.kind, pc.inspection.status)
        for pc in PlannedCheck.objects.select_related("point", "inspection")
    }
    self_planned = (Inspection.Kind.SELF, Inspection.Status.PLANNED)
    assert planned == {
        "锅炉房": (TODAY + datetime.timedelta(days=4),) * 2 + self_planned,
        "学生宿舍": (datetime.date(2025, 7, 1),) * 2 + self_planned,
        "食堂操作间": (TODAY, TODAY) + self_planned,
    }
    kinds = dict(PatrolPoint.objects.filter(school=school_a).values_list("name", "kind"))
    assert kinds == {"锅炉房": "other", "学生宿舍": "dorm", "食堂操作间": "canteen"}


def test_running_again_makes_nothing(school_a, register):
    services.generate_for_school(school_a, actor=None, today=TODAY)
    again = services.generate_for_school(school_a, actor=None, today=TODAY)
    assert vars(again) == {"inspections": 0, "points": 0, "patrol_created": 0, "patrol_linked": 0}
    assert Inspection.objects.count() == 3 and PatrolPoint.objects.count() == 3


def test_points_due_the_same_day_share_one_inspection_and_existing_patrol_point_is_linked(
    school_a,
):
    point(school_a, "校门", "major", "security", created=TODAY - datetime.timedelta(days=30))
    point(school_a, "配电室", "major", "electrical", created=TODAY - datetime.timedelta(days=9))
    PatrolPoint.objects.create(school=school_a, name="校门", kind="gate")
    done = services.generate_for_school(school_a, actor=None, today=TODAY)
    assert (done.inspections, done.points, done.patrol_created, done.patrol_linked) == (1, 2, 1, 1)
    inspection = Inspection.objects.get()
    assert inspection.date == TODAY and "校门" in inspection.title and "配电室" in inspection.title
    assert PatrolPoint.objects.filter(school=school_a, name="校门").count() == 1
    assert PatrolLink.objects.get(point__name="校门").created is False


def test_done_inspection_is_a_check_once_and_the_next_one_is_planned(school_a, register):
    services.generate_for_school(school_a, actor=None, today=TODAY)
    late = PlannedCheck.objects.get(point=register["late"]).inspection
    late.status = Inspection.Status.SUBMITTED
    late.save()
    assert services.record_done_checks(today=TODAY) == 1
    assert services.record_done_checks(today=TODAY) == 0
    check = RiskCheck.objects.get(point=register["late"], date=TODAY)
    assert check.result == RiskCheck.Result.OK and check.checked_by is None
    # Checked today: the next red check falls 7 days on, in a new inspection.
    done = services.generate_for_school(school_a, actor=None, today=TODAY)
    assert (done.inspections, done.points) == (1, 1)
    assert PlannedCheck.objects.filter(point=register["late"]).latest("due_on").due_on == (
        TODAY + datetime.timedelta(days=7)
    )


def test_patrol_of_the_linked_point_is_a_check(school_a, officer_a, register):
    services.generate_for_school(school_a, actor=None, today=TODAY)
    patrol_point = register["red"].patrol_link.patrol_point
    slot = PatrolSlot.objects.create(
        school=school_a, name="午间", kind="break", start="12:00", end="12:30", weekdays="12345",
        patroller=officer_a,
    )  # fmt: skip
    patrol = Patrol.objects.create(school=school_a, slot=slot, date=TODAY, status="done")
    PatrolCheck.objects.create(
        patrol=patrol, point=patrol_point, method="scan",
        checked_at=datetime.datetime.fromisoformat("2025-06-16T00:10:00+08:00"),
    )  # fmt: skip
    assert services.record_done_checks(today=TODAY) == 1
    assert services.record_done_checks(today=TODAY) == 0
    assert RiskCheck.objects.filter(point=register["red"]).latest("date").date == TODAY


def test_daily_task_generates_idempotently(school_a, school_b, register):
    point(school_b, "河道", "significant", "water")
    first = generate_risk_plans.apply().get()
    second = generate_risk_plans.apply().get()
    assert first["inspections"] == 4 and first["patrol_created"] == 4
    assert second["inspections"] == 0 and second["patrol_created"] == 0
    assert Inspection.objects.filter(school=school_b).count() == 1


def test_officer_previews_then_generates_from_the_register(client, officer_a, school_a, register):
    client.force_login(officer_a)
    page = client.get(reverse("risk-register")).content.decode()
    url = reverse("risk-plans-generate", args=[school_a.pk])
    assert url in page and "按风险生成检查计划/巡查点位" in page
    preview = client.get(url).content.decode()
    assert "食堂操作间" in preview and "2025-06-16" in preview and "新建点位：学生宿舍" in preview
    assert Inspection.objects.count() == 0  # the preview writes nothing
    response = client.post(url, follow=True)
    text = response.content.decode()
    assert "已生成 3 次自查计划（覆盖 3 个风险点），新建 3 个巡查点位" in text
    assert Inspection.objects.filter(school=school_a, kind="self").count() == 3
    again = client.post(url, follow=True).content.decode()
    assert "没有需要新生成的内容" in again and Inspection.objects.count() == 3


def test_who_may_generate(client, officer_b, teacher_a, bureau_staff, school_a, register):
    url = reverse("risk-plans-generate", args=[school_a.pk])
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    client.force_login(teacher_a)
    assert client.post(url).status_code == 403
    assert Inspection.objects.count() == 0
    client.force_login(bureau_staff)
    assert client.post(url).status_code == 302
    assert Inspection.objects.count() == 3


def test_no_published_checklist_is_a_clear_error(client, officer_a, school_a, register):
    from inspections.models import Checklist

    Checklist.objects.update(is_published=False)
    client.force_login(officer_a)
    response = client.post(reverse("risk-plans-generate", args=[school_a.pk]))
    assert response.status_code == 200
    assert "只能使用已发布的检查表" in response.content.decode()
    assert Inspection.objects.count() == 0 and PatrolPoint.objects.count() == 0
    # The daily task skips the school (logged) instead of failing the whole run.
    assert generate_risk_plans.apply().get()["inspections"] == 0
