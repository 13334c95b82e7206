"""Planning joint, self and spot inspections from the browser and the API."""

import pytest
from django.urls import reverse

from inspections.models import Inspection
from schools.models import Department
from tests.factories import InspectionFactory

API = "/api/v1/inspections/"


@pytest.fixture
def police(db):
    return Department.objects.create(name="县公安局", kind=Department.Kind.POLICE)


def test_bureau_plans_a_joint_inspection_in_the_browser(
    client, bureau_staff, school_a, checklist, police
):
    client.force_login(bureau_staff)
    assert client.get(reverse("inspection-create")).status_code == 200
    response = client.post(
        reverse("inspection-create"),
        {
            "kind": "joint",
            "subject": "surroundings",
            "school": school_a.pk,
            "date": "2025-06-03",
            "departments": [police.pk],
            "leader": bureau_staff.pk,
            "checklist": checklist.pk,
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "inspection-detail", args=[inspection.pk]
    )
    assert (inspection.kind, inspection.subject, inspection.status, inspection.leader) == (
        "joint",
        "surroundings",
        "planned",
        bureau_staff,
    )
    assert list(inspection.departments.all()) == [police] and school_a.name in inspection.title
    detail = client.get(response.url).content.decode()
    assert police.name in detail and "校园周边" in detail


def test_officer_plans_a_self_inspection_of_own_school_only(
    client, officer_a, school_a, school_b, checklist
):
    client.force_login(officer_a)
    data = {
        "kind": "self",
        "subject": "campus",
        "school": school_a.pk,
        "date": "2025-06-03",
        "checklist": checklist.pk,
    }
    assert client.post(reverse("inspection-create"), data).status_code == 302
    response = client.post(reverse("inspection-create"), {**data, "school": school_b.pk})
    assert response.status_code == 200 and "school" in response.context["form"].errors
    spot = client.post(reverse("inspection-create"), {**data, "kind": "spot"})
    assert "kind" in spot.context["form"].errors
    assert list(Inspection.objects.values_list("school", "kind")) == [(school_a.pk, "self")]


def test_teacher_may_not_plan(client, teacher_a):
    client.force_login(teacher_a)
    assert client.get(reverse("inspection-create")).status_code == 403


def test_api_plans_a_spot_check(api_as, bureau_staff, school_a, checklist):
    response = api_as(bureau_staff).post(
        API,
        {
            "kind": "spot",
            "school": school_a.pk,
            "date": "2025-06-03",
            "checklist": checklist.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert (response.data["kind"], response.data["status"], response.data["school"]) == (
        "spot",
        "planned",
        school_a.pk,
    )
    assert response.data["leader"] is None


def test_api_out_of_scope_school_is_a_field_error(api_as, officer_a, school_b):
    response = api_as(officer_a).post(
        API, {"kind": "self", "school": school_b.pk, "date": "2025-06-03"}, format="json"
    )
    assert response.status_code == 400 and "school" in response.data
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(("kind", "status"), [("joint", 403), ("cross", 400)])
def test_api_officer_cannot_plan_joint_or_cross(api_as, officer_a, school_a, kind, status):
    response = api_as(officer_a).post(
        API, {"kind": kind, "school": school_a.pk, "date": "2025-06-03"}, format="json"
    )
    assert response.status_code == status
    assert not Inspection.objects.exists()


def test_api_rejects_bad_date_and_unpublished_checklist(api_as, bureau_staff, school_a, checklist):
    client = api_as(bureau_staff)
    assert (
        "date"
        in client.post(
            API, {"kind": "joint", "school": school_a.pk, "date": "x"}, format="json"
        ).data
    )
    checklist.is_published = False
    checklist.save()
    response = client.post(
        API,
        {"kind": "joint", "school": school_a.pk, "date": "2025-06-03", "checklist": checklist.pk},
        format="json",
    )
    assert response.status_code == 400 and "checklist" in response.data


def test_planning_uses_the_latest_published_checklist_by_default(
    api_as, bureau_staff, school_a, checklist
):
    response = api_as(bureau_staff).post(
        "/api/v1/inspections/",
        {"kind": "spot", "school": school_a.pk, "date": "2025-04-02"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["checklist"] == checklist.pk


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01"])
def test_planning_far_dates_is_400(api_as, bureau_staff, school_a, day):
    response = api_as(bureau_staff).post(
        "/api/v1/inspections/", {"kind": "spot", "school": school_a.pk, "date": day}, format="json"
    )
    assert response.status_code == 400 and "date" in response.json()


def test_an_inspection_without_checklist_cannot_be_submitted(api_as, bureau_staff, school_a):
    inspection = InspectionFactory(school=school_a, kind="spot", checklist=None)
    response = api_as(bureau_staff).post(
        f"/api/v1/inspections/{inspection.pk}/submit/", {}, format="json"
    )
    assert response.status_code == 400
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_a_round_ending_before_it_starts_is_a_form_error(client, bureau_staff, checklist):
    from tests.factories import SchoolFactory

    client.force_login(bureau_staff)
    response = client.post(
        reverse("round-create"),
        {
            "name": "错误日期",
            "period_start": "2025-12-01",
            "period_end": "2025-01-01",
            "checklist": checklist.pk,
            "schools": [SchoolFactory().pk for _ in range(3)],
        },
    )
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "结束日期不能早于开始日期" in html
        and "round_end_after_start" not in html
    )
