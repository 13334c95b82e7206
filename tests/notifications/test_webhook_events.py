"""The domain events other than hazards' reach webhook subscriptions: ``drill.recorded``
(drills.services.record_drill), ``incident.reported`` (drills.services.report_incident,
without the names of the people involved) and ``inspection.published`` (the first
inspections.services.submit_inspection). One delivery row and one outbox row per wanting
subscription and event; a department's subscription gets none (no department owns them)."""

import datetime

import pytest

from drills import services as drills
from inspections import services as inspections
from inspections.checklist_data import NAME
from inspections.models import Checklist, Inspection
from notifications.models import OutboxMessage, WebhookDelivery, WebhookSubscription
from tests.factories import DepartmentFactory, InspectionFactory

pytestmark = pytest.mark.django_db
EVENTS = ["drill.recorded", "incident.reported", "inspection.published"]
T0 = datetime.datetime(2025, 5, 20, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Beijing


def subscribe(owner, event_types=EVENTS, **kwargs):
    return WebhookSubscription.objects.create(
        name=kwargs.pop("name", "市级平台"),
        url="https://receiver.example.com/hook",
        secret="s3cret-for-the-tests-only",
        owner=owner,
        event_types=event_types,
        **kwargs,
    )


@pytest.fixture
def subscription(bureau_admin):
    return subscribe(bureau_admin)


@pytest.fixture
def department_subscription(bureau_admin):
    return subscribe(bureau_admin, name="住建部门", department=DepartmentFactory())


def deliveries(subscription, event_type):
    return list(WebhookDelivery.objects.filter(subscription=subscription, event_type=event_type))


def queued(delivery):
    return OutboxMessage.objects.filter(
        task="notifications.tasks.deliver_webhook", args=[delivery.pk]
    ).count()


def test_recording_a_drill_emits_drill_recorded_once(
    subscription, department_subscription, school_a, officer_a
):
    drill = drills.record_drill(
        school_a, actor=officer_a, drill_type="fire", date=datetime.date(2025, 5, 12),
        evacuation_seconds=150, student_participants=600, staff_participants=40, now=T0,
    )  # fmt: skip
    [delivery] = deliveries(subscription, "drill.recorded")
    assert delivery.payload["type"] == "drill.recorded"
    assert delivery.payload["occurred_at"] == T0.isoformat()
    data = delivery.payload["data"]["drill"]
    assert (data["id"], data["school"], data["drill_type"], data["date"]) == (
        drill.pk, school_a.pk, "fire", "2025-05-12",
    )  # fmt: skip
    assert (data["evacuation_seconds"], data["student_participants"]) == (150, 600)
    assert queued(delivery) == 1
    assert deliveries(department_subscription, "drill.recorded") == []


def test_reporting_an_incident_emits_incident_reported_without_names(
    subscription, department_subscription, school_a, officer_a
):
    incident = drills.report_incident(
        school_a, actor=officer_a, occurred_at=T0, place="操场", kind="injury", level="4",
        summary="课间追逐摔倒，张小明手臂擦伤。", students_involved=2, injured=1,
        first_measures="校医为张小明包扎", people=[{"name": "张小明", "injury": "手臂擦伤"}],
        now=T0 + datetime.timedelta(hours=1),
    )  # fmt: skip
    [delivery] = deliveries(subscription, "incident.reported")
    data = delivery.payload["data"]["incident"]
    assert (data["id"], data["school"], data["kind"], data["level"]) == (
        incident.pk, school_a.pk, "injury", "4",
    )  # fmt: skip
    assert (data["students_involved"], data["injured"], data["deaths"]) == (2, 1, 0)
    assert data["occurred_at"] == T0.isoformat()
    assert "张小明" not in str(delivery.payload)
    assert queued(delivery) == 1
    assert deliveries(department_subscription, "incident.reported") == []


def test_submitting_an_inspection_publishes_it_once(
    subscription, department_subscription, school_a, officer_a
):
    checklist = Checklist.objects.get(name=NAME, version=1)
    inspection = InspectionFactory(
        kind=Inspection.Kind.SELF, school=school_a, checklist=checklist,
        date=datetime.date(2025, 5, 10),
    )  # fmt: skip
    answers = {i.code: ("pass", "") for i in inspections.applicable_items(inspection)}
    answers["H6"] = ("fail", "食堂灭火器过期")
    inspections.answer_items(inspection, actor=officer_a, answers=answers)
    inspections.submit_inspection(inspection, actor=officer_a, at=T0)
    inspections.submit_inspection(inspection, actor=officer_a, summary="补充说明", at=T0)
    [delivery] = deliveries(subscription, "inspection.published")
    data = delivery.payload["data"]["inspection"]
    finding = inspection.hazards.get()
    assert (data["id"], data["school"], data["kind"], data["status"]) == (
        inspection.pk, school_a.pk, "self", "submitted",
    )  # fmt: skip
    assert (data["date"], data["submitted_at"], data["findings"]) == (
        "2025-05-10", T0.isoformat(), [finding.pk],
    )  # fmt: skip
    assert queued(delivery) == 1
    assert deliveries(department_subscription, "inspection.published") == []


def test_a_subscription_gets_only_the_events_it_names(bureau_admin, school_a, officer_a):
    hazards_only = subscribe(bureau_admin, event_types=["hazard.reported"])
    drills.record_drill(
        school_a, actor=officer_a, drill_type="fire", date=datetime.date(2025, 5, 12)
    )
    assert not WebhookDelivery.objects.filter(subscription=hazards_only).exists()
