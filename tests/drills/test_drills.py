"""Drill records through the API and the pages: the §4 fields, bad input as field errors
(never a 500, nothing saved), a problem found becoming a hazard (source "drill"), a plan
revision turning into a task for the plan's owner, photos behind the checking view, and
API scoping as for hazards."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from drills import services
from drills.models import Drill, EvacuationTarget
from hazards.models import Hazard
from notifications.models import Kind, Notification
from schools.models import School
from tests.drills.conftest import pdf_bytes, plan_upload
from tests.hazards.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2025, 5, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def post(client, **data):
    return client.post(reverse("api-drill-list"), data, format="json")


def base(school, **extra):
    return {"school": school.pk, "drill_type": "fire", "date": "2025-05-12", **extra}


def approved_version(school, actor, kind="fire"):
    plan = services.create_plan(school, actor=actor, kind=kind)
    return services.add_plan_version(
        plan, actor=actor, file=plan_upload(pdf_bytes()), approved_on=D(2025, 3, 1), approver="校长"
    )


def test_a_full_record(api_as, officer_a, school_a):
    version = approved_version(school_a, officer_a)
    response = post(
        api_as(officer_a),
        **base(school_a),
        mode="unannounced", style="live", plan_version=version.pk,
        signal_at="2025-05-12T02:00:00Z", completed_at="2025-05-12T02:02:30Z",
        building="教学楼A", students_expected=600, student_participants=598,
        staff_expected=40, staff_participants=40, missing_count=2, injured_count=0,
        commander="王校长", teams="疏散引导组：李老师", outside_support="消防救援站",
        rating_plan_fit="full", rating_adequacy="improve", rating_staff="prompt",
        rating_proficiency="skilled", rating_supplies="ready", rating_safety="safe",
        problem_texts=["三楼东侧楼梯拥堵", "应急照明一处不亮"],
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["evacuation_seconds"], body["target_seconds"], body["met_target"]) == (
        150,
        120,
        False,
    )
    assert [p["description"] for p in body["problems"]] == ["三楼东侧楼梯拥堵", "应急照明一处不亮"]


def test_targets_primary_and_per_building(api_as, officer_a, school_a, settings):
    settings.DRILL_PRIMARY_TARGET_SECONDS = 180
    school_a.school_type = School.SchoolType.PRIMARY
    school_a.save()
    EvacuationTarget.objects.create(school=school_a, building="综合楼", seconds=240)
    client = api_as(officer_a)
    plain = post(client, **base(school_a, evacuation_seconds=170)).json()
    tall = post(client, **base(school_a, building="综合楼", evacuation_seconds=200)).json()
    assert (plain["target_seconds"], plain["met_target"]) == (180, True)
    assert (tall["target_seconds"], tall["met_target"]) == (240, True)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"evacuation_seconds": -5}, "evacuation_seconds"),
        ({"students_expected": 100, "student_participants": 120}, "headcount_note"),
        ({"staff_expected": 10, "staff_participants": 11}, "headcount_note"),
        ({"student_participants": -1}, "student_participants"),
        (
            {"signal_at": "2025-05-12T02:00:00Z", "completed_at": "2025-05-12T01:59:00Z"},
            "completed_at",
        ),
        ({"date": "2025-05-21"}, "date"),
        ({"drill_type": "volcano"}, "drill_type"),
        # Dates the calendar or the integer column cannot hold (500s found by a trial).
        ({"signal_at": "0001-01-01"}, "signal_at"),
        ({"completed_at": "0001-01-01T00:00:00Z"}, "completed_at"),
        (
            {"signal_at": "2025-05-12T10:00:00+08:00", "completed_at": "2099-12-31T23:59:59+08:00"},
            "completed_at",
        ),
        ({"problem_texts": ["长" * 301]}, "problem_texts"),
    ],
)
def test_bad_input_is_a_field_error(api_as, officer_a, school_a, extra, field):
    response = post(api_as(officer_a), **base(school_a, **extra))
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Drill.objects.exists()


def test_more_present_than_expected_with_a_reason_is_accepted(api_as, officer_a, school_a):
    response = post(
        api_as(officer_a),
        **base(
            school_a,
            students_expected=100,
            student_participants=104,
            headcount_note="4名家长志愿者",
        ),
    )
    assert response.status_code == 201


def test_a_plan_of_another_school_is_refused(
    api_as, bureau_staff, officer_a, officer_b, school_a, school_b
):
    other = approved_version(school_b, officer_b)
    as_bureau = post(api_as(bureau_staff), **base(school_a, plan_version=other.pk))
    assert as_bureau.status_code == 400
    assert as_bureau.json()["plan_version"] == ["所选预案不属于本校，请选择本校的应急预案。"]
    as_officer = post(api_as(officer_a), **base(school_a, plan_version=other.pk))
    assert as_officer.status_code == 400 and "plan_version" in as_officer.json()
    assert not Drill.objects.exists()


def test_the_form_shows_bad_input_on_its_fields(client, officer_a, school_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("drill-create"),
        {
            "school": school_a.pk, "drill_type": "fire", "mode": "announced", "style": "live",
            "date": "2025-05-12", "students_expected": 10, "student_participants": 12,
            "staff_participants": 0, "evacuation_seconds": -3,
        },
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "evacuation_seconds" in errors
    assert not Drill.objects.exists()
    response = client.post(
        reverse("drill-create"),
        {
            "school": school_a.pk, "drill_type": "fire", "mode": "announced", "style": "live",
            "date": "2025-05-12", "students_expected": 10, "student_participants": 12,
            "staff_participants": 0, "signal_time": "09:00", "completed_time": "09:02:05",
        },
    )  # fmt: skip
    assert "headcount_note" in response.context["form"].errors


def test_the_form_records_times_problems_and_photos(client, officer_a, school_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("drill-create"),
        {
            "school": school_a.pk, "drill_type": "earthquake", "mode": "announced",
            "style": "live", "date": "2025-05-12", "signal_time": "10:00",
            "completed_time": "10:01:45", "student_participants": 300, "staff_participants": 20,
            "problems": "二楼走廊灭火器过期\n\n集合点指示牌缺失",
            "photos": [upload(jpeg_bytes())],
        },
    )  # fmt: skip
    drill = Drill.objects.get()
    assert response.status_code == 302 and response.url == drill.get_absolute_url()
    assert drill.evacuation_seconds == 105 and drill.problems.count() == 2
    photo = drill.photos.get()
    assert client.get(photo.get_absolute_url()).status_code == 200


def test_a_problem_becomes_a_hazard_with_one_tap(client, officer_a, school_a):
    drill = services.record_drill(
        school_a, actor=officer_a, drill_type="fire", date=D(2025, 5, 12), problems=["安全出口堵塞"]
    )
    problem = drill.problems.get()
    client.force_login(officer_a)
    url = reverse("drill-problem-hazard", args=[drill.pk, problem.pk])
    client.post(url, {"category": "fire"})
    client.post(url, {"category": "fire"})  # a double tap makes no second hazard
    hazard = Hazard.objects.get()
    assert (hazard.source, hazard.drill, hazard.category, hazard.title) == (
        Hazard.Source.DRILL, drill, "fire", "安全出口堵塞",
    )  # fmt: skip
    assert "已转为隐患" in client.get(drill.get_absolute_url()).content.decode()


def test_a_problem_becomes_a_hazard_through_the_api(api_as, officer_a, officer_b, school_a):
    drill = services.record_drill(
        school_a, actor=officer_a, drill_type="fire", date=D(2025, 5, 12), problems=["广播听不清"]
    )
    problem = drill.problems.get()
    url = reverse("api-drill-hazard", args=[drill.pk])
    assert api_as(officer_b).post(url, {"problem": problem.pk}, format="json").status_code == 404
    response = api_as(officer_a).post(url, {"problem": problem.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["problems"][0]["hazard"] == Hazard.objects.get(source="drill").pk


def test_a_plan_revision_is_a_task_for_the_plan_owner(officer_a, principal_a, school_a):
    version = approved_version(school_a, principal_a)
    drill = services.record_drill(
        school_a, actor=officer_a, drill_type="fire", date=D(2025, 5, 12),
        plan_version=version, plan_revision_needed=True,
    )  # fmt: skip
    version.plan.refresh_from_db()
    assert version.plan.revision_requested_by == drill
    note = Notification.objects.get(kind=Kind.PLAN_REVISION)
    assert note.recipient == principal_a and note.url == version.plan.get_absolute_url()
    services.add_plan_version(
        version.plan, actor=principal_a, file=plan_upload(pdf_bytes()),
        approved_on=D(2025, 5, 19), approver="校长",
    )  # fmt: skip
    version.plan.refresh_from_db()
    assert version.plan.revision_requested_by is None


def test_drills_api_is_scoped_and_filtered(
    api_as, officer_a, officer_b, bureau_staff, school_a, school_b
):
    mine = Drill.objects.create(school=school_a, drill_type="fire", date=D(2025, 5, 1))
    theirs = Drill.objects.create(
        school=school_b, drill_type="earthquake", date=D(2025, 5, 2), mode="unannounced"
    )
    ids = [d["id"] for d in api_as(officer_a).get(reverse("api-drill-list")).json()["results"]]
    assert ids == [mine.pk]
    assert api_as(officer_a).get(reverse("api-drill-detail", args=[theirs.pk])).status_code == 404
    assert post(api_as(officer_a), **base(school_b)).status_code == 400
    filtered = api_as(bureau_staff).get(reverse("api-drill-list"), {"mode": "unannounced"}).json()
    assert [d["id"] for d in filtered["results"]] == [theirs.pk]


def test_the_drill_page_is_scoped(client, officer_b, officer_a, school_a):
    drill = Drill.objects.create(school=school_a, drill_type="fire", date=D(2025, 5, 1))
    client.force_login(officer_b)
    assert client.get(drill.get_absolute_url()).status_code == 404
    client.force_login(officer_a)
    assert client.get(drill.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("year", ["-1", "0", "1e5", "99999999999999999999"])
def test_a_year_filter_out_of_range_is_a_400(api_as, officer_a, year):
    response = api_as(officer_a).get(reverse("api-drill-list"), {"year": year})
    assert response.status_code == 400 and "year" in response.json()


def test_a_problem_line_too_long_is_a_form_error(client, officer_a, school_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("drill-create"),
        {"school": school_a.pk, "drill_type": "fire", "date": "2025-05-12", "problems": "长" * 301},
    )
    assert response.status_code == 200 and "problems" in response.context["form"].errors
    assert not Drill.objects.exists()


def test_a_problem_turned_hazard_links_to_the_hazard(officer_a, school_a):
    drill = services.record_drill(
        school_a, actor=officer_a, drill_type="fire", date=D(2025, 5, 12), problems=["通道堵塞"]
    )
    problem = drill.problems.get()
    hazard = services.problem_to_hazard(problem, actor=officer_a, category="other")
    assert hazard.get_absolute_url() == reverse("hazard-detail", args=[hazard.pk])
