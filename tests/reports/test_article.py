"""The article's figures through the public surface, on the demo data: the
rollup_statistics command and GET /api/v1/reports/yearly/ with a token."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from drills.models import Drill
from reports.figures import FIGURES
from reports.models import YearlyStatistic
from schools.models import School

from ..demo.fixtures import CALENDAR_2024, SCHOOL_YEAR_2024

pytestmark = pytest.mark.usefixtures("demo_data")
URL = "/api/v1/reports/yearly/"


def rollup(*args):
    out = io.StringIO()
    call_command("rollup_statistics", *args, stdout=out, stderr=io.StringIO())
    return {
        key: int(value) for key, value in (line.split() for line in out.getvalue().splitlines())
    }


def token_client(username):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": "demo12345"})
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_command_prints_every_figure_and_the_article_values(db):
    calendar = rollup("--year", "2024")
    assert list(calendar) == list(FIGURES)
    assert {k: calendar[k] for k in CALENDAR_2024} == CALENDAR_2024
    school_year = rollup("--year", "2024", "--period", "school")
    assert {k: school_year[k] for k in SCHOOL_YEAR_2024} == SCHOOL_YEAR_2024


def test_command_stores_one_row_per_scope_and_rerunning_replaces(db):
    YearlyStatistic.objects.filter(year=2024).delete()
    rollup("--year", "2024")
    rollup("--year", "2024")
    rows = YearlyStatistic.objects.filter(year=2024, period="calendar")
    assert rows.count() == 30
    assert rows.get(school=None).figures["drills"] == 101
    Drill.objects.filter(date__year=2024).first().delete()
    rollup("--year", "2024")
    assert rows.count() == 30
    assert rows.get(school=None).figures["drills"] == 100


def test_command_for_one_school_stores_only_that_school(db):
    school = School.objects.get(name="杭锦旗实验小学")
    YearlyStatistic.objects.all().delete()
    figures = rollup("--year", "2024", "--school", str(school.pk))
    assert figures["schools_total"] == 1
    assert list(YearlyStatistic.objects.values_list("school", flat=True)) == [school.pk]


def test_api_with_a_token_of_the_bureau_gives_the_article(db):
    client = token_client("bureau")
    body = client.get(URL, {"year": 2024, "period": "calendar"}).json()
    assert (body["year"], body["period"], body["school"]) == (2024, "calendar", None)
    assert {k: body["figures"][k] for k in CALENDAR_2024} == CALENDAR_2024
    assert set(body["labels"]) == set(FIGURES) and body["labels"]["drills"] == "应急演练（场次）"
    assert len(body["schools"]) == 29
    assert sum(s["figures"]["drills"] for s in body["schools"]) == 101
    school_year = client.get(URL, {"year": 2024, "period": "school"}).json()["figures"]
    assert {k: school_year[k] for k in SCHOOL_YEAR_2024} == SCHOOL_YEAR_2024


def test_api_reads_the_stored_figures_until_they_are_rolled_up_again(db):
    client = token_client("api_client")
    Drill.objects.filter(date__year=2024).first().delete()
    # The API reads the roll-up (issue 13: no recount per request) and says how old it is.
    assert client.get(URL, {"year": 2024}).json()["figures"]["drills"] == 101
    rollup("--year", "2024")
    body = client.get(URL, {"year": 2024}).json()
    assert body["figures"]["drills"] == 100
    stored = YearlyStatistic.objects.get(school=None, year=2024, period="calendar")
    assert body["computed_at"] and stored.figures["drills"] == 100


def test_a_school_officer_sees_only_their_school(db):
    client = token_client("officer1")
    body = client.get(URL, {"year": 2024}).json()
    own = School.objects.get(name="杭锦旗实验小学")
    assert body["figures"]["schools_total"] == 1
    assert [s["id"] for s in body["schools"]] == [own.pk]
    assert body["figures"]["drills"] == body["schools"][0]["figures"]["drills"] < 101
    other = School.objects.exclude(pk=own.pk).first()
    assert client.get(URL, {"year": 2024, "school": other.pk}).status_code == 404
    assert client.get(URL, {"year": 2024, "school": own.pk}).json()["school"] == own.pk


def test_the_bureau_may_ask_for_one_school(db):
    school = School.objects.get(name="杭锦旗第一中学")
    body = token_client("bureau").get(URL, {"year": 2024, "school": school.pk}).json()
    assert body["school"] == school.pk and body["figures"]["schools_total"] == 1
    assert [s["name"] for s in body["schools"]] == ["杭锦旗第一中学"]
