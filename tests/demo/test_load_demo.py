"""load_demo: the article's figures from record-level data, demo users for every role,
the workflow walked by the services, realistic dates, idempotency. On the session's demo
data (tests/demo/fixtures.py), loaded at DEMO_TODAY with the clock pinned to that day."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db import connection
from django.db.models import Count, F, Sum
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from demo.builders import calendar as cal
from drills.models import Drill
from education.models import CounsellingSession, EducationActivity
from hazards.models import Hazard, HazardEvent, RemediationExpense
from inspections.models import Inspection
from schools.models import School, SchoolAssignment

from .checks import assert_article_figures, assert_personas_find_work
from .fixtures import DEMO_TODAY, load_demo, progress_years

pytestmark = pytest.mark.usefixtures("demo_data")
YEAR_2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


def test_summary_is_printed_after_a_progress_line_per_year(db, demo_data):
    assert "29" in demo_data and "demo12345" in demo_data and DEMO_TODAY.isoformat() in demo_data
    assert progress_years(demo_data) == [2024, 2025, 2026]


def test_2024_figures_equal_the_article(db):
    assert_article_figures()


def test_29_demo_schools_of_the_seed_table_all_passed_fire_acceptance_in_2024(db):
    schools = School.objects.filter(is_demo=True)
    assert schools.count() == 29
    assert {"杭锦旗实验小学", "杭锦旗蒙古族实验小学", "杭锦旗第九幼儿园"} <= set(
        schools.values_list("name", flat=True)
    )
    assert not schools.exclude(fire_acceptance_status=School.FireAcceptance.PASSED).exists()
    assert not schools.exclude(fire_acceptance_date__range=YEAR_2024).exists()


def test_fire_investment_is_a_decimal_sum_of_2024_expenses(db):
    spent = RemediationExpense.objects.filter(date__range=YEAR_2024, project__category="fire")
    assert spent.aggregate(s=Sum("amount_yuan"))["s"] == Decimal("54180000")
    assert spent.values("school").distinct().count() == 29


@pytest.mark.parametrize("role", [r.value for r in User.Role])
def test_demo_users_for_every_role_sign_in_with_the_demo_password(db, role):
    user = User.objects.filter(role=role).order_by("username").first()
    assert user is not None
    request = RequestFactory().post("/accounts/login/")  # django-axes wants the request
    assert authenticate(request, username=user.username, password="demo12345") == user


def test_named_demo_users_and_their_scope(db):
    school = School.objects.get(name="杭锦旗实验小学")
    for username, role in [
        ("officer1", "school_officer"),
        ("principal1", "principal"),
        ("teacher1", "teacher"),
        ("counsellor1", "counsellor"),
    ]:
        user = User.objects.get(username=username)
        assert (user.role, user.scope_all_schools, list(user.schools.all())) == (
            role,
            False,
            [school],
        )
    assert User.objects.get(username="officer2").schools.get() != school
    for username in ("bureau", "bureau_admin", "inspector1", "api_client"):
        assert User.objects.get(username=username).scope_all_schools
    assert User.objects.get(username="bureau").role == "bureau_staff"
    assert User.objects.get(username="inspector1").department.kind == "police"


def test_every_school_has_a_current_leader_and_cadre(db):
    current = SchoolAssignment.objects.current()
    for kind in ("leader", "cadre"):
        held = current.filter(kind=kind).values("school").annotate(n=Count("id"))
        assert sorted(row["n"] for row in held) == [1] * 29


def test_cross_inspections_one_per_school_by_another_school(db):
    cross = Inspection.objects.filter(kind="cross", date__range=YEAR_2024)
    assert cross.count() == 29
    assert cross.values("school").distinct().count() == 29
    assert all(i.inspecting_school_id not in (None, i.school_id) for i in cross)
    found = Hazard.objects.filter(source="cross_inspection", reported_at__year=2024)
    assert not found.filter(inspection__isnull=True).exists()
    assert set(found.values_list("inspection__kind", flat=True)) == {"cross"}


@pytest.mark.parametrize("source", ["cross_inspection", "snapshot"])
def test_2024_hazards_went_through_the_whole_workflow_with_separation_of_duties(db, source):
    hazards = Hazard.objects.filter(source=source, reported_at__year=2024).prefetch_related(
        "events__actor"
    )
    for hazard in hazards:
        events = list(hazard.events.all())
        actions = [e.action for e in events]
        assert actions[:2] == ["report", "assign"] and actions[-2:] == [
            "submit_rectification",
            "close",
        ]
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert (
            events[0].created_at == hazard.reported_at and hazard.closed_at == events[-1].created_at
        )
        assert events[-1].actor.is_bureau and events[-1].actor_id != hazard.submitted_by_id
        assert hazard.submitted_by.role == "school_officer"
        assert timezone.localtime(hazard.closed_at).year == 2024


def test_2024_closers_are_the_cadres_holding_the_school(db):
    closes = HazardEvent.objects.filter(action="close", hazard__reported_at__year=2024)
    closes = closes.select_related("hazard")
    for event in closes:
        day = timezone.localtime(event.created_at).date()
        cadre = SchoolAssignment.objects.current(day).get(
            school=event.hazard.school_id, kind="cadre"
        )
        assert event.actor_id == cadre.user_id


def test_hazard_history_is_backdated_to_the_workflow_steps(db):
    hazard = Hazard.objects.filter(status="closed", reported_at__year=2024).first()
    history = list(hazard.history.order_by("history_date"))
    assert [h.history_date for h in history] == [e.created_at for e in hazard.events.all()]
    assert history[0].history_type == "+" and history[-1].status == "closed"
    assert hazard.updated_at == hazard.closed_at


def test_records_fall_on_school_days(db):
    for model in (Drill, EducationActivity, CounsellingSession):
        days = set(model.objects.values_list("date", flat=True))
        assert all(cal.is_school_day(day) for day in days), model
    speeches = EducationActivity.objects.filter(kind="flag_speech").values_list("date", flat=True)
    assert {day.weekday() for day in speeches} == {0}  # flag raising on Monday


def test_bigger_schools_hold_more_drills_of_many_types(db):
    drills = Drill.objects.filter(date__range=YEAR_2024)
    counts = dict(drills.values_list("school__name").annotate(n=Count("id")))
    assert counts["杭锦旗第一中学"] > counts["杭锦旗巴拉贡镇幼儿园"]
    assert {"fire", "earthquake", "anti_terror"} <= set(drills.values_list("drill_type", flat=True))


def test_later_years_are_alive_with_open_and_overdue_hazards(db):
    assert Hazard.objects.filter(reported_at__year=2025).count() > 200
    # Last year's hazards are all written off, some of them after their deadline.
    last_year = Hazard.objects.filter(reported_at__year=2025)
    assert not last_year.open().exists()
    assert last_year.closed().filter(closed_at__date__gt=F("deadline")).count() > 10
    assert Hazard.objects.open().filter(reported_at__year=DEMO_TODAY.year).exists()
    assert Hazard.objects.overdue(DEMO_TODAY).exists()
    assert Hazard.objects.open().not_overdue(DEMO_TODAY).exists()
    assert Drill.objects.filter(date__year=DEMO_TODAY.year).exists()
    assert EducationActivity.objects.filter(date__year=DEMO_TODAY.year).exists()
    # The data is as of the start of DEMO_TODAY: nothing on or after it.
    assert not Hazard.objects.filter(reported_at__gte=cal.at(DEMO_TODAY, 0)).exists()
    assert not HazardEvent.objects.filter(created_at__gte=cal.at(DEMO_TODAY, 0)).exists()
    assert not Drill.objects.filter(date__gte=DEMO_TODAY).exists()


def test_the_clock_stands_on_the_demo_day(db):
    assert timezone.localdate() == DEMO_TODAY


def test_officer1_and_bureau_find_work_at_the_persona_school(db):
    assert_personas_find_work(DEMO_TODAY)


def _snapshot():
    tables = set(connection.introspection.table_names())  # skip apps whose migrations are pending
    # Tombstones are the sync feed's record of deleted rows (core.sync): a rebuild deletes
    # the old demo rows, so a mirroring client is told; they are not demo data.
    counts = {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models(include_auto_created=True)
        if m._meta.db_table in tables and m._meta.label != "notifications.Tombstone"
    }
    rows = {
        "hazards": list(
            Hazard.objects.order_by("reported_at", "title").values_list(
                "school__code", "reported_at", "title", "status", "source"
            )
        ),
        "drills": list(
            Drill.objects.order_by("date", "school__code", "drill_type").values_list(
                "school__code", "date", "drill_type"
            )
        ),
        "users": list(
            User.objects.order_by("username").values_list("id", "username", "name", "role")
        ),
        "schools": list(School.objects.order_by("code").values_list("id", "code", "name")),
    }
    return counts, rows


def test_loading_twice_leaves_the_same_data(db):
    before = _snapshot()
    out = load_demo(DEMO_TODAY, verbosity=0)
    after = _snapshot()
    assert progress_years(out) == [] and DEMO_TODAY.isoformat() in out  # summary only
    assert after[0] == before[0]  # row counts of every model
    assert after[1] == before[1]  # the same rows; schools and users keep their ids
