"""The drill schedule (演练计划): a school plans drills; planned against done comes from the
one compliance function, and the compliance page, the schedule page, the API and the
reminders (before the day, once missed) all agree. Bad input is a clear error."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from drills import reminders
from drills.models import Drill, PlannedDrill
from drills.selectors import compliance_table, drill_compliance
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _terms(terms):
    with time_machine.travel("2025-06-10 10:00 +0800", tick=False):
        yield terms


def plan(school, day, drill_type="fire", **kw):
    return PlannedDrill.objects.create(school=school, planned_on=day, drill_type=drill_type, **kw)


def drill(school, day, drill_type="fire", **kw):
    return Drill.objects.create(school=school, drill_type=drill_type, date=day, **kw)


def test_a_drill_of_the_type_in_the_month_carries_the_plan_out(school_a):
    earthquake = plan(school_a, D(2025, 5, 12), "earthquake")
    fire = plan(school_a, D(2025, 5, 20))
    night = plan(school_a, D(2025, 5, 22), is_night=True)
    upcoming = plan(school_a, D(2025, 6, 20))
    done = drill(school_a, D(2025, 5, 28))  # fire, no signal time: a day drill
    drill(school_a, D(2025, 4, 30), "earthquake")  # another month: does not count
    result = drill_compliance([school_a], D(2025, 5, 1), D(2025, 6, 30), today=D(2025, 6, 10))
    by_plan = {p.plan_id: (p.status, p.drill_id) for p in result[school_a.pk].plans}
    assert by_plan == {
        earthquake.pk: ("missed", None),
        fire.pk: ("done", done.pk),
        night.pk: ("missed", None),  # the one fire drill was used, and it was by day
        upcoming.pk: ("upcoming", None),
    }
    assert result[school_a.pk].plan_counts() == {
        "planned": 4, "done": 1, "missed": 2, "upcoming": 1
    }  # fmt: skip


def test_compliance_page_shows_planned_against_done(client, bureau_staff, school_a):
    plan(school_a, D(2025, 5, 20))
    plan(school_a, D(2025, 5, 21), "earthquake")
    drill(school_a, D(2025, 5, 28))
    client.force_login(bureau_staff)
    page = client.get(reverse("drill-compliance"), {"year": 2025}).content.decode()
    row = page.split(f'data-school="{school_a.pk}"')[1].split("</tr>")[0]
    assert ">1/2</a>" in row and 'data-missed="1"' in row
    table = compliance_table([school_a], 2025, today=D(2025, 6, 10))
    assert table["rows"][0]["plans"]["missed"] == 1


def test_officer_plans_a_drill_on_the_page(client, officer_a, school_a):
    client.force_login(officer_a)
    url = reverse("drill-schedule")
    data = {"school": school_a.pk, "drill_type": "night_dorm", "mode": "unannounced",
            "style": "live", "planned_on": "2025-06-18"}  # fmt: skip
    response = client.post(url, data, follow=True)
    assert "已加入演练计划：2025-06-18 夜间宿舍疏散" in response.content.decode()
    saved = PlannedDrill.objects.get()
    assert saved.is_night and saved.mode == "unannounced" and saved.created_by == officer_a
    page = client.get(url).content.decode()
    assert f'data-plan="{saved.pk}" data-status="upcoming"' in page
    # The same again, and a past day: clear messages, nothing saved.
    again = client.post(url, data).content.decode()
    assert "本校当天已计划同类演练" in again
    past = client.post(url, {**data, "planned_on": "2025-06-01"}).content.decode()
    assert "计划日期不能早于今天" in past
    assert PlannedDrill.objects.count() == 1


def test_report_client_cannot_plan(client, report_client, school_a):
    client.force_login(report_client)
    data = {"school": school_a.pk, "drill_type": "fire", "mode": "announced",
            "style": "live", "planned_on": "2025-06-18"}  # fmt: skip
    assert client.post(reverse("drill-schedule"), data).status_code == 403
    assert PlannedDrill.objects.count() == 0


def test_api_plans_lists_with_status_and_is_scoped(
    api_as, officer_a, officer_b, school_a, school_b
):
    api = api_as(officer_a)
    created = api.post(
        "/api/v1/planned-drills/",
        {"school": school_a.pk, "drill_type": "fire", "planned_on": "2025-06-12"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "upcoming"
    other = api.post(
        "/api/v1/planned-drills/",
        {"school": school_b.pk, "drill_type": "fire", "planned_on": "2025-06-12"},
        format="json",
    )
    assert other.status_code == 400 and "school" in other.json()
    drill(school_a, D(2025, 6, 3))
    listed = api.get("/api/v1/planned-drills/", {"school": school_a.pk}).json()["results"]
    assert [(r["planned_on"], r["status"]) for r in listed] == [("2025-06-12", "done")]
    assert api_as(officer_b).get(f"/api/v1/planned-drills/{listed[0]['id']}/").status_code == 404
    assert api.get("/api/v1/planned-drills/", {"drill_type": "nope"}).status_code == 400


def test_api_cancel_only_before_the_day(api_as, officer_a, school_a):
    future = plan(school_a, D(2025, 6, 20))
    past = plan(school_a, D(2025, 6, 2))
    api = api_as(officer_a)
    assert api.delete(f"/api/v1/planned-drills/{future.pk}/").status_code == 204
    refused = api.delete(f"/api/v1/planned-drills/{past.pk}/")
    assert refused.status_code == 400 and "planned_on" in refused.json()
    assert list(PlannedDrill.objects.values_list("pk", flat=True)) == [past.pk]


def test_reminded_before_the_day_and_once_missed(school_a, officer_a, principal_a):
    soon = plan(school_a, D(2025, 6, 13))
    plan(school_a, D(2025, 6, 30))  # too far ahead
    plan(school_a, D(2025, 6, 5), "earthquake")  # missed
    plan(school_a, D(2025, 5, 2), "crowd")  # missed long ago: never told
    plan(school_a, D(2025, 6, 6))  # carried out below
    drill(school_a, D(2025, 6, 9))
    assert reminders.remind_planned_drills(D(2025, 6, 10)) == 4  # 2 plans × 2 managers
    assert reminders.remind_planned_drills(D(2025, 6, 10)) == 0
    told = sorted(Notification.objects.filter(recipient=officer_a).values_list("kind", "period"))
    assert told == [(Kind.DRILL_PLAN_MISSED, "missed"), (Kind.DRILL_PLANNED, "before")]
    # Done before its day: no "missed" later, and no second "before".
    drill(school_a, D(2025, 6, 12))
    assert reminders.remind_planned_drills(D(2025, 6, 14)) == 0
    assert soon.pk in {s.plan_id for s in drill_compliance(
        [school_a], D(2025, 6, 1), D(2025, 6, 30), today=D(2025, 6, 14))[school_a.pk].plans
        if s.status == "done"}  # fmt: skip


@pytest.mark.parametrize(
    "path", ["/api/v1/planned-drills/", "/api/v1/drills/", "/api/v1/incidents/", "/api/v1/plans/"]
)
def test_a_school_outside_the_scope_is_a_400_on_every_drills_list(
    api_as, officer_a, school_b, path
):
    response = api_as(officer_a).get(path, {"school": school_b.pk})
    assert response.status_code == 400 and "school" in response.json()


def test_drills_and_plans_filter_by_year_and_dates_and_refuse_a_year_out_of_range(
    api_as, officer_a, school_a
):
    drill(school_a, datetime.date(2025, 3, 10))
    drill(school_a, datetime.date(2024, 3, 10))
    plan(school_a, datetime.date(2025, 5, 20))
    client = api_as(officer_a)
    assert client.get("/api/v1/drills/", {"year": 2025}).json()["count"] == 1
    dates = {"date_after": "2024-01-01", "date_before": "2025-03-10"}
    assert client.get("/api/v1/drills/", dates).json()["count"] == 2
    assert client.get("/api/v1/planned-drills/", {"year": 2025}).json()["count"] == 1
    assert client.get("/api/v1/planned-drills/", {"year": 2024}).json()["count"] == 0
    for path in ("/api/v1/drills/", "/api/v1/planned-drills/"):
        assert client.get(path, {"year": -1}).status_code == 400


def test_the_schedule_pages_plans_with_their_status(client, bureau_staff, school_a, monkeypatch):
    first, second = plan(school_a, D(2025, 5, 20)), plan(school_a, D(2025, 5, 21))
    drill(school_a, D(2025, 5, 28))  # carries out the earlier plan only
    monkeypatch.setattr("drills.views.schedule.PLANS_PER_PAGE", 1)
    client.force_login(bureau_staff)
    url = reverse("drill-schedule")
    with time_machine.travel(datetime.datetime(2025, 6, 10, 2, 0, tzinfo=datetime.UTC)):
        one = client.get(url, {"year": 2025}).content.decode()
        two = client.get(url, {"year": 2025, "page": 2}).content.decode()
    assert f'data-plan="{first.pk}" data-status="done"' in one and "page=2" in one
    assert f'data-plan="{second.pk}" data-status="missed"' in two
    assert f'data-plan="{first.pk}"' not in two
