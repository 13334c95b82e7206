"""Emergency plans: versions whose file is a PDF or DOCX by content (not by name), a size
limit, the current version = the latest approved, the gaps the bureau sees, the yearly
review reminder (once), and the file only through the checking view."""

import datetime

import pytest
from django.urls import reverse

from drills import reminders, services
from drills.models import EmergencyPlan, PlanVersion
from drills.selectors import plan_gaps
from notifications.models import Kind, Notification
from tests.drills.conftest import docx_bytes, pdf_bytes, plan_upload
from tests.hazards.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(school_a, officer_a):
    return services.create_plan(school_a, actor=officer_a, kind="fire")


def upload_version(client, plan, data, name, **extra):
    return client.post(
        reverse("api-plan-versions", args=[plan.pk]),
        {"file": plan_upload(data, name), **extra},
        format="multipart",
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (jpeg_bytes(), "预案.pdf"),  # a photo renamed .pdf
        (docx_bytes(document=False), "预案.docx"),  # a zip that is no Word document
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "预案.doc"),  # old binary .doc
        (b"PK\x03\x04broken", "预案.docx"),
    ],
)
def test_a_file_that_is_not_pdf_or_docx_by_content_is_refused(api_as, officer_a, plan, data, name):
    response = upload_version(api_as(officer_a), plan, data, name)
    assert response.status_code == 400
    assert "PDF" in response.json()["file"][0] and "DOCX" in response.json()["file"][0]
    assert not PlanVersion.objects.exists()


def test_pdf_and_docx_are_recognised_whatever_their_names(api_as, officer_a, plan):
    client = api_as(officer_a)
    assert upload_version(client, plan, pdf_bytes(), "plan.bin").status_code == 201
    assert upload_version(client, plan, docx_bytes(), "plan.pdf").status_code == 201
    assert list(plan.versions.order_by("number").values_list("number", "file_type")) == [
        (1, "pdf"), (2, "docx"),
    ]  # fmt: skip


def test_a_file_over_the_limit_is_refused(api_as, officer_a, plan, settings):
    settings.PLAN_FILE_MAX_BYTES = 50
    response = upload_version(api_as(officer_a), plan, pdf_bytes(), "p.pdf")
    assert response.status_code == 400 and "过大" in response.json()["file"][0]


def test_the_page_refuses_a_renamed_image_with_a_clear_message(client, officer_a, plan):
    client.force_login(officer_a)
    response = client.post(
        reverse("plan-version-upload", args=[plan.pk]),
        {"file": plan_upload(jpeg_bytes(), "预案.pdf")},
        follow=True,
    )
    assert "预案文件须为 PDF 或 Word（.docx）文档" in response.content.decode()
    assert not PlanVersion.objects.exists()


def test_the_current_version_is_the_latest_approved(officer_a, plan):
    today = D(2025, 6, 1)
    first = services.add_plan_version(
        plan, actor=officer_a, file=plan_upload(pdf_bytes()), approved_on=D(2024, 3, 1),
        approver="王校长", today=today,
    )  # fmt: skip
    draft = services.add_plan_version(
        plan, actor=officer_a, file=plan_upload(pdf_bytes()), today=today
    )
    plan = EmergencyPlan.objects.with_versions().get(pk=plan.pk)
    assert plan.current_version == first
    services.approve_plan_version(
        draft, actor=officer_a, approved_on=D(2025, 5, 30), approver="王校长", today=today
    )
    plan = EmergencyPlan.objects.with_versions().get(pk=plan.pk)
    assert plan.current_version == draft


def test_an_approval_in_the_future_or_without_approver_is_a_field_error(api_as, officer_a, plan):
    client = api_as(officer_a)
    future = upload_version(
        client, plan, pdf_bytes(), "p.pdf", approved_on="2999-01-01", approver="王"
    )
    nobody = upload_version(client, plan, pdf_bytes(), "p.pdf", approved_on="2024-01-01")
    assert future.status_code == 400 and "approved_on" in future.json()
    assert nobody.status_code == 400 and "approver" in nobody.json()


def test_gaps_show_required_kinds_without_a_current_version(school_a, school_b, officer_a, plan):
    services.add_plan_version(
        plan, actor=officer_a, file=plan_upload(pdf_bytes()), approved_on=D(2025, 1, 2),
        approver="王校长", today=D(2025, 6, 1),
    )  # fmt: skip
    school_b.is_boarding = True
    rows = {r["school"]: r for r in plan_gaps([school_a, school_b], D(2025, 6, 1))}
    assert rows[school_a]["missing"] == 4  # earthquake, anti-terror, crowd, food poisoning
    assert rows[school_b]["missing"] == 6  # + night dormitory for a boarding school


def test_the_bureau_plan_page_marks_the_gaps(client, bureau_staff, school_a, school_b):
    client.force_login(bureau_staff)
    body = client.get(reverse("plan-list")).content.decode()
    assert body.count('data-state="missing"') == 10


def test_the_yearly_review_is_reminded_once(officer_a, plan):
    services.add_plan_version(
        plan, actor=officer_a, file=plan_upload(pdf_bytes()), approved_on=D(2024, 7, 1),
        approver="王校长", today=D(2024, 7, 1),
    )  # fmt: skip
    assert reminders.remind_plan_reviews(D(2025, 5, 30)) == 0
    assert reminders.remind_plan_reviews(D(2025, 6, 1)) == 1
    assert reminders.remind_plan_reviews(D(2025, 6, 2)) == 0
    assert Notification.objects.get().kind == Kind.PLAN_REVIEW


def test_the_file_is_served_only_to_who_sees_the_school(client, officer_a, officer_b, plan):
    version = services.add_plan_version(plan, actor=officer_a, file=plan_upload(pdf_bytes()))
    client.force_login(officer_b)
    assert client.get(reverse("plan-version-file", args=[version.pk])).status_code == 404
    client.force_login(officer_a)
    response = client.get(reverse("plan-version-file", args=[version.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_plans_api_is_scoped_and_filtered(
    api_as, officer_b, officer_a, bureau_staff, plan, school_b
):
    services.create_plan(school_b, actor=officer_b, kind="earthquake")
    assert [
        p["kind"] for p in api_as(officer_a).get(reverse("api-plan-list")).json()["results"]
    ] == ["fire"]
    assert api_as(officer_b).get(reverse("api-plan-detail", args=[plan.pk])).status_code == 404
    listed = api_as(bureau_staff).get(reverse("api-plan-list"), {"kind": "earthquake"}).json()
    assert [p["school"] for p in listed["results"]] == [school_b.pk]
    assert api_as(bureau_staff).get(reverse("api-plan-list"), {"kind": "nope"}).status_code == 400


def test_a_second_plan_of_a_kind_is_a_field_error(api_as, officer_a, plan, school_a):
    response = api_as(officer_a).post(
        reverse("api-plan-list"), {"school": school_a.pk, "kind": "fire"}, format="json"
    )
    assert response.status_code == 400 and "kind" in response.json()
