"""The sealed mental-health domain through its pages, services and command: encryption at
rest and key rotation, the crisis alert, break-glass, bad input and the counts."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import User
from core import crypto
from core.exceptions import DomainError, NotPermitted
from notifications.models import Kind, Notification
from tests.factories import (
    CounsellingFactory,
    SchoolClassFactory,
    StudentFactory,
    UserFactory,
    sealed_record,
)
from wellbeing import services
from wellbeing.models import BreakGlassAccess, Instrument, StudentRecord, WarningLevel

SECRET = "自述近期失眠，考试焦虑"
NOW = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC)


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def record(school_a):
    return sealed_record(school_a, SECRET)


@pytest.fixture
def crisis():
    return WarningLevel.objects.get(is_crisis=True)


# --- encryption at rest ------------------------------------------------------------------


def test_the_raw_columns_hold_no_plain_text(record, school_a):
    session = CounsellingFactory(school=school_a, notes=SECRET)
    columns = [
        ("education_counsellingsession", "notes", session.pk),
        ("wellbeing_studentrecord", "plan", record.pk),
        ("wellbeing_screening", "details", record.screenings.get().pk),
        ("wellbeing_referral", "notes", record.referrals.get().pk),
    ]
    for table, column, pk in columns:
        stored = raw(table, column, pk)
        assert SECRET not in stored and stored.startswith("gAAAA")  # a Fernet token
        assert crypto.decrypt(stored) == SECRET
    session.refresh_from_db()
    assert session.notes == SECRET


def test_key_rotation_re_encrypts_every_row_under_the_new_key(settings, record):
    old = settings.WELLBEING_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.WELLBEING_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "wellbeing.StudentRecord.plan 1" in out.getvalue()
    settings.WELLBEING_KEYS = [new]  # the old key is dropped
    stored = raw("wellbeing_studentrecord", "plan", record.pk)
    assert Fernet(new.encode()).decrypt(stored.encode()).decode() == SECRET
    assert StudentRecord.objects.get(pk=record.pk).plan == SECRET


# --- crisis alert ---------------------------------------------------------------------


def _alerts():
    return Notification.objects.filter(kind=Kind.CRISIS_ALERT)


def test_reaching_the_top_level_alerts_principal_and_homeroom_teacher_once(
    school_a, counsellor_a, principal_a, teacher_a, officer_a, crisis
):
    student = StudentFactory(
        school_class=SchoolClassFactory(school=school_a, homeroom_teacher=teacher_a)
    )
    record = services.open_record(student, actor=counsellor_a)
    services.update_plan(record, actor=counsellor_a, plan=SECRET)
    services.set_level(record, actor=counsellor_a, level=crisis, now=NOW)
    services.set_level(record, actor=counsellor_a, level=crisis, now=NOW)  # no change
    alerts = list(_alerts())
    assert {a.recipient for a in alerts} == {principal_a, teacher_a}
    assert all(student.name in a.title and SECRET not in a.body + a.title for a in alerts)
    assert all(crisis.name not in a.body + a.title for a in alerts)  # no level either
    urls = {a.recipient: a.url for a in alerts}
    assert urls == {principal_a: f"/wellbeing/records/{record.pk}/break-glass/", teacher_a: ""}
    # Down and up again: a new escalation, alerted once more.
    services.set_level(record, actor=counsellor_a, level=WarningLevel.objects.get(rank=2), now=NOW)
    assert _alerts().count() == 2
    services.set_level(record, actor=counsellor_a, level=crisis, now=NOW)
    assert _alerts().count() == 4


def test_level_through_the_page_and_an_unconfigured_level_is_a_form_error(
    client, record, counsellor_a, crisis
):
    client.force_login(counsellor_a)
    url = reverse("wellbeing-level", args=[record.pk])
    response = client.post(url, {"level": 999999})
    assert response.status_code == 200 and response.context["form"].errors["level"]
    crisis.is_active = False
    crisis.save()
    with pytest.raises(DomainError) as exc:
        services.set_level(record, actor=counsellor_a, level=crisis, now=NOW)
    assert "level" in exc.value.field_errors
    assert client.post(url, {"level": WarningLevel.objects.get(rank=1).pk}).status_code == 302
    assert StudentRecord.objects.get(pk=record.pk).level.rank == 1


# --- bad input ----------------------------------------------------------------------------


@time_machine.travel(NOW)
def test_a_score_out_of_the_instruments_range_is_a_field_error(client, record, counsellor_a):
    phq9 = Instrument.objects.get(name__contains="PHQ-9")
    client.force_login(counsellor_a)
    url = reverse("wellbeing-screening", args=[record.pk])
    data = {"instrument": phq9.pk, "date": "2025-03-09", "score": "28", "details": SECRET}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "0–27" in str(response.context["form"].errors["score"])
    assert record.screenings.count() == 1  # the planted one only
    assert client.post(url, {**data, "score": "27"}).status_code == 302
    assert record.screenings.filter(score=Decimal("27")).exists()


def test_a_student_of_another_school_is_refused(client, school_b, counsellor_a):
    other = StudentFactory(school_class=SchoolClassFactory(school=school_b))
    client.force_login(counsellor_a)
    response = client.post(reverse("wellbeing-record-open"), {"student": other.pk})
    assert response.status_code == 200 and response.context["form"].errors["student"]
    with pytest.raises(NotPermitted):
        services.open_record(other, actor=counsellor_a)
    assert not StudentRecord.objects.exists()


# --- break-glass --------------------------------------------------------------------------


def test_break_glass_without_a_reason_is_refused_and_shows_nothing(client, record, principal_a):
    client.force_login(principal_a)
    url = reverse("wellbeing-break-glass", args=[record.pk])
    assert SECRET not in client.get(url).content.decode()
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert SECRET not in response.content.decode()
    assert not BreakGlassAccess.objects.exists()


def test_break_glass_with_a_reason_is_logged_notified_and_shown(
    client, record, principal_a, counsellor_a, bureau_admin
):
    client.force_login(principal_a)
    url = reverse("wellbeing-break-glass", args=[record.pk])
    with time_machine.travel(NOW, tick=False):
        response = client.post(url, {"reason": "学生家长来电称孩子离家出走"})
    assert response.status_code == 200 and SECRET in response.content.decode()
    access = BreakGlassAccess.objects.get()
    assert (access.user, access.at, access.record) == (principal_a, NOW, record)
    assert "离家出走" in access.reason and "测评结果" in access.sections
    told = Notification.objects.get(kind=Kind.BREAK_GLASS)
    assert told.recipient == counsellor_a and SECRET not in told.body
    # The log: counsellors and bureau admins read it; the principal does not; no one edits.
    for reader in (counsellor_a, bureau_admin):
        client.force_login(reader)
        page = client.get(reverse("wellbeing-access-log")).content.decode()
        assert "离家出走" in page and SECRET not in page
    client.force_login(principal_a)
    assert client.get(reverse("wellbeing-access-log")).status_code == 403


def test_break_glass_is_for_the_schools_principal_and_bureau_admins_only(
    client, record, teacher_a, bureau_staff, school_b
):
    for user in (teacher_a, bureau_staff):
        client.force_login(user)
        assert client.get(reverse("wellbeing-break-glass", args=[record.pk])).status_code == 403
    other_principal = UserFactory(role=User.Role.PRINCIPAL, schools=[school_b])
    client.force_login(other_principal)
    assert client.get(reverse("wellbeing-break-glass", args=[record.pk])).status_code == 404


# --- what the bureau sees -----------------------------------------------------------------


def test_the_bureau_sees_counts_by_school_and_level_never_names(
    client, api_as, record, school_a, school_b, bureau_staff, report_client
):
    sealed_record(school_b, SECRET)
    client.force_login(bureau_staff)
    page = client.get(reverse("wellbeing-counts")).content.decode()
    assert record.student.name not in page and SECRET not in page
    body = api_as(report_client).get(reverse("api-wellbeing-counts")).json()
    row = next(r for r in body if r["school"] == school_a.pk)
    assert row["files"] == 1
    assert {c["level"]: c["files"] for c in row["levels"]} == {
        "一般关注": 0,
        "重点关注": 1,
        "高危": 0,
    }
    assert record.student.name not in str(body)
