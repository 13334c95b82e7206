"""The permission matrix generated from the URL resolver: every URL pattern (web pages, API,
admin, exports, public pages) × every persona × the object of their own school (A) and of the
other school (B), requested with GET.

What holds for every pattern: never a server error; anonymous never gets a page that is not
public (``PUBLIC``); a person scoped to school A never gets school B's object (403/404, or 405
from a POST-only address); counselling is shown to the school's counsellor alone. A new URL
pattern fails ``test_every_pattern_is_classified`` until it is given a way to fill its
arguments (``FILL``) or a reason to be skipped (``SKIP``).

Patterns are named by their URL name (the API's ``.json`` format-suffix variants share the
name and the view of the plain address) or, unnamed, by their route.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from drills.models import (
    DrillPhoto,
    DrillProblem,
    EmergencyPlan,
    Incident,
    IncidentPerson,
    PlannedDrill,
    PlanVersion,
)
from education.models import ActivityPhoto, Appointment, StaffTraining, VicePrincipal
from hazards.models import Hazard, HazardPhoto, RemediationExpense, RemediationProject
from inspections.checklist_data import NAME
from inspections.models import (
    Checklist,
    ChecklistItem,
    CrossInspectionRound,
    Inspection,
    InspectionAnswer,
    InspectionAnswerPhoto,
)
from notifications.models import Kind, Notification, WebhookSubscription
from reports.models import ExportJob
from risks.models import RiskAssessment, RiskPoint, SitePlan
from schools.models import Department, SchoolAssignment
from supervision.models import CheckIn, Patrol, PatrolPoint, PatrolSlot, Roll
from tests.factories import (
    ActivityFactory,
    CounsellingFactory,
    DepartmentFactory,
    DrillFactory,
    HazardFactory,
    InspectionFactory,
    SchoolClassFactory,
    StudentFactory,
    UserFactory,
    sealed_record,
)
from tests.hazards.conftest import jpeg_bytes
from wellbeing.models import BreakGlassAccess, BullyingCase

PERSONAS = [
    "bureau_admin", "bureau_staff", "officer_a", "principal_a", "teacher_a", "inspector",
    "counsellor_a", "report_client", "superuser", "anonymous",
]  # fmt: skip
# Scoped to school A (the inspector: to the inspections its department takes part in).
SCOPED = {"officer_a", "principal_a", "teacher_a", "inspector", "counsellor_a"}

# Pages anyone may open without signing in.
PUBLIC = {
    "health",  # the load balancer's check
    "login",
    "admin:login",
    "public-track",  # 随手拍: a reporter follows a report by its tracking code
    "public-snapshot",  # 随手拍: a school's report form behind its unguessable token
    "schema",  # the OpenAPI description and its viewer: no data
    "api-docs",
    # A forgotten password: asked for, mailed, set through the one-time link (issue 18).
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "api-guide",  # docs/api.md: no data
}

# Only the school's counsellor sees mental-health work, the bureau included.
COUNSELLING = {
    "counselling-list", "counselling-create", "wellbeing-records", "wellbeing-record-open",
    "wellbeing-record", "wellbeing-level", "wellbeing-plan", "wellbeing-screening",
    "wellbeing-referral", "wellbeing-import",
}  # fmt: skip
# Planted in every sealed text of both schools (session notes, plans, screening details,
# referral notes, bullying summaries): no response but the own school's counsellor's may
# hold it. A break-glass read shows it only after a POST with a reason (tests/wellbeing).
MARKER = "SEALED-7f3a9c-MARKER"

SKIP: dict[str, str] = {}


def _pk(key):
    return lambda world: {"pk": world[key].pk}


# URL name → its arguments from one school's objects (``world``: school A's for "own",
# school B's for "other"). Patterns without arguments, or whose arguments belong to no school
# (``SHARED``), are requested once, as "own".
FILL = {
    "api-school-detail": lambda w: {"pk": w["school"].pk},
    "snapshot-poster": lambda w: {"school_id": w["school"].pk},
    "public-snapshot": lambda w: {"token": w["school"].snapshot_token},
    "hazard-export": lambda w: {"fmt": "csv"},
    "hazard-transition": lambda w: {"pk": w["hazard"].pk, "transition": "assign"},
    "round-action": lambda w: {"pk": w["round"].pk, "action": "propose"},
    **{
        name: _pk("hazard")
        for name in [
            "hazard-detail", "hazard-supervise", "hazard-mark-duplicate", "api-hazard-detail",
            "api-hazard-supervise",
            "api-hazard-assign", "api-hazard-close", "api-hazard-dismiss",
            "api-hazard-reject-rectification", "api-hazard-submit-rectification",
        ]
    },
    **{
        name: _pk("inspection")
        for name in [
            "inspection-detail", "inspection-fill", "inspection-review", "inspection-answer",
            "api-inspection-detail",
            "api-inspection-answers", "api-inspection-photos", "api-inspection-review",
            "api-inspection-submit",
        ]
    },
    **{
        name: _pk("project")
        for name in [
            "remediation-detail", "remediation-update", "remediation-expense",
            "remediation-complete",
        ]
    },
    **{
        name: _pk("round")
        for name in [
            "round-detail", "api-cross-inspection-round-detail",
            "api-cross-inspection-round-pairings", "api-cross-inspection-round-propose",
            "api-cross-inspection-round-publish",
        ]
    },
    "api-checklist-detail": _pk("checklist"),
    "api-drill-detail": _pk("drill"),
    **{
        name: _pk("drill")
        for name in ["drill-detail", "api-drill-hazard", "api-drill-photos"]
    },
    "drill-problem-hazard": lambda w: {"pk": w["drill"].pk, "problem": w["problem"].pk},
    "drill-photo": lambda w: {"uuid": w["drill_photo"].uuid},
    "activity-photo": lambda w: {"uuid": w["activity_photo"].uuid},
    **{
        name: _pk("plan")
        for name in [
            "plan-detail", "plan-version-upload", "api-plan-detail", "api-plan-versions",
            "api-plan-approve",
        ]
    },
    "plan-approve": lambda w: {"pk": w["plan"].pk, "version": w["plan_version"].pk},
    "plan-version-file": _pk("plan_version"),
    **{
        name: _pk("incident")
        for name in [
            "incident-detail", "incident-action", "incident-written-report", "incident-close",
            "api-incident-detail", "api-incident-actions", "api-incident-written-report",
            "api-incident-close",
        ]
    },
    "api-education-activity-detail": _pk("activity"),
    "notification-read": _pk("notification"),
    "export-job": _pk("job"),
    "hazard-photo": lambda w: {"uuid": w["photo"].uuid},
    "hazard-photo-thumbnail": lambda w: {"uuid": w["photo"].uuid},
    "inspection-photo": lambda w: {"uuid": w["answer_photo"].uuid},
    "export-download": _pk("job"),
    **{name: _pk("school_class") for name in ["checkin-roll", "checkin-mark", "roster-export"]},
    "patrol-slot": _pk("slot"),
    "patrol-scan": lambda w: {"code": w["point"].code},
    "patrol-qr": lambda w: {"school_id": w["school"].pk},
    "api-patrol-detail": _pk("patrol"),
    "api-check-in-detail": _pk("checkin"),
    **{
        name: _pk("record")
        for name in [
            "wellbeing-record", "wellbeing-level", "wellbeing-plan", "wellbeing-screening",
            "wellbeing-referral", "wellbeing-break-glass",
        ]
    },
    "bullying-close": _pk("bullying"),
    "api-vice-principal-detail": _pk("vice_principal"),
    "api-staff-training-detail": _pk("training"),
    **{
        name: _pk("risk_point")
        for name in [
            "risk-point-detail", "risk-point-update", "risk-point-assess", "risk-point-check",
            "risk-point-link", "api-risk-point-detail", "api-risk-point-assess",
            "api-risk-point-place",
        ]
    },
    **{
        name: lambda w: {"school_id": w["school"].pk}
        for name in ["risk-map", "risk-site-plan-upload", "risk-point-place", "risk-starter"]
    },
    "risk-site-plan-image": lambda w: {"uuid": w["site_plan"].uuid},
    "risk-plans-generate": lambda w: {"school_id": w["school"].pk},
    "drill-schedule-cancel": _pk("planned_drill"),
    "api-planned-drill-detail": _pk("planned_drill"),
    "api-risk-assessment-detail": _pk("risk_assessment"),
    "risk-analytics-export": lambda w: {"key": "school-scores"},
    "api-risk-analytics": lambda w: {"series": "school-scores"},
    "record-export": lambda w: {"kind": "drills"},
    "school-import-template": lambda w: {"kind": "staff"},
    "school-scorecard": lambda w: {"pk": w["school"].pk},
    # An altered link: the page says the link no longer works (no account is named).
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "api-notification-detail": _pk("notification"),
    "api-notification-read": _pk("notification"),
    "api-export-job-detail": _pk("job"),
    "api-export-job-download": _pk("job"),
    "api-remediation-project-detail": _pk("project"),
    "api-remediation-project-expenses": _pk("project"),
    "api-remediation-expense-detail": _pk("expense"),
    "api-assignment-detail": _pk("assignment"),
    "api-department-detail": _pk("department"),
    "api-webhook-subscription-detail": _pk("subscription"),
    "api-webhook-subscription-deliveries": _pk("subscription"),
    "api-webhook-subscription-resume": _pk("subscription"),
}  # fmt: skip


SHARED = {
    "api-checklist-detail",
    "hazard-export",
    "risk-analytics-export",
    "api-risk-analytics",
    "password_reset_confirm",
    "record-export",
    "school-import-template",
    "api-department-detail",
    "api-webhook-subscription-detail",
    "api-webhook-subscription-deliveries",
    "api-webhook-subscription-resume",
}


def patterns(resolver=None, prefix="", namespace=""):
    """(key, route) of every URL pattern, walking the resolver's includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), inner)
        else:
            assert isinstance(entry, URLPattern)
            route = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else route), route


def keys(admin):
    return sorted(
        {key for key, route in patterns() if route.startswith("admin/") is admin} - set(SKIP)
    )


def test_every_pattern_is_classified():
    """Every pattern is requested by a test below or skipped for a reason; nothing stale."""
    web = {key for key, route in patterns() if not route.startswith("admin/")}
    every = {key for key, _ in patterns()}
    assert set(SKIP) <= every
    assert set(FILL) <= web
    assert every >= PUBLIC
    unfillable = set()
    for key in web - set(SKIP) - set(FILL):
        try:
            reverse(key)
        except NoReverseMatch:
            unfillable.add(key)
    assert unfillable == set()


# --- the world: school A's and school B's objects ------------------------------------------


@pytest.fixture
def department(db):
    return DepartmentFactory(name="旗消防救援大队")


@pytest.fixture
def inspector(department):
    return UserFactory(username="inspector", role=User.Role.INSPECTOR, department=department)


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def superuser(db):
    """A superuser who is staff: passes every permission except the sealed ones."""
    return UserFactory(
        username="root", role=User.Role.BUREAU_STAFF, scope_all_schools=True,
        is_staff=True, is_superuser=True,
    )  # fmt: skip


def _vice_principal(school, on):
    person = VicePrincipal.objects.create(name="王法官", agency_type="court", agency_name="旗法院")
    Appointment.objects.create(
        vice_principal=person, school=school, start_date=on, end_date=on.replace(year=2027)
    )
    return person


def _school_world(school, officer, checklist):
    on = datetime.date(2025, 5, 10)
    project = RemediationProject.objects.create(name="消防改造", category="fire", budget_yuan=1000)
    project.schools.set([school])
    rnd = CrossInspectionRound.objects.create(
        name="互查", period_start=on, period_end=on, checklist=checklist
    )
    rnd.schools.set([school])
    world = {
        "school": school,
        "checklist": checklist,
        # Major and open: the bureau may put it under supervision (挂牌督办).
        "hazard": HazardFactory(school=school, level=Hazard.Level.MAJOR),
        "inspection": InspectionFactory(
            kind=Inspection.Kind.JOINT, school=school, checklist=checklist, date=on
        ),
        "drill": DrillFactory(school=school),
        "activity": ActivityFactory(school=school),
        "counselling": CounsellingFactory(school=school, notes=MARKER),
        "record": sealed_record(school, MARKER),
        "vice_principal": _vice_principal(school, on),
        "training": StaffTraining.objects.create(school=school, title="消防培训", date=on, hours=2),
        "bullying": BullyingCase.objects.create(
            school=school, date=on, summary=MARKER, investigation_started_on=on,
            deadline=on + datetime.timedelta(days=10),
        ),
        "project": project,
        "expense": RemediationExpense.objects.create(
            project=project, school=school, date=on, amount_yuan=100
        ),
        "assignment": SchoolAssignment.objects.create(
            school=school, user=officer, kind="cadre", start_date=on
        ),
        "department": Department.objects.get_or_create(name="消防救援", kind="fire")[0],
        "subscription": WebhookSubscription.objects.get_or_create(
            name="市级平台", url="https://city.example.cn/hook", secret="x" * 16,
            event_types=["hazard.reported"], owner=officer,
        )[0],
        "round": rnd,
        "job": ExportJob.objects.create(
            requested_by=officer, format="csv", scope_school_ids=[school.pk]
        ),
        "notification": Notification.objects.create(
            recipient=officer, kind=Kind.DIGEST, subject_key="digest", period="2025-05-10",
            school=school, title="每日安全汇总",
        ),
    }  # fmt: skip
    image = ContentFile(jpeg_bytes(), name="photo.jpg")
    world["photo"] = HazardPhoto.objects.create(
        hazard=world["hazard"], image=image, thumbnail=ContentFile(jpeg_bytes(), name="t.jpg")
    )
    answer = InspectionAnswer.objects.create(
        inspection=world["inspection"],
        item=ChecklistItem.objects.filter(section__checklist=checklist).first(),
        result="fail",
    )
    world["answer_photo"] = InspectionAnswerPhoto.objects.create(
        answer=answer, image=ContentFile(jpeg_bytes(), name="photo.jpg")
    )
    world.update(_supervision_world(school, officer, on))
    _drills_world(world, school, officer)
    world["activity_photo"] = ActivityPhoto.objects.create(
        activity=world["activity"], image=ContentFile(jpeg_bytes(), name="a.jpg")
    )
    BreakGlassAccess.objects.create(
        record=world["record"],
        user=officer,
        at=datetime.datetime(2025, 5, 10, tzinfo=datetime.UTC),
        reason="学生安全",
        sections="预警等级",
    )
    world["risk_point"] = RiskPoint.objects.create(school=school, name="大门", category="traffic")
    world["risk_assessment"] = RiskAssessment.objects.create(
        point=world["risk_point"], method="matrix", likelihood=1, severity=1, score=1,
        grade="low", assessed_on=on,
    )  # fmt: skip
    world["site_plan"] = SitePlan(school=school, width=20, height=10)
    world["site_plan"].image.save("plan.jpg", ContentFile(jpeg_bytes()), save=True)
    world["job"].status = ExportJob.Status.DONE
    world["job"].file.save(f"{world['job'].pk}.csv", ContentFile(b"id\n"))
    return world


def _supervision_world(school, officer, on):
    school_class = SchoolClassFactory(school=school)
    student = StudentFactory(school_class=school_class)
    point = PatrolPoint.objects.create(school=school, name="校门", kind="gate")
    slot = PatrolSlot.objects.create(
        school=school, name="课间", kind="break", start=datetime.time(10),
        end=datetime.time(10, 20), patroller=officer,
    )  # fmt: skip
    slot.points.set([point])
    roll = Roll.objects.create(school=school, school_class=school_class, date=on, kind="home")
    return {
        "school_class": school_class,
        "point": point,
        "slot": slot,
        "patrol": Patrol.objects.create(school=school, slot=slot, date=on, status="done"),
        "checkin": CheckIn.objects.create(
            school=school,
            roll=roll,
            student=student,
            date=on,
            kind="home",
            status="arrived",
            marked_at=datetime.datetime(2025, 5, 10, 10, tzinfo=datetime.UTC),
        ),  # fmt: skip
    }


def _drills_world(world, school, officer):
    """A drill's problem and photo, a plan with a version, an incident with a name."""
    drill = world["drill"]
    world["problem"] = DrillProblem.objects.create(drill=drill, description="出口堵塞")
    world["drill_photo"] = DrillPhoto.objects.create(
        drill=drill, image=ContentFile(jpeg_bytes(), name="d.jpg")
    )
    world["plan"] = plan = EmergencyPlan.objects.create(school=school, kind="fire", title="火灾")
    world["plan_version"] = PlanVersion.objects.create(
        plan=plan, number=1, file_type="pdf", file=ContentFile(b"%PDF-1.4", name="p.pdf")
    )
    at = datetime.datetime(2025, 5, 10, 2, 0, tzinfo=datetime.UTC)
    world["incident"] = incident = Incident.objects.create(
        school=school, occurred_at=at, reported_at=at, place="操场", kind="injury", summary="摔伤"
    )
    IncidentPerson.objects.create(incident=incident, name="张三")
    world["planned_drill"] = PlannedDrill.objects.create(
        school=school, drill_type="fire", planned_on=datetime.date(2030, 5, 10)
    )


@pytest.fixture
def world(settings, tmp_path, school_a, school_b, officer_a, officer_b, department):
    settings.MEDIA_ROOT = tmp_path
    checklist = Checklist.objects.get(name=NAME, version=1)
    own = _school_world(school_a, officer_a, checklist)
    own["inspection"].departments.set([department])
    return {"own": own, "other": _school_world(school_b, officer_b, checklist)}


def _fetch(client, persona, user, url):
    """(status, body bytes) of a GET as ``persona``."""
    client.logout()
    if persona != "anonymous":
        client.force_login(user)
    response = client.get(url)
    if response.streaming:
        return response.status_code, b"".join(response.streaming_content)
    return response.status_code, response.content


def _get(client, persona, user, url):
    return _fetch(client, persona, user, url)[0]


# --- web pages and API ----------------------------------------------------------------------


@pytest.mark.parametrize("key", keys(admin=False))
def test_pattern(request, client, world, key):
    client.raise_request_exception = False
    users = {persona: request.getfixturevalue(persona) for persona in PERSONAS}
    sides = ["own", "other"] if key in FILL and key not in SHARED else ["own"]
    got, sealed = {}, set()
    for side in sides:
        url = reverse(key, kwargs=FILL[key](world[side]) if key in FILL else None)
        for persona, user in users.items():
            got[persona, side], body = _fetch(client, persona, user, url)
            if MARKER.encode() in body:
                sealed.add((persona, side))

    wrong = {}
    for (persona, side), status in got.items():
        if status >= 500:
            wrong[persona, side] = f"{status}: server error"
        elif persona == "anonymous" and key not in PUBLIC and status < 300:
            wrong[persona, side] = f"{status}: anonymous on a page that is not public"
        elif (
            side == "other"
            and persona in SCOPED
            and key not in PUBLIC
            and status not in (403, 404, 405)
        ):
            wrong[persona, side] = f"{status}: school B's object for a person of school A"
        elif key in COUNSELLING and persona != "counsellor_a" and status < 300:
            wrong[persona, side] = f"{status}: counselling for someone not its counsellor"
    for persona, side in sealed - {("counsellor_a", "own")}:
        wrong[persona, side] = "sealed content for someone not the school's counsellor"
    assert wrong == {}, got
    # The arguments are right: the own object is reachable by someone (a POST-only address
    # answers 405 to everyone).
    if key in FILL:
        assert {status for (_, side), status in got.items() if side == "own"} & {200, 405}, got


# --- admin ----------------------------------------------------------------------------------

ADMIN_ARGS = {"app_label": "hazards", "object_id": "1", "content_type_id": 1, "url": "nothing/"}


def _admin_url(key):
    """A concrete address of an admin pattern (``admin:``-named, or the unnamed catch-all)."""
    if not key.startswith("admin:"):
        return "/admin/nothing/"
    route = dict(patterns())[key]
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs = {name: ADMIN_ARGS.get(name, "1") for name in names}
    if kwargs or "(" not in route:
        return reverse(key, kwargs=kwargs)
    return reverse(key, args=["1"] * re.compile(route).groups)  # unnamed groups (history)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "superuser"])
def test_admin_is_closed_to_everyone_not_staff(request, client, world, persona):
    """No persona is staff: every admin page (index, each model's changelist, add, change,
    delete, history…) sends them to the admin's sign-in; only that page itself is open."""
    client.raise_request_exception = False
    user = request.getfixturevalue(persona)
    got = {key: _get(client, persona, user, _admin_url(key)) for key in keys(admin=True)}
    changelists = {key for key in got if key.endswith("_changelist")}
    assert len(changelists) > 20 and "admin:index" in got
    assert got.pop("admin:login") == 200
    assert {key: status for key, status in got.items() if status != 302} == {}


def test_admin_changelists_need_a_model_permission(client, world, bureau_staff):
    """Staff without any model permission opens the (empty) index, never a model's page
    (changelists 403; another page of an object that does not exist may redirect or 404)."""
    client.raise_request_exception = False
    bureau_staff.is_staff = True
    bureau_staff.save(update_fields=["is_staff"])
    got = {
        key: _get(client, "bureau_staff", bureau_staff, _admin_url(key))
        for key in keys(admin=True)
        if key.endswith(("_changelist", "_add", "_change", "_delete", "_history"))
        and key != "admin:password_change"  # one's own password: open to any staff
    }
    assert len(got) > 100
    assert {key: status for key, status in got.items() if status == 200 or status >= 500} == {}
    assert {status for key, status in got.items() if key.endswith("_changelist")} == {403}
    assert _get(client, "bureau_staff", bureau_staff, reverse("admin:index")) == 200


def test_the_admin_shows_a_superuser_nothing_sealed(client, world, superuser):
    """A superuser walks every admin page (index, each changelist and its search for the
    marker's start, add, and the change, history and delete pages of each registered model's first
    object): no server error, and no sealed text anywhere. No sealed model is registered."""
    from django.contrib import admin as django_admin

    client.raise_request_exception = False
    registered = {m._meta.label for m in django_admin.site._registry}
    sealed_models = {
        "wellbeing.StudentRecord", "wellbeing.Screening", "wellbeing.Referral",
        "wellbeing.LevelChange", "wellbeing.BreakGlassAccess", "wellbeing.BullyingCase",
    }  # fmt: skip
    assert registered & sealed_models == set()
    urls = [_admin_url(key) for key in keys(admin=True)]
    for model, _model_admin in django_admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        # the search box echoes its query: search for the marker's start
        urls.append(reverse("admin:%s_%s_changelist" % info) + f"?q={MARKER[:12]}")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            for page in ("change", "history", "delete"):
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[first.pk]))
    got = {url: _fetch(client, "superuser", superuser, url) for url in urls}
    assert {url: s for url, (s, _) in got.items() if s >= 500} == {}
    assert [url for url, (_, body) in got.items() if MARKER.encode() in body] == []
    assert sum(1 for s, _ in got.values() if s == 200) > 100
