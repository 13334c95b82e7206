"""The hazard detail page: field edits on the timeline with who and when, time spent in each
state, and 挂牌督办 (supervising leader) for major hazards."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import DomainError, NotPermitted
from hazards import services, timeline
from hazards.models import Hazard, HazardEvent
from tests.factories import HazardFactory, UserFactory

UTC = zoneinfo.ZoneInfo("UTC")


@pytest.fixture
def hazard(officer_a, school_a):
    return services.report_hazard(
        school_a,
        actor=officer_a,
        title="灭火器过期",
        category="fire",
        source="patrol",
        location="一楼",
        notify=False,
    )


def detail(client, hazard):
    return client.get(reverse("hazard-detail", args=[hazard.pk])).content.decode()


def test_a_direct_save_shows_on_the_timeline_with_who_and_when(client, hazard, principal_a):
    hazard.location = "二楼东侧"
    hazard._history_user = principal_a
    hazard.save()
    client.force_login(principal_a)
    html = detail(client, hazard)
    assert 'data-action="change"' in html
    change = html[html.index('data-action="change"') :]
    assert "位置" in change and "一楼" in change and "二楼东侧" in change
    assert str(principal_a) in change
    assert (
        hazard.history.latest()
        .history_date.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
        .strftime("%Y-%m-%d %H:%M")
        in change
    )


def test_an_admin_edit_is_recorded_with_its_user(admin_as, bureau_admin, hazard):
    client = admin_as(bureau_admin, "all")
    url = reverse("admin:hazards_hazard_change", args=[hazard.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        location="操场", title=hazard.title, category="fire", source="patrol", level="general"
    )
    for prefix in ("photos", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    assert client.post(url, data).status_code == 302
    entries = [e for e in timeline.build_timeline(hazard) if e.kind == "change"]
    assert entries[-1].actor == bureau_admin
    assert ("位置", "一楼", "操场") in entries[-1].changes


def test_transitions_are_events_not_duplicate_edits(hazard, principal_a, teacher_a):
    services.assign_hazard(
        hazard, actor=principal_a, responsible=teacher_a, measures="更换", notify=False
    )
    entries = timeline.build_timeline(hazard)
    assert [e.kind for e in entries] == ["event", "event"]
    assert entries[1].event.action == HazardEvent.Action.ASSIGN


def test_time_in_each_state():
    hazard = HazardFactory.build(
        reported_at=datetime.datetime(2024, 3, 1, 0, 0, tzinfo=UTC), status=Hazard.Status.VERIFYING
    )
    events = [
        HazardEvent(
            to_status="rectifying", created_at=datetime.datetime(2024, 3, 2, 12, 0, tzinfo=UTC)
        ),
        HazardEvent(
            to_status="verifying", created_at=datetime.datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
        ),
    ]
    now = datetime.datetime(2024, 3, 6, 0, 0, tzinfo=UTC)
    totals = timeline.state_durations(hazard, events, now)
    assert timeline.days(totals["reported"]) == 1.5
    assert timeline.days(totals["rectifying"]) == 3.0
    assert timeline.days(totals["verifying"]) == 0.5
    assert timeline.format_duration(totals["rectifying"]) == "3 天 0 小时"


def test_detail_page_shows_state_durations(client, hazard, officer_a):
    client.force_login(officer_a)
    html = detail(client, hazard)
    assert 'data-testid="state-durations"' in html and "各环节用时" in html


# --- 挂牌督办 ---------------------------------------------------------------------------


@pytest.fixture
def major(officer_a, school_a):
    return services.report_hazard(
        school_a,
        actor=officer_a,
        title="教学楼裂缝",
        category="building",
        source="patrol",
        level="major",
        notify=False,
    )


@pytest.fixture
def leader(db):
    return UserFactory(
        username="leader1", name="王局长", role="bureau_staff", scope_all_schools=True
    )


def test_bureau_names_the_supervising_leader(client, bureau_staff, major, leader):
    client.force_login(bureau_staff)
    assert reverse("hazard-supervise", args=[major.pk]) in detail(client, major)
    response = client.post(reverse("hazard-supervise", args=[major.pk]), {"leader": leader.pk})
    assert response.status_code == 302
    major.refresh_from_db()
    assert major.supervising_leader == leader
    html = detail(client, major)
    assert "督办领导：王局长" in html
    change = [e for e in timeline.build_timeline(major) if e.kind == "change"][-1]
    assert change.actor == bureau_staff and ("督办领导", "—", "王局长") in change.changes


def test_school_users_cannot_name_a_leader(client, principal_a, major, leader):
    client.force_login(principal_a)
    assert reverse("hazard-supervise", args=[major.pk]) not in detail(client, major)
    assert (
        client.post(reverse("hazard-supervise", args=[major.pk]), {"leader": leader.pk}).status_code
        == 403
    )
    with pytest.raises(NotPermitted):
        services.set_supervising_leader(major, actor=principal_a, leader=leader)


def test_general_hazards_are_not_supervised(bureau_staff, hazard, leader):
    with pytest.raises(NotPermitted):
        services.set_supervising_leader(hazard, actor=bureau_staff, leader=leader)


def test_leader_must_be_bureau_staff(bureau_staff, major, teacher_a):
    with pytest.raises(DomainError):
        services.set_supervising_leader(major, actor=bureau_staff, leader=teacher_a)


def test_detail_page_queries_do_not_grow_with_edits(
    client, hazard, principal_a, django_assert_max_num_queries
):
    client.force_login(principal_a)
    for place in ("二楼", "三楼", "四楼", "五楼"):
        hazard.location = place
        hazard._history_user = principal_a
        hazard.save()
    with django_assert_max_num_queries(16):
        html = detail(client, hazard)
    assert html.count('data-action="change"') == 4


def test_export_has_the_time_in_each_state(client, officer_a, hazard, principal_a, teacher_a):
    import csv
    import io

    services.assign_hazard(
        hazard, actor=principal_a, responsible=teacher_a, measures="更换", notify=False
    )
    client.force_login(officer_a)
    response = client.get(reverse("hazard-export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    assert {"登记待办用时（天）", "整改用时（天）", "督查验收用时（天）"} <= set(header)
    assert float(row[header.index("整改用时（天）")]) >= 0


def test_a_state_never_entered_reads_a_dash():
    hazard = HazardFactory.build(reported_at=datetime.datetime(2024, 3, 1, tzinfo=UTC))
    rows = timeline.duration_rows(hazard, [], now=datetime.datetime(2024, 3, 3, tzinfo=UTC))
    assert [(r["status"], r["text"], r["current"]) for r in rows] == [
        ("reported", "2 天 0 小时", True),
        ("rectifying", "—", False),
        ("verifying", "—", False),
    ]


def test_the_detail_view_hands_the_history_to_the_template(client, hazard, principal_a):
    """Built by the view (``timeline.hazard_history``), the current state counted to the
    view's ``now``; the template only shows it."""
    hazard.location = "二楼"
    hazard._history_user = principal_a
    hazard.save()
    client.force_login(principal_a)
    now = hazard.reported_at + datetime.timedelta(days=2, hours=3)
    with time_machine.travel(now, tick=False):
        history = client.get(reverse("hazard-detail", args=[hazard.pk])).context["history"]
    assert [e.kind for e in history["entries"]] == ["event", "change"]
    assert history["durations"][0] == {
        "status": "reported",
        "label": "已登记",
        "days": 2.1,
        "text": "2 天 3 小时",
        "current": True,
    }
    assert history == timeline.hazard_history(hazard, now=now)
