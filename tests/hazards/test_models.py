"""Derived facts on hazards: overdue (Asia/Shanghai calendar) and scoping."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hazards.models import Hazard
from tests.factories import HazardFactory

from .conftest import S

UTC = datetime.UTC
JUNE_9, JUNE_10 = datetime.date(2025, 6, 9), datetime.date(2025, 6, 10)


def hazard_due(deadline, status=S.RECTIFYING, **kwargs):
    if status == S.CLOSED:
        kwargs.setdefault("closed_at", timezone.now())
    return HazardFactory(deadline=deadline, status=status, **kwargs)


def overdue_ids(today=None):
    """Overdue on ``today`` (default: the clock's Beijing date, as a view or task asks it)."""
    return set(Hazard.objects.overdue(today or timezone.localdate()).values_list("pk", flat=True))


@pytest.mark.django_db
def test_deadline_yesterday_is_overdue_today_is_not():
    today = timezone.localdate()
    late = hazard_due(today - datetime.timedelta(days=1))
    due_today = hazard_due(today)
    assert late.is_overdue and not due_today.is_overdue
    assert overdue_ids() == {late.pk}


@pytest.mark.django_db
def test_overdue_follows_the_beijing_calendar():
    # 23:30 UTC on 9 June is 07:30 on 10 June in Beijing: 9 June has passed there.
    with time_machine.travel(datetime.datetime(2025, 6, 9, 23, 30, tzinfo=UTC), tick=False):
        due_9th, due_10th = hazard_due(JUNE_9), hazard_due(JUNE_10)
        assert timezone.localdate() == JUNE_10
        assert due_9th.is_overdue and not due_10th.is_overdue
        assert overdue_ids() == {due_9th.pk}


@pytest.mark.django_db
def test_not_overdue_before_beijing_midnight():
    # 15:30 UTC on 9 June is 23:30 on 9 June in Beijing: the deadline day is not over.
    with time_machine.travel(datetime.datetime(2025, 6, 9, 15, 30, tzinfo=UTC), tick=False):
        due_9th = hazard_due(JUNE_9)
        assert not due_9th.is_overdue
        assert overdue_ids() == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "overdue"),
    [
        (S.REPORTED, False),
        (S.RECTIFYING, True),
        (S.VERIFYING, True),
        (S.CLOSED, False),
        (S.DISMISSED, False),
    ],
)
def test_only_assigned_open_hazards_become_overdue(status, overdue):
    hazard = hazard_due(timezone.localdate() - datetime.timedelta(days=30), status=status)
    assert hazard.is_overdue is overdue
    assert (hazard.pk in overdue_ids()) is overdue
    assert (
        Hazard.objects.not_overdue(timezone.localdate()).filter(pk=hazard.pk).exists()
        is not overdue
    )


@pytest.mark.django_db
def test_queryset_and_property_agree_on_a_mixed_ledger():
    today = timezone.localdate()
    for days in (-3, -1, 0, 1):
        for status in S:
            hazard_due(today + datetime.timedelta(days=days), status=status)
    hazard_due(None)
    assert overdue_ids() == {h.pk for h in Hazard.objects.all() if h.is_overdue}
    assert len(overdue_ids()) == 4  # rectifying and verifying, 3 days and 1 day late


@pytest.mark.django_db
def test_overdue_takes_an_explicit_day():
    hazard = hazard_due(JUNE_9)
    assert set(Hazard.objects.overdue(today=JUNE_10)) == {hazard}
    assert not Hazard.objects.overdue(today=JUNE_9).exists()


def test_open_excludes_closed_and_dismissed(db):
    for status in S:
        hazard_due(None, status=status)
    assert set(Hazard.objects.open().values_list("status", flat=True)) == {
        S.REPORTED,
        S.RECTIFYING,
        S.VERIFYING,
    }


def statuses(queryset):
    return sorted(queryset.values_list("status", flat=True))


def test_the_ledger_states(db):
    for status in S:
        hazard_due(JUNE_9, status=status)
    assert statuses(Hazard.objects.assigned()) == [S.RECTIFYING, S.VERIFYING]
    assert statuses(Hazard.objects.awaiting_verification()) == [S.VERIFYING]
    assert statuses(Hazard.objects.closed()) == [S.CLOSED]
    assert statuses(Hazard.objects.found()) == sorted(
        [S.REPORTED, S.RECTIFYING, S.VERIFYING, S.CLOSED]
    )
    assert statuses(Hazard.objects.open().awaiting_verification().overdue(JUNE_10)) == [S.VERIFYING]


def test_due_between_takes_assigned_hazards_by_deadline_both_ends_included(db):
    first, inside, last = (hazard_due(datetime.date(2025, 6, d)) for d in (10, 11, 13))
    hazard_due(datetime.date(2025, 6, 14))
    hazard_due(datetime.date(2025, 6, 11), status=S.REPORTED)
    hazard_due(datetime.date(2025, 6, 11), status=S.CLOSED)
    assert set(Hazard.objects.due_between(JUNE_10, datetime.date(2025, 6, 13))) == {
        first,
        inside,
        last,
    }


def test_queue_counts_and_the_row_fact_agree_with_the_filters(db):
    for days in (-3, -1, 0, 1):
        for status in S:
            hazard_due(JUNE_10 + datetime.timedelta(days=days), status=status)
    hazard_due(None)
    hazards = Hazard.objects.all()
    assert hazards.queue_counts(JUNE_10) == {"open": hazards.open().count(), "overdue": 4}
    assert {h.pk for h in hazards if h.is_overdue_on(JUNE_10)} == overdue_ids(JUNE_10)
    assert overdue_ids(JUNE_10) | set(
        hazards.not_overdue(JUNE_10).values_list("pk", flat=True)
    ) == {h.pk for h in hazards}


# --- scoping ----------------------------------------------------------------------------


@pytest.fixture
def ledger(school_a, school_b):
    return {"a": HazardFactory(school=school_a), "b": HazardFactory(school=school_b)}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("bureau_staff", {"a", "b"}),
        ("bureau_admin", {"a", "b"}),
        ("report_client", {"a", "b"}),
        ("officer_a", {"a"}),
        ("teacher_a", {"a"}),
        ("officer_b", {"b"}),
    ],
)
def test_hazards_visible_to(request, ledger, persona, visible):
    user = request.getfixturevalue(persona)
    expected = {ledger[key].pk for key in visible}
    assert set(Hazard.objects.visible_to(user).values_list("pk", flat=True)) == expected


def test_anonymous_sees_no_hazards(ledger):
    assert not Hazard.objects.visible_to(AnonymousUser()).exists()


def test_user_without_schools_sees_no_hazards(ledger):
    from tests.factories import UserFactory

    assert not Hazard.objects.visible_to(UserFactory(role="school_officer")).exists()


def test_visible_to_chains_with_overdue(ledger, officer_a, school_b):
    late_b = hazard_due(timezone.localdate() - datetime.timedelta(days=1), school=school_b)
    today = timezone.localdate()
    assert late_b in Hazard.objects.overdue(today)
    assert not Hazard.objects.visible_to(officer_a).open().overdue(today).exists()
