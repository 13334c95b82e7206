"""The dashboard's charts (reports.charts): hazards by category, median days to close by
month, the schools with the most overdue hazards, found and closed by month with month
names; each with its table; a constant number of queries whatever the number of schools."""

import datetime

import pytest
import time_machine
from django.utils import translation

from hazards.models import Hazard
from reports import charts
from tests.factories import HazardFactory, SchoolFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2024, 12, 20, 9, 0, tzinfo=TZ)
S = Hazard.Status


def at(month, day=10):
    return datetime.datetime(2024, month, day, 10, 0, tzinfo=TZ)


def hazards(school, overdue=1):
    HazardFactory(school=school, category="fire", reported_at=at(3))
    HazardFactory(
        school=school, category="fire", reported_at=at(4), status=S.CLOSED, closed_at=at(4, 20)
    )  # fmt: skip  (10 days)
    HazardFactory(
        school=school, category="canteen", reported_at=at(4, 1), status=S.CLOSED, closed_at=at(4, 5)
    )  # fmt: skip  (4 days)
    HazardFactory(school=school, category="water", reported_at=at(5), status=S.DISMISSED,
                  dismiss_reason="重复")  # fmt: skip
    for _ in range(overdue):
        HazardFactory(school=school, category="building", status=S.RECTIFYING,
                      deadline=datetime.date(2024, 12, 1), reported_at=at(11))  # fmt: skip


def test_the_dashboard_shows_each_chart_with_its_table(client, bureau_staff, school_a, school_b):
    hazards(school_a, overdue=1)
    hazards(school_b, overdue=2)
    client.force_login(bureau_staff)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/?year=2024&period=calendar")
    board = response.context["charts"]
    category = board["by_category"]
    assert category["labels"] == ["消防", "校舍", "食堂/食品"]  # not 防溺水: dismissed
    assert category["series"][0]["values"] == [4, 3, 2]
    assert category["links"][0].startswith("/hazards/?category=fire")
    overdue = board["overdue_schools"]
    assert overdue["labels"] == ["乙学校", "甲学校"]
    assert overdue["series"][0]["values"] == [2, 1]
    close = board["close_time"]
    april = close["labels"].index("四月")
    assert [s["values"][april] for s in close["series"]] == [7.0, 4]  # median of 10,4,10,4
    assert board["by_month"]["labels"][0] == "一月"
    html = response.content.decode()
    for name in ("by-month", "by-category", "close-time", "overdue-schools"):
        assert f'data-testid="chart-{name}-table"' in html
    # The category's link counts what the chart says.
    listed = client.get(category["links"][0]).context["page"].paginator.count
    assert listed == 4


def test_months_by_name_in_english(bureau_staff, school_a):
    hazards(school_a)
    with translation.override("en"):
        board = charts.dashboard_charts(
            bureau_staff, year=2024, period="school", today=NOW.date(), by_month=None
        )
    assert board["close_time"]["labels"][:2] == ["September", "October"]


@pytest.mark.parametrize("schools", [1, 6])
def test_a_constant_number_of_queries(django_assert_max_num_queries, bureau_staff, schools):
    for _ in range(schools):
        hazards(SchoolFactory(), overdue=2)
    with django_assert_max_num_queries(3):
        charts.dashboard_charts(bureau_staff, year=2024, period="calendar", today=NOW.date())
