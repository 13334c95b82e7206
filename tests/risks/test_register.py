"""The register, the map and the API through HTTP: scoping (a school sees its own, the
bureau all), writes by the school's managers, and bad input as clear errors (never 500)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from risks.models import RiskAssessment, RiskHazardLink, RiskPoint, RiskPolicy, SitePlan
from tests.factories import HazardFactory

from .conftest import TODAY, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield


def _plan(client, school, data=None, name="plan.png"):
    upload = SimpleUploadedFile(name, data if data is not None else png_bytes(), "image/png")
    return client.post(reverse("risk-site-plan-upload", args=[school.pk]), {"image": upload})


def test_school_user_sees_only_its_register_and_map(client, officer_a, point_a, point_b, school_b):
    client.force_login(officer_a)
    page = client.get(reverse("risk-register"))
    assert point_a.name in page.content.decode() and point_b.name not in page.content.decode()
    assert client.get(reverse("risk-point-detail", args=[point_b.pk])).status_code == 404
    assert client.get(reverse("risk-map", args=[school_b.pk])).status_code == 404
    assert client.get(reverse("risk-map", args=[point_a.school_id])).status_code == 200


def test_bureau_sees_every_school(client, bureau_staff, point_a, point_b):
    client.force_login(bureau_staff)
    body = client.get(reverse("risk-register")).content.decode()
    assert point_a.name in body and point_b.name in body
    assert client.get(reverse("risk-map", args=[point_b.school_id])).status_code == 200


def test_officer_adds_assesses_and_checks_a_point(client, officer_a, school_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("risk-point-create"),
        {"school": school_a.pk, "name": "配电室", "kind": "place", "category": "electrical",
         "control_level": "post"},
    )  # fmt: skip
    point = RiskPoint.objects.get(name="配电室")
    assert response.status_code == 302 and point.grade == ""
    response = client.post(
        reverse("risk-point-assess", args=[point.pk]),
        {"likelihood": "4", "severity": "5", "reason": "initial"},
    )
    point.refresh_from_db()
    assert response.status_code == 302
    assert (point.grade, point.score, point.review_due) == ("major", 20, TODAY.replace(year=2026))
    assert RiskAssessment.objects.get(point=point).assessed_by == officer_a
    client.post(
        reverse("risk-point-check", args=[point.pk]), {"date": "2025-06-16", "result": "ok"}
    )
    assert point.checks.get().date == TODAY


def test_teacher_reads_but_does_not_write(client, teacher_a, point_a):
    client.force_login(teacher_a)
    assert client.get(reverse("risk-point-detail", args=[point_a.pk])).status_code == 200
    url = reverse("risk-point-assess", args=[point_a.pk])
    assert (
        client.post(url, {"likelihood": "1", "severity": "1", "reason": "initial"}).status_code
        == 403
    )


def test_a_likelihood_off_the_scale_is_a_form_error(client, officer_a, point_a):
    client.force_login(officer_a)
    url = reverse("risk-point-assess", args=[point_a.pk])
    response = client.post(url, {"likelihood": "9", "severity": "3", "reason": "initial"})
    assert response.status_code == 200
    assert "取值不在评价方法的刻度上" in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_lec_when_the_bureau_configures_it(client, officer_a, point_a, policy):
    policy.method = "lec"
    policy.save()
    client.force_login(officer_a)
    url = reverse("risk-point-assess", args=[point_a.pk])
    client.post(url, {"likelihood": "3", "exposure": "6", "severity": "15", "reason": "initial"})
    point_a.refresh_from_db()
    assert (point_a.grade, point_a.score) == ("significant", 270)
    assert RiskAssessment.objects.get().method == "lec"


def test_site_plan_upload_map_and_placing(client, officer_a, point_a, school_a):
    client.force_login(officer_a)
    assert _plan(client, school_a).status_code == 302
    plan = SitePlan.objects.get(school=school_a)
    assert (plan.width, plan.height) == (400, 200)
    image = client.get(plan.get_absolute_url())
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    response = client.post(
        reverse("risk-point-place", args=[school_a.pk]),
        {"point": point_a.pk, "plan_x": "25", "plan_y": "50"},
    )
    assert response.status_code == 302
    point_a.refresh_from_db()
    assert (point_a.plan_x, point_a.plan_y) == (25, 50)
    body = client.get(reverse("risk-map", args=[school_a.pk])).content.decode()
    assert 'cx="100.0"' in body and 'cy="100.0"' in body and "/media/" not in body


def test_site_plan_not_an_image_is_a_form_error(client, officer_a, school_a):
    client.force_login(officer_a)
    response = _plan(client, school_a, data=b"%PDF-1.4 not an image", name="plan.png")
    assert response.status_code == 200
    assert "无法识别的图片文件" in response.content.decode()
    assert not SitePlan.objects.exists()


def test_site_plan_too_large_is_refused(client, officer_a, school_a, settings):
    settings.HAZARD_PHOTO_MAX_BYTES = 100
    client.force_login(officer_a)
    response = _plan(client, school_a)
    assert response.status_code == 200 and not SitePlan.objects.exists()


def test_another_school_cannot_fetch_the_plan(client, officer_a, officer_b, school_a):
    client.force_login(officer_a)
    _plan(client, school_a)
    plan = SitePlan.objects.get()
    client.force_login(officer_b)
    assert client.get(plan.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(plan.get_absolute_url()).status_code in (302, 401, 403)


@pytest.mark.parametrize(("x", "y"), [("101", "50"), ("-1", "50"), ("50", "100.01"), ("NaN", "1")])
def test_a_point_outside_the_plan_is_an_error(client, officer_a, point_a, school_a, x, y):
    client.force_login(officer_a)
    _plan(client, school_a)
    response = client.post(
        reverse("risk-point-place", args=[school_a.pk]),
        {"point": point_a.pk, "plan_x": x, "plan_y": y},
    )
    assert response.status_code == 200
    point_a.refresh_from_db()
    assert point_a.plan_x is None


def test_starter_set_by_school_type(client, officer_a, school_a):
    school_a.is_boarding = True
    school_a.save()
    client.force_login(officer_a)
    client.post(reverse("risk-starter", args=[school_a.pk]))
    names = set(RiskPoint.objects.filter(school=school_a).values_list("name", flat=True))
    assert "学生宿舍" in names and "幼儿活动室与午睡室" not in names
    assert not RiskPoint.objects.filter(school=school_a, grade="").exists()
    count = len(names)
    client.post(reverse("risk-starter", args=[school_a.pk]))  # twice: nothing doubled
    assert RiskPoint.objects.filter(school=school_a).count() == count


def test_link_a_hazard_of_the_school_only(client, officer_a, point_a, school_b):
    client.force_login(officer_a)
    own = HazardFactory(school=point_a.school)
    other = HazardFactory(school=school_b)
    url = reverse("risk-point-link", args=[point_a.pk])
    assert client.post(url, {"hazard": own.pk}).status_code == 302
    assert client.post(url, {"hazard": other.pk}).status_code == 200  # not a choice
    assert list(RiskHazardLink.objects.values_list("hazard", flat=True)) == [own.pk]


# --- API ----------------------------------------------------------------------------------


def test_api_scoping_and_assess(api_as, officer_a, bureau_staff, point_a, point_b):
    client = api_as(officer_a)
    ids = [row["id"] for row in client.get("/api/v1/risk-points/").json()["results"]]
    assert ids == [point_a.pk]
    assert client.get(f"/api/v1/risk-points/{point_b.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/risk-points/{point_a.pk}/assess/", {"likelihood": 3, "severity": 5}, format="json"
    )
    assert response.status_code == 201 and response.json()["grade"] == "significant"
    assert client.get("/api/v1/risk-assessments/").json()["results"][0]["score"] == "15.0"
    assert api_as(bureau_staff).get("/api/v1/risk-points/").json()["count"] == 2


def test_api_bad_input_is_400_with_the_field(api_as, officer_a, point_a, school_a):
    client = api_as(officer_a)
    response = client.post(
        f"/api/v1/risk-points/{point_a.pk}/assess/", {"likelihood": 7, "severity": 5}, format="json"
    )
    assert response.status_code == 400 and "likelihood" in response.json()
    response = client.post(
        f"/api/v1/risk-points/{point_a.pk}/place/", {"plan_x": 50, "plan_y": 50}, format="json"
    )
    assert response.status_code == 400  # no plan yet
    SitePlan.objects.create(school=school_a, image="x.jpg", width=10, height=10)
    response = client.post(
        f"/api/v1/risk-points/{point_a.pk}/place/", {"plan_x": 150, "plan_y": 50}, format="json"
    )
    assert response.status_code == 400 and "plan_x" in response.json()


def test_api_create_in_scope_only(api_as, officer_a, school_a, school_b, teacher_a):
    client = api_as(officer_a)
    body = {"school": school_b.pk, "name": "大门", "category": "traffic"}
    assert client.post("/api/v1/risk-points/", body, format="json").status_code == 400
    body["school"] = school_a.pk
    assert client.post("/api/v1/risk-points/", body, format="json").status_code == 201
    assert client.post("/api/v1/risk-points/", body, format="json").status_code == 400  # same name
    assert api_as(teacher_a).post("/api/v1/risk-points/", body, format="json").status_code == 403


def test_policy_is_one_row(db):
    assert RiskPolicy.current().pk == RiskPolicy.current().pk == 1


def test_api_filters(api_as, bureau_staff, point_a, point_b):
    point_a.grade = "major"
    point_a.save()
    client = api_as(bureau_staff)
    rows = client.get("/api/v1/risk-points/", {"grade": "major"}).json()["results"]
    assert [row["id"] for row in rows] == [point_a.pk]
    rows = client.get("/api/v1/risk-points/", {"school": point_b.school_id}).json()["results"]
    assert [row["id"] for row in rows] == [point_b.pk]
    assert client.get("/api/v1/risk-points/", {"grade": "purple"}).status_code == 400
    assert client.get("/api/v1/risk-assessments/", {"point": "x"}).status_code == 400


def test_bureau_sees_points_overdue_for_a_check(client, bureau_staff, point_a, point_b):
    point_a.grade = "major"
    point_a.created_on = TODAY - datetime.timedelta(days=8)  # weekly: overdue since yesterday
    point_a.save()
    point_b.grade = "low"
    point_b.save()
    client.force_login(bureau_staff)
    page = client.get(reverse("risk-register"), {"check_overdue": "on"})
    assert page.context["check_overdue_count"] == 1
    assert [p.pk for p in page.context["page"].object_list] == [point_a.pk]


def test_api_owner_is_written_or_refused_clearly(
    api_as, officer_a, principal_a, officer_b, bureau_staff, point_a, school_a
):
    api = api_as(officer_a)
    url = f"/api/v1/risk-points/{point_a.pk}/"
    response = api.patch(url, {"owner": principal_a.pk}, format="json")
    assert response.status_code == 200 and response.json()["owner"] == principal_a.pk
    point_a.refresh_from_db()
    assert point_a.owner == principal_a
    # Another school's person: not in the writer's scope, "does not exist".
    refused = api.patch(url, {"owner": officer_b.pk}, format="json")
    assert refused.status_code == 400 and "owner" in refused.json()
    # The bureau may name anyone, but the service keeps the owner a person of the school.
    outside = api_as(bureau_staff).patch(url, {"owner": officer_b.pk}, format="json")
    assert outside.status_code == 400 and "owner" in outside.json()
    created = api.post(
        "/api/v1/risk-points/",
        {"school": school_a.pk, "name": "锅炉房", "category": "fire", "owner": principal_a.pk},
        format="json",
    )
    assert created.status_code == 201 and created.json()["owner"] == principal_a.pk
    point_a.refresh_from_db()
    assert point_a.owner == principal_a
