"""Audit trail (issue 12, point 9): field history (django-simple-history) of the official
records, shown in the admin; a change of a user's role or scope tells the bureau admins."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from drills.models import Drill
from education.models import EducationActivity
from hazards import remediation_services
from hazards.models import RemediationProject
from inspections.models import Inspection, InspectionAnswer
from notifications.models import Kind, Notification
from schools.models import Department, School, SchoolAssignment
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def school_post(school, **overrides):
    """The admin change form of ``school``, as sent back with ``overrides``."""
    data = {
        "name": school.name,
        "code": school.code,
        "school_type": school.school_type,
        "town": school.town,
        "address": school.address,
        "is_active": "on",
        "student_count": school.student_count,
        "staff_count": school.staff_count,
        "fire_acceptance_status": school.fire_acceptance_status,
        "fire_acceptance_date": "",
        "assignments-TOTAL_FORMS": 0,
        "assignments-INITIAL_FORMS": 0,
        "assignments-MIN_NUM_FORMS": 0,
        "assignments-MAX_NUM_FORMS": 1000,
        **overrides,
    }
    return data


def test_editing_a_school_in_the_admin_writes_a_history_row(admin_as, bureau_admin, school_a):
    client = admin_as(bureau_admin, "all")
    before = school_a.history.count()
    response = client.post(
        reverse("admin:schools_school_change", args=[school_a.pk]),
        school_post(school_a, student_count=1234),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert school_a.history.count() == before + 1
    latest = school_a.history.latest()
    assert (latest.student_count, latest.history_user, latest.history_type) == (
        1234,
        bureau_admin,
        "~",
    )
    page = client.get(reverse("admin:schools_school_history", args=[school_a.pk]))
    assert page.status_code == 200 and str(bureau_admin) in page.content.decode()


def test_a_count_beyond_the_bound_is_an_admin_form_error(admin_as, bureau_admin, school_a):
    client = admin_as(bureau_admin, "all")
    response = client.post(
        reverse("admin:schools_school_change", args=[school_a.pk]),
        school_post(school_a, student_count=2**31),
    )
    assert response.status_code == 200
    assert "student_count" in response.context["adminform"].form.errors


def test_history_of_a_school_outside_the_scope_is_404(admin_as, officer_a, school_b):
    client = admin_as(officer_a, "schools.view_school", "schools.change_school")
    url = reverse("admin:schools_school_history", args=[school_b.pk])
    assert client.get(url).status_code == 404
    version = school_b.history.latest().history_id
    url = reverse("admin:schools_school_simple_history", args=[school_b.pk, version])
    assert client.get(url).status_code == 404


def test_a_version_cannot_be_restored(admin_as, bureau_admin, school_a):
    client = admin_as(bureau_admin, "all")
    version = school_a.history.earliest().history_id
    url = reverse("admin:schools_school_simple_history", args=[school_a.pk, version])
    assert client.get(url).status_code == 200
    assert client.post(url, school_post(school_a)).status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        School,
        Department,
        SchoolAssignment,
        Inspection,
        InspectionAnswer,
        Drill,
        EducationActivity,
        RemediationProject,
        User,
    ],
)
def test_official_records_keep_their_history(model):
    assert hasattr(model, "history")


def test_completing_a_fire_project_records_each_schools_acceptance(bureau_staff, school_a):
    project = remediation_services.create_project(
        actor=bureau_staff,
        name="消防遗留问题整改",
        category="fire",
        budget_yuan=Decimal("1000000"),
        schools=[school_a],
    )
    assert school_a.history.latest().fire_acceptance_status == "in_progress"
    remediation_services.complete_project(project, actor=bureau_staff, on=datetime.date(2024, 9, 1))
    latest = school_a.history.latest()
    assert (latest.fire_acceptance_status, latest.fire_acceptance_date, latest.history_user) == (
        "passed",
        datetime.date(2024, 9, 1),
        bureau_staff,
    )
    assert [h.end_date for h in project.history.order_by("history_id")] == [
        None,
        datetime.date(2024, 9, 1),
    ]


# --- users' role and scope ---------------------------------------------------------------


def user_post(user, **overrides):
    data = {
        "username": user.username,
        "name": user.name,
        "phone": user.phone,
        "role": user.role,
        "schools": [s.pk for s in user.schools.all()],
        "department": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "language": user.language,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
        **overrides,
    }
    if user.scope_all_schools:
        data.setdefault("scope_all_schools", "on")
    return data


def test_a_role_change_tells_the_bureau_admins(admin_as, bureau_admin, teacher_a, school_b):
    other_admin = UserFactory(role=User.Role.BUREAU_ADMIN, scope_all_schools=True)
    client = admin_as(bureau_admin, "all")
    response = client.post(
        reverse("admin:accounts_user_change", args=[teacher_a.pk]),
        user_post(teacher_a, role="principal", schools=[teacher_a.schools.get().pk, school_b.pk]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    teacher_a.refresh_from_db()
    assert teacher_a.role == "principal"
    alerts = Notification.objects.filter(kind=Kind.SCOPE_CHANGE)
    assert sorted(a.recipient_id for a in alerts) == sorted([bureau_admin.pk, other_admin.pk])
    body = alerts.get(recipient=other_admin).body
    assert "教师/班主任 → 校长" in body and school_b.name in body
    latest = teacher_a.history.latest()
    assert latest.role == "principal" and latest.history_user == bureau_admin
    assert not hasattr(latest, "password")  # secrets stay out of the audit trail


def test_saving_a_user_without_a_scope_change_tells_nobody(admin_as, bureau_admin, teacher_a):
    client = admin_as(bureau_admin, "all")
    response = client.post(
        reverse("admin:accounts_user_change", args=[teacher_a.pk]),
        user_post(teacher_a, phone="13900000000"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Notification.objects.filter(kind=Kind.SCOPE_CHANGE).exists()


def test_bulk_created_cross_inspections_have_history(bureau_staff, checklist_fixture):
    from inspections import rounds

    schools = [SchoolFactory() for _ in range(3)]
    rnd = rounds.open_round(
        actor=bureau_staff,
        name="互查",
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 4, 30),
        checklist=checklist_fixture,
        schools=schools,
    )
    rounds.publish_round(rnd, actor=bureau_staff)
    assert Inspection.history.filter(round=rnd, history_user=bureau_staff).count() == 3


@pytest.fixture
def checklist_fixture(db):
    from inspections.checklist_data import NAME
    from inspections.models import Checklist

    return Checklist.objects.get(name=NAME, version=1)
