"""Drill compliance (selectors.drill_compliance): month and quarter boundaries on the
Beijing calendar, holidays and summer never missed, boarding extras and night drills, the
compliance page (bureau: every school; a school: its own) agreeing with the reminders, and
a query count that does not grow with the number of schools."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from drills import reminders
from drills.models import Drill
from drills.selectors import MISSED, OFF, OK, OPEN, dashboard_summary, drill_compliance
from reports.models import YearlyStatistic
from reports.services import rollup_statistics
from schools.models import CalendarDay, School
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _terms(terms):
    return terms


def statuses(school, start, end, today):
    result = drill_compliance([school], start, end, today=today)[school.pk]
    return {c.period.key: c.status for c in result.cells}


def test_a_signal_at_2330_utc_on_the_31st_is_a_drill_of_the_next_month(api_as, officer_a, school_a):
    """23:30 UTC on 31 March is 07:30 on 1 April in Beijing: April's drill, not March's."""
    with time_machine.travel(datetime.datetime(2025, 4, 2, 2, 0, tzinfo=datetime.UTC)):
        response = api_as(officer_a).post(
            reverse("api-drill-list"),
            {
                "school": school_a.pk, "drill_type": "fire",
                "signal_at": "2025-03-31T23:30:00Z", "completed_at": "2025-03-31T23:32:10Z",
            },
            format="json",
        )  # fmt: skip
        assert response.status_code == 201, response.content
        assert response.json()["date"] == "2025-04-01"
        assert response.json()["evacuation_seconds"] == 130
        got = statuses(school_a, D(2025, 3, 1), D(2025, 4, 30), D(2025, 4, 2))
    assert got == {"2025-03": MISSED, "2025-04": OK}


def test_kindergarten_quarters_end_on_the_last_day_in_beijing(school_a):
    kg = SchoolFactory(school_type=School.SchoolType.KINDERGARTEN)
    Drill.objects.create(school=kg, drill_type="earthquake", date=D(2025, 4, 1))
    got = statuses(kg, D(2025, 1, 1), D(2025, 6, 30), D(2025, 7, 1))
    assert got == {"2025-Q1": MISSED, "2025-Q2": OK}


def test_holidays_and_summer_are_never_missed(school_a):
    got = statuses(school_a, D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31))
    # January: 13 school days until the 17th → owed; February from the 17th: 10 → owed;
    # July: 9 (term ends on the 11th) and August: none → off.
    assert got["2025-01"] == MISSED and got["2025-02"] == MISSED
    assert got["2025-07"] == OFF and got["2025-08"] == OFF
    assert got["2025-09"] == MISSED


def test_a_month_made_short_by_holidays_owes_nothing(school_a):
    """October 2025: the National Day week off leaves 17 school days; with most of the
    month a holiday for this school, it owes no drill."""
    for day in range(1, 25):
        CalendarDay.objects.create(
            school=school_a, date=D(2025, 10, day), kind=CalendarDay.Kind.HOLIDAY
        )
    got = statuses(school_a, D(2025, 10, 1), D(2025, 10, 31), D(2025, 11, 5))
    assert got == {"2025-10": OFF}


def test_the_current_month_is_open_not_missed(school_a):
    assert statuses(school_a, D(2025, 6, 1), D(2025, 6, 30), D(2025, 6, 10)) == {"2025-06": OPEN}


def test_boarding_schools_owe_extra_and_a_night_drill_per_term(school_a, settings):
    school_a.is_boarding = True
    school_a.save()
    Drill.objects.create(school=school_a, drill_type="fire", date=D(2025, 3, 5))
    Drill.objects.create(school=school_a, drill_type="night_dorm", date=D(2025, 3, 20))
    result = drill_compliance([school_a], D(2025, 3, 1), D(2025, 4, 30), today=D(2025, 7, 20))
    compliance = result[school_a.pk]
    assert [(c.required, c.done, c.status) for c in compliance.cells] == [
        (2, 2, OK), (2, 0, MISSED),
    ]  # fmt: skip
    spring = [n for n in compliance.nights if n.term.kind == "spring"]
    assert [(n.done, n.status) for n in spring] == [(1, OK)]
    settings.DRILL_EXTRA_PER_PERIOD = {"boarding": 0, "special": 0}
    again = drill_compliance([school_a], D(2025, 3, 1), D(2025, 3, 31), today=D(2025, 7, 20))
    assert again[school_a.pk].cells[0].required == 1


def test_a_late_evening_signal_counts_as_a_night_drill(school_a):
    school_a.is_boarding = True
    school_a.save()
    signal = datetime.datetime(2025, 10, 14, 13, 0, tzinfo=datetime.UTC)  # 21:00 Beijing
    Drill.objects.create(school=school_a, drill_type="fire", date=D(2025, 10, 14), signal_at=signal)
    result = drill_compliance([school_a], D(2025, 10, 1), D(2025, 10, 31), today=D(2026, 2, 1))
    autumn = [n for n in result[school_a.pk].nights if n.term.kind == "autumn"]
    assert [(n.done, n.status) for n in autumn] == [(1, OK)]


def test_the_roll_up_stores_the_dashboards_gaps_card(school_a, school_b):
    """The current year's roll-up reads the bureau's drill-gaps card off the year's
    compliance, not a second run: only the periods the card reads count, so a
    kindergarten's past quarter (missed) is not this card's miss."""
    kindergarten = SchoolFactory(school_type=School.SchoolType.KINDERGARTEN)
    today = D(2025, 11, 20)  # the card reads October (missed by A and B) and November
    rollup_statistics(year=2025, period="calendar", today=today)
    stored = YearlyStatistic.objects.get(school=None, year=2025, period="calendar")
    card = dashboard_summary(School.objects.active(), today)
    assert stored.details["drill_gaps"] == {"day": "2025-11-20", **card}
    assert card == {"missed": 2, "open": 3}
    quarters = statuses(kindergarten, D(2025, 7, 1), today, today)
    assert quarters == {"2025-Q3": MISSED, "2025-Q4": OPEN}


def test_the_page_and_the_reminders_agree(client, bureau_staff, school_a, school_b, officer_a):
    """On 20 June 2025 school A (no June drill) is 'open' on the page and reminded; school B
    (a June drill) is 'ok' on the page and not reminded."""
    from tests.factories import UserFactory

    officer_b = UserFactory(role="school_officer", schools=[school_b])
    Drill.objects.create(school=school_b, drill_type="fire", date=D(2025, 6, 3))
    client.force_login(bureau_staff)
    with time_machine.travel(datetime.datetime(2025, 6, 20, 2, 0, tzinfo=datetime.UTC)):
        page = client.get(reverse("drill-compliance"), {"year": 2025})
        reminders.remind_drills_due(D(2025, 6, 20))
    rows = {r["school"].pk: r for r in page.context["table"]["rows"]}
    june = {
        pk: next(c for c in row["cells"] if c.period.key == "2025-06") for pk, row in rows.items()
    }
    assert (june[school_a.pk].status, june[school_b.pk].status) == (OPEN, OK)
    reminded = {n.school_id for n in officer_a.notifications.all()}
    assert reminded == {school_a.pk} and not officer_b.notifications.exists()
    body = page.content.decode()
    assert 'data-period="2025-06" data-status="open"' in body


def test_a_school_sees_only_its_own_row(client, officer_a, school_a, school_b):
    client.force_login(officer_a)
    page = client.get(reverse("drill-compliance"), {"year": 2025})
    assert [r["school"] for r in page.context["table"]["rows"]] == [school_a]


def test_the_bureau_page_query_count_does_not_grow_with_schools(
    client, bureau_staff, django_assert_max_num_queries
):
    client.force_login(bureau_staff)
    SchoolFactory.create_batch(3)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("drill-compliance"), {"year": 2025}).status_code == 200
    for school in SchoolFactory.create_batch(30):
        Drill.objects.create(school=school, drill_type="fire", date=D(2025, 5, 6))
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        client.get(reverse("drill-compliance"), {"year": 2025})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_bad_year_falls_back_to_this_year(client, officer_a):
    client.force_login(officer_a)
    with time_machine.travel(datetime.datetime(2025, 6, 20, 2, 0, tzinfo=datetime.UTC)):
        page = client.get(reverse("drill-compliance"), {"year": "abc"})
    assert page.status_code == 200 and page.context["year"] == 2025


def test_the_page_leads_with_the_fewest_drills_and_totals_cover_every_page(
    client, bureau_staff, school_a, school_b, monkeypatch
):
    """One school a page: school B (no drill) first; the totals and the evacuation-time
    medians (SQL) are over both schools on either page, the median as statistics.median."""
    for seconds in (60, 90):
        Drill.objects.create(
            school=school_a, drill_type="fire", date=D(2025, 5, 6), evacuation_seconds=seconds
        )
    monkeypatch.setattr("drills.views.compliance.SCHOOLS_PER_PAGE", 1)
    client.force_login(bureau_staff)
    with time_machine.travel(datetime.datetime(2025, 6, 20, 2, 0, tzinfo=datetime.UTC)):
        first = client.get(reverse("drill-compliance"), {"year": 2025})
        second = client.get(reverse("drill-compliance"), {"year": 2025, "page": 2})
    assert [r["school"] for r in first.context["table"]["rows"]] == [school_b]
    assert [r["school"] for r in second.context["table"]["rows"]] == [school_a]
    for page in (first, second):
        totals = page.context["totals"]
        assert (totals["drills"], totals["schools_without"]) == (2, 1)
        assert totals["median_by_month"] == [None] * 4 + [75.0] + [None] * 7
    assert second.context["table"]["summary"]["ok"] == 1  # May held; June still open


def test_the_page_names_each_term_with_its_school_year(client, officer_a, school_a):
    """A calendar year holds two autumn terms: the night-drill badges tell them apart."""
    school_a.is_boarding = True
    school_a.save()
    client.force_login(officer_a)
    with time_machine.travel(datetime.datetime(2025, 12, 20, 2, 0, tzinfo=datetime.UTC)):
        body = client.get(reverse("drill-compliance"), {"year": 2025}).content.decode()
    assert "2024–2025 秋季学期" in body and "2025–2026 秋季学期" in body
