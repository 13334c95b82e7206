"""The 查改督销 workflow through hazards.services: who may do which transition for which
school, from which state, with which data; and that each one leaves exactly one event."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import DomainError, InvalidTransition, NotPermitted
from hazards import services
from hazards.models import TRANSITIONS, Hazard, HazardEvent

from .conftest import S

PERSONAS = (
    "bureau_staff",
    "bureau_admin",
    "officer_a",
    "principal_a",
    "teacher_a",
    "counsellor_a",
    "report_client",
    "officer_b",
)

# transition → personas allowed on a general hazard of school A (everyone else: NotPermitted).
ALLOWED = {
    "assign": {"bureau_staff", "bureau_admin", "officer_a", "principal_a"},
    "dismiss": {"bureau_staff", "bureau_admin", "officer_a", "principal_a"},
    "submit_rectification": {"officer_a", "principal_a"},
    "reject_rectification": {"bureau_staff", "bureau_admin", "principal_a"},
    "close": {"bureau_staff", "bureau_admin", "principal_a"},
}
SOURCE = {
    "assign": S.REPORTED,
    "dismiss": S.REPORTED,
    "submit_rectification": S.RECTIFYING,
    "reject_rectification": S.VERIFYING,
    "close": S.VERIFYING,
}
COMMENT = {
    "assign": "请总务处处理",
    "dismiss": "重复登记",
    "submit_rectification": "已更换",
    "reject_rectification": "照片看不清",
    "close": "验收合格",
}


def perform(name, hazard, actor, *, worker=None, photos=(), **extra):
    """Call the service for transition ``name`` with valid data."""
    comment = COMMENT[name]
    if name == "assign":
        return services.assign_hazard(
            hazard,
            actor=actor,
            responsible=worker,
            measures="更换灭火器",
            deadline=timezone.localdate() + datetime.timedelta(days=3),
            comment=comment,
            **extra,
        )
    if name == "submit_rectification":
        return services.submit_rectification(
            hazard, actor=actor, note=comment, photos=photos, **extra
        )
    if name == "reject_rectification":
        return services.reject_rectification(
            hazard, actor=actor, comment=comment, photos=photos, **extra
        )
    if name == "close":
        return services.close_hazard(hazard, actor=actor, comment=comment, photos=photos, **extra)
    return services.dismiss_hazard(hazard, actor=actor, reason=comment, **extra)


MATRIX = [
    (name, persona, persona in allowed) for name, allowed in ALLOWED.items() for persona in PERSONAS
]


def test_matrix_covers_every_transition():
    assert set(ALLOWED) == set(TRANSITIONS) == set(SOURCE)


@pytest.mark.parametrize(("name", "persona", "allowed"), MATRIX)
def test_transition_permission_matrix(request, make_hazard, worker_a, name, persona, allowed):
    actor = request.getfixturevalue(persona)
    hazard = make_hazard(SOURCE[name])
    events_before = hazard.events.count()
    assert services.can_transition(actor, hazard, name) is allowed

    if not allowed:
        with pytest.raises(NotPermitted):
            perform(name, hazard, actor, worker=worker_a, notify=False)
        hazard.refresh_from_db()
        assert hazard.status == SOURCE[name]
        assert hazard.events.count() == events_before
        return

    result = perform(name, hazard, actor, worker=worker_a, notify=False)
    hazard.refresh_from_db()
    assert result.status == hazard.status == TRANSITIONS[name].target
    assert hazard.events.count() == events_before + 1
    event = hazard.events.last()
    assert (event.action, event.actor, event.from_status, event.to_status, event.comment) == (
        name,
        actor,
        SOURCE[name],
        TRANSITIONS[name].target,
        COMMENT[name],
    )


def test_teacher_named_responsible_may_submit(make_hazard, teacher_a):
    hazard = make_hazard(S.RECTIFYING, responsible=teacher_a)
    assert services.can_transition(teacher_a, hazard, "submit_rectification")
    services.submit_rectification(hazard, actor=teacher_a, note="已更换", notify=False)
    hazard.refresh_from_db()
    assert (hazard.status, hazard.submitted_by) == (S.VERIFYING, teacher_a)


@pytest.mark.parametrize("name", ["close", "reject_rectification"])
def test_principal_cannot_verify_major_hazard(make_hazard, principal_a, name):
    hazard = make_hazard(S.VERIFYING, level=Hazard.Level.MAJOR)
    with pytest.raises(NotPermitted):
        perform(name, hazard, principal_a, notify=False)
    hazard.refresh_from_db()
    assert hazard.status == S.VERIFYING


WRONG_STATES = [
    (name, status)
    for name, spec in TRANSITIONS.items()
    for status in S
    if status not in spec.sources
]


@pytest.mark.parametrize(("name", "status"), WRONG_STATES)
def test_transition_from_wrong_state_is_refused(
    make_hazard, bureau_staff, officer_a, worker_a, name, status
):
    # An actor the role and school allow, so only the state refuses.
    actor = officer_a if name == "submit_rectification" else bureau_staff
    hazard = make_hazard(status)
    events_before = hazard.events.count()
    assert not services.can_transition(actor, hazard, name)
    with pytest.raises(InvalidTransition):
        perform(name, hazard, actor, worker=worker_a, notify=False)
    hazard.refresh_from_db()
    assert hazard.status == status
    assert hazard.events.count() == events_before


def test_stale_object_is_rechecked_under_lock(make_hazard, bureau_staff, bureau_admin):
    """Two verifiers on the same page: the second close sees the fresh state."""
    hazard = make_hazard(S.VERIFYING)
    stale = Hazard.objects.get(pk=hazard.pk)
    services.close_hazard(hazard, actor=bureau_staff, notify=False)
    with pytest.raises(InvalidTransition):
        services.close_hazard(stale, actor=bureau_admin, notify=False)
    assert hazard.events.filter(action="close").count() == 1


# --- separation of duties -------------------------------------------------------------


@pytest.mark.parametrize("name", ["close", "reject_rectification"])
def test_principal_who_submitted_cannot_verify(make_hazard, principal_a, name):
    hazard = make_hazard(S.VERIFYING, submitter=principal_a)
    assert not services.can_transition(principal_a, hazard, name)
    with pytest.raises(NotPermitted):
        perform(name, hazard, principal_a, notify=False)
    hazard.refresh_from_db()
    assert hazard.status == S.VERIFYING
    assert not hazard.events.filter(action=name).exists()


@pytest.mark.parametrize("persona", ["bureau_staff", "report_client", "officer_b"])
def test_only_the_schools_own_staff_can_be_responsible(make_hazard, officer_a, persona, request):
    """Bureau-wide users, read-only clients and other schools' staff cannot own a fix, so a
    bureau verifier can never be the submitter of what they verify."""
    hazard = make_hazard(S.REPORTED)
    with pytest.raises(DomainError) as excinfo:
        assign(hazard, officer_a, responsible=request.getfixturevalue(persona))
    assert set(excinfo.value.field_errors) == {"responsible"}
    hazard.refresh_from_db()
    assert hazard.status == S.REPORTED


# --- assignment data (五落实) and required comments ---------------------------------


def assign(hazard, actor, **kwargs):
    data = dict(
        responsible=kwargs.pop("responsible", None),
        measures="更换灭火器",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        notify=False,
    )
    data.update(kwargs)
    return services.assign_hazard(hazard, actor=actor, **data)


def assert_refused_with(excinfo, *fields):
    assert set(fields) <= set(excinfo.value.field_errors)


# Events a hazard from make_hazard(status) has: report, then one per transition.
EVENTS_AT = {S.REPORTED: 1, S.RECTIFYING: 2, S.VERIFYING: 3, S.CLOSED: 4, S.DISMISSED: 2}


def assert_unchanged(hazard, status=S.REPORTED):
    """The refused call left the state and the timeline as make_hazard built them."""
    hazard.refresh_from_db()
    assert hazard.status == status
    assert hazard.events.count() == EVENTS_AT[status]


def test_major_hazard_needs_funding_and_contingency_plan(make_hazard, officer_a, worker_a):
    hazard = make_hazard(level=Hazard.Level.MAJOR)
    with pytest.raises(DomainError) as excinfo:
        assign(hazard, officer_a, responsible=worker_a)
    assert_refused_with(excinfo, "funding_yuan", "contingency_plan")
    assert_unchanged(hazard)

    assign(
        hazard,
        officer_a,
        responsible=worker_a,
        funding_yuan=Decimal("250000.00"),
        contingency_plan="封闭该区域，安排专人值守",
    )
    hazard.refresh_from_db()
    assert (hazard.status, hazard.funding_yuan) == (S.RECTIFYING, Decimal("250000.00"))


@pytest.mark.parametrize("missing", ["funding_yuan", "contingency_plan"])
def test_major_hazard_each_implementation_is_checked(make_hazard, officer_a, worker_a, missing):
    hazard = make_hazard(level=Hazard.Level.MAJOR)
    data = {"funding_yuan": Decimal("1"), "contingency_plan": "预案"}
    data[missing] = None if missing == "funding_yuan" else "  "
    with pytest.raises(DomainError) as excinfo:
        assign(hazard, officer_a, responsible=worker_a, **data)
    assert set(excinfo.value.field_errors) == {missing}
    assert_unchanged(hazard)


def test_general_hazard_needs_no_funding(make_hazard, officer_a, worker_a):
    hazard = assign(make_hazard(), officer_a, responsible=worker_a)
    assert hazard.status == S.RECTIFYING


def test_responsible_outside_the_school_is_refused(make_hazard, officer_a, officer_b):
    hazard = make_hazard()
    with pytest.raises(DomainError) as excinfo:
        assign(hazard, officer_a, responsible=officer_b)
    assert_refused_with(excinfo, "responsible")
    assert_unchanged(hazard)


def test_missing_responsible_and_measures_are_refused(make_hazard, officer_a):
    hazard = make_hazard()
    with pytest.raises(DomainError) as excinfo:
        assign(hazard, officer_a, responsible=None, measures=" ")
    assert_refused_with(excinfo, "responsible", "measures")
    assert_unchanged(hazard)


def test_deadline_in_the_past_is_refused(make_hazard, officer_a, worker_a):
    hazard = make_hazard()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(DomainError) as excinfo:
        assign(hazard, officer_a, responsible=worker_a, deadline=yesterday)
    assert_refused_with(excinfo, "deadline")
    assert_unchanged(hazard)


def test_deadline_today_is_accepted(make_hazard, officer_a, worker_a):
    hazard = assign(make_hazard(), officer_a, responsible=worker_a, deadline=timezone.localdate())
    assert hazard.deadline == timezone.localdate()


def test_default_deadline_follows_level(make_hazard, officer_a, worker_a, settings):
    hazard = assign(make_hazard(), officer_a, responsible=worker_a, deadline=None)
    days = settings.HAZARD_DEFAULT_DEADLINE_DAYS["general"]
    assert hazard.deadline == timezone.localdate() + datetime.timedelta(days=days)


def test_negative_funding_is_refused(make_hazard, officer_a, worker_a):
    hazard = make_hazard(level=Hazard.Level.MAJOR)
    with pytest.raises(DomainError) as excinfo:
        assign(
            hazard,
            officer_a,
            responsible=worker_a,
            funding_yuan=Decimal("-1"),
            contingency_plan="预案",
        )
    assert_refused_with(excinfo, "funding_yuan")
    assert_unchanged(hazard)


@pytest.mark.parametrize("blank", ["", "   \n"])
def test_reject_requires_a_comment(make_hazard, bureau_staff, blank):
    hazard = make_hazard(S.VERIFYING)
    with pytest.raises(DomainError) as excinfo:
        services.reject_rectification(hazard, actor=bureau_staff, comment=blank, notify=False)
    assert_refused_with(excinfo, "comment")
    assert_unchanged(hazard, S.VERIFYING)


@pytest.mark.parametrize("blank", ["", "   \n"])
def test_dismiss_requires_a_reason(make_hazard, bureau_staff, blank):
    hazard = make_hazard()
    with pytest.raises(DomainError):
        services.dismiss_hazard(hazard, actor=bureau_staff, reason=blank, notify=False)
    assert_unchanged(hazard)


def test_submit_requires_a_note(make_hazard, officer_a):
    hazard = make_hazard(S.RECTIFYING)
    with pytest.raises(DomainError) as excinfo:
        services.submit_rectification(hazard, actor=officer_a, note=" ", notify=False)
    assert_refused_with(excinfo, "note")
    assert_unchanged(hazard, S.RECTIFYING)


# --- what each transition writes -------------------------------------------------------


def test_fields_written_by_the_workflow(
    make_hazard, officer_a, principal_a, bureau_staff, worker_a
):
    hazard = make_hazard()
    assign(hazard, officer_a, responsible=worker_a)
    services.submit_rectification(hazard, actor=principal_a, note="已更换 6 具", notify=False)
    closed = services.close_hazard(hazard, actor=bureau_staff, notify=False)
    closed.refresh_from_db()
    assert (closed.responsible, closed.submitted_by, closed.rectification_note) == (
        worker_a,
        principal_a,
        "已更换 6 具",
    )
    assert closed.closed_by == bureau_staff and closed.closed_at is not None
    assert [e.action for e in closed.events.all()] == [
        "report",
        "assign",
        "submit_rectification",
        "close",
    ]


def test_dismiss_keeps_the_reason(make_hazard, officer_a):
    hazard = services.dismiss_hazard(make_hazard(), actor=officer_a, reason="非隐患", notify=False)
    hazard.refresh_from_db()
    assert (hazard.status, hazard.dismiss_reason) == (S.DISMISSED, "非隐患")


def test_report_writes_one_event(school_a, teacher_a, photo):
    hazard = services.report_hazard(
        school_a,
        actor=teacher_a,
        title="楼梯扶手松动",
        category="building",
        source="snapshot",
        photos=[photo()],
        notify=False,
    )
    event = hazard.events.get()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "report",
        teacher_a,
        "",
        S.REPORTED,
    )
    assert list(event.photos.all()) == list(hazard.photos.all())
    assert hazard.photos.count() == 1


@pytest.mark.parametrize("persona", ["report_client", "officer_b"])
def test_report_refused_outside_scope_or_for_readers(request, school_a, persona):
    with pytest.raises(NotPermitted):
        services.report_hazard(
            school_a,
            actor=request.getfixturevalue(persona),
            title="x",
            category="fire",
            source="snapshot",
            notify=False,
        )
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(
    ("name", "status", "persona"),
    [
        ("submit_rectification", S.RECTIFYING, "officer_a"),
        ("reject_rectification", S.VERIFYING, "bureau_staff"),
        ("close", S.VERIFYING, "bureau_staff"),
    ],
)
def test_photos_are_attached_to_the_event(request, make_hazard, photo, name, status, persona):
    actor = request.getfixturevalue(persona)
    hazard = make_hazard(status)
    perform(name, hazard, actor, photos=[photo("a.jpg"), photo("b.png")], notify=False)
    event = hazard.events.last()
    photos = list(event.photos.order_by("original_name"))
    assert [p.original_name for p in photos] == ["a.jpg", "b.png"]
    assert all(p.hazard_id == hazard.pk and p.uploaded_by == actor for p in photos)
    # Stored under a generated name, never the uploader's.
    assert all(p.image.name.endswith(f"{p.uuid}.jpg") for p in photos)


def test_bad_photo_refuses_the_whole_transition(make_hazard, officer_a):
    from .conftest import upload

    hazard = make_hazard(S.RECTIFYING)
    with pytest.raises(DomainError):
        services.submit_rectification(
            hazard,
            actor=officer_a,
            note="已更换",
            photos=[upload(b"<svg/>", "x.jpg")],
            notify=False,
        )
    assert_unchanged(hazard, S.RECTIFYING)
    assert not HazardEvent.objects.filter(action="submit_rectification").exists()


# --- permission before input; rules on the locked row ---------------------------------


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("teacher_a", "reject_rectification", S.VERIFYING),
        ("report_client", "dismiss", S.REPORTED),
        ("officer_b", "assign", S.REPORTED),
        ("counsellor_a", "submit_rectification", S.RECTIFYING),
    ],
)
def test_refused_actor_gets_not_permitted_even_with_bad_data(
    request, make_hazard, persona, name, status
):
    actor = request.getfixturevalue(persona)
    hazard = make_hazard(status)
    calls = {
        "reject_rectification": lambda: services.reject_rectification(
            hazard, actor=actor, comment=""
        ),
        "dismiss": lambda: services.dismiss_hazard(hazard, actor=actor, reason=""),
        "assign": lambda: services.assign_hazard(
            hazard, actor=actor, responsible=actor, measures=""
        ),
        "submit_rectification": lambda: services.submit_rectification(hazard, actor=actor, note=""),
    }
    with pytest.raises(NotPermitted):
        calls[name]()


def test_assignment_rules_are_checked_on_the_locked_row(make_hazard, officer_a, worker_a):
    hazard = make_hazard()  # general, as the officer's page loaded it
    Hazard.objects.filter(pk=hazard.pk).update(level=Hazard.Level.MAJOR)  # triage meanwhile
    with pytest.raises(DomainError):
        assign(hazard, officer_a, responsible=worker_a)
