"""The idempotency key of a report (``client_id``) is unique per reporter (per school for
public 随手拍 without an account), not globally: a retry gives the first hazard back, and
nobody can block or probe another person's report by sending their key."""

import uuid

import pytest

from hazards import services
from hazards.models import Hazard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def report(school, actor, key):
    return services.report_hazard(
        school,
        actor=actor,
        title="灭火器过期",
        category="fire",
        source="patrol",
        client_id=key,
        notify=False,
    )


def public(school, key):
    return services.report_public_snapshot(
        school, title="楼梯扶手松动", category="facilities", client_id=key, notify=False
    )


def test_a_retry_by_the_same_reporter_gives_the_first_hazard(school_a, officer_a):
    key = uuid.uuid4()
    first = report(school_a, officer_a, key)
    with pytest.raises(services.AlreadyReported) as retry:
        report(school_a, officer_a, key)
    assert retry.value.hazard == first and Hazard.objects.count() == 1


def test_two_reporters_with_the_same_key_both_report(school_a, officer_a):
    key = uuid.uuid4()
    teacher = UserFactory(role="teacher", schools=[school_a])
    first, second = report(school_a, officer_a, key), report(school_a, teacher, key)
    assert first != second and Hazard.objects.count() == 2


def test_public_reports_are_unique_per_school(school_a, school_b, officer_a):
    key = uuid.uuid4()
    first = public(school_a, key)
    assert public(school_b, key) != first
    with pytest.raises(services.AlreadyReported):
        public(school_a, key)
    assert report(school_a, officer_a, key).reported_by == officer_a  # a staff key is its own
    assert Hazard.objects.count() == 3
