"""The inspection calendar: one month grouped by date, overdue ones flagged, scoped."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import InspectionFactory

URL = reverse("inspection-calendar")


@pytest.fixture
def month(school_a, school_b):
    """Three inspections of school A in May 2025 (one submitted) and one of school B."""
    return {
        "late": InspectionFactory(school=school_a, date=datetime.date(2025, 5, 3), title="逾期的"),
        "done": InspectionFactory(
            school=school_a, date=datetime.date(2025, 5, 3), title="已交的", status="submitted"
        ),
        "june": InspectionFactory(school=school_a, date=datetime.date(2025, 6, 1), title="六月的"),
        "b": InspectionFactory(school=school_b, date=datetime.date(2025, 5, 9), title="乙校的"),
    }


def test_month_grouped_by_date_with_overdue_flagged(client, officer_a, month):
    client.force_login(officer_a)
    response = client.get(URL, {"year": 2025, "month": 5})
    assert response.status_code == 200
    days = response.context["days"]
    assert [(day, [i.title for i in rows]) for day, rows in days] == [
        (datetime.date(2025, 5, 3), ["逾期的", "已交的"])
    ]
    assert [i.is_overdue for i in days[0][1]] == [True, False]
    assert [i.title for i in response.context["overdue"]] == ["逾期的", "六月的"]
    assert "乙校的" not in response.content.decode()


def test_bureau_sees_every_school(client, bureau_staff, month):
    client.force_login(bureau_staff)
    days = client.get(URL, {"year": 2025, "month": 5}).context["days"]
    assert [day.day for day, _rows in days] == [3, 9]


def test_default_is_this_month(client, officer_a, school_a):
    today = timezone.localdate()
    InspectionFactory(school=school_a, date=today, title="今天的")
    client.force_login(officer_a)
    response = client.get(URL)
    assert response.context["first"] == today.replace(day=1)
    assert [i.is_overdue for _d, rows in response.context["days"] for i in rows] == [False]


@pytest.mark.parametrize("params", [{"year": "x"}, {"month": 13}, {"year": 1900, "month": 1}])
def test_bad_month_is_400(client, officer_a, params):
    client.force_login(officer_a)
    assert client.get(URL, params).status_code == 400
