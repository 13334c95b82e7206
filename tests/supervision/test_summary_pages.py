"""The bureau's supervision summary at province scale: a page of schools (those with
students unaccounted for or patrols missed first) under totals over all schools; the API
pages its schools as the yearly report does (``page``, ``page_size``)."""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.urls import reverse

from supervision import services
from supervision.models import Roll

from .conftest import WEDNESDAY

pytestmark = pytest.mark.django_db
EVENING = datetime.datetime(2024, 10, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def day(teacher_a, class_a1, class_b1):
    """Class A1 reported; class B1's roll closed with one student unaccounted for."""
    services.mark_all_arrived(class_a1, actor=teacher_a, day=WEDNESDAY, kind="home", now=EVENING)
    Roll.objects.create(
        school=class_b1.school, school_class=class_b1, date=WEDNESDAY, kind="home",
        unaccounted_at_cutoff=1,
    )  # fmt: skip
    return class_a1.school, class_b1.school


@time_machine.travel(EVENING, tick=False)
def test_the_page_leads_with_attention_and_totals_cover_every_page(
    client, bureau_staff, day, monkeypatch
):
    school_a, school_b = day
    monkeypatch.setattr("supervision.views.bureau.SCHOOLS_PER_PAGE", 1)
    client.force_login(bureau_staff)
    url = reverse("supervision-summary")
    first = client.get(url, {"date": str(WEDNESDAY)})
    second = client.get(url, {"date": str(WEDNESDAY), "page": 2})
    assert [r["school"] for r in first.context["rows"]] == [school_b]
    assert [r["school"] for r in second.context["rows"]] == [school_a]
    totals = first.context["totals"]
    assert (totals["schools"], totals["classes"], totals["reported"]) == (2, 2, 1)
    assert totals["unaccounted"] == 1 and totals == second.context["totals"]
    assert "page=2" in first.content.decode()


@time_machine.travel(EVENING, tick=False)
def test_api_pages_schools_by_code_with_totals(api_as, bureau_staff, day):
    api = api_as(bureau_staff)
    url = "/api/v1/supervision/summary/"
    body = api.get(url, {"date": str(WEDNESDAY), "page_size": 1}).json()
    codes = sorted(school.code for school in day)
    assert body["schools_count"] == 2 and body["schools_previous"] is None
    assert [r["school_name"] for r in body["schools"]] == [
        next(s.name for s in day if s.code == codes[0])
    ]
    assert body["totals"]["classes"] == 2 and body["totals"]["unaccounted"] == 1
    last = api.get(body["schools_next"]).json()
    assert len(last["schools"]) == 1 and last["schools_next"] is None
    past = api.get(url, {"date": str(WEDNESDAY), "page": 3}).json()
    assert past["schools"] == [] and past["totals"] == body["totals"]
    assert api.get(url, {"page": 0}).status_code == 400
    assert api.get(url, {"page_size": 501}).status_code == 400
