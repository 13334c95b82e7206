"""The dashboard leads to the records: every figure with a link lands on a list whose count
equals the figure; school rows open the school's scorecard, which a school user reaches
from their own dashboard; money in 万元 with two decimals."""

import datetime

import pytest
import time_machine

from hazards.models import Hazard
from inspections.models import Inspection
from tests.factories import DrillFactory, HazardFactory, InspectionFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
S = Hazard.Status


def at(month, day=10):
    return datetime.datetime(2024, month, day, 10, 0, tzinfo=TZ)


@pytest.fixture
def records(school_a, school_b):
    for school in (school_a, school_b):
        HazardFactory(school=school, source="cross_inspection", reported_at=at(3))
        HazardFactory(school=school, source="cross_inspection", reported_at=at(4), status=S.CLOSED,
                      closed_at=at(5), level=Hazard.Level.MAJOR)  # fmt: skip
        HazardFactory(school=school, source="snapshot", reported_at=at(6), status=S.DISMISSED,
                      dismiss_reason="重复")  # fmt: skip
        HazardFactory(school=school, source="snapshot", reported_at=at(12, 31))
        HazardFactory(
            school=school, source="snapshot", reported_at=at(1, 1) - datetime.timedelta(hours=1)
        )
        HazardFactory(school=school, status=S.RECTIFYING, deadline=datetime.date(2025, 1, 1),
                      reported_at=at(11))  # fmt: skip
        InspectionFactory(school=school, kind=Inspection.Kind.JOINT, status="submitted",
                          date=datetime.date(2024, 5, 1))  # fmt: skip
        InspectionFactory(school=school, kind=Inspection.Kind.JOINT, status="planned",
                          date=datetime.date(2024, 6, 1))  # fmt: skip
        DrillFactory(school=school, date=datetime.date(2024, 5, 1))
        DrillFactory(school=school, date=datetime.date(2023, 12, 31))


def list_count(response):
    context = response.context
    if "page_obj" in context:  # a ListView (inspections)
        return context["page_obj"].paginator.count
    return context["page"].paginator.count


@pytest.mark.parametrize("persona", ["bureau_staff", "officer_a"])
def test_every_linked_figure_equals_its_list(request, client, records, persona):
    client.force_login(request.getfixturevalue(persona))
    with time_machine.travel(NOW, tick=False):
        board = client.get("/?year=2024&period=calendar").context
        rows = [*board["figures"], *board["extra_figures"]]
        linked = {row["key"]: row for row in rows if row.get("url")}
        assert {"hazards_found", "snapshot_hazards_found", "joint_inspections", "drills",
                "hazards_overdue"} <= set(linked)  # fmt: skip
        got = {key: list_count(client.get(row["url"])) for key, row in linked.items()}
    assert got == {key: row["value"] for key, row in linked.items()}
    assert any(value for value in got.values())


def test_school_rows_open_the_scorecard(client, bureau_staff, records, school_a):
    client.force_login(bureau_staff)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/?year=2024&period=calendar").content.decode()
        assert f"/scorecard/{school_a.pk}/?year=2024&amp;period=calendar" in html
        page = client.get(f"/scorecard/{school_a.pk}/?year=2024&period=calendar")
        assert page.status_code == 200
        figures = {row["key"]: row for row in page.context["figures"]}
        # The school's figures lead to the school's records, as many as the figure says.
        for key in ("hazards_found", "hazards_closed", "joint_inspections", "drills"):
            assert list_count(client.get(figures[key]["url"])) == figures[key]["value"] > 0
    assert page.context["overdue"] == 1
    assert page.context["median_days"] == 30.0
    assert figures["fire_remediation_investment_yuan"]["display"] == "0.00 万元"


def test_a_school_user_reaches_their_scorecard_and_not_another(
    client, officer_a, school_a, school_b
):
    client.force_login(officer_a)
    assert f"/scorecard/{school_a.pk}/" in client.get("/").content.decode()
    assert client.get(f"/scorecard/{school_b.pk}/").status_code == 404
