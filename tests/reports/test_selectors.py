"""The dashboard's reads (reports.selectors): plain data for a user, year, period and day —
no clock, no request — and a fixed number of queries for the bureau and for a school
officer, whatever the number of schools and rows."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from hazards.models import Hazard, RemediationExpense, RemediationProject
from reports import selectors, services
from tests.factories import (
    ActivityFactory,
    DrillFactory,
    HazardFactory,
    InspectionFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
JUNE_10 = D(2025, 6, 10)
BJ = ZoneInfo("Asia/Shanghai")
BJ_NOON = datetime.datetime(2025, 6, 10, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Beijing


def hazard(school, status=Hazard.Status.RECTIFYING, deadline=None, **kwargs):
    if status == Hazard.Status.CLOSED:
        kwargs.setdefault("closed_at", datetime.datetime(2025, 3, 20, 10, tzinfo=BJ))
    return HazardFactory(school=school, status=status, deadline=deadline, **kwargs)


def fill(school):
    """One school's year: hazards in every state (one overdue on 10 June 2025), a drill, a
    lesson, a joint inspection and fire remediation money."""
    reported = datetime.datetime(2025, 3, 5, 9, tzinfo=BJ)
    hazard(school, deadline=D(2025, 6, 1), reported_at=reported)
    hazard(school, status=Hazard.Status.VERIFYING, deadline=JUNE_10, reported_at=reported)
    hazard(school, status=Hazard.Status.CLOSED, reported_at=reported)
    hazard(school, status=Hazard.Status.DISMISSED, reported_at=reported)
    hazard(school, status=Hazard.Status.REPORTED, reported_at=reported)
    DrillFactory(school=school, date=D(2025, 4, 1))
    ActivityFactory(school=school, date=D(2025, 4, 2))
    InspectionFactory(school=school, kind="joint", status="submitted", date=D(2025, 5, 6))
    project, _ = RemediationProject.objects.get_or_create(
        name="消防遗留问题整改", defaults={"category": "fire", "budget_yuan": Decimal("1000000")}
    )
    RemediationExpense.objects.create(
        project=project, school=school, date=D(2025, 5, 1), amount_yuan=Decimal("120000")
    )


def test_the_dashboard_of_a_school_officer_is_their_schools(officer_a, school_a, school_b):
    fill(school_a)
    fill(school_b)
    data = selectors.dashboard(officer_a, year=2025, period="calendar", today=JUNE_10)
    assert data["scope_label"] == "甲学校"
    assert data["queue"] == {"open": 3, "overdue": 1}
    [late] = data["most_overdue"]
    assert (late.school, late.days_overdue) == (school_a, 9)
    [row] = data["school_rows"]
    assert row["name"] == "甲学校"
    assert dict(zip([str(c) for c in data["school_columns"]], row["values"], strict=True)) == {
        "发现隐患": 4,
        "已销号": 1,
        "未销号（当前）": 3,
        "逾期（当前）": 1,
        "应急演练": 1,
        "安全教育": 1,
        "联合检查": 1,
    }
    assert (
        data["chart"]["found"][2] == 4
        and data["chart"]["closed"][2] == 1
        and sum(data["chart"]["found"]) == 4
    )
    assert data["uncovered_schools"] is None  # a bureau figure
    figures = {row["key"]: row for row in data["figures"] + data["extra_figures"]}
    assert figures["drills"]["display"] == "1"
    assert figures["fire_remediation_investment_yuan"]["display"] == "12.00 万元"
    assert [row["total_display"] for row in data["investment"]] == ["12.00 万元"]


def test_the_bureau_sees_every_school_and_the_day_decides_what_is_overdue(
    bureau_staff, school_a, school_b
):
    fill(school_a)
    fill(school_b)
    data = selectors.dashboard(bureau_staff, year=2025, period="calendar", today=JUNE_10)
    assert data["scope_label"] == "全旗"
    assert data["queue"] == {"open": 6, "overdue": 2}
    assert [row["name"] for row in data["school_rows"]] == ["甲学校", "乙学校"]
    assert data["uncovered_schools"] == 2
    later = selectors.dashboard(bureau_staff, year=2025, period="calendar", today=D(2025, 6, 11))
    assert later["queue"] == {"open": 6, "overdue": 4}  # the ones due on 10 June too
    assert [h.days_overdue for h in later["most_overdue"]] == [10, 10, 1, 1]


def test_digest_figures_count_the_day_on_the_beijing_calendar(school_a):
    fill(school_a)
    HazardFactory(
        school=school_a,
        reported_at=datetime.datetime(2025, 6, 9, 16, 30, tzinfo=datetime.UTC),
    )
    HazardFactory(
        school=school_a,
        reported_at=datetime.datetime(2025, 6, 9, 15, 30, tzinfo=datetime.UTC),
    )
    hazard(
        school_a,
        status=Hazard.Status.CLOSED,
        level=Hazard.Level.MAJOR,
        reported_at=datetime.datetime(2025, 3, 5, 9, tzinfo=BJ),
        closed_at=datetime.datetime(2025, 6, 10, 15, 59, tzinfo=datetime.UTC),
    )  # 23:59 in Beijing
    hazard(
        school_a,
        status=Hazard.Status.REPORTED,
        level=Hazard.Level.MAJOR,
        reported_at=datetime.datetime(2025, 3, 5, 9, tzinfo=BJ),
    )
    # 16:30 UTC on 9 June is 00:30 on 10 June in Beijing: reported today; 15:30 UTC is not.
    assert selectors.digest_figures(JUNE_10) == {
        "open": 6,
        "overdue": 1,
        "major_open": 1,
        "reported": 1,
        "closed": 1,
    }


@pytest.mark.parametrize("persona", ["bureau_staff", "officer_a"])
def test_dashboard_queries_are_a_fixed_number(
    client, request, persona, school_a, django_assert_max_num_queries
):
    """The year's figures are read from the roll-up (issue 13), which the beat task stores:
    session, user, (a school user: their schools), the stored rows (bureau: its row, the
    page's schools and their rows; a school user: their rows), the page of schools (count,
    page), (a school user: the chart; the bureau's is stored), the queue, the most overdue,
    the investment, (bureau: the uncovered schools, and the five of the schools to watch:
    policy, schools, hazards, recurrences, risk points), the bell; the drill gaps card
    (schools and the compliance, 5); the charts by category and time to close (a school
    user: 2; the bureau's are stored in its row since the stored charts, 2 fewer) and the
    overdue schools (1); the planned drills of the card's compliance (1; their drills only
    when a school has plans). Before, 38 and 33 with the figures counted again. Since the
    bureau's current figures are stored (the queue's counts, the overdue schools, the
    uncovered schools) and a school user's schools are read once: 14 and 20 (24 and 23)."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    fill(school_a)

    def load():
        budget = {"bureau_staff": 14, "officer_a": 20}[persona]
        with time_machine.travel(BJ_NOON, tick=False):
            services.rollup_statistics(year=2025, period="calendar", today=JUNE_10)
            cache.clear()  # the watch list's cached rows: count their queries too
            with django_assert_max_num_queries(budget):
                response = client.get(reverse("dashboard"), {"year": 2025})
        assert response.status_code == 200
        return response.context

    assert load()["queue"]["overdue"] == 1
    for _ in range(5):
        school = SchoolFactory()
        user.schools.add(school)
        fill(school)
    context = load()
    assert context["queue"]["overdue"] == 6
    drills = next(row for row in context["figures"] if row["key"] == "drills")
    assert drills["value"] == 6
