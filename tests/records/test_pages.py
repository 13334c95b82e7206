"""Record pages for drills, education activities and counselling sessions, through the
test client with the personas of ``tests/conftest.py``."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from drills.models import Drill
from education.models import CounsellingSession, EducationActivity
from tests.factories import ActivityFactory, CounsellingFactory, DrillFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


# --- drills -----------------------------------------------------------------------------


def test_officer_records_a_drill(client, officer_a, school_a):
    client.force_login(officer_a)
    page = client.get(reverse("drill-create"))
    assert page.status_code == 200
    assert page.context["form"].single_school == school_a  # school field hidden
    assert page.context["form"]["date"].value() == _today()  # pre-filled for the phone
    response = client.post(
        reverse("drill-create"),
        {
            "school": school_a.pk,
            "drill_type": "fire",
            "mode": "unannounced",
            "date": _today().isoformat(),
            "student_participants": 420,
            "staff_participants": 35,
            "evacuation_seconds": 185,
            "notes": "顺利",
        },
    )
    drill = Drill.objects.get()
    # To the drill's page, where its problems become hazards.
    assert response.status_code == 302 and response.url == drill.get_absolute_url()
    assert (drill.school, drill.recorded_by, drill.mode, drill.evacuation_seconds) == (
        school_a,
        officer_a,
        "unannounced",
        185,
    )
    listing = client.get(reverse("drill-list"))
    assert listing.context["page"].object_list == [drill]
    assert "应急演练已登记" in listing.content.decode()


def test_drill_list_newest_first_and_filters(client, officer_a, school_a):
    old = DrillFactory(school=school_a, date=datetime.date(2023, 10, 1))
    new = DrillFactory(school=school_a, date=datetime.date(2024, 4, 1))
    client.force_login(officer_a)
    assert client.get(reverse("drill-list")).context["page"].object_list == [new, old]
    assert client.get(reverse("drill-list"), {"year": 2023}).context["page"].object_list == [old]


def test_officer_b_does_not_see_school_a_drills(client, officer_b, school_a, school_b):
    DrillFactory(school=school_a)
    own = DrillFactory(school=school_b)
    client.force_login(officer_b)
    response = client.get(reverse("drill-list"))
    assert response.context["page"].object_list == [own]
    # Filtering by a school outside the scope is a filter error, not a leak.
    response = client.get(reverse("drill-list"), {"school": school_a.pk})
    assert response.status_code == 200 and response.context["page"].object_list == []


def test_drill_school_outside_scope_is_a_form_error(client, officer_b, school_a, school_b):
    client.force_login(officer_b)
    # officer_b has one school (hidden field); a forged other school id is refused.
    response = client.post(
        reverse("drill-create"),
        {
            "school": school_a.pk,
            "drill_type": "fire",
            "mode": "announced",
            "date": _today().isoformat(),
            "student_participants": 1,
            "staff_participants": 1,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Drill.objects.exists()


def test_drill_future_date_is_a_form_error(client, officer_a, school_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("drill-create"),
        {
            "school": school_a.pk,
            "drill_type": "fire",
            "mode": "announced",
            "date": _tomorrow().isoformat(),
            "student_participants": 1,
            "staff_participants": 1,
        },
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not Drill.objects.exists()


def test_drill_missing_fields_are_form_errors(client, officer_a):
    client.force_login(officer_a)
    response = client.post(reverse("drill-create"), {})
    errors = response.context["form"].errors
    assert {"drill_type", "date"} <= set(errors)
    assert not Drill.objects.exists()


@pytest.mark.parametrize("persona", ["teacher_a", "counsellor_a", "report_client"])
def test_non_recorders_get_403_and_no_button(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("drill-create")).status_code == 403
    listing = client.get(reverse("drill-list"))
    assert listing.status_code == 200 and not listing.context["may_create"]
    assert reverse("drill-create") not in listing.content.decode()


def test_bureau_records_a_drill_for_any_school(client, bureau_staff, school_a, school_b):
    client.force_login(bureau_staff)
    response = client.post(
        reverse("drill-create"),
        {
            "school": school_b.pk,
            "drill_type": "earthquake",
            "mode": "announced",
            "date": _today().isoformat(),
            "student_participants": 0,
            "staff_participants": 0,
        },
    )
    assert response.status_code == 302
    assert Drill.objects.get().school == school_b


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("drill-create"))
    assert response.status_code == 302 and "login" in response.url


# --- education activities -------------------------------------------------------------


def test_teacher_records_a_class_meeting(client, teacher_a, school_a):
    client.force_login(teacher_a)
    response = client.post(
        reverse("activity-create"),
        {
            "school": school_a.pk,
            "kind": "class_meeting",
            "topic": "drowning",
            "title": "防溺水主题班会",
            "date": _today().isoformat(),
            "participants": 45,
        },
    )
    assert response.status_code == 302 and response.url == reverse("activity-list")
    activity = EducationActivity.objects.get()
    assert (activity.kind, activity.recorded_by, activity.participants) == (
        "class_meeting",
        teacher_a,
        45,
    )
    listing = client.get(reverse("activity-list"))
    assert listing.context["page"].object_list == [activity]
    assert listing.context["may_create"]


def test_activity_bad_input_saves_nothing(client, officer_a, school_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("activity-create"),
        {
            "school": school_a.pk,
            "kind": "thematic",
            "topic": "law",
            "title": "讲座",
            "date": _tomorrow().isoformat(),
            "participants": 3,
        },
    )
    assert "date" in response.context["form"].errors
    response = client.post(reverse("activity-create"), {"school": school_a.pk})
    assert {"kind", "title", "date"} <= set(response.context["form"].errors)
    assert not EducationActivity.objects.exists()


def test_activity_list_is_scoped(client, officer_b, school_a, school_b):
    ActivityFactory(school=school_a)
    own = ActivityFactory(school=school_b)
    client.force_login(officer_b)
    assert client.get(reverse("activity-list")).context["page"].object_list == [own]


@pytest.mark.parametrize("persona", ["report_client", "counsellor_a"])
def test_activity_create_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("activity-create")).status_code == 403


# --- counselling ----------------------------------------------------------------------


def _session(school, kind="individual", **fields):
    return {"school": school.pk, "kind": kind, "date": _today().isoformat(), **fields}


def test_counsellor_records_individual_and_group(client, counsellor_a, school_a):
    client.force_login(counsellor_a)
    assert client.get(reverse("counselling-create")).status_code == 200
    response = client.post(
        reverse("counselling-create"), _session(school_a, student_code="S-017", notes="…")
    )
    assert response.status_code == 302 and response.url == reverse("counselling-list")
    response = client.post(
        reverse("counselling-create"),
        _session(school_a, "group", student_code="X", participants=12),
    )
    assert response.status_code == 302
    individual, group = CounsellingSession.objects.order_by("id")
    assert (individual.student_code, individual.participants, individual.counsellor) == (
        "S-017",
        1,
        counsellor_a,
    )
    assert (group.student_code, group.participants) == ("", 12)  # a group has no student code


def test_counsellor_sees_only_own_school(client, counsellor_a, school_a, school_b):
    own = CounsellingFactory(school=school_a, student_code="A-1")
    CounsellingFactory(school=school_b, student_code="B-1")
    client.force_login(counsellor_a)
    response = client.get(reverse("counselling-list"))
    assert response.status_code == 200
    assert response.context["page"].object_list == [own]
    assert "B-1" not in response.content.decode()
    assert reverse("counselling-list") in response.content.decode()  # navbar link


@pytest.mark.parametrize("persona", ["bureau_staff", "officer_a", "teacher_a", "report_client"])
@pytest.mark.parametrize("name", ["counselling-list", "counselling-create"])
def test_counselling_pages_403_for_everybody_else(client, request, persona, name, school_a):
    CounsellingFactory(school=school_a, student_code="A-1")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "A-1" not in response.content.decode()


def test_counselling_nav_link_only_for_counsellors(client, officer_a):
    client.force_login(officer_a)
    html = client.get(reverse("drill-list")).content.decode()
    assert reverse("counselling-list") not in html
    assert reverse("activity-list") in html


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "group", "participants": 1}, "participants"),
        ({"kind": "group"}, "participants"),
        ({"kind": "individual", "student_code": ""}, "student_code"),
        ({"kind": "individual", "student_code": "S-1", "participants": 3}, "participants"),
        ({"kind": "individual", "student_code": "S-1", "date": "2999-01-01"}, "date"),
        ({"kind": "", "date": ""}, "kind"),
    ],
)
def test_counselling_bad_input_saves_nothing(client, counsellor_a, school_a, fields, field):
    client.force_login(counsellor_a)
    response = client.post(reverse("counselling-create"), _session(school_a, **fields))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CounsellingSession.objects.exists()


# --- query counts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "factory", "persona"),
    [
        ("drill-list", DrillFactory, "officer_a"),
        ("activity-list", ActivityFactory, "officer_a"),
        ("counselling-list", CounsellingFactory, "counsellor_a"),
    ],
)
def test_list_query_count_does_not_grow(
    client, request, django_assert_max_num_queries, school_a, name, factory, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    factory.create_batch(5, school=school_a)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse(name), {"year": 2024})
    factory.create_batch(15, school=school_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name), {"year": 2024})
    assert len(response.context["page"].object_list) == 20


def test_the_education_root_leads_to_the_activities(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/education/")
    assert response.status_code == 302 and response.url == reverse("activity-list")
