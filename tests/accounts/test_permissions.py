"""The permission matrix: persona × permission (on an object) → allowed or denied, asked
through ``user.has_perm`` as every view, API endpoint, admin page, template and task asks it;
then persona × (method, URL) → HTTP status for a few representative endpoints (out of scope
404, in scope but not allowed 403, anonymous to the login page or 401).

School A holds the objects; officer_b belongs to school B; the inspector is a member of a
department (no school) that takes part in the joint inspection of A.
"""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import User
from accounts.rules import SEALED_PERMISSIONS
from hazards.models import Hazard
from inspections.checklist_data import NAME
from inspections.models import Checklist, Inspection
from reports.models import ExportJob
from supervision.models import PatrolSlot
from tests.factories import (
    DepartmentFactory,
    HazardFactory,
    InspectionFactory,
    SchoolClassFactory,
    StudentFactory,
    UserFactory,
    sealed_record,
)

# fmt: off
# The tables are grids, one column per persona (PERSONAS order).
PERSONAS = [
    "bureau_staff", "bureau_admin", "officer_a", "principal_a", "teacher_a", "counsellor_a",
    "officer_b", "inspector", "report_client", "anonymous",
]

# Y allowed, . denied.
#         bur adm ofA prA teA coA ofB ins cli anon
BUREAU = "Y   Y   .   .   .   .   .   .   .   ."
NOBODY = ".   .   .   .   .   .   .   .   .   ."

PERMISSIONS = [
    # (permission, object,                            bur adm ofA prA teA coA ofB ins cli anon)
    ("accounts.grant_bureau_role", None,             BUREAU),
    # The report client's account is for the API only; the bureau lifts sign-in lock-outs.
    ("accounts.sign_in_to_web", None,                "Y   Y   Y   Y   Y   Y   Y   Y   .   ."),
    ("accounts.unlock_sign_in", "officer_a",         BUREAU),
    # Bulk import of schools, staff and assignments from Excel: the bureau's admins only.
    ("schools.import_roster", None,                  ".   Y   .   .   .   .   .   .   .   ."),
    ("drills.record_drill", "school_a",              "Y   Y   Y   Y   .   .   .   .   .   ."),
    ("drills.record_drill", None,                    "Y   Y   Y   Y   .   .   Y   .   .   ."),
    ("drills.manage_plan", "school_a",               "Y   Y   Y   Y   .   .   .   .   .   ."),
    ("drills.manage_plan", None,                     "Y   Y   Y   Y   .   .   Y   .   .   ."),
    ("drills.report_incident", "school_a",           "Y   Y   Y   Y   .   .   .   .   .   ."),
    ("drills.report_incident", None,                 "Y   Y   Y   Y   .   .   Y   .   .   ."),
    # Names of the people in an incident: the school's managers and the bureau's admins.
    ("drills.view_incident_names", "school_a",       ".   Y   Y   Y   .   .   .   .   .   ."),
    ("education.record_activity", "school_a",        "Y   Y   Y   Y   Y   .   .   .   .   ."),
    ("education.record_activity", None,              "Y   Y   Y   Y   Y   .   Y   .   .   ."),
    # Mental-health work is the school's counsellors' alone, the bureau included.
    ("education.view_counselling", "school_a",       ".   .   .   .   .   Y   .   .   .   ."),
    ("education.view_counselling", None,             ".   .   .   .   .   Y   .   .   .   ."),
    ("education.record_counselling", "school_a",     ".   .   .   .   .   Y   .   .   .   ."),
    ("education.record_counselling", "school_b",     NOBODY),
    # The bureau plans any kind of inspection, a school's managers a self check.
    ("inspections.plan_inspection", None,            "Y   Y   Y   Y   .   .   Y   .   .   ."),
    ("inspections.plan_inspection", "plan_self",     "Y   Y   Y   Y   .   .   Y   .   .   ."),
    ("inspections.plan_inspection", "plan_joint",    BUREAU),
    ("inspections.fill_inspection", "self_a",        "Y   Y   Y   Y   .   .   .   .   .   ."),
    # The inspecting school fills a cross inspection, not the inspected one.
    ("inspections.fill_inspection", "cross_b_on_a",  "Y   Y   .   .   .   .   Y   .   .   ."),
    ("inspections.fill_inspection", "joint_a",       "Y   Y   .   .   .   .   .   Y   .   ."),
    ("inspections.fill_inspection", "spot_a",        BUREAU),
    ("inspections.review_inspection", "cross_b_on_a", BUREAU),
    ("inspections.manage_checklist", None,           BUREAU),
    ("inspections.manage_round", None,               BUREAU),
    ("inspections.view_coverage", None,              BUREAU),
    ("inspections.view_committee", None,             BUREAU),
    # 查改督销: the school's people report; its managers (and the bureau) triage; the school
    # rectifies (the responsible teacher too); the bureau verifies, a principal the general.
    ("hazards.write_hazard", None,                   "Y   Y   Y   Y   Y   Y   Y   Y   .   ."),
    ("hazards.report_hazard", "school_a",            "Y   Y   Y   Y   Y   Y   .   .   .   ."),
    ("hazards.report_hazard", None,                  "Y   Y   Y   Y   Y   Y   Y   .   .   ."),
    ("hazards.assign_hazard", "reported",            "Y   Y   Y   Y   .   .   .   .   .   ."),
    ("hazards.dismiss_hazard", "reported",           "Y   Y   Y   Y   .   .   .   .   .   ."),
    ("hazards.submit_rectification", "rectifying",   ".   .   Y   Y   Y   .   .   .   .   ."),
    ("hazards.close_hazard", "verifying",            "Y   Y   .   Y   .   .   .   .   .   ."),
    ("hazards.close_hazard", "verifying_major",      BUREAU),
    ("hazards.reject_rectification", "verifying",    "Y   Y   .   Y   .   .   .   .   .   ."),
    ("hazards.reject_rectification", "verifying_major", BUREAU),
    # 挂牌督办 (of an open major hazard: services.can_supervise), remediation projects.
    ("hazards.supervise_hazard", "verifying_major",  BUREAU),
    ("hazards.manage_remediation", None,             BUREAU),
    # The risk register: the bureau anywhere, a school's managers their own; the watch list.
    ("risks.manage_register", "school_a",            "Y   Y   Y   Y   .   .   .   .   .   ."),
    ("risks.manage_register", None,                  "Y   Y   Y   Y   .   .   Y   .   .   ."),
    ("risks.view_watch_list", None,                  BUREAU),
    # Risk-based planning (riskplans): whoever keeps the school's register.
    ("riskplans.generate_plans", "school_a",         "Y   Y   Y   Y   .   .   .   .   .   ."),
    # Outbound webhooks (other systems' endpoints): the bureau admin alone.
    ("notifications.manage_webhooks", None,          ".   Y   .   .   .   .   .   .   .   ."),
    # Who the menu offers the 随手拍 posters to.
    ("hazards.print_snapshot_poster", None,          "Y   Y   Y   Y   .   .   Y   .   .   ."),
    # The requester, or bureau or school managers whose scope holds the job's.
    ("reports.download_exportjob", "job_a",          "Y   Y   Y   Y   .   .   .   .   .   ."),
    ("reports.download_exportjob", "job_all",        "Y   Y   .   .   .   .   .   .   .   ."),
    # The roster (schools): names for the school's own staff and counsellors (sealed: not the
    # bureau); whole guardian phones for the homeroom teacher and the school's managers.
    ("schools.view_student", "student_a",            ".   .   Y   Y   Y   Y   .   .   .   ."),
    ("schools.view_guardian_phone", "student_a",     ".   .   Y   Y   Y   .   .   .   .   ."),
    ("schools.manage_roster", "school_a",            ".   .   Y   Y   .   .   .   .   .   ."),
    # Key-period supervision: counts for the bureau and the school's staff; the homeroom
    # teacher marks the class's check-ins, the patroller runs the slot.
    ("supervision.view_supervision", None,           "Y   Y   Y   Y   Y   .   Y   .   Y   ."),
    ("supervision.view_supervision", "school_a",     "Y   Y   Y   Y   Y   .   .   .   Y   ."),
    ("supervision.manage_supervision", "school_a",   ".   .   Y   Y   .   .   .   .   .   ."),
    ("supervision.record_checkin", "class_a",        ".   .   Y   Y   Y   .   .   .   .   ."),
    ("supervision.run_patrol", "slot_a",             ".   .   Y   Y   Y   .   .   .   .   ."),
    # Rule-of-law vice principals: the bureau appoints, the principal evaluates yearly.
    ("education.manage_vice_principal", None,        BUREAU),
    ("education.evaluate_vice_principal", "school_a", "Y   Y   .   Y   .   .   .   .   .   ."),
    ("education.view_coverage", "school_a",          "Y   Y   Y   Y   Y   .   .   .   Y   ."),
    ("education.view_compliance", None,              "Y   Y   Y   Y   Y   .   Y   .   Y   ."),
    # The sealed files: the school's counsellors; break-glass: its principal, bureau admins.
    ("wellbeing.view_record", "school_a",            ".   .   .   .   .   Y   .   .   .   ."),
    ("wellbeing.view_record", None,                  ".   .   .   .   .   Y   .   .   .   ."),
    ("wellbeing.manage_record", "record_a",          ".   .   .   .   .   Y   .   .   .   ."),
    ("wellbeing.manage_record", "school_b",          NOBODY),
    ("wellbeing.break_glass", "record_a",            ".   Y   .   Y   .   .   .   .   .   ."),
    ("wellbeing.view_access_log", None,              ".   Y   .   .   .   Y   .   .   .   ."),
    ("wellbeing.view_counts", None,                  "Y   Y   .   .   .   Y   .   .   Y   ."),
    ("wellbeing.record_bullying", "school_a",        ".   .   Y   Y   .   Y   .   .   .   ."),
    ("wellbeing.view_bullying", "school_a",          "Y   Y   Y   Y   .   Y   .   .   .   ."),
]

# fmt: on


def allowed(grid):
    marks = grid.split()
    assert len(marks) == len(PERSONAS) and set(marks) <= {"Y", "."}, grid
    return dict(zip(PERSONAS, (m == "Y" for m in marks), strict=True))


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
def objects(school_a, school_b, department, officer_a, teacher_a, bureau_staff):
    """The objects the matrix names, at school A (the job ``job_all`` spans every school)."""
    S, Level = Hazard.Status, Hazard.Level
    checklist = Checklist.objects.get(name=NAME, version=1)
    on = datetime.date(2025, 5, 10)

    def inspection(kind, **fields):
        return InspectionFactory(kind=kind, school=school_a, checklist=checklist, date=on, **fields)

    joint = inspection(Inspection.Kind.JOINT)
    joint.departments.set([department])
    class_a = SchoolClassFactory(school=school_a, homeroom_teacher=teacher_a)
    return {
        "class_a": class_a,
        "student_a": StudentFactory(school_class=class_a),
        "slot_a": PatrolSlot.objects.create(
            school=school_a,
            name="课间",
            kind="break",
            start=datetime.time(10),
            end=datetime.time(10, 20),
            patroller=teacher_a,
        ),  # fmt: skip
        None: None,
        "school_a": school_a,
        "school_b": school_b,
        "officer_a": officer_a,
        "plan_self": Inspection(kind=Inspection.Kind.SELF),
        "plan_joint": Inspection(kind=Inspection.Kind.JOINT),
        "self_a": inspection(Inspection.Kind.SELF),
        "cross_b_on_a": inspection(Inspection.Kind.CROSS, inspecting_school=school_b),
        "joint_a": joint,
        "spot_a": inspection(Inspection.Kind.SPOT),
        "reported": HazardFactory(school=school_a),
        "rectifying": HazardFactory(school=school_a, status=S.RECTIFYING, responsible=teacher_a),
        "verifying": HazardFactory(school=school_a, status=S.VERIFYING, submitted_by=officer_a),
        "verifying_major": HazardFactory(school=school_a, status=S.VERIFYING, level=Level.MAJOR),
        "job_a": ExportJob.objects.create(
            requested_by=officer_a, format="csv", scope_school_ids=[school_a.pk]
        ),
        "record_a": sealed_record(school_a),
        "job_all": ExportJob.objects.create(
            requested_by=bureau_staff, format="csv", scope_school_ids=None
        ),
    }


@pytest.mark.parametrize(
    ("perm", "obj", "grid"), PERMISSIONS, ids=[f"{p}({o})" for p, o, _ in PERMISSIONS]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_has_perm(request, objects, persona, perm, obj, grid):
    user = request.getfixturevalue(persona)
    assert user.has_perm(perm, objects[obj]) is allowed(grid)[persona]


def test_every_registered_permission_is_in_the_matrix():
    assert {perm for perm, _, _ in PERMISSIONS} == set(rules.permissions.permissions)


def test_a_superuser_passes_every_permission_but_the_sealed_ones(objects):
    # A superuser whose role grants nothing of its own (a teacher may see students).
    root = UserFactory(
        username="root", is_superuser=True, scope_all_schools=True, role=User.Role.REPORT_CLIENT
    )
    for perm, obj, _ in PERMISSIONS:
        sealed = perm in SEALED_PERMISSIONS
        assert root.has_perm(perm, objects[obj]) is not sealed, perm


# --- through HTTP ----------------------------------------------------------------------

# fmt: off
#                                             bur adm ofA prA teA coA ofB ins cli anon
PAGES = [
    ("drill-create", None,                   "200 200 200 200 403 403 200 403 403 302"),
    ("activity-create", None,                "200 200 200 200 200 403 200 403 403 302"),
    ("counselling-list", None,               "403 403 403 403 403 200 403 403 403 302"),
    ("inspection-create", None,              "200 200 200 200 403 403 200 403 403 302"),
    ("round-list", None,                     "200 200 403 403 403 403 403 403 403 302"),
    ("inspection-coverage", None,            "200 200 403 403 403 403 403 403 403 302"),
    # Seen by the inspected school's people and the report client (bureau-wide), filled by
    # the inspecting school; the inspector's department takes no part: not found.
    ("inspection-fill", "cross_b_on_a",      "200 200 403 403 403 403 200 404 403 302"),
    ("hazard-create", None,                  "200 200 200 200 200 200 200 403 403 302"),
    ("snapshot", None,                       "200 200 200 200 200 200 200 403 403 302"),
    ("hazard-supervise", "verifying_major",  "200 200 403 403 403 403 404 404 403 302"),
    ("remediation-create", None,             "200 200 403 403 403 403 403 403 403 302"),
    # Another person's export is not found unless one may download it.
    ("export-job", "job_a",                  "200 200 200 200 404 404 404 404 404 302"),
]

#                                                 bur adm ofA prA teA coA ofB ins cli anon
API = [
    ("post", "/api/v1/cross-inspection-rounds/", "400 400 403 403 403 403 403 403 403 401"),
    ("get", "/api/v1/inspections/coverage/",     "200 200 403 403 403 403 403 403 403 401"),
    # A read-only client's write is refused before its body is read.
    ("post", "/api/v1/hazards/",                 "400 400 400 400 400 400 400 400 403 401"),
]

# fmt: on


def statuses(grid):
    codes = [int(code) for code in grid.split()]
    return dict(zip(PERSONAS, codes, strict=True))


@pytest.mark.parametrize(("name", "obj", "grid"), PAGES, ids=[f"{n}({o})" for n, o, _ in PAGES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(request, client, objects, persona, name, obj, grid):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(name, args=[objects[obj].pk] if obj else [])
    assert client.get(url).status_code == statuses(grid)[persona]


@pytest.mark.parametrize(("method", "url", "grid"), API, ids=[f"{m} {u}" for m, u, _ in API])
@pytest.mark.parametrize("persona", PERSONAS)
def test_api(request, db, api_client, persona, method, url, grid):
    # ``db`` named here, not only through the persona fixture fetched below: pytest-django
    # creates the test database for (and orders) the tests that name it statically.
    if persona != "anonymous":
        api_client.force_authenticate(request.getfixturevalue(persona))
    assert (
        getattr(api_client, method)(url, {}, format="json").status_code == statuses(grid)[persona]
    )
