"""On the demo data: the dashboard's investment by year shows the article's 5,418.00 万元 of fire
works in 2024, and the demo's fire projects and their expenses open for the bureau."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from hazards import selectors

pytestmark = pytest.mark.usefixtures("demo_data")


def test_bureau_investment_2024_fire_is_54_18_million(db):
    bureau = User.objects.get(username="bureau")
    row = next(r for r in selectors.investment_by_year(bureau) if r["year"] == 2024)
    assert row["fire"] == Decimal("54180000")


def test_dashboard_and_project_pages_open_on_demo_data(client, db):
    client.force_login(User.objects.get(username="bureau"))
    html = client.get(reverse("dashboard") + "?year=2024").content.decode()
    assert 'data-year="2024"' in html and "5,418.00 万元" in html
    response = client.get(reverse("remediation-list"))
    assert response.status_code == 200
    project = response.context["projects"][0]
    assert client.get(reverse("remediation-detail", args=[project.pk])).status_code == 200


def test_officer_sees_only_projects_of_their_school(client, db):
    officer = User.objects.get(username="officer1")
    client.force_login(officer)
    projects = client.get(reverse("remediation-list")).context["projects"]
    school_ids = officer.school_ids()
    assert all(set(p.schools.values_list("id", flat=True)) & school_ids for p in projects)


def test_detail_of_a_demo_hazard_with_history_opens(client, db):
    from hazards.models import Hazard

    client.force_login(User.objects.get(username="bureau"))
    hazard = Hazard.objects.filter(status="closed").first()
    html = client.get(reverse("hazard-detail", args=[hazard.pk])).content.decode()
    assert "各环节用时" in html and 'data-action="close"' in html
