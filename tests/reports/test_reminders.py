"""The bureau's scheduled messages: the daily digest and the year-end final roll-up —
each once per period, and on the Beijing calendar even when the process clock is UTC."""

import datetime

import pytest
import time_machine

from drills.models import Drill
from notifications.models import Kind, Notification
from reports import reminders, tasks
from reports.models import YearlyStatistic
from tests.factories import HazardFactory

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


def drill(school, date):
    return Drill.objects.create(school=school, drill_type="fire", date=date)


# --- bureau digest --------------------------------------------------------------------


def test_the_digest_goes_once_a_day_to_bureau_users_only(
    school_a, bureau_staff, bureau_admin, officer_a, teacher_a
):
    active_hazard(school_a, teacher_a, D(2025, 6, 1))
    HazardFactory(school=school_a, reported_at=datetime.datetime(2025, 6, 10, 1, 0, tzinfo=UTC))
    assert reminders.send_bureau_digest(D(2025, 6, 10)) == 2
    assert reminders.send_bureau_digest(D(2025, 6, 10)) == 0
    assert rows(Kind.DIGEST) == [("admin1", "2025-06-10"), ("bureau", "2025-06-10")]
    body = Notification.objects.filter(kind=Kind.DIGEST).first().body
    assert "今日新登记隐患1条" in body and "未销号隐患2条" in body and "已逾期1条" in body


# --- year-end roll-up -----------------------------------------------------------------


def test_the_final_rollup_after_midnight_on_1_january_rolls_up_the_year_just_ended(
    utc_process, school_a, bureau_staff
):
    drill(school_a, D(2025, 12, 31))
    drill(school_a, D(2026, 1, 1))
    # 00:30 on 1 January 2026 in Beijing is 16:30 on 31 December 2025 in UTC.
    with time_machine.travel(datetime.datetime(2025, 12, 31, 16, 30, tzinfo=UTC), tick=False):
        assert datetime.date.today() == D(2025, 12, 31)  # noqa: DTZ011
        tasks.year_end_rollup.delay()
    stored = YearlyStatistic.objects.get(school=None, period="calendar")
    assert stored.year == 2025 and stored.figures["drills"] == 1
    assert rows(Kind.ROLLUP) == [("bureau", "2025")]
