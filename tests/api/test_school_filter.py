"""``?school=`` on the school-owned API lists that used to ignore it (check-ins, education
activities, staff trainings, risk assessments, patrols): the user's own school filters,
an unknown id or another school's is a 400 naming ``school`` — as on the hazard ledger."""

import datetime

import pytest

from education.models import StaffTraining
from risks.models import RiskAssessment, RiskPoint
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/hazards/",
    "/api/v1/check-ins/",
    "/api/v1/education-activities/",
    "/api/v1/staff-trainings/",
    "/api/v1/risk-assessments/",
    "/api/v1/patrols/",
]


@pytest.mark.parametrize("url", LISTS)
def test_unknown_or_foreign_school_is_a_400(api_as, officer_a, school_a, school_b, url):
    api = api_as(officer_a)
    assert api.get(url, {"school": school_a.pk}).status_code == 200
    for bad in (school_b.pk, 999999, "x"):
        response = api.get(url, {"school": bad})
        assert response.status_code == 400, (url, bad)
        assert "school" in response.json()


def test_school_filters_the_rows(api_as, bureau_staff, school_a, school_b):
    ActivityFactory(school=school_a)
    ActivityFactory(school=school_b)
    for school in (school_a, school_b):
        StaffTraining.objects.create(
            school=school, title="消防培训", date=datetime.date(2025, 3, 1), hours=2
        )
        point = RiskPoint.objects.create(school=school, name="食堂", category="canteen")
        RiskAssessment.objects.create(
            point=point, method="matrix", likelihood=2, severity=2, score=4, grade="low",
            assessed_on=datetime.date(2025, 3, 1),
        )  # fmt: skip
    api = api_as(bureau_staff)
    for url in LISTS[2:5]:
        rows = api.get(url, {"school": school_b.pk}).json()["results"]
        assert len(rows) == 1, url
        assert len(api.get(url).json()["results"]) == 2, url
