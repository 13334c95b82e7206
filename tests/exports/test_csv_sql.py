"""The ledger CSV that PostgreSQL writes (``exports.ledger_csv``: one COPY) is byte for byte
the one the Python cells make (``iter_csv`` over ``ledger_rows``), on every kind of cell."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict

from hazards.models import Hazard, HazardEvent
from reports import exports
from tests.factories import HazardFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL COPY"),
]
UTC = zoneinfo.ZoneInfo("UTC")
T0 = datetime.datetime(2025, 3, 1, 23, 30, 15, 123456, tzinfo=UTC)
# Formula starts (half and full width), a plain negative number, controls, the CSV's own
# characters (comma, quote, newlines), empty text, Chinese and a lone "\.".
TEXTS = [
    "=1+1", "＋1", "-350", "-12\n", "@SUM", "\tx", "一楼\x0b二楼\x01", 'say "hi", ok',
    "a\r\nb", "", "宿舍楼", "\\.", " leading space",
]  # fmt: skip


def test_postgresql_csv_is_the_python_csv(school_a, school_b, bureau_staff):
    leader = UserFactory(username="leader", name="")  # no name: the user name is shown
    for n, text in enumerate(TEXTS):
        hazard = HazardFactory(
            school=school_a if n % 2 else school_b,
            title=text or "标题",
            description=text,
            location=TEXTS[-1 - n],
            measures=text,
            reported_at=T0 + datetime.timedelta(hours=n),
            status=[Hazard.Status.RECTIFYING, Hazard.Status.CLOSED, Hazard.Status.REPORTED][n % 3],
            deadline=datetime.date(2025, 3, 1 + n) if n % 2 else None,
            funding_yuan=Decimal("12000.50") if n % 3 else None,
            supervising_leader=leader if n % 2 else None,
            closed_at=T0 + datetime.timedelta(days=n) if n % 3 == 1 else None,
            category=Hazard.Category.CANTEEN if n % 2 else Hazard.Category.FIRE,
        )
        # 30 hours exactly in 整改 (1.25 days: rounded half up, both ways).
        HazardEvent.objects.create(
            hazard=hazard, action="assign", to_status="rectifying", created_at=T0
        )
        HazardEvent.objects.create(
            hazard=hazard,
            action="submit_rectification",
            to_status="verifying",
            created_at=T0 + datetime.timedelta(hours=30),
        )
    now = T0 + datetime.timedelta(days=40, microseconds=7)
    _filter, queryset = exports.filtered_hazards(bureau_staff, QueryDict())
    python = exports.write_csv(exports.headers(), exports.ledger_rows(queryset, now))
    seen = []
    postgresql = b"".join(exports.ledger_csv(queryset, now, progress=seen.append))
    assert postgresql == python
    assert seen == [len(TEXTS)]
    assert b"1.3" in postgresql  # the 30 hours
