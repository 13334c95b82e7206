"""The endpoints issue 19 added: the user's notifications, export jobs, remediation projects
and expenses, the supervise action (挂牌督办), and a school officer's view of each new list
(its own school only)."""

import datetime

import pytest
from django.urls import reverse

from hazards import remediation_services
from hazards.models import Hazard, RemediationProject
from notifications.models import Kind, Notification
from notifications.services import notify
from reports.models import ExportJob
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    DrillFactory,
    HazardFactory,
    UserFactory,
)

from .conftest import report


def inbox(user, n, school):
    for i in range(n):
        notify(
            [user],
            kind=Kind.HAZARD_EVENT,
            subject=f"hazard:{i}",
            period="p",
            title=f"消息{i}",
            school=school,
            queue=False,
        )


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


# --- notifications -----------------------------------------------------------------------


def test_notifications_are_the_users_own_and_are_marked_read(
    api_as, officer_a, officer_b, school_a, school_b
):
    inbox(officer_a, 2, school_a)
    inbox(officer_b, 1, school_b)
    mine = list(Notification.objects.filter(recipient=officer_a).order_by("id"))
    theirs = Notification.objects.get(recipient=officer_b)
    api = api_as(officer_a)

    assert ids(api.get("/api/v1/notifications/")) == [n.pk for n in mine]
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404

    read = api.post(f"/api/v1/notifications/{mine[0].pk}/read/")
    assert read.status_code == 200
    assert read.json()["is_read"] is True
    assert ids(api.get("/api/v1/notifications/?unread=true")) == [mine[1].pk]

    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=officer_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None  # another's inbox is untouched


# --- export jobs -------------------------------------------------------------------------


def test_an_export_job_is_requested_polled_and_downloaded_through_the_checking_view(
    api_as, officer_a, school_a, school_b, django_capture_on_commit_callbacks
):
    HazardFactory(school=school_a, title="甲的隐患")
    HazardFactory(school=school_b, title="乙的隐患")
    api = api_as(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/export-jobs/", {"format": "csv", "filters": {"q": ["隐患"]}}, format="json"
        )
    assert created.status_code == 201, created.content
    job = api.get(f"/api/v1/export-jobs/{created.json()['id']}/").json()
    assert job["status"] == ExportJob.Status.DONE
    assert job["row_count"] == 1  # the officer's scope: school A only

    download = api.get(job["download_url"])
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "甲的隐患" in text and "乙的隐患" not in text


def test_another_users_export_job_is_not_found(api_as, officer_a, officer_b, school_a):
    job = ExportJob.objects.create(
        requested_by=officer_a, format="csv", scope_school_ids=[school_a.pk]
    )
    api = api_as(officer_b)
    assert api.get(f"/api/v1/export-jobs/{job.pk}/").status_code == 404
    assert api.get(reverse("api-export-job-download", args=[job.pk])).status_code == 404
    assert ids(api.get("/api/v1/export-jobs/")) == []


def test_a_bad_export_format_is_a_400_naming_the_field(api_as, officer_a):
    response = api_as(officer_a).post("/api/v1/export-jobs/", {"format": "pdf"}, format="json")
    assert response.status_code == 400
    assert "format" in response.json()


# --- remediation projects and expenses ---------------------------------------------------


def test_the_bureau_creates_a_project_and_records_an_expense(
    api_as, bureau_staff, school_a, school_b
):
    api = api_as(bureau_staff)
    created = api.post(
        "/api/v1/remediation-projects/",
        {
            "name": "消防改造",
            "category": "fire",
            "budget_yuan": "120000.00",
            "schools": [school_a.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    project = created.json()
    url = f"/api/v1/remediation-projects/{project['id']}/expenses/"

    spent = api.post(
        url,
        {"school": school_a.pk, "date": "2025-05-10", "amount_yuan": "30000.00"},
        format="json",
    )
    assert spent.status_code == 201, spent.content
    refreshed = api.get(f"/api/v1/remediation-projects/{project['id']}/").json()
    assert refreshed["spent_yuan"] == "30000.00"

    # A school not linked to the project, a zero amount: 400 naming the field.
    for field, bad in (("school", {"school": school_b.pk}), ("amount_yuan", {"amount_yuan": "0"})):
        body = {"school": school_a.pk, "date": "2025-05-10", "amount_yuan": "1.00", **bad}
        refused = api.post(url, body, format="json")
        assert refused.status_code == 400
        assert field in refused.json()
    assert RemediationProject.objects.get().expenses.count() == 1


def test_a_school_officer_may_not_create_projects_or_expenses(
    api_as, officer_a, school_a, bureau_staff
):
    project = remediation_services.create_project(
        actor=bureau_staff,
        name="校舍加固",
        category="building",
        budget_yuan=1000,
        schools=[school_a],
    )
    api = api_as(officer_a)
    body = {"name": "x", "category": "fire", "budget_yuan": "1", "schools": [school_a.pk]}
    assert api.post("/api/v1/remediation-projects/", body, format="json").status_code == 403
    expense = {"school": school_a.pk, "date": "2025-05-10", "amount_yuan": "1"}
    url = f"/api/v1/remediation-projects/{project.pk}/expenses/"
    assert api.post(url, expense, format="json").status_code == 403
    assert RemediationProject.objects.get().expenses.count() == 0


# --- 挂牌督办 -----------------------------------------------------------------------------


@pytest.fixture
def major(school_a, officer_a):
    return report(school_a, officer_a, level=Hazard.Level.MAJOR)


def test_the_bureau_names_the_supervising_leader_who_is_notified(api_as, bureau_staff, major):
    leader = UserFactory(username="leader", role=bureau_staff.role, scope_all_schools=True)
    response = api_as(bureau_staff).post(
        f"/api/v1/hazards/{major.pk}/supervise/", {"leader": leader.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["supervising_leader"]["id"] == leader.pk
    told = Notification.objects.get(recipient=leader)
    assert major.title in told.title


@pytest.mark.parametrize(("persona", "code"), [("officer_a", 403), ("officer_b", 404)])
def test_only_the_bureau_supervises(request, api_as, bureau_staff, major, persona, code):
    response = api_as(request.getfixturevalue(persona)).post(
        f"/api/v1/hazards/{major.pk}/supervise/", {"leader": bureau_staff.pk}, format="json"
    )
    assert response.status_code == code
    major.refresh_from_db()
    assert major.supervising_leader is None
    assert not Notification.objects.filter(recipient=bureau_staff).exists()


def test_a_leader_who_is_not_bureau_staff_is_a_400(api_as, bureau_staff, officer_a, major):
    response = api_as(bureau_staff).post(
        f"/api/v1/hazards/{major.pk}/supervise/", {"leader": officer_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "leader" in response.json()


# --- a school officer sees its school only -----------------------------------------------


@pytest.fixture
def at_both_schools(school_a, school_b, bureau_staff, officer_a, officer_b):
    """Each new resource once at school A and once at school B; returns school A's ids."""
    own = {}
    for school, officer in ((school_a, officer_a), (school_b, officer_b)):
        rows = {
            "drills": DrillFactory(school=school),
            "education-activities": ActivityFactory(school=school),
            "assignments": AssignmentFactory(school=school),
            "remediation-projects": remediation_services.create_project(
                actor=bureau_staff,
                name=f"{school.name}改造",
                category="fire",
                budget_yuan=1000,
                schools=[school],
            ),
            "export-jobs": ExportJob.objects.create(
                requested_by=officer, format="csv", scope_school_ids=[school.pk]
            ),
        }
        rows["remediation-expenses"] = remediation_services.record_expense(
            rows["remediation-projects"],
            actor=bureau_staff,
            school=school,
            date=datetime.date(2025, 5, 10),
            amount_yuan=100,
        )
        inbox(officer, 1, school)
        rows["notifications"] = Notification.objects.get(recipient=officer)
        gone = HazardFactory(school=school)
        gone_id = gone.pk
        gone.delete()  # a tombstone at the school
        if school == school_a:
            own = {name: [row.pk] for name, row in rows.items()}
            own["deletions-object-ids"] = [gone_id]
    return own


RESOURCES = [
    "drills",
    "education-activities",
    "assignments",
    "remediation-projects",
    "remediation-expenses",
    "export-jobs",
    "notifications",
]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_school_officer_sees_only_its_school(api_as, officer_a, at_both_schools, resource):
    assert ids(api_as(officer_a).get(f"/api/v1/{resource}/")) == at_both_schools[resource]


def test_a_school_officers_deletions_feed_holds_its_school_only(api_as, officer_a, at_both_schools):
    response = api_as(officer_a).get("/api/v1/deletions/?resource=hazards")
    assert response.status_code == 200
    got = sorted(row["object_id"] for row in response.json()["results"])
    assert got == at_both_schools["deletions-object-ids"]
