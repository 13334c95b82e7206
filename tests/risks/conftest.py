import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from risks.models import RiskPoint, RiskPolicy

TODAY = datetime.date(2025, 6, 16)


def png_bytes(size=(400, 200)):
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="PNG")
    return out.getvalue()


def at(day: datetime.date, hour=10) -> datetime.datetime:
    """An aware datetime on the Beijing calendar."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def policy(db):
    return RiskPolicy.current()


@pytest.fixture
def point_a(school_a):
    return RiskPoint.objects.create(
        school=school_a, name="食堂操作间", category="canteen", created_on=TODAY
    )


@pytest.fixture
def point_b(school_b):
    return RiskPoint.objects.create(
        school=school_b, name="学生宿舍", category="dormitory", created_on=TODAY
    )
