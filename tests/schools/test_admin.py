"""The Django admin over HTTP: every model of ours is registered, and each changelist,
search, change and add page opens for a bureau admin with staff status."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.models import User
from hazards import services
from hazards.models import RemediationExpense, RemediationProject
from reports.models import ExportJob, YearlyStatistic
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    CounsellingFactory,
    DepartmentFactory,
    DrillFactory,
    InspectionFactory,
    SchoolClassFactory,
    StudentFactory,
    UserFactory,
)

OUR_APPS = ("accounts", "schools", "inspections", "hazards", "drills", "education", "reports")
OUR_MODELS = [
    model
    for label in OUR_APPS
    for model in apps.get_app_config(label).get_models()
    if not model.__name__.startswith("Historical")  # simple_history's shadow tables
]
IDS = [model._meta.label for model in OUR_MODELS]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_is_registered():
    assert [m._meta.label for m in OUR_MODELS if not admin.site.is_registered(m)] == []


def small_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    return SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def one_of_each(school_a, school_b, officer_a, counsellor_a, bureau_staff, settings, tmp_path):
    """At least one row of every model, so list and change pages render real data."""
    settings.MEDIA_ROOT = tmp_path
    AssignmentFactory(school=school_a, user=bureau_staff)
    inspection = InspectionFactory(school=school_a, inspecting_school=school_b, leader=bureau_staff)
    inspection.departments.add(DepartmentFactory())
    hazard = services.report_hazard(
        school_a,
        actor=officer_a,
        title="配电箱未上锁",
        category="electrical",
        source="cross_inspection",
        inspection=inspection,
        photos=[small_jpeg()],
        notify=False,
    )
    services.dismiss_hazard(hazard, actor=officer_a, reason="重复", notify=False)
    project = RemediationProject.objects.create(
        name="消防遗留问题整改", category="fire", budget_yuan=Decimal("1000000")
    )
    project.schools.add(school_a)
    project.hazards.add(hazard)
    RemediationExpense.objects.create(
        project=project, school=school_a, amount_yuan=Decimal("500"), date=datetime.date(2024, 5, 1)
    )
    DrillFactory(school=school_a, recorded_by=officer_a)
    activity = ActivityFactory(school=school_a)
    activity.photos.create(image=ContentFile(small_jpeg().read(), name="a.jpg"))
    CounsellingFactory(school=school_a, counsellor=counsellor_a, student_code="S-0001")
    YearlyStatistic.objects.create(year=2024, period="calendar", figures={"drills": 101})
    YearlyStatistic.objects.create(
        school=school_a, year=2024, period="calendar", figures={"drills": 3}
    )
    ExportJob.objects.create(requested_by=officer_a, format="csv", filters={"q": ["灭火器"]})
    _inspection_rows(inspection, hazard, school_a, school_b)
    _calendar_and_roster(school_a)
    _vice_principal_and_training(school_a, officer_a)
    _drills_rows(school_a, officer_a)


def _drills_rows(school, officer):
    """A drill's problem and photo, a target, a plan version, an incident with its rows."""
    from drills import models as m

    drill = DrillFactory(school=school)
    m.DrillProblem.objects.create(drill=drill, description="出口堵塞")
    m.DrillPhoto.objects.create(drill=drill, image=ContentFile(small_jpeg().read(), name="d.jpg"))
    m.EvacuationTarget.objects.create(school=school, building="教学楼", seconds=150)
    m.PlannedDrill.objects.create(
        school=school, drill_type="fire", planned_on=datetime.date(2025, 5, 20)
    )
    plan = m.EmergencyPlan.objects.create(school=school, kind="fire", title="火灾预案")
    m.PlanVersion.objects.create(
        plan=plan, number=1, file_type="pdf", file=ContentFile(b"%PDF-1.4", name="p.pdf")
    )
    at = datetime.datetime(2025, 5, 10, 2, 0, tzinfo=datetime.UTC)
    incident = m.Incident.objects.create(
        school=school, occurred_at=at, reported_at=at, place="操场", kind="injury", summary="摔伤"
    )
    m.IncidentPerson.objects.create(incident=incident, name="张三")
    m.IncidentAction.objects.create(incident=incident, at=at, text="初报", actor=officer)
    m.IncidentEscalation.objects.create(
        incident=incident, stage="written", deadline=at, escalated_at=at
    )


def _vice_principal_and_training(school, officer):
    from education.models import (
        Appointment,
        StaffTraining,
        VicePrincipal,
        VicePrincipalEvaluation,
        VicePrincipalLesson,
    )

    vp = VicePrincipal.objects.create(name="王法官", agency_type="court", agency_name="旗法院")
    day = datetime.date(2024, 9, 10)
    Appointment.objects.create(
        vice_principal=vp, school=school, start_date=day, end_date=datetime.date(2027, 9, 9)
    )
    VicePrincipalLesson.objects.create(
        vice_principal=vp, school=school, title="宪法宣传", date=day, hours=Decimal("2")
    )
    VicePrincipalEvaluation.objects.create(
        vice_principal=vp, school=school, year=2024, result="excellent"
    )
    StaffTraining.objects.create(
        school=school, title="消防培训", date=day, hours=Decimal("2"), recorded_by=officer
    )


def _calendar_and_roster(school):
    from schools.models import CalendarDay, Term

    Term.objects.create(
        school_year=2024,
        kind="autumn",
        start_date=datetime.date(2024, 9, 2),
        end_date=datetime.date(2025, 1, 17),
    )
    CalendarDay.objects.create(date=datetime.date(2024, 10, 1), kind="holiday", name="国庆节")
    StudentFactory(school_class=SchoolClassFactory(school=school))


def _inspection_rows(inspection, hazard, inspected, inspector):
    """A cross-inspection round with its pairing, and an answer that found ``hazard``."""
    from inspections.models import (
        ChecklistItem,
        CrossInspectionRound,
        CrossPairing,
        InspectionAnswer,
        InspectionAnswerPhoto,
    )

    item = ChecklistItem.objects.first()  # the standard checklist shipped by migration
    rnd = CrossInspectionRound.objects.create(
        name="互查",
        period_start=datetime.date(2025, 5, 1),
        period_end=datetime.date(2025, 5, 31),
        checklist=item.checklist,
    )
    rnd.schools.add(inspected, inspector)
    CrossPairing.objects.create(round=rnd, inspector=inspector, inspected=inspected)
    answer = InspectionAnswer.objects.create(
        inspection=inspection, item=item, result="fail", hazard=hazard
    )
    photo = InspectionAnswerPhoto(answer=answer)
    photo.image.save("answer.jpg", ContentFile(small_jpeg().read()))


@pytest.fixture
def bureau_admin_client(bureau_admin, admin_as, one_of_each):
    return admin_as(bureau_admin, "all")


@pytest.mark.parametrize("model", OUR_MODELS, ids=IDS)
def test_changelist_opens(bureau_admin_client, model):
    response = bureau_admin_client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert bureau_admin_client.get(url(model, "changelist"), {"q": "测试"}).status_code == 200


@pytest.mark.parametrize("model", OUR_MODELS, ids=IDS)
def test_change_page_opens(bureau_admin_client, admin_as, model):
    client = bureau_admin_client
    if model is apps.get_model("education", "CounsellingSession"):
        # Nobody but the school's counsellors sees counselling rows.
        obj = model.objects.first()
        counsellor = UserFactory(role="counsellor", schools=[obj.school])
        client = admin_as(counsellor, "all")
    if model is apps.get_model("schools", "Student"):
        # Students by name: the school's own staff only (sealed from the bureau).
        obj = model.objects.first()
        officer = UserFactory(role="school_officer", schools=[obj.school])
        client = admin_as(officer, "all")
    obj = model.objects.first()
    assert obj is not None
    assert client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", OUR_MODELS, ids=IDS)
def test_add_page_opens_or_is_forbidden_on_purpose(bureau_admin_client, model):
    response = bureau_admin_client.get(url(model, "add"))
    read_only = {
        "hazards.HazardEvent",
        "hazards.HazardPhoto",
        "reports.YearlyStatistic",
        "reports.ExportJob",
        "education.CounsellingSession",
        "inspections.InspectionAnswerPhoto",
        "drills.DrillPhoto",
        "education.ActivityPhoto",
        "drills.PlanVersion",
        "drills.IncidentPerson",
        "drills.IncidentEscalation",
        "drills.PlannedDrill",
    }  # written by services/commands, or counsellors only
    assert response.status_code == (403 if model._meta.label in read_only else 200)


def test_staff_without_permissions_is_refused(admin_as, officer_a, one_of_each):
    client = admin_as(officer_a)
    assert client.get(url(apps.get_model("hazards", "Hazard"), "changelist")).status_code == 403


# --- scoping of school-owned admin lists -----------------------------------------------

SCOPED = [
    "schools.School",
    "schools.SchoolAssignment",
    "inspections.Inspection",
    "drills.Drill",
    "education.EducationActivity",
    "hazards.Hazard",
    "hazards.HazardEvent",
    "hazards.RemediationExpense",
    "hazards.RemediationProject",
    "reports.YearlyStatistic",
]


@pytest.mark.parametrize("label", SCOPED)
def test_school_officer_sees_only_own_school_rows(
    admin_as, school_a, school_b, officer_a, officer_b, one_of_each, label
):
    model = apps.get_model(label)
    perm = f"{model._meta.app_label}.view_{model._meta.model_name}"
    seen_by_b = list(admin_as(officer_b, perm).get(url(model, "changelist")).context["cl"].queryset)
    assert seen_by_b == ([school_b] if model._meta.label == "schools.School" else [])
    assert admin_as(officer_a, perm).get(url(model, "changelist")).context["cl"].result_count >= 1


def test_out_of_scope_change_page_is_not_shown(admin_as, officer_b, one_of_each):
    model = apps.get_model("inspections.Inspection")
    client = admin_as(officer_b, "inspections.view_inspection", "inspections.change_inspection")
    response = client.get(url(model, "change", model.objects.get().pk))
    # Django's admin answers a missing object with a redirect to the admin index.
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_officer_can_only_pick_own_school(admin_as, officer_a, school_a, school_b, one_of_each):
    client = admin_as(officer_a, "drills.add_drill", "drills.view_drill")
    data = {
        "school": school_b.pk,
        "drill_type": "fire",
        "mode": "announced",
        "style": "live",
        "date": "2024-05-01",
        "student_participants": 10,
        "staff_participants": 2,
        "missing_count": 0,
        "injured_count": 0,
    }
    response = client.post(url(apps.get_model("drills.Drill"), "add"), data)
    assert response.status_code == 200 and "school" in response.context["adminform"].form.errors
    data["school"] = school_a.pk
    response = client.post(url(apps.get_model("drills.Drill"), "add"), data)
    assert response.status_code == 302
    drill = apps.get_model("drills.Drill").objects.latest("id")
    assert (drill.school, drill.recorded_by) == (school_a, officer_a)


def test_bureau_admin_user_is_not_superuser_by_fixture(bureau_admin):
    # The admin tests above rely on model permissions, not on superuser powers.
    assert not User.objects.get(pk=bureau_admin.pk).is_superuser


def test_even_a_superuser_sees_no_counselling_rows(admin_as, one_of_each):
    """Mental-health records are for the school's counsellors only (DESIGN.md)."""
    root = UserFactory(username="root", is_superuser=True, scope_all_schools=True)
    client = admin_as(root)
    model = apps.get_model("education.CounsellingSession")
    assert model.objects.count() == 1
    assert client.get(url(model, "changelist")).context["cl"].result_count == 0


@pytest.mark.parametrize(
    "label",
    [
        "hazards.Hazard",
        "hazards.HazardEvent",
        "hazards.HazardPhoto",
        "inspections.Inspection",
        "hazards.RemediationProject",
        "drills.Drill",
        "accounts.User",
        "schools.SchoolAssignment",
    ],
)
def test_changelist_queries_do_not_grow_with_rows(
    admin_as, bureau_admin, one_of_each, school_a, officer_a, label, django_assert_max_num_queries
):
    client = admin_as(bureau_admin, "all")
    changelist = url(apps.get_model(label), "changelist")
    with CaptureQueriesContext(connection) as few:
        client.get(changelist)
    for _ in range(5):  # more rows of everything
        one_more_of_each(school_a, officer_a)
    with django_assert_max_num_queries(len(few)):
        client.get(changelist)


def one_more_of_each(school, officer):
    inspection = InspectionFactory(school=school)
    hazard = services.report_hazard(
        school,
        actor=officer,
        title="又一处隐患",
        category="fire",
        source="patrol",
        inspection=inspection,
        photos=[small_jpeg()],
        notify=False,
    )
    project = RemediationProject.objects.create(name="项目", category="fire", budget_yuan=1)
    project.schools.add(school)
    project.hazards.add(hazard)
    DrillFactory(school=school, recorded_by=officer)
    AssignmentFactory(school=school)
    UserFactory(schools=[school])
