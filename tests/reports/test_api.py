"""GET /api/v1/reports/yearly/: validation, scope and authentication, on small data."""

import datetime

import pytest

from reports.models import YearlyStatistic
from reports.services import rollup_statistics
from tests.factories import DrillFactory, SchoolFactory

URL = "/api/v1/reports/yearly/"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "2101"}, "year"),
        ({"year": "2024", "period": "foo"}, "period"),
        ({"year": "2024", "school": "x"}, "school"),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bad_parameters_are_400_with_a_message_for_the_field(
    api_as, bureau_staff, params, field, language
):
    response = api_as(bureau_staff).get(URL, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_messages_are_in_chinese_by_default(api_as, bureau_staff):
    body = api_as(bureau_staff).get(URL, {"year": "abc", "period": "foo"}).json()
    assert body["year"] == ["年度须为整数，例如 2024。"]
    assert "foo" in body["period"][0] and "calendar" in body["period"][0]


def test_defaults_are_this_year_and_the_calendar_period(api_as, bureau_staff):
    body = api_as(bureau_staff).get(URL).json()
    assert body["period"] == "calendar" and body["year"] >= 2024
    assert body["start"] == f"{body['year']}-01-01" and body["end"] == f"{body['year']}-12-31"


def test_an_empty_school_means_all_schools(api_as, bureau_staff, school_a, school_b):
    body = api_as(bureau_staff).get(URL, {"year": 2024, "school": ""}).json()
    assert body["school"] is None and body["figures"]["schools_total"] == 2


def test_school_period_runs_from_september(api_as, bureau_staff):
    body = api_as(bureau_staff).get(URL, {"year": 2024, "period": "school"}).json()
    assert (body["start"], body["end"]) == ("2024-09-01", "2025-08-31")


def test_scope_of_a_school_officer(api_as, officer_a, school_a, school_b):
    DrillFactory(school=school_a, date=datetime.date(2024, 4, 1))
    DrillFactory(school=school_b, date=datetime.date(2024, 4, 2))
    client = api_as(officer_a)
    body = client.get(URL, {"year": 2024}).json()
    assert body["figures"]["schools_total"] == 1 and body["figures"]["drills"] == 1
    assert [s["id"] for s in body["schools"]] == [school_a.pk]
    assert client.get(URL, {"year": 2024, "school": school_b.pk}).status_code == 404
    assert client.get(URL, {"year": 2024, "school": 999999}).status_code == 404


def test_bureau_sees_all_schools(api_as, bureau_staff, school_a, school_b):
    DrillFactory(school=school_a, date=datetime.date(2024, 4, 1))
    body = api_as(bureau_staff).get(URL, {"year": 2024}).json()
    assert body["figures"]["schools_total"] == 2 and body["figures"]["drills"] == 1
    assert {s["id"] for s in body["schools"]} == {school_a.pk, school_b.pk}


def test_inactive_school_is_not_reported(api_as, bureau_staff):
    school = SchoolFactory(is_active=False)
    client = api_as(bureau_staff)
    assert client.get(URL, {"year": 2024}).json()["figures"]["schools_total"] == 0
    assert client.get(URL, {"year": 2024, "school": school.pk}).status_code == 404


def test_anonymous_is_refused(api_client, db):
    assert api_client.get(URL, {"year": 2024}).status_code in (401, 403)


def test_report_client_reads_with_a_token(api_client, report_client):
    credentials = {"username": "client", "password": "pass-1234"}
    token = api_client.post("/api/v1/auth/token/", credentials).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(URL, {"year": 2024}).status_code == 200


def test_openapi_documents_year_period_and_school(api_as, bureau_staff):
    schema = api_as(bureau_staff).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][URL]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"year", "period", "school"} <= names
    period = next(p for p in operation["parameters"] if p["name"] == "period")
    assert period["schema"]["enum"] == ["calendar", "school"]


@pytest.mark.parametrize("extra_schools", [0, 5])
def test_a_fixed_number_of_queries_whatever_the_number_of_schools(
    api_as, officer_a, school_a, extra_schools, django_assert_max_num_queries
):
    for school in SchoolFactory.create_batch(extra_schools):
        DrillFactory(school=school, date=datetime.date(2024, 4, 1))
        officer_a.schools.add(school)
    rollup_statistics(year=2024, period="calendar")  # what the beat tasks store
    client = api_as(officer_a)
    # The stored figures (issue 13): the user's schools, their rows (2), the page of
    # schools (count, page), the statistics per school type (types, evacuation seconds).
    # Before, 22 queries counted the figures again (a roll-up's worth) on every request.
    with django_assert_max_num_queries(7):
        body = client.get(URL, {"year": 2024}).json()
    assert body["figures"]["schools_total"] == 1 + extra_schools
    assert body["figures"]["drills"] == extra_schools


def test_the_schools_are_paged(api_as, bureau_staff):
    SchoolFactory.create_batch(3)
    client = api_as(bureau_staff)
    first = client.get(URL, {"year": 2024, "page_size": 2}).json()
    assert first["schools_count"] == 3 and len(first["schools"]) == 2
    assert first["schools_previous"] is None and "page=2" in first["schools_next"]
    assert first["figures"]["schools_total"] == 3  # the figures are the whole scope's
    second = client.get(first["schools_next"]).json()
    assert len(second["schools"]) == 1 and second["schools_next"] is None
    assert "page=1" in second["schools_previous"]
    assert {s["id"] for s in first["schools"] + second["schools"]} == set(
        SchoolFactory._meta.model.objects.values_list("id", flat=True)
    )
    past = client.get(URL, {"year": 2024, "page_size": 2, "page": 9}).json()
    assert past["schools"] == [] and past["schools_count"] == 3


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"page_size": "501"}])
def test_a_bad_page_is_400(api_as, bureau_staff, params):
    response = api_as(bureau_staff).get(URL, {"year": 2024, **params})
    assert response.status_code == 400 and response.json()[next(iter(params))]


def test_the_report_says_when_its_figures_were_computed(api_as, bureau_staff, school_a):
    body = api_as(bureau_staff).get(URL, {"year": 2024}).json()
    stored = YearlyStatistic.objects.get(school=None, year=2024, period="calendar")
    assert datetime.datetime.fromisoformat(body["computed_at"]) == stored.computed_at
