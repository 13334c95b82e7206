"""The notification service: what ``notify`` writes, exactly once; how ``deliver`` records
outcomes; the sweep after a killed worker; the hazard workflow going through it."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from hazards import services as hazard_services
from notifications import services, tasks
from notifications.models import Delivery, Kind, Notification, NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Delivery.Status


def tell(users, school=None, subject="hazards.hazard:1", period="2025-06-10", **kwargs):
    return services.notify(
        users,
        kind=Kind.OVERDUE,
        subject=subject,
        period=period,
        title="逾期",
        body="请督促整改",
        url="/hazards/1/",
        school=school,
        **kwargs,
    )


def targets():
    return sorted((d.channel, str(d.recipient or d.endpoint)) for d in Delivery.objects.all())


def test_notify_writes_the_inbox_row_an_email_and_one_robot_message(
    school_a, school_robot, principal_a, officer_a
):
    result = tell([principal_a, officer_a], school=school_a, queue=False)
    assert len(result.notifications) == 2
    assert targets() == sorted(
        [("email", str(principal_a)), ("email", str(officer_a)), ("webhook", "甲学校安全群")]
    )  # the group hears it once


def test_notify_twice_writes_nothing_more(school_a, school_robot, principal_a):
    tell([principal_a], school=school_a)
    again = tell([principal_a], school=school_a)
    assert again.notifications == [] and again.delivery_ids == []
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 2


def test_another_period_is_another_notification(principal_a):
    tell([principal_a], period="a")
    tell([principal_a], period="b")
    assert Notification.objects.count() == 2


def test_channel_choices_and_scope(
    school_a, school_b, school_robot, bureau_robot, principal_a, bureau_staff, officer_b
):
    NotificationPreference.objects.create(user=principal_a, email=False, webhook=True)
    NotificationPreference.objects.create(user=bureau_staff, email=True, webhook=False)
    no_mail = UserFactory(username="no_mail", email="", schools=[school_a])
    inactive = UserFactory(username="gone", is_active=False, schools=[school_a])
    tell([principal_a, bureau_staff, officer_b, no_mail, inactive], school=school_a, queue=False)
    assert Notification.objects.count() == 4  # the inbox is always on; not for inactive users
    assert targets() == sorted(
        [("email", str(bureau_staff)), ("email", str(officer_b)), ("webhook", "甲学校安全群")]
    )  # officer_b: not school A's group


def test_bureau_users_go_to_the_bureau_robot(bureau_robot, school_robot, bureau_staff, school_a):
    tell([bureau_staff], school=school_a, queue=False)
    assert ("webhook", "教体局安全群") in targets() and ("webhook", "甲学校安全群") not in targets()


def test_new_sends_are_enqueued_on_commit_only(principal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell([principal_a])
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[principal_a.email]]
    assert Delivery.objects.get().status == D.SENT


def test_deliver_sends_once_and_records_the_outcome(principal_a):
    [delivery_id] = tell([principal_a], queue=False).delivery_ids
    services.deliver(delivery_id)
    services.deliver(delivery_id)
    tasks.send_delivery.delay(delivery_id)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.error) == (D.SENT, 1, "")
    assert delivery.sent_at is not None and len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【校园安全】逾期" and "/hazards/1/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("status", "reply", "final", "attempts", "posts"),
    [
        (404, {}, D.FAILED, 1, 1),  # permanent: no retry
        (200, {"errcode": 93000, "errmsg": "invalid key"}, D.FAILED, 1, 1),
        (200, {"errcode": 45009, "errmsg": "too fast"}, D.FAILED, 3, 3),  # rate limit: retried
        (503, {}, D.FAILED, 3, 3),
    ],
)
def test_robot_errors_are_recorded(
    settings, receiver, school_robot, school_a, principal_a, status, reply, final, attempts, posts
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    NotificationPreference.objects.create(user=principal_a, email=False)
    receiver.replies["/wecom/a"] = [(status, reply)]
    [delivery_id] = tell([principal_a], school=school_a, queue=False).delivery_ids
    tasks.send_delivery.delay(delivery_id)  # eager: retries run at once
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (final, attempts)
    assert delivery.error and len(receiver.posts) == posts


def test_a_robot_that_recovers_is_sent_on_the_retry(receiver, school_robot, school_a, principal_a):
    NotificationPreference.objects.create(user=principal_a, email=False)
    receiver.replies["/wecom/a"] = [(502, {}), (200, {"errcode": 0})]
    [delivery_id] = tell([principal_a], school=school_a, queue=False).delivery_ids
    tasks.send_delivery.delay(delivery_id)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.error) == (D.SENT, 2, "")


def test_a_send_interrupted_by_a_killed_worker_is_marked_failed_not_sent_again(principal_a):
    ids = (
        tell([principal_a], queue=False).delivery_ids
        + tell([principal_a], period="x", queue=False).delivery_ids
    )
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    # The first was claimed by a worker that died; the second is being sent right now.
    Delivery.objects.filter(pk=ids[0]).update(status=D.SENDING, claimed_at=long_ago, attempts=1)
    Delivery.objects.filter(pk=ids[1]).update(
        status=D.SENDING, claimed_at=timezone.now(), attempts=1
    )
    tasks.resend_unfinished.delay()
    tasks.resend_unfinished.delay()
    first, second = Delivery.objects.get(pk=ids[0]), Delivery.objects.get(pk=ids[1])
    assert (first.status, first.attempts) == (D.FAILED, 1)
    assert first.error  # says it may have been delivered
    assert (second.status, second.attempts) == (D.SENDING, 1)
    assert len(mail.outbox) == 0


def test_the_sweep_picks_up_a_send_whose_task_was_lost(principal_a):
    [delivery_id] = tell([principal_a], queue=False).delivery_ids
    assert services.unfinished_deliveries() == []
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert services.unfinished_deliveries(later) == [delivery_id]


def test_webhook_endpoints_of_another_school_are_not_used(school_robot, officer_b, school_a):
    tell([officer_b], school=school_a, queue=False)
    assert not Delivery.objects.filter(endpoint__isnull=False).exists()


def test_mark_read(principal_a, officer_a):
    [note] = tell([principal_a]).notifications
    with pytest.raises(Notification.DoesNotExist):
        services.mark_read(note, actor=officer_a)
    services.mark_read(note, actor=principal_a)
    assert Notification.objects.get().read_at is not None
    tell([principal_a], period="2")
    assert services.mark_all_read(actor=principal_a) == 1


# --- the hazard workflow goes through the service --------------------------------------


def test_a_hazard_transition_lands_in_the_inbox_and_on_the_school_robot(
    school_a, officer_a, teacher_a, receiver, school_robot, django_capture_on_commit_callbacks
):
    hazard = hazard_services.report_hazard(
        school_a,
        actor=officer_a,
        title="电线裸露",
        category="electrical",
        source="snapshot",
        notify=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        hazard_services.assign_hazard(
            hazard,
            actor=officer_a,
            responsible=teacher_a,
            measures="更换",
            deadline=timezone.localdate() + datetime.timedelta(days=3),
        )
    note = Notification.objects.get(recipient=teacher_a)
    assert (
        note.kind == Kind.HAZARD_EVENT
        and "电线裸露" in note.title
        and note.url == f"/hazards/{hazard.pk}/"
    )
    assert [m.to for m in mail.outbox] == [[teacher_a.email]]
    assert "电线裸露" in receiver.bodies("/wecom/a")[0]["markdown"]["content"]
