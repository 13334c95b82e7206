"""The daily scan: reviews due, checks overdue by grade, and a re-assessment prompt after a
linked hazard is closed when the grade may be too low — each once, through the task."""

import datetime

import pytest
import time_machine

from accounts.models import User
from hazards.models import Hazard
from notifications.models import Kind, Notification
from risks import reminders, tasks
from risks.models import RiskAssessment, RiskCheck, RiskHazardLink, RiskPoint
from tests.factories import HazardFactory

from .conftest import TODAY, at

pytestmark = pytest.mark.django_db


def _point(school, **kw):
    defaults = {"name": "配电室", "category": "electrical", "grade": "general", "created_on": TODAY}
    return RiskPoint.objects.create(school=school, **{**defaults, **kw})


def _texts(user):
    return list(
        Notification.objects.filter(recipient=user, kind=Kind.RISK).values_list("title", flat=True)
    )


def test_review_due_within_the_notice_days(officer_a, school_a, policy):
    _point(school_a, name="近", review_due=TODAY + datetime.timedelta(days=14))
    _point(school_a, name="远", review_due=TODAY + datetime.timedelta(days=15))
    assert reminders.remind_reviews(TODAY, policy) == 1
    assert reminders.remind_reviews(TODAY, policy) == 0  # once
    assert _texts(officer_a) == ["风险点复评提醒：近"]


def test_check_overdue_by_grade(officer_a, school_a, policy):
    red = _point(school_a, name="红", grade="major", created_on=TODAY - datetime.timedelta(days=30))
    RiskCheck.objects.create(point=red, date=TODAY - datetime.timedelta(days=8))  # weekly: late
    blue = _point(school_a, name="蓝", grade="low", created_on=TODAY - datetime.timedelta(days=30))
    RiskCheck.objects.create(point=blue, date=TODAY - datetime.timedelta(days=8))  # fine
    on_time = _point(
        school_a, name="准", grade="major", created_on=TODAY - datetime.timedelta(days=30)
    )
    RiskCheck.objects.create(point=on_time, date=TODAY - datetime.timedelta(days=7))  # due today
    assert list(RiskPoint.objects.check_overdue(policy, TODAY)) == [red]
    assert reminders.remind_checks(TODAY, policy) == 1
    assert _texts(officer_a) == ["风险点检查逾期：红"]


def test_closed_major_hazard_prompts_reassessment_once(officer_a, school_a):
    point = _point(school_a)
    RiskAssessment.objects.create(
        point=point, method="matrix", likelihood=3, severity=3, score=9, grade="general",
        assessed_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    general = HazardFactory(school=school_a, status=Hazard.Status.CLOSED, closed_at=at(TODAY))
    RiskHazardLink.objects.create(point=point, hazard=general)
    assert reminders.remind_reassessments_after_hazards(TODAY) == 0  # one general hazard: fine
    major = HazardFactory(
        school=school_a, level="major", status=Hazard.Status.CLOSED, closed_at=at(TODAY)
    )
    RiskHazardLink.objects.create(point=point, hazard=major)
    assert reminders.remind_reassessments_after_hazards(TODAY) == 1
    assert reminders.remind_reassessments_after_hazards(TODAY) == 0
    # Re-assessed after the close: no longer asked.
    RiskAssessment.objects.create(
        point=point, method="matrix", likelihood=3, severity=3, score=9, grade="general",
        assessed_on=TODAY + datetime.timedelta(days=1),
    )  # fmt: skip
    assert not reminders.needs_reassessment_links(TODAY + datetime.timedelta(days=1)).exists()


def test_repeated_hazards_at_a_low_point_prompt_reassessment(officer_a, school_a):
    point = _point(school_a, grade="low")
    RiskAssessment.objects.create(
        point=point, method="matrix", likelihood=1, severity=1, score=1, grade="low",
        assessed_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    for day in (datetime.date(2025, 3, 1), datetime.date(2025, 5, 1)):
        hazard = HazardFactory(
            school=school_a, reported_at=at(day), status=Hazard.Status.CLOSED,
            closed_at=at(day + datetime.timedelta(days=5)),
        )  # fmt: skip
        RiskHazardLink.objects.create(point=point, hazard=hazard)
    assert reminders.needs_reassessment_links(TODAY).count() == 2


def test_the_task_reads_the_clock_and_runs_every_scan(school_a, officer_a):
    _point(school_a, review_due=TODAY)
    with time_machine.travel("2025-06-16 08:30 +0800", tick=False):
        assert tasks.remind_risks() == 1
        assert tasks.remind_risks() == 0
    assert officer_a.role == User.Role.SCHOOL_OFFICER


def test_point_page_suggests_the_reassessment(client, officer_a, school_a):
    point = _point(school_a)
    RiskAssessment.objects.create(
        point=point, method="matrix", likelihood=3, severity=3, score=9, grade="general",
        assessed_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    url = f"/risks/points/{point.pk}/"
    client.force_login(officer_a)
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        assert 'data-testid="needs-review"' not in client.get(url).content.decode()
        major = HazardFactory(school=school_a, level="major", status="closed", closed_at=at(TODAY))
        RiskHazardLink.objects.create(point=point, hazard=major)
        assert 'data-testid="needs-review"' in client.get(url).content.decode()
