"""The bureau's supervision page: counts per school and day, never names or phones; the
bureau cannot open a class's roll or its roster export."""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.urls import reverse

from supervision import services
from supervision.models import PatrolSlot

from .conftest import WEDNESDAY, day_students

pytestmark = pytest.mark.django_db
EVENING = datetime.datetime(2024, 10, 9, 10, 0, tzinfo=UTC)


@time_machine.travel(EVENING, tick=False)
def test_bureau_sees_counts_only(client, bureau_staff, teacher_a, class_a1, class_b1):
    first = day_students(class_a1)[0]
    services.mark_checkins(
        class_a1, actor=teacher_a, day=WEDNESDAY, kind="home", marks={first.pk: "arrived"},
        now=EVENING,
    )  # fmt: skip
    client.force_login(bureau_staff)
    response = client.get(reverse("supervision-summary"), {"date": str(WEDNESDAY)})
    assert response.status_code == 200
    page = response.content.decode()
    rows = {r["school"].name: r for r in response.context["rows"]}
    assert (rows[class_a1.school.name]["reported"], rows[class_a1.school.name]["classes"]) == (1, 1)
    assert (rows[class_b1.school.name]["reported"], rows[class_b1.school.name]["classes"]) == (0, 1)
    for student in class_a1.students.all():
        assert student.name not in page and student.guardian_phone not in page
    assert [t["date"] for t in response.context["trend"]][-1] == WEDNESDAY
    assert client.get(reverse("checkin-roll", args=[class_a1.pk])).status_code == 403
    assert client.get(reverse("roster-export", args=[class_a1.pk])).status_code == 404
    roster = client.get(reverse("roster"), {"class": class_a1.pk}).content.decode()
    assert first.name not in roster


def test_a_counsellor_has_no_summary(client, counsellor_a, class_a1):
    client.force_login(counsellor_a)
    assert client.get(reverse("supervision-summary")).status_code == 403


def _standing(client, school, day, now):
    """The page's and the API's compliance cell of ``school`` on ``day`` seen at ``now``."""
    with time_machine.travel(now, tick=False):
        page = client.get(reverse("supervision-summary"), {"date": str(day)})
        api = client.get("/api/v1/supervision/summary/", {"date": str(day)}).json()
    (row,) = [r for r in page.context["rows"] if r["school"] == school]
    (body,) = [r for r in api["schools"] if r["school"] == school.pk]
    assert (body["compliance"], body["shortfalls"]) == (row["compliance"], row["shortfalls"])
    return row, body["compliant"], page.content.decode()


def test_a_day_still_to_come_or_under_way_is_not_failed(client, bureau_staff, patrol_setup):
    """The break slot runs 10:00–10:20 (Beijing), missed from 10:50 (30 min grace); no
    patrol is done, so the rule (key areas ≥ 5 checks) is unmet: pending until 10:50."""
    school = patrol_setup[0].school
    client.force_login(bureau_staff)
    at = lambda h, m: datetime.datetime(2024, 10, 9, h - 8, m, tzinfo=UTC)  # noqa: E731
    row, compliant, page = _standing(client, school, WEDNESDAY, at(9, 0))
    assert (row["compliance"], compliant) == ("upcoming", None) and ">未到时间</span>" in page
    row, compliant, page = _standing(client, school, WEDNESDAY, at(10, 49))
    assert (row["compliance"], compliant) == ("in_progress", None) and ">进行中</span>" in page
    row, compliant, page = _standing(client, school, WEDNESDAY + datetime.timedelta(7), at(11, 0))
    assert (row["compliance"], compliant) == ("upcoming", None) and ">未达标</span>" not in page
    row, compliant, page = _standing(client, school, WEDNESDAY, at(10, 50))
    assert (row["compliance"], compliant) == ("not_met", False) and ">未达标</span>" in page
    # The page says why: the fewest checks of a key area, against the rule's five.
    assert row["shortfalls"] == ["重点部位巡查不足5次（最少的0次）"]
    assert "重点部位巡查不足5次（最少的0次）" in page
    assert "每个重点部位当天巡查不少于 5 次" in page  # the rule, stated once above the table


def test_a_boarding_school_done_with_its_patrols_says_what_it_lacks(
    client, bureau_staff, patrol_setup, teacher_a
):
    slot, (gate, stairs, _garden) = patrol_setup
    school = slot.school
    school.is_boarding = True
    school.save()
    for hour in range(11, 16):  # five day patrols over the key areas, none at night
        extra = PatrolSlot.objects.create(
            school=school, name=f"巡查{hour}", kind="break", start=datetime.time(hour),
            end=datetime.time(hour, 20), patroller=teacher_a,
        )  # fmt: skip
        extra.points.set([gate, stairs])
        patrol = services.start_patrol(extra, actor=teacher_a, now=EVENING, day=WEDNESDAY)
        for point in (gate, stairs):
            services.check_point(patrol, point, actor=teacher_a, method="tick", now=EVENING)
        services.finish_patrol(patrol, actor=teacher_a, now=EVENING)
    client.force_login(bureau_staff)
    row, compliant, page = _standing(client, school, WEDNESDAY, EVENING)
    assert (row["compliance"], compliant) == ("not_met", False)
    assert row["shortfalls"] == ["夜间查寝巡查不足2次（0次）"]
    assert "夜间查寝巡查不足2次（0次）" in page
