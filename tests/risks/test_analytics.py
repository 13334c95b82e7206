"""Analytics computed in the database: the recurrence rule on its edges, the risk score
recomputed by hand for one school, the "schools to watch" on the bureau's dashboard, the
tables' Excel exports and the API series, and a query count that does not grow with data.
The window-function series need PostgreSQL (as the product's production database)."""

import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hazards.models import Hazard
from risks import analytics
from risks.models import RiskPoint
from risks.series import SERIES, Params
from tests.factories import HazardFactory, SchoolFactory

from .conftest import TODAY, at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="window functions in PostgreSQL"),
]


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield


def closed(school, location, reported, closed_at, category="fire", **kw):
    return HazardFactory(
        school=school, location=location, category=category, status=Hazard.Status.CLOSED,
        reported_at=reported, closed_at=closed_at, **kw,
    )  # fmt: skip


def found(school, location, reported, category="fire", **kw):
    return HazardFactory(
        school=school, location=location, category=category, reported_at=reported, **kw
    )


def recurring_ids(months=6):
    rows = analytics.recurrences(
        None, months=months, start=datetime.date(2024, 1, 1), end=datetime.date(2026, 1, 1)
    )
    return {row["id"] for row in rows}


def test_recurrence_when_and_only_when_the_rule_says(school_a, school_b):
    close = at(datetime.date(2025, 1, 10), 10)  # + 6 months = 2025-07-10 10:00 Beijing
    # Same school, category and place (trimmed, any case), within 6 months: recurs.
    closed(school_a, "一号楼", at(datetime.date(2025, 1, 2)), close)
    inside = found(school_a, " 一号楼 ", at(datetime.date(2025, 7, 10), 10))
    # Exactly at the edge recurs; a minute after does not.
    closed(school_a, "二号楼", at(datetime.date(2025, 1, 2)), close)
    edge_late = found(
        school_a, "二号楼", at(datetime.date(2025, 7, 10), 10) + datetime.timedelta(minutes=1)
    )
    # Another place, category or school: no.
    closed(school_a, "三号楼", at(datetime.date(2025, 1, 2)), close)
    other_place = found(school_a, "四号楼", at(datetime.date(2025, 2, 1)))
    other_category = found(school_a, "三号楼", at(datetime.date(2025, 2, 1)), category="electrical")
    other_school = found(school_b, "三号楼", at(datetime.date(2025, 2, 1)))
    # The previous one still open: a duplicate, not a recurrence.
    found(school_a, "食堂", at(datetime.date(2025, 1, 2)))
    after_open = found(school_a, "食堂", at(datetime.date(2025, 2, 1)))
    # A dismissed report in between does not hide the closed one before it.
    closed(school_a, "操场", at(datetime.date(2025, 1, 2)), close)
    found(school_a, "操场", at(datetime.date(2025, 1, 20)), status=Hazard.Status.DISMISSED)
    after_dismissed = found(school_a, "操场", at(datetime.date(2025, 3, 1)))
    # Reported before the previous one was closed: no.
    closed(school_a, "大门", at(datetime.date(2025, 1, 2)), at(datetime.date(2025, 3, 1)))
    during = closed(school_a, "大门", at(datetime.date(2025, 2, 1)), at(datetime.date(2025, 3, 5)))
    # No location: never compared.
    closed(school_a, "", at(datetime.date(2025, 1, 2)), close)
    no_place = found(school_a, "", at(datetime.date(2025, 2, 1)))

    got = recurring_ids()
    assert inside.pk in got and after_dismissed.pk in got
    assert not got & {
        p.pk
        for p in (
            edge_late,
            other_place,
            other_category,
            other_school,
            after_open,
            during,
            no_place,
        )
    }
    assert len(got) == 2
    # A longer window takes the late one in.
    assert edge_late.pk in recurring_ids(months=7)


def test_risk_score_by_hand(school_a, school_b):
    """School A: 1 open major hazard, 2 overdue, 1 recurrence, 1 red point, 1 point overdue
    for its check → 10×1 + 5×2 + 3×1 + 4×1 + 2×1 = 29."""
    HazardFactory(school=school_a, level=Hazard.Level.MAJOR)  # open major (reported)
    for _ in range(2):
        HazardFactory(
            school=school_a,
            status=Hazard.Status.RECTIFYING,
            deadline=TODAY - datetime.timedelta(days=1),
        )
    HazardFactory(
        school=school_a, status=Hazard.Status.RECTIFYING, deadline=TODAY
    )  # due today: not overdue
    closed(school_a, "锅炉房", at(datetime.date(2025, 3, 1)), at(datetime.date(2025, 3, 10)))
    found(school_a, "锅炉房", at(datetime.date(2025, 5, 1)))  # recurrence
    RiskPoint.objects.create(
        school=school_a, name="红", category="fire", grade="major", created_on=TODAY
    )
    RiskPoint.objects.create(
        school=school_a,
        name="橙",
        category="fire",
        grade="significant",
        created_on=TODAY - datetime.timedelta(days=31),
    )  # fmt: skip  (monthly: due 30 days after, overdue now)
    RiskPoint.objects.create(
        school=school_a,
        name="黄",
        category="fire",
        grade="general",
        created_on=TODAY - datetime.timedelta(days=31),
    )  # fmt: skip  (quarterly: not yet due)

    rows = {row["school_id"]: row for row in analytics.school_scores(None, today=TODAY)}
    a = rows[school_a.pk]
    assert (
        a["open_major"],
        a["overdue"],
        a["recurrences"],
        a["red_points"],
        a["missed_checks"],
    ) == (1, 2, 1, 1, 1)
    assert a["score"] == 10 * 1 + 5 * 2 + 3 * 1 + 4 * 1 + 2 * 1 == 29
    assert rows[school_b.pk]["score"] == 0

    watch = analytics.schools_to_watch(None, today=TODAY)
    assert [row["school_id"] for row in watch] == [school_a.pk]
    assert watch[0]["reasons"][0] == ("open_major", 1)


def test_watch_list_on_the_bureau_dashboard_only(client, bureau_staff, officer_a, school_a):
    for _ in range(3):
        HazardFactory(school=school_a, level=Hazard.Level.MAJOR)
    client.force_login(bureau_staff)
    body = client.get("/").content.decode()
    assert 'data-testid="watch-list"' in body and "未销号重大隐患 3 项" in body
    client.force_login(officer_a)
    assert 'data-testid="watch-list"' not in client.get("/").content.decode()


def _world(schools, hazards_each):
    for school in schools:
        for n in range(hazards_each):
            day = datetime.date(2025, 1 + n % 5, 1 + n)
            closed(school, "楼", at(day), at(day + datetime.timedelta(days=3)))
        RiskPoint.objects.create(
            school=school, name="点", category="fire", grade="major", created_on=TODAY
        )


@pytest.mark.parametrize("key", list(SERIES))
def test_query_count_does_not_grow_with_data(policy, key):
    params = Params(year=2025, today=TODAY)
    _world([SchoolFactory() for _ in range(2)], 2)
    with CaptureQueriesContext(connection) as small:
        SERIES[key].compute(None, params)
    _world([SchoolFactory() for _ in range(8)], 6)
    with CaptureQueriesContext(connection) as large:
        rows = SERIES[key].compute(None, params)
    assert len(large) == len(small) <= 6
    assert rows or key == "overdue-rate"


def test_stage_times_medians(school_a):
    """Two hazards: reported → assigned after 1 and 3 days, closed 2 and 4 days later:
    medians 2 days (查) and… the whole time to close 3 and 7 days → median 5."""
    from tests.risks.conftest import at as when

    for wait, work in ((1, 2), (3, 4)):
        start = when(datetime.date(2025, 3, 1))
        hazard = closed(school_a, "x", start, start + datetime.timedelta(days=wait + work))
        hazard.events.create(action="assign", from_status="reported", to_status="rectifying",
                             created_at=start + datetime.timedelta(days=wait))  # fmt: skip
        hazard.events.create(action="close", from_status="rectifying", to_status="closed",
                             created_at=start + datetime.timedelta(days=wait + work))  # fmt: skip
    (row,) = analytics.stage_times(None, start=datetime.date(2025, 1, 1), end=TODAY, by="school")
    assert row["hazards"] == 2
    assert (row["reported_median"], row["rectifying_median"], row["close_median"]) == (
        2.0,
        3.0,
        5.0,
    )


def test_excel_export_has_the_tables_rows(client, bureau_staff, school_a):
    HazardFactory(school=school_a, level=Hazard.Level.MAJOR)
    client.force_login(bureau_staff)
    response = client.get(reverse("risk-analytics-export", args=["school-scores"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "学校" and rows[1][0] == school_a.name and rows[1][-1] == 10
    assert client.get(reverse("risk-analytics-export", args=["nothing"])).status_code == 404
    assert client.get(reverse("risk-analytics") + "?year=abc&by=zzz").status_code == 200


def test_api_series_scoped(api_as, officer_a, bureau_staff, school_a, school_b):
    HazardFactory(school=school_b, level=Hazard.Level.MAJOR)
    rows = api_as(officer_a).get("/api/v1/risk-analytics/school-scores/").json()["rows"]
    assert [row["school_id"] for row in rows] == [school_a.pk]
    rows = api_as(bureau_staff).get("/api/v1/risk-analytics/school-scores/").json()["rows"]
    assert rows[0]["school_id"] == school_b.pk and rows[0]["score"] == 10
    assert api_as(bureau_staff).get("/api/v1/risk-analytics/nope/").status_code == 404


def test_watch_list_is_reused_for_ten_minutes(client, bureau_staff, school_a, settings):
    for _ in range(3):
        HazardFactory(school=school_a, level=Hazard.Level.MAJOR)
    client.force_login(bureau_staff)
    assert "未销号重大隐患 3 项" in client.get("/").content.decode()
    HazardFactory(school=school_a, level=Hazard.Level.MAJOR)
    assert "未销号重大隐患 3 项" in client.get("/").content.decode()  # cached
    settings.RISK_ANALYTICS_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.clear()
    client.get("/")
    assert "未销号重大隐患 4 项" in client.get("/").content.decode()


def test_the_warm_up_task_fills_the_bureau_analytics(client, bureau_staff, school_a, policy):
    """After the beat task, the bureau's analytics page runs none of the series' SQL: the
    same page costs fewer queries than on a cold cache by at least one per series."""
    from risks.tasks import warm_bureau_analytics

    _world([school_a], 3)
    client.force_login(bureau_staff)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(reverse("risk-analytics")).status_code == 200
    cache.clear()
    assert warm_bureau_analytics() == len(SERIES)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(reverse("risk-analytics")).status_code == 200
    assert len(warm) <= len(cold) - len(SERIES)
