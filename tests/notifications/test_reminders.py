"""Who is reminded of what and when: deadlines, the overdue ladder, the bureau digest,
drills due, national safety dates and the year-end roll-up — each once per period, and on
the Beijing calendar even when the process clock is UTC."""
import datetime

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from drills.models import Drill
from notifications import reminders, tasks
from notifications.models import Kind, Notification
from reports.models import YearlyStatistic
from schools.models import School
from tests.factories import AssignmentFactory, HazardFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.timezone.utc


def rows(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "period"))


def active_hazard(school, responsible, deadline, **kwargs):
    return HazardFactory(school=school, status="rectifying", responsible=responsible, deadline=deadline, **kwargs)


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
    HazardFactory(school=school_a, status="verifying", responsible=teacher_a, deadline=D(2025, 6, 11))
    HazardFactory(school=school_a, status="reported", deadline=D(2025, 6, 11))
    assert reminders.remind_deadlines(D(2025, 6, 10)) == 1  # only the one still being verified


# --- overdue ladder -------------------------------------------------------------------

@pytest.fixture
def ladder(school_a, teacher_a, principal_a, officer_a):
    cadre = UserFactory(username="cadre", role=User.Role.BUREAU_STAFF, scope_all_schools=True)
    leader = UserFactory(username="leader", role=User.Role.BUREAU_ADMIN, scope_all_schools=True)
    former = UserFactory(username="former_cadre", role=User.Role.BUREAU_STAFF, scope_all_schools=True)
    AssignmentFactory(school=school_a, user=cadre, kind="cadre", start_date=D(2025, 1, 1))
    AssignmentFactory(school=school_a, user=leader, kind="leader", start_date=D(2025, 1, 1))
    AssignmentFactory(school=school_a, user=former, kind="cadre", start_date=D(2024, 1, 1),
                      end_date=D(2024, 12, 31))
    AssignmentFactory(school=SchoolFactory(), user=UserFactory(username="other_cadre", role=User.Role.BUREAU_STAFF),
                      kind="cadre", start_date=D(2025, 1, 1))
    return active_hazard(school_a, teacher_a, D(2025, 6, 1))


@pytest.mark.parametrize(("today", "told"), [
    (D(2025, 6, 1), []),
    (D(2025, 6, 2), ["teacher_a"]),
    (D(2025, 6, 4), ["principal_a", "teacher_a"]),
    (D(2025, 6, 8), ["cadre", "principal_a", "teacher_a"]),
    (D(2025, 6, 15), ["cadre", "leader", "principal_a", "teacher_a"]),
])
def test_the_overdue_ladder_climbs_as_days_pass(ladder, today, told):
    reminders.escalate_overdue(today)
    assert [name for name, _period in rows(Kind.OVERDUE)] == told


def test_each_step_is_told_once(ladder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(2, 20):
            reminders.escalate_overdue(D(2025, 6, day))
    assert rows(Kind.OVERDUE) == [
        ("cadre", "2025-06-01:cadre"), ("leader", "2025-06-01:leader"),
        ("principal_a", "2025-06-01:principal"), ("teacher_a", "2025-06-01:owner"),
    ]
    assert len(mail.outbox) == 4


def test_a_new_deadline_starts_the_ladder_again(ladder):
    reminders.escalate_overdue(D(2025, 6, 2))
    ladder.deadline = D(2025, 6, 20)
    ladder.save()
    reminders.escalate_overdue(D(2025, 6, 21))
    assert rows(Kind.OVERDUE) == [("teacher_a", "2025-06-01:owner"), ("teacher_a", "2025-06-20:owner")]


def test_without_a_responsible_person_the_officers_are_the_owner(school_a, officer_a, principal_a):
    active_hazard(school_a, None, D(2025, 6, 1))
    reminders.escalate_overdue(D(2025, 6, 2))
    assert rows(Kind.OVERDUE) == [("officer_a", "2025-06-01:owner")]


def test_the_overdue_check_uses_the_beijing_date_when_the_process_clock_is_utc(
        utc_process, school_a, teacher_a):
    active_hazard(school_a, teacher_a, D(2025, 6, 9))
    with time_machine.travel(datetime.datetime(2025, 6, 9, 15, 30, tzinfo=UTC), tick=False):
        tasks.escalate_overdue.delay()  # 23:30 on 9 June in Beijing: not overdue yet
    assert rows(Kind.OVERDUE) == []
    with time_machine.travel(datetime.datetime(2025, 6, 9, 23, 30, tzinfo=UTC), tick=False):
        assert datetime.date.today() == D(2025, 6, 9)  # the naive local date is still the 9th
        tasks.escalate_overdue.delay()  # 07:30 on 10 June in Beijing
    assert rows(Kind.OVERDUE) == [("teacher_a", "2025-06-09:owner")]
    assert "已逾期1天" in Notification.objects.get().body


# --- bureau digest --------------------------------------------------------------------

def test_the_digest_goes_once_a_day_to_bureau_users_only(school_a, bureau_staff, bureau_admin, officer_a, teacher_a):
    active_hazard(school_a, teacher_a, D(2025, 6, 1))
    HazardFactory(school=school_a, reported_at=datetime.datetime(2025, 6, 10, 1, 0, tzinfo=UTC))
    assert reminders.send_bureau_digest(D(2025, 6, 10)) == 2
    assert reminders.send_bureau_digest(D(2025, 6, 10)) == 0
    assert rows(Kind.DIGEST) == [("admin1", "2025-06-10"), ("bureau", "2025-06-10")]
    body = Notification.objects.filter(kind=Kind.DIGEST).first().body
    assert "今日新登记隐患1条" in body and "未销号隐患2条" in body and "已逾期1条" in body


# --- drills due -----------------------------------------------------------------------

@pytest.fixture
def kindergarten(db):
    school = SchoolFactory(name="第一幼儿园", school_type=School.SchoolType.KINDERGARTEN)
    UserFactory(username="kg_officer", role=User.Role.SCHOOL_OFFICER, schools=[school])
    return school


def drill(school, date):
    return Drill.objects.create(school=school, drill_type="fire", date=date)


def test_a_school_without_a_drill_this_month_is_reminded_from_the_20th(school_a, officer_a, principal_a, kindergarten):
    assert reminders.remind_drills_due(D(2025, 6, 19)) == 0
    assert reminders.remind_drills_due(D(2025, 6, 20)) == 3
    assert reminders.remind_drills_due(D(2025, 6, 21)) == 0
    assert rows(Kind.DRILL_DUE) == [("kg_officer", "2025-Q2"), ("officer_a", "2025-06"), ("principal_a", "2025-06")]


def test_a_drill_in_the_month_or_quarter_settles_it(school_a, officer_a, kindergarten):
    drill(school_a, D(2025, 6, 3))
    drill(kindergarten, D(2025, 4, 28))
    drill(school_a, D(2025, 5, 31))
    assert reminders.remind_drills_due(D(2025, 6, 25)) == 0
    assert reminders.remind_drills_due(D(2025, 7, 25)) == 1  # the school again; Q3 is not ending


def test_kindergartens_are_reminded_in_the_last_month_of_the_quarter_only(kindergarten):
    assert reminders.remind_drills_due(D(2025, 5, 25)) == 0
    assert reminders.remind_drills_due(D(2025, 12, 20)) == 1
    assert rows(Kind.DRILL_DUE) == [("kg_officer", "2025-Q4")]


def test_drill_periods():
    primary = School(school_type=School.SchoolType.PRIMARY)
    kg = School(school_type=School.SchoolType.KINDERGARTEN)
    assert reminders.drill_period(primary, D(2024, 2, 20)) == (D(2024, 2, 1), D(2024, 2, 29), "2024-02")
    assert reminders.drill_period(primary, D(2025, 12, 31)) == (D(2025, 12, 1), D(2025, 12, 31), "2025-12")
    assert reminders.drill_period(kg, D(2025, 11, 5)) == (D(2025, 10, 1), D(2025, 12, 31), "2025-Q4")
    assert reminders.drill_period(kg, D(2025, 1, 5)) == (D(2025, 1, 1), D(2025, 3, 31), "2025-Q1")


# --- national safety dates ------------------------------------------------------------

def test_last_monday_of_march():
    assert [reminders.last_monday_of_march(y) for y in (2024, 2025, 2026)] == [
        D(2024, 3, 25), D(2025, 3, 31), D(2026, 3, 30)]


@pytest.mark.parametrize(("today", "period"), [
    (D(2026, 3, 22), None), (D(2026, 3, 23), "2026-03-30"), (D(2026, 3, 29), "2026-03-30"),
    (D(2026, 3, 30), None), (D(2025, 5, 5), "2025-05-12"), (D(2025, 11, 2), "2025-11-09"),
    (D(2025, 11, 25), "2025-12-02"), (D(2025, 12, 2), None),
])
def test_safety_dates_are_reminded_in_the_week_before(officer_a, bureau_staff, teacher_a, today, period):
    reminders.remind_safety_dates(today)
    expected = [("bureau", period), ("officer_a", period)] if period else []
    assert rows(Kind.SAFETY_DATE) == expected


def test_a_safety_date_is_reminded_once(officer_a):
    for day in range(23, 30):
        reminders.remind_safety_dates(D(2026, 3, day))
    assert Notification.objects.count() == 1


# --- year-end roll-up -----------------------------------------------------------------

def test_the_final_rollup_after_midnight_on_1_january_rolls_up_the_year_just_ended(
        utc_process, school_a, bureau_staff):
    drill(school_a, D(2025, 12, 31))
    drill(school_a, D(2026, 1, 1))
    # 00:30 on 1 January 2026 in Beijing is 16:30 on 31 December 2025 in UTC.
    with time_machine.travel(datetime.datetime(2025, 12, 31, 16, 30, tzinfo=UTC), tick=False):
        assert datetime.date.today() == D(2025, 12, 31)
        tasks.year_end_rollup.delay()
    stored = YearlyStatistic.objects.get(school=None, period="calendar")
    assert stored.year == 2025 and stored.figures["drills"] == 1
    assert rows(Kind.ROLLUP) == [("bureau", "2025")]
