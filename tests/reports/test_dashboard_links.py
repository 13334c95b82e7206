"""The dashboard leads to the records: every figure with a link lands on a list whose count
equals the figure; school rows open the school's scorecard, which a school user reaches
from their own dashboard; money in 万元 with two decimals."""

import datetime

import pytest
import time_machine

from drills.models import Drill, Incident
from education.models import EducationActivity, StaffTraining
from hazards.models import Hazard
from inspections.models import Inspection
from reports.figures import FIGURES
from tests.factories import ActivityFactory, DrillFactory, HazardFactory, InspectionFactory

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
        DrillFactory(school=school, date=datetime.date(2024, 10, 9), drill_type="earthquake",
                     mode=Drill.Mode.UNANNOUNCED, style=Drill.Style.TABLETOP)  # fmt: skip
        DrillFactory(school=school, date=datetime.date(2025, 2, 20), style=Drill.Style.DISCUSSION)
        ActivityFactory(school=school, date=datetime.date(2024, 9, 1))
        ActivityFactory(school=school, kind=EducationActivity.Kind.FIRST_LESSON,
                        date=datetime.date(2025, 2, 17))  # fmt: skip
        StaffTraining.objects.create(school=school, title="消防培训", hours=2,
                                     date=datetime.date(2024, 8, 30))  # fmt: skip
        recent = NOW - datetime.timedelta(days=3)
        for when, level in ((at(7), Incident.Level.III), (recent, Incident.Level.IV)):
            Incident.objects.create(school=school, occurred_at=when, reported_at=when,
                                    place="操场", kind=Incident.Kind.values[0], level=level,
                                    summary="摔伤")  # fmt: skip


# Figures with no list that counts exactly their records (docs/decisions.md).
UNLINKED = {
    "schools_total", "cross_inspection_schools", "fire_remediation_investment_yuan",
    "schools_fire_acceptance_passed", "individual_counselling_sessions",
    "group_counselling_sessions", "patrols_done", "patrols_missed", "home_checkin_class_days",
    "students_unaccounted_at_cutoff", "drill_periods_due", "drill_periods_met",
    "drill_plans_due", "drill_plans_done",
    "schools_with_vice_principal", "vice_principal_hours", "schools_vice_principal_hours_met",
    "staff_training_hours",
}  # fmt: skip


def list_count(response):
    assert response.status_code == 200, response.request["QUERY_STRING"]
    context = response.context
    if "page_obj" in context:  # a ListView (inspections)
        return context["page_obj"].paginator.count
    return context["page"].paginator.count


@pytest.mark.parametrize(("persona", "query"), [
    ("bureau_staff", "year=2024&period=calendar"),  # a past year
    ("bureau_staff", "year=2024&period=school"),
    ("bureau_staff", "year=2025&period=calendar"),  # the current period
    ("officer_a", "year=2025&period=calendar"),
])  # fmt: skip
def test_every_figure_card_links_to_a_list_of_its_count(request, client, records, persona, query):
    client.force_login(request.getfixturevalue(persona))
    with time_machine.travel(NOW, tick=False):
        board = client.get(f"/?{query}").context
        rows = [*board["figures"], *board["extra_figures"]]
        linked = {row["key"]: row for row in rows if row.get("url")}
        assert set(linked) == set(FIGURES) - UNLINKED
        got = {key: list_count(client.get(row["url"])) for key, row in linked.items()}
    assert got == {key: row["value"] for key, row in linked.items()}
    assert sum(1 for value in got.values() if value) >= 8


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


def test_the_dashboard_opens_on_the_latest_year_with_data(client, bureau_staff, records, school_a):
    client.force_login(bureau_staff)
    with time_machine.travel(NOW, tick=False):
        assert client.get("/").context["year"] == 2024  # nothing reported in 2025 yet
        assert client.get("/?period=school").context["year"] == 2024  # 2024–2025 has data
        HazardFactory(school=school_a, reported_at=NOW - datetime.timedelta(days=1))
        assert client.get("/").context["year"] == 2025
        assert client.get("/?year=2023").context["year"] == 2023  # asked for
