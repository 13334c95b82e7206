"""Draft rounds (issue 12, point 7): one queryset rule, ``CrossInspectionRound.objects
.visible_to(user)``, for the API and the web. The bureau sees drafts; a school sees only
published rounds it takes part in, with its own pairings."""

import datetime

import pytest
from django.urls import reverse

from inspections import rounds
from inspections.models import CrossInspectionRound
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(school_a):
    return [school_a, *(SchoolFactory() for _ in range(3))]


def open_round(bureau_staff, checklist, schools, name="2025年互查"):
    return rounds.open_round(
        actor=bureau_staff,
        name=name,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 4, 30),
        checklist=checklist,
        schools=schools,
    )


def detail(rnd):
    return reverse("api-cross-inspection-round-detail", args=[rnd.pk])


def test_a_school_user_gets_404_for_a_draft_round(
    api_as, bureau_staff, officer_a, checklist, schools
):
    draft = open_round(bureau_staff, checklist, schools)
    client = api_as(officer_a)
    assert client.get(detail(draft)).status_code == 404
    assert client.get(reverse("api-cross-inspection-round-list")).json()["results"] == []
    assert client.post(detail(draft) + "publish/").status_code in (403, 404)
    assert CrossInspectionRound.objects.get().status == "draft"


def test_the_bureau_sees_the_draft_with_every_pairing(api_as, bureau_staff, checklist, schools):
    draft = open_round(bureau_staff, checklist, schools)
    body = api_as(bureau_staff).get(detail(draft)).json()
    assert body["status"] == "draft" and len(body["pairings"]) == 4


def test_once_published_a_school_sees_its_own_pairings_only(
    api_as, bureau_staff, officer_a, school_a, checklist, schools
):
    rnd = open_round(bureau_staff, checklist, schools)
    rounds.publish_round(rnd, actor=bureau_staff)
    body = api_as(officer_a).get(detail(rnd)).json()
    assert body["status"] == "published"
    pairs = [(p["inspector"], p["inspected"]) for p in body["pairings"]]
    assert len(pairs) == 2 and all(school_a.pk in pair for pair in pairs)


def test_a_published_round_of_other_schools_stays_hidden(
    api_as, bureau_staff, officer_a, checklist
):
    others = [SchoolFactory() for _ in range(3)]
    rnd = open_round(bureau_staff, checklist, others)
    rounds.publish_round(rnd, actor=bureau_staff)
    assert api_as(officer_a).get(detail(rnd)).status_code == 404


def test_the_inspection_filter_offers_no_draft_round(
    client, bureau_staff, officer_a, checklist, schools
):
    draft = open_round(bureau_staff, checklist, schools, name="草稿轮次")
    client.force_login(officer_a)
    response = client.get(reverse("api-inspection-list"), {"round": draft.pk})
    assert response.status_code == 400  # not a choice for this user


def test_the_web_pages_use_the_same_rule(client, bureau_staff, checklist, schools):
    draft = open_round(bureau_staff, checklist, schools)
    client.force_login(bureau_staff)
    assert client.get(reverse("round-detail", args=[draft.pk])).status_code == 200
    officer = UserFactory(role="school_officer", schools=[schools[0]])
    client.force_login(officer)
    assert client.get(reverse("round-detail", args=[draft.pk])).status_code in (403, 404)
    assert client.get(reverse("round-list")).status_code in (403, 404)
