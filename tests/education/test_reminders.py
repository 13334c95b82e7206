"""The national safety dates: reminded in the week before each date, once per date."""

import datetime

import pytest

from education import reminders
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db
D = datetime.date


def rows(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "period")
    )


# --- national safety dates ------------------------------------------------------------


def test_last_monday_of_march():
    assert [reminders.last_monday_of_march(y) for y in (2024, 2025, 2026)] == [
        D(2024, 3, 25),
        D(2025, 3, 31),
        D(2026, 3, 30),
    ]


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (D(2026, 3, 22), None),
        (D(2026, 3, 23), "2026-03-30"),
        (D(2026, 3, 29), "2026-03-30"),
        (D(2026, 3, 30), None),
        (D(2025, 5, 5), "2025-05-12"),
        (D(2025, 11, 2), "2025-11-09"),
        (D(2025, 11, 25), "2025-12-02"),
        (D(2025, 12, 2), "2025-12-04"),  # 国家宪法日
        (D(2025, 12, 4), None),
    ],
)
def test_safety_dates_are_reminded_in_the_week_before(
    officer_a, bureau_staff, teacher_a, today, period
):
    reminders.remind_safety_dates(today)
    expected = [("bureau", period), ("officer_a", period)] if period else []
    assert rows(Kind.SAFETY_DATE) == expected


def test_a_safety_date_is_reminded_once(officer_a):
    for day in range(23, 30):
        reminders.remind_safety_dates(D(2026, 3, day))
    assert Notification.objects.count() == 1
