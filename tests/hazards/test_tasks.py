"""Side effects of a transition: the notification is enqueued on commit only, runs the
task (eager in tests), mails the right person, and never mails twice."""

import pytest
from django.core import mail
from django.db import transaction

from hazards import services
from hazards.models import HazardEvent
from hazards.tasks import notify_hazard_event

from .conftest import S
from .test_services import perform


def test_nothing_is_sent_before_commit(
    make_hazard, officer_a, worker_a, django_capture_on_commit_callbacks
):
    hazard = make_hazard()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        perform("assign", hazard, officer_a, worker=worker_a)
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()  # what the commit would run
    assert [m.to for m in mail.outbox] == [[worker_a.email]]


def test_on_commit_the_responsible_person_is_mailed(
    make_hazard, officer_a, worker_a, django_capture_on_commit_callbacks
):
    hazard = make_hazard()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        perform("assign", hazard, officer_a, worker=worker_a)
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [worker_a.email]
    assert hazard.title in message.subject and "交办整改" in message.subject
    event = hazard.events.get(action="assign")
    assert event.notified_at is not None


@pytest.mark.parametrize(
    ("name", "status", "persona"),
    [
        ("assign", S.REPORTED, "officer_a"),
        ("dismiss", S.REPORTED, "officer_a"),
        ("submit_rectification", S.RECTIFYING, "officer_a"),
        ("reject_rectification", S.VERIFYING, "bureau_staff"),
        ("close", S.VERIFYING, "bureau_staff"),
    ],
)
def test_each_transition_enqueues_one_notification(
    request, make_hazard, worker_a, name, status, persona, django_capture_on_commit_callbacks
):
    hazard = make_hazard(status)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        perform(name, hazard, request.getfixturevalue(persona), worker=worker_a)
    assert len(callbacks) == 1


def test_notify_false_enqueues_nothing(
    make_hazard, officer_a, worker_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        perform("assign", make_hazard(), officer_a, worker=worker_a, notify=False)
    assert callbacks == [] and mail.outbox == []


def test_rolled_back_transition_sends_nothing(
    make_hazard, officer_a, worker_a, django_capture_on_commit_callbacks
):
    hazard = make_hazard()

    def assign_then_fail():
        with transaction.atomic():
            perform("assign", hazard, officer_a, worker=worker_a)
            raise RuntimeError("the caller's transaction fails after the service")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        assign_then_fail()
    assert callbacks == [] and mail.outbox == []
    hazard.refresh_from_db()
    assert hazard.status == S.REPORTED


def test_report_mails_the_school_managers_but_not_the_reporter(
    school_a, officer_a, principal_a, teacher_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_hazard(
            school_a, actor=officer_a, title="电线裸露", category="electrical", source="snapshot"
        )
    assert [m.to for m in mail.outbox] == [[principal_a.email]]


def test_task_is_idempotent(make_hazard, officer_a, worker_a):
    perform("assign", make_hazard(), officer_a, worker=worker_a, notify=False)
    event = HazardEvent.objects.get(action="assign")
    notify_hazard_event(event.pk)
    notify_hazard_event(event.pk)
    notify_hazard_event.delay(event.pk)
    assert len(mail.outbox) == 1


def test_task_for_a_vanished_event_does_nothing(db):
    notify_hazard_event(987654)
    assert mail.outbox == []
