"""A transition is its own SQL and no more: lock the row, update it, its history row, the
event, the outbox row and the webhook subscriptions (plus the responsible person's check on
assign), however long the hazard's history already is."""

import datetime

import pytest
from django.utils import timezone

from hazards import services
from hazards.models import Hazard

pytestmark = pytest.mark.django_db
S = Hazard.Status


def _walk(hazard, officer, worker, principal, django_assert_num_queries, counts):
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    with django_assert_num_queries(counts["assign"]):
        services.assign_hazard(
            hazard, actor=officer, responsible=worker, measures="更换", deadline=deadline
        )
    with django_assert_num_queries(counts["submit"]):
        services.submit_rectification(hazard, actor=officer, note="已更换")
    with django_assert_num_queries(counts["close"]):
        services.close_hazard(hazard, actor=principal)


@pytest.mark.parametrize("earlier_rounds", [0, 3])
def test_transitions_run_a_constant_handful_of_statements(
    make_hazard, setup_officer, worker_a, principal_a, django_assert_num_queries, earlier_rounds
):
    hazard = make_hazard(S.VERIFYING)
    for _ in range(earlier_rounds):  # a longer history must not cost more
        services.reject_rectification(hazard, actor=principal_a, comment="不合格", notify=False)
        services.submit_rectification(hazard, actor=setup_officer, note="再改", notify=False)
    fresh = make_hazard(S.REPORTED)
    principal_a.school_ids()  # the actor's scope is read once per request, not per step
    # savepoint, lock, [responsible check], update, history, event, outbox, webhooks, release
    counts = {"assign": 9, "submit": 8, "close": 8}
    _walk(fresh, setup_officer, worker_a, principal_a, django_assert_num_queries, counts)
    with django_assert_num_queries(counts["close"]):
        services.close_hazard(hazard, actor=principal_a)
