"""Coverage by linked leaders and cadres per term, the bureau page and the dashboard card."""

import datetime

import pytest
from django.urls import reverse

from inspections.coverage import term_bounds
from schools.models import SchoolAssignment
from tests.factories import InspectionFactory, SchoolFactory, UserFactory

D = datetime.date
URL = reverse("inspection-coverage")


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (D(2025, 9, 1), (D(2025, 9, 1), D(2026, 1, 31))),
        (D(2026, 1, 31), (D(2025, 9, 1), D(2026, 1, 31))),
        (D(2026, 2, 1), (D(2026, 2, 1), D(2026, 8, 31))),
        (D(2026, 8, 31), (D(2026, 2, 1), D(2026, 8, 31))),
    ],
)
@pytest.mark.django_db
def test_term_bounds_without_entered_terms(day, term):
    assert term_bounds(day) == term


@pytest.mark.django_db
def test_term_is_the_bureaus_calendar_term_as_for_education(client, bureau_staff, school_a):
    """The same terms as the education coverage: 1 Sep–16 Jan, then 2 Mar–10 Jul; a day of
    the winter holiday belongs to the term just ended; an inspection in the holiday is
    outside both terms; the page's "next" link opens the next term."""
    from schools.models import Term

    Term.objects.create(
        school_year=2025, kind="autumn", start_date=D(2025, 9, 1), end_date=D(2026, 1, 16)
    )
    Term.objects.create(
        school_year=2025, kind="spring", start_date=D(2026, 3, 2), end_date=D(2026, 7, 10)
    )
    Term.objects.create(  # a school's own term does not move the bureau-wide coverage
        school=school_a,
        school_year=2025,
        kind="spring",
        start_date=D(2026, 2, 20),
        end_date=D(2026, 7, 1),
    )
    assert term_bounds(D(2026, 1, 16)) == (D(2025, 9, 1), D(2026, 1, 16))
    assert term_bounds(D(2026, 2, 10)) == (D(2025, 9, 1), D(2026, 1, 16))
    assert term_bounds(D(2026, 3, 2)) == (D(2026, 3, 2), D(2026, 7, 10))
    client.force_login(bureau_staff)
    page = client.get(URL, {"on": "2026-02-10"})
    assert page.context["term"] == (D(2025, 9, 1), D(2026, 1, 16))
    assert page.context["next"] == D(2026, 3, 2)
    assert page.context["previous"] == D(2025, 8, 31)


@pytest.fixture
def setup(school_a, school_b):
    """A leader linked to A (inspected A in the term), a cadre holding B (inspected B only
    in the previous term, and A in this one), a third school nobody holds."""
    leader = UserFactory(username="leader", role="bureau_staff", scope_all_schools=True)
    cadre = UserFactory(username="cadre", role="bureau_staff", scope_all_schools=True)
    SchoolAssignment.objects.create(
        school=school_a, user=leader, kind="leader", start_date=D(2020, 1, 1)
    )
    SchoolAssignment.objects.create(
        school=school_b, user=cadre, kind="cadre", start_date=D(2020, 1, 1)
    )
    SchoolAssignment.objects.create(  # ended before the term: not listed
        school=school_b,
        user=leader,
        kind="leader",
        start_date=D(2020, 1, 1),
        end_date=D(2025, 1, 31),
    )
    InspectionFactory(school=school_a, leader=leader, date=D(2025, 3, 5), status="submitted")
    InspectionFactory(school=school_b, leader=cadre, date=D(2025, 1, 5), status="reviewed")
    InspectionFactory(school=school_b, leader=cadre, date=D(2025, 4, 5), status="in_progress")
    InspectionFactory(school=school_a, leader=cadre, date=D(2025, 4, 5), status="submitted")
    return SchoolFactory(name="丙校")


def test_page_lists_assignments_and_uncovered_schools(
    client, bureau_staff, setup, school_a, school_b
):
    client.force_login(bureau_staff)
    response = client.get(URL, {"on": "2025-05-01"})
    assert response.status_code == 200
    rows = [(a.school, a.user.username, a.covered) for a in response.context["assignments"]]
    assert sorted(rows, key=str) == sorted(
        [(school_a, "leader", True), (school_b, "cadre", False)], key=str
    )
    assert set(response.context["uncovered"]) == {school_b, setup}
    assert "丙校" in response.content.decode()


def test_previous_term_differs(client, bureau_staff, setup, school_b):
    client.force_login(bureau_staff)
    response = client.get(URL, {"on": "2025-01-10"})
    assert response.context["term"] == (D(2024, 9, 1), D(2025, 1, 31))
    assert school_b not in response.context["uncovered"]


def test_bad_date_is_400_and_school_users_403(client, bureau_staff, officer_a):
    client.force_login(bureau_staff)
    assert client.get(URL, {"on": "2025-13-01"}).status_code == 400
    client.force_login(officer_a)
    assert client.get(URL).status_code == 403


def test_dashboard_card_for_bureau_only(client, bureau_staff, officer_a, school_a, school_b):
    client.force_login(bureau_staff)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="uncovered-count">2<' in html and reverse("inspection-coverage") in html
    client.force_login(officer_a)
    assert "uncovered-count" not in client.get(reverse("dashboard")).content.decode()
