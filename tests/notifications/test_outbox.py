"""The transactional outbox (notifications.outbox): a row per piece of work written in the
caller's transaction, relayed once (a conditional UPDATE claims it), its lag visible to the
bureau in the admin and through ``outbox_lag`` for the health check."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hazards import services as hazard_services
from notifications import outbox, tasks
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
M = OutboxMessage.Status
T0 = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)


def report(school, actor):
    return hazard_services.report_hazard(
        school, actor=actor, title="电线裸露", category="electrical", source="patrol"
    )


def test_a_report_writes_its_notification_row_in_its_transaction(
    school_a, officer_a, principal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hazard = report(school_a, officer_a)
    row = OutboxMessage.objects.get()
    event = hazard.events.get()
    assert (row.task, row.args, row.status) == (
        "hazards.tasks.notify_hazard_event",
        [event.pk],
        M.PENDING,
    )
    assert mail.outbox == []
    callbacks[0]()  # the commit: relayed (eagerly run in tests), then recorded as sent
    row.refresh_from_db()
    assert (row.status, row.attempts) == (M.SENT, 1) and row.sent_at is not None
    assert [m.to for m in mail.outbox] == [[principal_a.email]]


def test_a_rolled_back_change_leaves_no_row(school_a, officer_a):
    def report_then_fail():
        with transaction.atomic():
            report(school_a, officer_a)
            raise RuntimeError("the caller fails after the service")

    with pytest.raises(RuntimeError):
        report_then_fail()
    assert not OutboxMessage.objects.exists()


def test_an_unknown_task_name_is_refused_at_once(db):
    with pytest.raises(ValueError, match="no Celery task"):
        outbox.enqueue("hazards.tasks.no_such_task", 1)
    assert not OutboxMessage.objects.exists()


def test_a_row_is_relayed_once_however_often_the_relays_run(
    school_a, officer_a, principal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report(school_a, officer_a)
    row = OutboxMessage.objects.get()
    assert outbox.relay(row.pk, timezone.now()) is True
    callbacks[0]()  # the commit's own relay comes second: the row is no longer pending
    assert outbox.relay(row.pk, timezone.now()) is False
    assert tasks.relay_outbox.delay().get() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (M.SENT, 1)
    assert len(mail.outbox) == 1


def test_a_claim_whose_relay_died_is_taken_again_after_the_lease(
    settings, school_a, officer_a, principal_a, django_capture_on_commit_callbacks
):
    settings.OUTBOX_RELAY_LEASE_SECONDS = 120
    with time_machine.travel(T0, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            report(school_a, officer_a)
        row = OutboxMessage.objects.get()
        assert outbox.claim(row.pk, timezone.now()) is not None  # then the relay dies
    with time_machine.travel(T0 + datetime.timedelta(seconds=60), tick=False):
        assert tasks.relay_outbox.delay().get() == 0  # still claimed
    with time_machine.travel(T0 + datetime.timedelta(seconds=121), tick=False):
        assert tasks.relay_outbox.delay().get() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (M.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_row_naming_a_vanished_task_is_failed_not_retried(db):
    row = OutboxMessage.objects.create(task="gone.tasks.old", args=[1])
    assert outbox.relay_pending(timezone.now()) == 0
    row.refresh_from_db()
    assert row.status == M.FAILED and "gone.tasks.old" in row.error
    assert outbox.outbox_lag(timezone.now()) == (0, 0.0)


def test_outbox_lag_counts_the_waiting_rows_and_the_oldest_age(db):
    assert outbox.outbox_lag(T0) == (0, 0.0)
    OutboxMessage.objects.create(task="t", created_at=T0)
    OutboxMessage.objects.create(task="t", created_at=T0 + datetime.timedelta(seconds=30))
    OutboxMessage.objects.create(
        task="t", status=M.RELAYING, created_at=T0 + datetime.timedelta(seconds=50)
    )
    OutboxMessage.objects.create(task="t", status=M.SENT, created_at=T0 - datetime.timedelta(1))
    assert outbox.outbox_lag(T0 + datetime.timedelta(seconds=90)) == (3, 90.0)


def test_sent_rows_are_purged_after_the_retention_days(settings, db):
    settings.OUTBOX_RETENTION_DAYS = 7
    old = OutboxMessage.objects.create(task="t", status=M.SENT, sent_at=T0)
    recent = OutboxMessage.objects.create(
        task="t", status=M.SENT, sent_at=T0 + datetime.timedelta(days=2)
    )
    waiting = OutboxMessage.objects.create(task="t", created_at=T0 - datetime.timedelta(days=30))
    assert outbox.purge_sent(T0 + datetime.timedelta(days=8)) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_the_bureau_sees_the_backlog_with_its_age_in_the_admin(admin_as, bureau_admin):
    with time_machine.travel(T0, tick=False):
        OutboxMessage.objects.create(task="hazards.tasks.make_photo_thumbnail", args=[7])
    with time_machine.travel(T0 + datetime.timedelta(seconds=150), tick=False):
        page = admin_as(bureau_admin, "all").get(
            reverse("admin:notifications_outboxmessage_changelist")
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert "待转发任务：1条等待，最久150秒" in text
    assert "hazards.tasks.make_photo_thumbnail" in text and "2分30秒" in text


def test_a_school_user_sees_no_outbox_rows(admin_as, officer_a):
    OutboxMessage.objects.create(task="hazards.tasks.make_photo_thumbnail", args=[7])
    page = admin_as(officer_a, "notifications.view_outboxmessage").get(
        reverse("admin:notifications_outboxmessage_changelist")
    )
    assert page.status_code == 200
    assert "make_photo_thumbnail" not in page.content.decode()


def test_the_admin_relays_the_chosen_rows_now(
    admin_as, bureau_admin, school_a, officer_a, principal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report(school_a, officer_a)
    row = OutboxMessage.objects.get()
    response = admin_as(bureau_admin, "all").post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "relay_now", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "已转发1条任务。" in response.content.decode()
    row.refresh_from_db()
    assert row.status == M.SENT and len(mail.outbox) == 1
