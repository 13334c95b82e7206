"""Remediation projects: services (expenses, progress, completion and fire acceptance),
pages for the bureau and read-only for schools, investment by year on the dashboard."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.exceptions import DomainError, NotPermitted
from hazards import remediation_services, selectors
from hazards.models import RemediationProject
from schools.models import School
from tests.factories import HazardFactory

FA = School.FireAcceptance


@pytest.fixture
def project(bureau_staff, school_a):
    return remediation_services.create_project(
        actor=bureau_staff,
        name="消防遗留问题整改",
        category="fire",
        budget_yuan=Decimal("1000000"),
        contractor="某消防工程公司",
        start_date=datetime.date(2024, 3, 1),
        schools=[school_a],
    )


def test_fire_project_puts_its_schools_in_progress(project, school_a):
    school_a.refresh_from_db()
    assert school_a.fire_acceptance_status == FA.IN_PROGRESS


def test_expenses_give_progress(project, bureau_staff, school_a):
    remediation_services.record_expense(
        project,
        actor=bureau_staff,
        school=school_a,
        date=datetime.date(2024, 5, 1),
        amount_yuan=Decimal("250000.50"),
    )
    remediation_services.record_expense(
        project,
        actor=bureau_staff,
        school=school_a,
        date=datetime.date(2024, 6, 1),
        amount_yuan=Decimal("100000"),
    )
    assert selectors.spent(project) == Decimal("350000.50")
    assert selectors.progress_percent(project) == 35


def test_expense_must_be_positive_and_for_a_linked_school(project, bureau_staff, school_b):
    with pytest.raises(DomainError) as exc:
        remediation_services.record_expense(
            project,
            actor=bureau_staff,
            school=school_b,
            date=datetime.date(2024, 5, 1),
            amount_yuan=Decimal("-5"),
        )
    assert set(exc.value.field_errors) == {"amount_yuan", "school"}


def test_school_users_cannot_write(project, officer_a, school_a):
    with pytest.raises(NotPermitted):
        remediation_services.record_expense(
            project,
            actor=officer_a,
            school=school_a,
            date=datetime.date(2024, 5, 1),
            amount_yuan=Decimal("5"),
        )
    with pytest.raises(NotPermitted):
        remediation_services.complete_project(project, actor=officer_a)


def test_completing_a_fire_project_passes_fire_acceptance(project, bureau_staff, school_a):
    remediation_services.complete_project(
        project, actor=bureau_staff, on=datetime.date(2024, 11, 20)
    )
    school_a.refresh_from_db()
    assert school_a.fire_acceptance_status == FA.PASSED
    assert school_a.fire_acceptance_date == datetime.date(2024, 11, 20)
    with pytest.raises(DomainError):
        remediation_services.complete_project(
            project, actor=bureau_staff, on=datetime.date(2024, 11, 21)
        )


def test_completing_another_category_leaves_fire_acceptance(bureau_staff, school_a):
    project = remediation_services.create_project(
        actor=bureau_staff,
        name="校舍加固",
        category="building",
        budget_yuan=Decimal("10"),
        schools=[school_a],
    )
    remediation_services.complete_project(project, actor=bureau_staff, on=datetime.date(2024, 6, 1))
    school_a.refresh_from_db()
    assert school_a.fire_acceptance_status == FA.NOT_PASSED


def test_linked_hazards_must_belong_to_linked_schools(bureau_staff, school_a, school_b):
    hazard = HazardFactory(school=school_b)
    with pytest.raises(DomainError):
        remediation_services.create_project(
            actor=bureau_staff,
            name="x",
            category="fire",
            budget_yuan=Decimal("1"),
            schools=[school_a],
            hazards=[hazard],
        )


# --- pages -----------------------------------------------------------------------------


def test_bureau_creates_a_project_records_an_expense_and_completes_it(
    client, bureau_staff, school_a
):
    client.force_login(bureau_staff)
    hazard = HazardFactory(school=school_a)
    response = client.post(
        reverse("remediation-create"),
        {
            "name": "消防改造",
            "category": "fire",
            "budget_yuan": "200000",
            "contractor": "甲公司",
            "start_date": "2024-03-01",
            "schools": [school_a.pk],
            "hazards": [hazard.pk],
        },
    )
    project = RemediationProject.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "remediation-detail", args=[project.pk]
    )
    response = client.post(
        reverse("remediation-expense", args=[project.pk]),
        {
            "date": "2024-05-01",
            "school": school_a.pk,
            "amount_yuan": "50000",
            "note": "喷淋",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("remediation-detail", args=[project.pk])).content.decode()
    assert 'data-testid="spent">5.00 万元<' in html and "50,000 元" in html
    assert "25%" in html and hazard.title in html
    client.post(reverse("remediation-complete", args=[project.pk]), {"on": "2024-10-01"})
    school_a.refresh_from_db()
    assert school_a.fire_acceptance_status == FA.PASSED


def test_bad_expense_is_a_form_error(client, bureau_staff, project):
    client.force_login(bureau_staff)
    response = client.post(
        reverse("remediation-expense", args=[project.pk]),
        {"date": "2024-05-01", "amount_yuan": "abc"},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_school_user_reads_own_projects_only(client, officer_a, officer_b, project):
    client.force_login(officer_a)
    html = client.get(reverse("remediation-list")).content.decode()
    assert project.name in html and reverse("remediation-create") not in html
    detail = client.get(reverse("remediation-detail", args=[project.pk])).content.decode()
    assert 'data-testid="expense-form"' not in detail
    assert client.get(reverse("remediation-create")).status_code == 403
    assert (
        client.post(
            reverse("remediation-complete", args=[project.pk]), {"on": "2024-10-01"}
        ).status_code
        == 403
    )
    client.force_login(officer_b)
    assert project.name not in client.get(reverse("remediation-list")).content.decode()
    assert client.get(reverse("remediation-detail", args=[project.pk])).status_code == 404


def test_dashboard_shows_investment_by_year(client, bureau_staff, project, school_a):
    remediation_services.record_expense(
        project,
        actor=bureau_staff,
        school=school_a,
        date=datetime.date(2024, 5, 1),
        amount_yuan=Decimal("54180000"),
    )
    client.force_login(bureau_staff)
    response = client.get(reverse("dashboard"))
    row = next(r for r in response.context["investment"] if r["year"] == 2024)
    assert row["fire"] == Decimal("54180000")
    assert 'data-year="2024"' in response.content.decode()
    assert "5,418.00 万元" in response.content.decode()
