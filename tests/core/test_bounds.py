"""Bounded input (issue 12, point 5): counts, seconds and money within ``core.bounds`` on
the pages, in the API and in the database; one date range (``core.years``) on every form
and serializer that takes a date; nested JSON; the photo budget of one request."""

import datetime
import io
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image
from rest_framework.request import Request

from core.bounds import MAX_HEADCOUNT, MAX_SECONDS
from core.parsers import MAX_JSON_DEPTH, json_depth
from drills.forms import DrillForm
from drills.models import Drill
from drills.serializers import DrillSerializer
from education.forms import ActivityForm, CounsellingForm
from education.models import EducationActivity
from education.serializers import ActivitySerializer
from hazards import services as hazard_services
from hazards.forms import AssignForm, CompleteForm, ExpenseForm, ProjectForm
from hazards.models import Hazard, RemediationProject
from hazards.serializers import HazardAssignSerializer
from inspections.forms import PlanInspectionForm, RoundForm
from inspections.serializers import (
    CoverageParamsSerializer,
    PlanInspectionSerializer,
    RoundSerializer,
)
from tests.factories import DrillFactory

pytestmark = pytest.mark.django_db

TOO_BIG = 2**31  # 2147483648: one more than PostgreSQL's integer holds
DAY = datetime.date(2024, 5, 10)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC))


def drill_data(school, **overrides):
    return {
        "school": school.pk,
        "drill_type": "fire",
        "mode": "announced",
        "date": DAY.isoformat(),
        "student_participants": 420,
        "staff_participants": 35,
        "evacuation_seconds": 185,
        **overrides,
    }


def activity_data(school, **overrides):
    return {
        "school": school.pk,
        "kind": "thematic",
        "topic": "fire",
        "title": "消防安全专题教育",
        "date": DAY.isoformat(),
        "participants": 300,
        **overrides,
    }


RECORDS = {
    "drill": ("drill-create", "api-drill-list", drill_data),
    "activity": ("activity-create", "api-education-activity-list", activity_data),
}
COUNTS = [
    ("drill", "student_participants"),
    ("drill", "staff_participants"),
    ("drill", "evacuation_seconds"),
    ("activity", "participants"),
]


@pytest.mark.parametrize(("record", "field"), COUNTS)
@pytest.mark.parametrize("value", [TOO_BIG, MAX_HEADCOUNT * 10, -1])
def test_an_out_of_range_count_is_a_form_error_and_an_api_400(
    client, api_as, officer_a, school_a, at_noon, record, field, value
):
    page, endpoint, data = RECORDS[record]
    client.force_login(officer_a)
    response = client.post(reverse(page), data(school_a, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    answer = api_as(officer_a).post(reverse(endpoint), data(school_a, **{field: value}))
    assert answer.status_code == 400
    assert field in answer.json()
    assert not Drill.objects.exists() and not EducationActivity.objects.exists()


@pytest.mark.parametrize("record", RECORDS)
def test_counts_at_the_bound_are_recorded_on_the_page_and_through_the_api(
    client, api_as, officer_a, school_a, at_noon, record
):
    page, endpoint, data = RECORDS[record]
    most = (
        {"student_participants": MAX_HEADCOUNT, "evacuation_seconds": MAX_SECONDS}
        if record == "drill"
        else {"participants": MAX_HEADCOUNT}
    )
    client.force_login(officer_a)
    assert client.post(reverse(page), data(school_a, **most)).status_code == 302
    answer = api_as(officer_a).post(reverse(endpoint), data(school_a, **most), format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["school"] == school_a.pk


def test_the_api_reads_back_only_the_users_own_schools_drills(api_as, officer_a, school_b):
    DrillFactory(school=school_b)
    assert api_as(officer_a).get(reverse("api-drill-list")).json()["results"] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("student_participants", MAX_HEADCOUNT + 1),
        ("staff_participants", -1),
        ("evacuation_seconds", MAX_SECONDS + 1),
    ],
)
def test_the_database_refuses_what_the_validators_refuse(school_a, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Drill.objects.create(school=school_a, drill_type="fire", date=DAY, **{field: value})


# --- nested JSON -------------------------------------------------------------------------


def nested(depth):
    body = "1"
    for _ in range(depth):
        body = "[" + body + "]"
    return body


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_a_400(api_as, officer_a, depth):
    response = api_as(officer_a).post(
        reverse("api-hazard-list"), data=nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_json_within_the_depth_reaches_the_serializer(api_as, officer_a):
    body = {"title": "x", "extra": json.loads(nested(MAX_JSON_DEPTH - 1))}
    response = api_as(officer_a).post(reverse("api-hazard-list"), body, format="json")
    assert response.status_code == 400
    assert "school" in response.json()  # the serializer's field error, not the parser's
    assert json_depth(body) == MAX_JSON_DEPTH


# --- one date range ------------------------------------------------------------------------

OUT_OF_RANGE = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return Request(request)


def _project():
    return RemediationProject.objects.create(name="消防整改", category="fire", budget_yuan=1000)


# (name, how to build it with ``data``, the date field): every form and serializer that
# takes a date from a person or a client.
FORMS = {
    "drill": (lambda d, u, h: DrillForm(d, user=u), "date"),
    "activity": (lambda d, u, h: ActivityForm(d, user=u), "date"),
    "counselling": (lambda d, u, h: CounsellingForm(d, user=u), "date"),
    "assign": (lambda d, u, h: AssignForm(d, hazard=h), "deadline"),
    "project": (lambda d, u, h: ProjectForm(d, user=u), "start_date"),
    "expense": (lambda d, u, h: ExpenseForm(d, project=_project()), "date"),
    "complete": (lambda d, u, h: CompleteForm(d), "on"),
    "round-start": (lambda d, u, h: RoundForm(d), "period_start"),
    "round-end": (lambda d, u, h: RoundForm(d), "period_end"),
    "plan-inspection": (lambda d, u, h: PlanInspectionForm(d, user=u), "date"),
}
SERIALIZERS = {
    "drill": (lambda d, u: DrillSerializer(data=d, context={"request": _request(u)}), "date"),
    "activity": (
        lambda d, u: ActivitySerializer(data=d, context={"request": _request(u)}),
        "date",
    ),
    "assign": (lambda d, u: HazardAssignSerializer(data=d), "deadline"),
    "plan-inspection": (lambda d, u: PlanInspectionSerializer(data=d), "date"),
    "coverage": (lambda d, u: CoverageParamsSerializer(data=d), "on"),
    "round-start": (lambda d, u: RoundSerializer(data=d), "period_start"),
    "round-end": (lambda d, u: RoundSerializer(data=d), "period_end"),
}
RANGE_MESSAGE = "2000-01-01 至 2100-12-31"


@pytest.fixture
def hazard(school_a, officer_a):
    return hazard_services.report_hazard(
        school_a, actor=officer_a, title="灭火器过期", category="fire", source="patrol"
    )


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("name", FORMS)
def test_every_form_refuses_a_date_outside_the_range(bureau_staff, hazard, name, value):
    build, field = FORMS[name]
    form = build({field: value}, bureau_staff, hazard)
    assert not form.is_valid()
    assert RANGE_MESSAGE in " ".join(form.errors.get(field, [])), form.errors


@pytest.mark.parametrize("name", FORMS)
def test_every_form_takes_a_date_inside_the_range(bureau_staff, hazard, name):
    build, field = FORMS[name]
    form = build({field: "2024-05-10"}, bureau_staff, hazard)
    form.is_valid()
    assert field not in form.errors


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("name", SERIALIZERS)
def test_every_serializer_refuses_a_date_outside_the_range(bureau_staff, name, value):
    build, field = SERIALIZERS[name]
    serializer = build({field: value}, bureau_staff)
    assert not serializer.is_valid()
    assert RANGE_MESSAGE in " ".join(str(m) for m in serializer.errors.get(field, []))


@pytest.mark.parametrize("name", SERIALIZERS)
def test_every_serializer_takes_a_date_inside_the_range(bureau_staff, name):
    build, field = SERIALIZERS[name]
    serializer = build({field: "2024-05-10"}, bureau_staff)
    serializer.is_valid()
    assert field not in serializer.errors


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_the_range_over_http(client, api_as, officer_a, school_a, value):
    client.force_login(officer_a)
    page = client.post(reverse("drill-create"), drill_data(school_a, date=value))
    assert page.status_code == 200 and "date" in page.context["form"].errors
    answer = api_as(officer_a).post(reverse("api-drill-list"), drill_data(school_a, date=value))
    assert answer.status_code == 400 and "date" in answer.json()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_ledger_date_filters_at_the_ends_of_the_calendar_are_no_500(api_as, officer_a, value):
    for name in ("reported_after", "reported_before"):
        response = api_as(officer_a).get(reverse("api-hazard-list"), {name: value})
        assert response.status_code in (200, 400)


# --- the photo budget of one request ------------------------------------------------------


@pytest.fixture(scope="module")
def forty_megapixels():
    """A real 40-megapixel PNG (8000 × 5000) of one colour: it compresses to a few
    kilobytes, decoded it is 120 MB."""
    out = io.BytesIO()
    Image.new("RGB", (8000, 5000), (90, 120, 200)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def nine(data):
    return [SimpleUploadedFile(f"IMG_{n}.png", data, content_type="image/png") for n in range(9)]


def test_nine_forty_megapixel_photos_are_refused_quickly_on_the_public_form(
    client, school_a, forty_megapixels
):
    from tests.snapshot.conftest import snapshot_data

    started = time.monotonic()
    response = client.post(
        reverse("public-snapshot", args=[school_a.snapshot_token]),
        {**snapshot_data(), "photos": nine(forty_megapixels)},
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "照片总像素超过" in " ".join(response.context["form"].errors["photos"])
    assert not Hazard.objects.exists()
    assert elapsed < 5  # headers only: decoding nine of them takes ~16 s of CPU


def test_nine_forty_megapixel_photos_are_a_400_in_the_api(
    api_as, officer_a, school_a, forty_megapixels
):
    data = {
        "school": school_a.pk,
        "title": "围墙破损",
        "category": "building",
        "source": "patrol",
        "photos": nine(forty_megapixels),
    }
    started = time.monotonic()
    response = api_as(officer_a).post(reverse("api-hazard-list"), data, format="multipart")
    assert response.status_code == 400
    assert "照片总像素超过" in " ".join(response.json()["photos"])
    assert time.monotonic() - started < 5
    assert not Hazard.objects.exists()


def test_nine_forty_megapixel_photos_are_a_form_error_on_the_ledger(
    client, officer_a, school_a, forty_megapixels
):
    client.force_login(officer_a)
    data = {"school": school_a.pk, "title": "围墙破损", "category": "building"}
    response = client.post(
        reverse("hazard-create"),
        {**data, "source": "patrol", "level": "general", "photos": nine(forty_megapixels)},
    )
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors


def test_one_forty_megapixel_photo_is_within_the_budget(
    api_as, officer_a, school_a, forty_megapixels
):
    data = {
        "school": school_a.pk,
        "title": "围墙破损",
        "category": "building",
        "source": "patrol",
        "photos": nine(forty_megapixels)[:1],
    }
    response = api_as(officer_a).post(reverse("api-hazard-list"), data, format="multipart")
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 1


def test_the_byte_budget(api_as, officer_a, school_a, settings):
    settings.PHOTO_REQUEST_MAX_BYTES = 1000
    out = io.BytesIO()
    Image.effect_noise((64, 64), 80).save(out, format="PNG")
    assert len(out.getvalue()) > 1000
    data = {
        "school": school_a.pk,
        "title": "围墙破损",
        "category": "building",
        "source": "patrol",
        "photos": [SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png")],
    }
    response = api_as(officer_a).post(reverse("api-hazard-list"), data, format="multipart")
    assert response.status_code == 400
    assert "照片总大小超过" in " ".join(response.json()["photos"])
