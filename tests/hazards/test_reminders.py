"""The hazard ledger's reminders: deadlines approaching and the overdue ladder (owner →
principal → 包校干部 → 联校领导) — each once per period, and on the Beijing calendar even
when the process clock is UTC."""

import datetime

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from hazards import reminders, tasks
from notifications.models import Kind, Notification
from tests.factories import AssignmentFactory, HazardFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.UTC


def rows(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "period")
    )


def active_hazard(school, responsible, deadline, **kwargs):
    return HazardFactory(
        school=school, status="rectifying", responsible=responsible, deadline=deadline, **kwargs
    )


# --- deadlines ------------------------------------------------------------------------


def test_the_owner_is_reminded_once_per_threshold_before_the_deadline(school_a, teacher_a):
    hazard = active_hazard(school_a, teacher_a, D(2025, 6, 13))
    assert reminders.remind_deadlines(D(2025, 6, 9)) == 0  # 4 days left: not yet
    assert reminders.remind_deadlines(D(2025, 6, 10)) == 1
    assert reminders.remind_deadlines(D(2025, 6, 11)) == 0  # 2 days left: the 3-day one is sent
    assert reminders.remind_deadlines(D(2025, 6, 12)) == 1
    assert reminders.remind_deadlines(D(2025, 6, 12)) == 0
    assert rows(Kind.DEADLINE) == [("teacher_a", "2025-06-13:1d"), ("teacher_a", "2025-06-13:3d")]
    assert hazard.title in Notification.objects.first().title


def test_closed_hazards_get_no_deadline_reminder(school_a, teacher_a):
    HazardFactory(
        school=school_a, status="verifying", responsible=teacher_a, deadline=D(2025, 6, 11)
    )
    HazardFactory(school=school_a, status="reported", deadline=D(2025, 6, 11))
    assert reminders.remind_deadlines(D(2025, 6, 10)) == 1  # only the one still being verified


# --- overdue ladder -------------------------------------------------------------------


@pytest.fixture
def ladder(school_a, teacher_a, principal_a, officer_a):
    cadre = UserFactory(username="cadre", role=User.Role.BUREAU_STAFF, scope_all_schools=True)
    leader = UserFactory(username="leader", role=User.Role.BUREAU_ADMIN, scope_all_schools=True)
    former = UserFactory(
        username="former_cadre", role=User.Role.BUREAU_STAFF, scope_all_schools=True
    )
    AssignmentFactory(school=school_a, user=cadre, kind="cadre", start_date=D(2025, 1, 1))
    AssignmentFactory(school=school_a, user=leader, kind="leader", start_date=D(2025, 1, 1))
    AssignmentFactory(
        school=school_a,
        user=former,
        kind="cadre",
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
    )
    AssignmentFactory(
        school=SchoolFactory(),
        user=UserFactory(username="other_cadre", role=User.Role.BUREAU_STAFF),
        kind="cadre",
        start_date=D(2025, 1, 1),
    )
    return active_hazard(school_a, teacher_a, D(2025, 6, 1))


@pytest.mark.parametrize(
    ("today", "told"),
    [
        (D(2025, 6, 1), []),
        (D(2025, 6, 2), ["teacher_a"]),
        (D(2025, 6, 4), ["principal_a", "teacher_a"]),
        (D(2025, 6, 8), ["cadre", "principal_a", "teacher_a"]),
        (D(2025, 6, 15), ["cadre", "leader", "principal_a", "teacher_a"]),
    ],
)
def test_the_overdue_ladder_climbs_as_days_pass(ladder, today, told):
    reminders.escalate_overdue(today)
    assert [name for name, _period in rows(Kind.OVERDUE)] == told


def test_each_step_is_told_once(ladder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(2, 20):
            reminders.escalate_overdue(D(2025, 6, day))
    assert rows(Kind.OVERDUE) == [
        ("cadre", "2025-06-01:cadre"),
        ("leader", "2025-06-01:leader"),
        ("principal_a", "2025-06-01:principal"),
        ("teacher_a", "2025-06-01:owner"),
    ]
    assert len(mail.outbox) == 4


def test_a_new_deadline_starts_the_ladder_again(ladder):
    reminders.escalate_overdue(D(2025, 6, 2))
    ladder.deadline = D(2025, 6, 20)
    ladder.save()
    reminders.escalate_overdue(D(2025, 6, 21))
    assert rows(Kind.OVERDUE) == [
        ("teacher_a", "2025-06-01:owner"),
        ("teacher_a", "2025-06-20:owner"),
    ]


def test_without_a_responsible_person_the_officers_are_the_owner(school_a, officer_a, principal_a):
    active_hazard(school_a, None, D(2025, 6, 1))
    reminders.escalate_overdue(D(2025, 6, 2))
    assert rows(Kind.OVERDUE) == [("officer_a", "2025-06-01:owner")]


def test_the_overdue_check_uses_the_beijing_date_when_the_process_clock_is_utc(
    utc_process, school_a, teacher_a
):
    active_hazard(school_a, teacher_a, D(2025, 6, 9))
    with time_machine.travel(datetime.datetime(2025, 6, 9, 15, 30, tzinfo=UTC), tick=False):
        tasks.escalate_overdue.delay()  # 23:30 on 9 June in Beijing: not overdue yet
    assert rows(Kind.OVERDUE) == []
    with time_machine.travel(datetime.datetime(2025, 6, 9, 23, 30, tzinfo=UTC), tick=False):
        # The naive local date is still the 9th.
        assert datetime.date.today() == D(2025, 6, 9)  # noqa: DTZ011
        tasks.escalate_overdue.delay()  # 07:30 on 10 June in Beijing
    assert rows(Kind.OVERDUE) == [("teacher_a", "2025-06-09:owner")]
    assert "已逾期1天" in Notification.objects.get().body
