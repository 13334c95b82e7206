"""The bureau's supervision page: counts per school and day, never names or phones; the
bureau cannot open a class's roll or its roster export."""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.urls import reverse

from supervision import services

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
