"""Each reader gets a notification in their own language (``User.language``): the inbox row
and the e-mail in the recipient's, the group robot's post in the site's default (Chinese),
all from the same ``notify`` call; a send keeps the text it was written with."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from drills import reminders as drill_reminders
from hazards import reminders as hazard_reminders
from hazards import services as hazard_services
from notifications import services
from notifications.models import Delivery, Kind, Notification
from schools.models import Term
from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spring_term(db):
    """June 2025 is in term: the drills-due reminder owes a drill only in term."""
    return Term.objects.create(
        school_year=2024,
        kind="spring",
        start_date=datetime.date(2025, 2, 17),
        end_date=datetime.date(2025, 7, 11),
    )


@pytest.fixture
def english_principal(principal_a):
    principal_a.remember_language("en")
    return principal_a


def inbox_title(user, kind):
    return Notification.objects.get(recipient=user, kind=kind).title


def mail_to(user):
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message


def test_a_hazard_event_reaches_each_reader_in_their_language(
    school_a,
    school_robot,
    receiver,
    english_principal,
    officer_a,
    teacher_a,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        hazard = hazard_services.report_hazard(
            school_a, actor=teacher_a, title="电线裸露", category="electrical", source="snapshot"
        )
    assert inbox_title(english_principal, Kind.HAZARD_EVENT) == "甲学校: 电线裸露 (Report hazard)"
    assert inbox_title(officer_a, Kind.HAZARD_EVENT) == "甲学校：电线裸露（登记隐患）"
    assert mail_to(english_principal).subject == "[Campus Safety] 甲学校: 电线裸露 (Report hazard)"
    assert mail_to(officer_a).subject == "【校园安全】甲学校：电线裸露（登记隐患）"
    # The school's group hears it once, in the school's language, though the send hangs on
    # the first recipient's (English) row.
    assert Delivery.objects.get(channel="webhook").notification.recipient == english_principal
    [post] = receiver.bodies("/wecom/a")
    assert post["markdown"]["content"].startswith("**甲学校：电线裸露（登记隐患）**")
    assert "查看详情" in post["markdown"]["content"] and hazard.title in post["markdown"]["content"]


def test_a_reminder_reaches_each_reader_in_their_language(school_a, officer_a, english_principal):
    assert drill_reminders.remind_drills_due(datetime.date(2025, 6, 20)) == 2
    english = Notification.objects.get(recipient=english_principal)
    assert english.title == "Evacuation drill reminder: 甲学校"
    assert "primary and secondary schools: at least once a month" in english.body
    chinese = Notification.objects.get(recipient=officer_a)
    assert chinese.title == "应急疏散演练提醒：甲学校" and "中小学每月至少1次" in chinese.body
    services.send_now(list(Delivery.objects.values_list("id", flat=True)))
    assert mail_to(english_principal).subject == "[Campus Safety] Evacuation drill reminder: 甲学校"
    assert "at least once a month" in mail_to(english_principal).body
    assert mail_to(officer_a).subject == "【校园安全】应急疏散演练提醒：甲学校"


def test_the_overdue_ladder_speaks_each_readers_language(school_a, teacher_a, english_principal):
    HazardFactory(
        school=school_a,
        status="rectifying",
        responsible=teacher_a,
        title="护栏松动",
        deadline=datetime.date(2025, 6, 1),
    )
    hazard_reminders.escalate_overdue(datetime.date(2025, 6, 10))
    assert inbox_title(english_principal, Kind.OVERDUE) == "Overdue hazard: 护栏松动"
    assert inbox_title(teacher_a, Kind.OVERDUE) == "隐患逾期督办：护栏松动"


def test_the_worker_language_does_not_leak_into_texts(school_a, officer_a, english_principal):
    with translation.override("en"):  # e.g. run eagerly inside an English request
        drill_reminders.remind_drills_due(datetime.date(2025, 6, 20))
    assert inbox_title(officer_a, Kind.DRILL_DUE) == "应急疏散演练提醒：甲学校"


def test_each_send_keeps_the_text_and_language_it_was_written_in(
    school_a, school_robot, officer_a, english_principal
):
    services.notify(
        [english_principal, officer_a],
        kind=Kind.DIGEST,
        subject="digest:x",
        period="1",
        title=lambda: translation.gettext("工作台"),
        school=school_a,
        queue=False,
    )
    sends = {(d.channel, d.language, d.title) for d in Delivery.objects.all()}
    assert sends == {
        ("email", "en", "Dashboard"),
        ("email", "zh-hans", "工作台"),
        ("webhook", "zh-hans", "工作台"),
    }
    english_principal.remember_language(
        "zh-hans"
    )  # a later change does not rewrite what was written
    services.send_now(list(Delivery.objects.values_list("id", flat=True)))
    assert mail_to(english_principal).subject == "[Campus Safety] Dashboard"


def test_plain_strings_are_used_as_given(principal_a):
    services.notify(
        [principal_a], kind=Kind.DIGEST, subject="s", period="1", title="x" * 300, body="正文"
    )
    note = Notification.objects.get()
    assert (len(note.title), note.body) == (200, "正文")
