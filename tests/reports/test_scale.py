"""Province scale (issue 13): the dashboard (with its charts), the yearly report and the
roll-up make the same number of queries at 30 and at 300 schools, and the dashboard reads
the stored figures and the bureau's stored charts — equal to a fresh count once refreshed,
with their age on the page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazards.models import Hazard
from reports import charts, selectors, services, tasks
from reports.figures import FIGURES, compute_figures, month_counts
from reports.models import YearlyStatistic
from schools.models import School
from tests.factories import DrillFactory, HazardFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2025, 6, 10, 12, tzinfo=BJ)
TODAY = NOW.date()


def grow(n, cadre):
    """Schools up to ``n``, each with an overdue hazard and a drill, all in ``cadre``'s
    scope (bulk rows: the scale is the point, not the factories)."""
    missing = n - School.objects.count()
    schools = School.objects.bulk_create(SchoolFactory.build_batch(missing))
    reported = datetime.datetime(2025, 3, 5, 9, tzinfo=BJ)
    Hazard.objects.bulk_create(
        HazardFactory.build(
            school=s, status=Hazard.Status.RECTIFYING, deadline=TODAY.replace(day=1),
            reported_at=reported,
        )
        for s in schools
    )  # fmt: skip
    for school in schools[:3]:
        DrillFactory(school=school, date=datetime.date(2025, 4, 1))
    cadre.schools.add(*schools)


def queries(action):
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_query_counts_do_not_grow_from_30_to_300_schools(client, bureau_staff, api_as):
    cadre = UserFactory(role="school_officer")  # a user scoped to many schools
    bureau, scoped = client, type(client)()
    bureau.force_login(bureau_staff)
    scoped.force_login(cadre)

    def measure():
        tasks.refresh_current_figures.delay()  # the beat task: the figures are stored
        cache.clear()  # the watch list's rows are cached (risks.series): count them too
        return {
            "dashboard (bureau)": queries(lambda: bureau.get(reverse("dashboard"))),
            "dashboard (scoped)": queries(lambda: scoped.get(reverse("dashboard"))),
            "yearly API (bureau)": queries(
                lambda: api_as(bureau_staff).get("/api/v1/reports/yearly/", {"year": 2025})
            ),
            "rollup": queries(
                lambda: services.rollup_statistics(year=2025, period="calendar", today=TODAY)
            ),
        }

    grow(30, cadre)
    small = measure()
    grow(300, cadre)
    large = measure()
    assert small == large
    # The reads are a handful of queries (the bureau's charts of the period are stored with
    # its figures: 20 with them); the roll-up one grouped query per figure family, and for
    # the bureau row its series: the months, the drill statistics and gaps, and the charts'
    # counts by category and close time (2 since the stored charts; 32 in all); for the
    # current calendar year the bureau's current figures (4: open and overdue, the overdue
    # schools, the term and its uncovered schools), which its dashboard reads instead.
    assert large["dashboard (bureau)"] <= 15 and large["yearly API (bureau)"] <= 8
    assert large["rollup"] <= 36


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_reads_stored_figures_equal_to_a_fresh_count_after_the_refresh(
    client, bureau_staff
):
    grow(60, bureau_staff)
    client.force_login(bureau_staff)
    first = client.get(reverse("dashboard"))
    assert "统计截至 2025-06-10 12:00" in first.content.decode()  # its age, Beijing time
    # New records show after the refresh, not before: the page reads the roll-up.
    closed = NOW - datetime.timedelta(days=1)
    HazardFactory(
        school=School.objects.first(), reported_at=closed - datetime.timedelta(days=3),
        category="canteen", status=Hazard.Status.CLOSED, closed_at=closed,
    )  # fmt: skip
    before = client.get(reverse("dashboard")).context
    stale = {r["key"]: r["value"] for r in before["figures"] + before["extra_figures"]}
    assert "食堂/食品" not in before["charts"]["by_category"]["labels"]  # stored, not counted
    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        tasks.refresh_current_figures.delay()
        page = client.get(reverse("dashboard"))
    shown = {r["key"]: r["value"] for r in page.context["figures"] + page.context["extra_figures"]}
    total, by_school = compute_figures(2025, "calendar", today=TODAY)
    assert shown == total and set(shown) == set(FIGURES)
    assert page.context["drill_gaps"] == selectors.drill_gaps_for(bureau_staff, TODAY)
    chart = month_counts(Hazard.objects.all(), datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    assert page.context["chart"]["found"] == chart["found"] and sum(chart["found"]) == 61
    assert shown["hazards_found"] == stale["hazards_found"] + 1
    # The bureau's stored charts are those a fresh count draws.
    fresh_charts = charts.dashboard_charts(bureau_staff, year=2025, period="calendar", today=TODAY)
    for name in ("by_category", "close_time", "overdue_schools"):
        assert page.context["charts"][name] == fresh_charts[name]
    assert "食堂/食品" in page.context["charts"]["by_category"]["labels"]
    assert sum(page.context["charts"]["close_time"]["series"][1]["values"]) == 1
    assert "统计截至 2025-06-10 12:10" in page.content.decode()
    # The per-school table: a page of 20, each row its school's fresh figures.
    rows = page.context["school_rows"]
    assert len(rows) == selectors.SCHOOLS_PER_PAGE
    assert page.context["schools_page"].paginator.count == 60
    fresh = selectors.school_rows(
        [{"id": r["id"], "name": r["name"], "figures": by_school[r["id"]]} for r in rows]
    )
    assert [r["values"] for r in rows] == [r["values"] for r in fresh]
    last = client.get(reverse("dashboard"), {"page": 3}).context["school_rows"]
    assert len(last) == 60 - 2 * selectors.SCHOOLS_PER_PAGE
    assert not {r["id"] for r in rows} & {r["id"] for r in last}
    for bad in ("0", "-1"):  # not the last page (Django's get_page), the first
        shown = client.get(reverse("dashboard"), {"page": bad}).context["schools_page"]
        assert shown.number == 1


@time_machine.travel(NOW, tick=False)
def test_a_school_added_after_the_refresh_is_rolled_up_when_read(client, officer_a, school_a):
    services.rollup_statistics(year=2025, period="calendar", today=TODAY)
    new = SchoolFactory()
    officer_a.schools.add(new)
    DrillFactory(school=new, date=datetime.date(2025, 4, 1))
    client.force_login(officer_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'data-figure="drills".*?figure-value">1<', html, re.S)
    assert YearlyStatistic.objects.filter(school=new, year=2025, period="calendar").exists()


def test_the_stored_drill_gaps_serve_only_the_day_they_were_counted():
    details = {"drill_gaps": {"day": "2025-06-10", "missed": 3, "open": 4}}
    assert selectors.stored_drill_gaps(details, TODAY) == {"missed": 3, "open": 4}
    assert selectors.stored_drill_gaps(details, TODAY + datetime.timedelta(days=1)) is None
    assert selectors.stored_drill_gaps({}, TODAY) is None


def current(html):
    """(open, overdue, "统计截至 …" of the current figures or None) as the page shows them."""
    counts = [int(re.search(rf'"{n}-count">(\d+)<', html)[1]) for n in ("open", "overdue")]
    age = re.search(r'data-testid="current-as-of">([^<]*)<', html)
    return (*counts, age and age[1])


@time_machine.travel(NOW, tick=False)
def test_the_bureau_current_figures_are_the_refresh_s_and_say_how_old(client, bureau_staff):
    school_a, school_b = SchoolFactory(name="甲"), SchoolFactory(name="乙")
    late = {"status": Hazard.Status.RECTIFYING, "deadline": TODAY.replace(day=1)}
    first, _second = HazardFactory.create_batch(2, school=school_a, **late)
    HazardFactory(school=school_b, **late)
    HazardFactory(school=school_b)  # reported: open, not overdue
    client.force_login(bureau_staff)
    tasks.refresh_current_figures.delay()
    page = client.get(reverse("dashboard"))
    assert current(page.content.decode()) == (4, 3, "统计截至 2025-06-10 12:00（定时更新）")
    chart = page.context["charts"]["overdue_schools"]
    assert (chart["labels"], chart["series"][0]["values"]) == (["甲", "乙"], [2, 1])
    for other in ({"year": 2024}, {"year": 2024, "period": "school"}):  # the same, stored
        shown = client.get(reverse("dashboard"), other).content.decode()
        assert current(shown) == (4, 3, "统计截至 2025-06-10 12:00（定时更新）")
    Hazard.objects.filter(pk=first.pk).update(status=Hazard.Status.CLOSED, closed_at=NOW)
    assert current(client.get(reverse("dashboard")).content.decode())[:2] == (4, 3)  # stored
    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        tasks.refresh_current_figures.delay()
        page = client.get(reverse("dashboard"))
    assert current(page.content.decode()) == (3, 2, "统计截至 2025-06-10 12:10（定时更新）")
    chart = page.context["charts"]["overdue_schools"]
    assert (chart["labels"], chart["series"][0]["values"]) == (["乙", "甲"], [1, 1])
    # The next day, before a refresh has counted it, the page counts (the deadlines moved
    # nothing here, but a stored figure of yesterday is not shown as today's).
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert current(client.get(reverse("dashboard")).content.decode()) == (3, 2, None)
