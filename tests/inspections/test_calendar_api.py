"""GET /api/v1/inspections/calendar/ and coverage/, and the navbar's way to both pages."""

import datetime

import pytest
from django.urls import reverse

from schools.models import SchoolAssignment
from tests.factories import InspectionFactory, SchoolFactory, UserFactory

D = datetime.date
CALENDAR = "/api/v1/inspections/calendar/"
COVERAGE = "/api/v1/inspections/coverage/"


@pytest.fixture
def month(school_a, school_b):
    return {
        "late": InspectionFactory(school=school_a, date=D(2025, 5, 3), title="逾期的"),
        "done": InspectionFactory(
            school=school_a, date=D(2025, 5, 3), title="已交的", status="submitted"
        ),
        "june": InspectionFactory(school=school_a, date=D(2025, 6, 1), title="六月的"),
        "b": InspectionFactory(school=school_b, date=D(2025, 5, 9), title="乙校的"),
    }


def test_calendar_lists_the_month_by_day_with_overdue_flags(api_as, officer_a, month):
    body = api_as(officer_a).get(CALENDAR, {"year": 2025, "month": 5}).json()
    assert body["month"] == "2025-05-01"
    assert [
        (d["date"], [(i["title"], i["is_overdue"]) for i in d["inspections"]]) for d in body["days"]
    ] == [("2025-05-03", [("逾期的", True), ("已交的", False)])]
    # Overdue whatever the month: May's and June's planned ones (both dates have passed).
    assert [i["title"] for i in body["overdue"]] == ["逾期的", "六月的"]
    assert all(i["is_overdue"] for i in body["overdue"])


def test_calendar_for_the_bureau_has_every_school(api_as, bureau_staff, month):
    body = api_as(bureau_staff).get(CALENDAR, {"year": 2025, "month": 5}).json()
    assert [d["date"] for d in body["days"]] == ["2025-05-03", "2025-05-09"]


@pytest.mark.parametrize("params", [{"month": 13}, {"year": "abc"}, {"year": 1999}, {"month": 0}])
def test_calendar_bad_month_is_400_naming_the_field(api_as, officer_a, params):
    response = api_as(officer_a).get(CALENDAR, params)
    assert response.status_code == 400
    # The typed error body: the fields' messages and the machine-readable ``code``.
    assert set(response.json()) - {"code"} == set(params)


def test_calendar_needs_a_login(api_client):
    assert api_client.get(CALENDAR).status_code in (401, 403)


@pytest.fixture
def assignments(school_a, school_b):
    leader = UserFactory(username="leader", role="bureau_staff", scope_all_schools=True)
    SchoolAssignment.objects.create(
        school=school_a, user=leader, kind="leader", start_date=D(2020, 1, 1)
    )
    SchoolAssignment.objects.create(
        school=school_b, user=leader, kind="leader", start_date=D(2020, 1, 1)
    )
    InspectionFactory(school=school_a, leader=leader, date=D(2025, 3, 5), status="submitted")
    return SchoolFactory(name="丙校")


def test_coverage_of_a_term(api_as, bureau_staff, school_a, school_b, assignments):
    body = api_as(bureau_staff).get(COVERAGE, {"on": "2025-04-01"}).json()
    assert (body["term_start"], body["term_end"]) == ("2025-02-01", "2025-08-31")
    assert {(a["school_name"], a["kind"], a["covered"]) for a in body["assignments"]} == {
        (school_a.name, "leader", True),
        (school_b.name, "leader", False),
    }
    assert {s["name"] for s in body["uncovered"]} == {school_b.name, "丙校"}


def test_coverage_is_for_the_bureau_only(api_as, officer_a):
    response = api_as(officer_a).get(COVERAGE)
    assert response.status_code == 403
    assert "教体局" in response.json()["detail"]


def test_coverage_bad_date_is_400(api_as, bureau_staff):
    response = api_as(bureau_staff).get(COVERAGE, {"on": "2025-02-30"})
    assert response.status_code == 400 and "on" in response.json()


def test_navbar_leads_to_the_calendar_and_for_the_bureau_to_coverage(
    client, officer_a, bureau_staff
):
    pages = [
        reverse(name)
        for name in (
            "inspection-calendar",
            "inspection-coverage",
            "round-list",
            "inspection-committee",
        )
    ]
    client.force_login(officer_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert pages[0] in html and not any(page in html for page in pages[1:])
    client.force_login(bureau_staff)
    html = client.get(reverse("dashboard")).content.decode()
    assert all(page in html for page in pages)


@pytest.mark.parametrize("on", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_coverage_out_of_range_date_is_400_on_page_and_api(api_as, client, bureau_staff, on):
    response = api_as(bureau_staff).get(COVERAGE, {"on": on})
    assert response.status_code == 400 and "on" in response.json()
    client.force_login(bureau_staff)
    assert client.get(reverse("inspection-coverage"), {"on": on}).status_code == 400


def test_the_overdue_list_shows_the_oldest_and_counts_all(
    api_as, client, officer_a, school_a, monkeypatch
):
    from inspections import schedule

    monkeypatch.setattr(schedule, "OVERDUE_SHOWN", 2)
    for day in (9, 3, 5):
        InspectionFactory(school=school_a, date=D(2025, 3, day), title=f"逾期{day}")
    body = api_as(officer_a).get(CALENDAR, {"year": 2025, "month": 3}).json()
    assert [i["title"] for i in body["overdue"]] == ["逾期3", "逾期5"] and body[
        "overdue_total"
    ] == 3
    assert all(i["is_overdue"] for d in body["days"] for i in d["inspections"])  # 9 March too
    client.force_login(officer_a)
    html = client.get(reverse("inspection-calendar"), {"year": 2025, "month": 3}).content.decode()
    assert "3 项检查已逾期" in html and "?overdue=true" in html
