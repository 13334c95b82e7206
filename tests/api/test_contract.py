"""The contract, checked by schemathesis against the live schema: every operation of
``/api/schema/`` is called in-process (the WSGI application) with generated requests, as a
bureau user and as a school officer, each with a real token; no response may be a server
error, and every one must conform to the schema (status code documented, content type,
body valid against the documented component).

Deterministic (``derandomize``) and bounded (a few examples per operation) so it runs in CI
in about a minute. Path ids are drawn from the objects made below (and one that does not
exist), so detail pages and transitions meet real rows in every state, not only 404s.
Webhook deliveries, notifications and exports are queued with ``transaction.on_commit``,
which never fires inside the test's transaction: nothing leaves the process.
"""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from campussafety.wsgi import application
from drills.models import PlannedDrill
from hazards.models import Hazard, RemediationProject
from notifications.models import Kind, WebhookSubscription
from notifications.services import notify
from reports.models import ExportJob
from tests.factories import DrillFactory, InspectionFactory

from .conftest import assign, report

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 5
MISSING_ID = 999_999_999


@pytest.fixture
def objects(school_a, officer_a, bureau_staff, bureau_admin, teacher_a):
    """A row of each resource at school A, hazards in several states; returns their ids."""
    reported = report(school_a, officer_a)
    rectifying = assign(report(school_a, officer_a), officer_a, teacher_a)
    major = report(school_a, officer_a, level=Hazard.Level.MAJOR)
    project = RemediationProject.objects.create(
        name="校舍加固", category=RemediationProject.Category.values[0], budget_yuan=80000
    )
    project.schools.set([school_a])
    notify(
        [officer_a, bureau_admin],
        kind=Kind.HAZARD_EVENT,
        subject=reported,
        period="test",
        title="新隐患",
        school=school_a,
        queue=False,
    )
    rows = [
        reported,
        rectifying,
        major,
        project,
        InspectionFactory(school=school_a),
        DrillFactory(school=school_a),
        PlannedDrill.objects.create(
            school=school_a, drill_type="fire", planned_on=datetime.date(2030, 5, 20)
        ),
        ExportJob.objects.create(
            requested_by=officer_a, format="csv", scope_school_ids=[school_a.pk]
        ),
        WebhookSubscription.objects.create(
            name="市级平台",
            url="https://example.org/hook",
            secret="s" * 32,
            event_types=["hazard.reported"],
            owner=bureau_admin,
        ),
    ]
    return sorted({row.pk for row in rows} | {school_a.pk, MISSING_ID})


@pytest.fixture
def schema(db):
    """The live schema, read from the application itself. Like Django's test client, keep
    the test's connection (and its transaction) open across the calls: Django closes it
    at each request's end when it is not in autocommit."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def token(user):
    return AuthToken.objects.create(user=user)[1]


def exercise(operation, headers, ids):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), pick=st.sampled_from(ids))
    def run(case, pick):
        cache.clear()  # throttles count per user: the test is not a flood
        if "id" in (case.path_parameters or {}):
            case.path_parameters["id"] = pick
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("persona", ["bureau_admin", "officer_a"])
def test_every_operation_keeps_the_contract(request, schema, objects, persona):
    headers = {"Authorization": f"Token {token(request.getfixturevalue(persona))}"}
    failures = []
    for result in schema.get_all_operations():  # all reported at once, not the first alone
        operation = result.ok()
        try:
            exercise(operation, headers, objects)
        except Exception as error:  # collected: every operation reported together below
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
