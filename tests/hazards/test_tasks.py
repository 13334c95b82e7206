"""Side effects of a transition: the notification is enqueued on commit only, runs the
task (eager in tests), mails the right person, and never mails twice."""

import pytest
from django.core import mail
from django.db import transaction

from accounts.models import User
from hazards import services
from hazards.models import Hazard, HazardEvent
from hazards.tasks import notify_hazard_event
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory

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


def test_the_owning_departments_members_hear_of_its_finding(
    school_a, officer_a, django_capture_on_commit_callbacks
):
    """跨部门信息共享: a finding the fire brigade owns is told to its members (not another
    department's) when reported."""
    fire, police = DepartmentFactory(name="消防"), DepartmentFactory(name="派出所")
    firefighter = UserFactory(role=User.Role.INSPECTOR, department=fire)
    officer = UserFactory(role=User.Role.INSPECTOR, department=police)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_hazard(
            school_a,
            actor=officer_a,
            title="消防通道堵塞",
            category="fire",
            source="joint_inspection",
            department=fire,
        )
    assert Notification.objects.filter(recipient=firefighter).count() == 1
    assert not Notification.objects.filter(recipient=officer).exists()


def test_the_supervising_leader_follows_every_step(
    make_hazard, bureau_staff, setup_officer, worker_a, django_capture_on_commit_callbacks
):
    """挂牌督办: once named, the leader is told of the hazard's next step too."""
    hazard = make_hazard(S.REPORTED, level=Hazard.Level.MAJOR)
    leader = UserFactory(role=User.Role.BUREAU_STAFF, scope_all_schools=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_supervising_leader(hazard, actor=bureau_staff, leader=leader)
    assert Notification.objects.filter(recipient=leader).count() == 1  # named
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_hazard(
            hazard,
            actor=bureau_staff,
            responsible=worker_a,
            measures="封堵",
            funding_yuan=1000,
            contingency_plan="预案",
        )
    assert Notification.objects.filter(recipient=leader).count() == 2  # and the step
