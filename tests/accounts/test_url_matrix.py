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
from schools.models import Department, SchoolAssignment
from tests.factories import (
    ActivityFactory,
    CounsellingFactory,
    DepartmentFactory,
    DrillFactory,
    HazardFactory,
    InspectionFactory,
    UserFactory,
)
from tests.hazards.conftest import jpeg_bytes

PERSONAS = [
    "bureau_admin", "bureau_staff", "officer_a", "principal_a", "teacher_a", "inspector",
    "counsellor_a", "report_client", "anonymous",
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
    "api-guide",  # docs/api.md: no data
}

# Only the school's counsellor sees mental-health work, the bureau included.
COUNSELLING = {"counselling-list", "counselling-create"}

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
            "inspection-detail", "inspection-fill", "inspection-review", "api-inspection-detail",
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
    "api-education-activity-detail": _pk("activity"),
    "notification-read": _pk("notification"),
    "export-job": _pk("job"),
    "hazard-photo": lambda w: {"uuid": w["photo"].uuid},
    "hazard-photo-thumbnail": lambda w: {"uuid": w["photo"].uuid},
    "inspection-photo": lambda w: {"uuid": w["answer_photo"].uuid},
    "export-download": _pk("job"),
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
        "counselling": CounsellingFactory(school=school),
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
    world["job"].status = ExportJob.Status.DONE
    world["job"].file.save(f"{world['job'].pk}.csv", ContentFile(b"id\n"))
    return world


@pytest.fixture
def world(settings, tmp_path, school_a, school_b, officer_a, officer_b, department):
    settings.MEDIA_ROOT = tmp_path
    checklist = Checklist.objects.get(name=NAME, version=1)
    own = _school_world(school_a, officer_a, checklist)
    own["inspection"].departments.set([department])
    return {"own": own, "other": _school_world(school_b, officer_b, checklist)}


def _get(client, persona, user, url):
    client.logout()
    if persona != "anonymous":
        client.force_login(user)
    return client.get(url).status_code


# --- web pages and API ----------------------------------------------------------------------


@pytest.mark.parametrize("key", keys(admin=False))
def test_pattern(request, client, world, key):
    client.raise_request_exception = False
    users = {persona: request.getfixturevalue(persona) for persona in PERSONAS}
    sides = ["own", "other"] if key in FILL and key not in SHARED else ["own"]
    got = {}
    for side in sides:
        url = reverse(key, kwargs=FILL[key](world[side]) if key in FILL else None)
        for persona, user in users.items():
            got[persona, side] = _get(client, persona, user, url)

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


@pytest.mark.parametrize("persona", PERSONAS)
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
