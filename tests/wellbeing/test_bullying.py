"""Bullying cases: report, the 10-day investigation timer with its reminders, outcome."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Kind, Notification
from wellbeing import reminders, services
from wellbeing.models import BullyingCase

D = datetime.date


@time_machine.travel(D(2025, 4, 1))
def test_report_remind_and_close(client, school_a, officer_a, counsellor_a, teacher_a, school_b):
    client.force_login(officer_a)
    response = client.post(
        reverse("bullying-create"),
        {"school": school_a.pk, "date": "2025-03-20", "participants": 2, "summary": "课间推搡"},
    )
    assert response.status_code == 302
    case = BullyingCase.objects.get()
    assert case.deadline == D(2025, 3, 30) and case.summary == "课间推搡"
    # Two days before the deadline, then after it: once each, to the committee only.
    for day in (D(2025, 3, 27), D(2025, 3, 28), D(2025, 3, 28), D(2025, 3, 31), D(2025, 4, 1)):
        reminders.remind_bullying_deadlines(day)
    sent = Notification.objects.filter(kind=Kind.BULLYING_DUE)
    assert sorted(sent.values_list("recipient__username", "period")) == [
        ("counsellor_a", "due:2025-03-30"), ("counsellor_a", "overdue:2025-03-30"),
        ("officer_a", "due:2025-03-30"), ("officer_a", "overdue:2025-03-30"),
    ]  # fmt: skip
    page = client.get(reverse("bullying-list")).content.decode()
    assert "已超期" in page
    close = reverse("bullying-close", args=[case.pk])
    assert client.post(close, {"outcome": "nonsense"}).status_code == 200
    assert client.post(close, {"outcome": "bullying", "outcome_notes": "已处理"}).status_code == 302
    case.refresh_from_db()
    assert (case.outcome, case.closed_on) == ("bullying", D(2025, 4, 1))
    assert reminders.remind_bullying_deadlines(D(2025, 4, 2)) == 0  # closed: no more


@time_machine.travel(D(2025, 4, 1))
def test_a_future_report_or_a_start_before_it_is_a_field_error(school_a, officer_a):
    with pytest.raises(services.DomainError) as exc:
        services.report_bullying(school_a, actor=officer_a, date=D(2025, 4, 2), summary="x")
    assert "date" in exc.value.field_errors
    with pytest.raises(services.DomainError) as exc:
        services.report_bullying(
            school_a, actor=officer_a, date=D(2025, 3, 2), summary="x",
            investigation_started_on=D(2025, 3, 1),
        )  # fmt: skip
    assert "investigation_started_on" in exc.value.field_errors
