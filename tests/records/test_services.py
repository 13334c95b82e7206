"""Units of the record services: who may record, dates, counselling shapes."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import DomainError, NotPermitted
from drills.services import record_drill
from education.services import record_activity, record_counselling

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.mark.parametrize("persona", ["officer_a", "principal_a", "bureau_staff", "bureau_admin"])
def test_drill_recorders(request, persona, school_a):
    actor = request.getfixturevalue(persona)
    drill = record_drill(
        school_a, actor=actor, drill_type="fire", date=today(), student_participants=10
    )
    assert (drill.recorded_by, drill.student_participants, drill.staff_participants) == (
        actor,
        10,
        0,
    )


@pytest.mark.parametrize("persona", ["teacher_a", "counsellor_a", "officer_b", "report_client"])
def test_drill_non_recorders(request, persona, school_a):
    with pytest.raises(NotPermitted):
        record_drill(
            school_a, actor=request.getfixturevalue(persona), drill_type="fire", date=today()
        )


def test_drill_in_the_future_is_refused(officer_a, school_a):
    with pytest.raises(DomainError) as exc:
        record_drill(
            school_a, actor=officer_a, drill_type="fire", date=today() + datetime.timedelta(days=1)
        )
    assert "date" in exc.value.field_errors


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("teacher_a", True),
        ("officer_a", True),
        ("principal_a", True),
        ("bureau_staff", True),
        ("counsellor_a", False),
        ("officer_b", False),
        ("report_client", False),
    ],
)
def test_activity_recorders(request, persona, allowed, school_a):
    actor = request.getfixturevalue(persona)
    if not allowed:
        with pytest.raises(NotPermitted):
            record_activity(school_a, actor=actor, kind="class_meeting", title="班会", date=today())
        return
    activity = record_activity(
        school_a, actor=actor, kind="class_meeting", title="班会", date=today()
    )
    assert activity.recorded_by == actor


@pytest.mark.parametrize("persona", ["bureau_staff", "officer_a", "principal_a", "teacher_a"])
def test_only_counsellors_record_counselling(request, persona, school_a):
    with pytest.raises(NotPermitted):
        record_counselling(
            school_a,
            actor=request.getfixturevalue(persona),
            kind="individual",
            date=today(),
            student_code="S-1",
        )


def test_counsellor_of_another_school_is_refused(counsellor_a, school_b):
    with pytest.raises(NotPermitted):
        record_counselling(
            school_b, actor=counsellor_a, kind="individual", date=today(), student_code="S-1"
        )


def test_counselling_shapes(counsellor_a, school_a):
    individual = record_counselling(
        school_a, actor=counsellor_a, kind="individual", date=today(), student_code="  S-9 "
    )
    group = record_counselling(
        school_a, actor=counsellor_a, kind="group", date=today(), student_code="S-9", participants=8
    )
    assert (individual.student_code, individual.participants, individual.counsellor) == (
        "S-9",
        1,
        counsellor_a,
    )
    assert (group.student_code, group.participants) == ("", 8)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "individual", "student_code": " "}, "student_code"),
        ({"kind": "individual", "student_code": "S-1", "participants": 2}, "participants"),
        ({"kind": "group", "participants": 1}, "participants"),
        ({"kind": "group", "participants": None}, "participants"),
    ],
)
def test_counselling_bad_shapes(counsellor_a, school_a, kwargs, field):
    with pytest.raises(DomainError) as exc:
        record_counselling(school_a, actor=counsellor_a, date=today(), **kwargs)
    assert field in exc.value.field_errors
