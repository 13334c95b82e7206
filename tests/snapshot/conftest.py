"""Fixtures for the 随手拍 tests: photos in memory (JPEG and HEIC), a clean cache for the rate
limit, media in a temporary folder, and a small ``post_snapshot`` helper."""

import io
import uuid

import pytest
from django.core.cache import cache
from PIL import Image

from tests.hazards.conftest import jpeg_bytes, upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def photo():
    """A fresh small JPEG upload for each call."""
    return lambda name="photo.jpg": upload(jpeg_bytes(), name)


def heic_bytes(size=(64, 48)):
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", size, "blue")).save(out, quality=90)
    assert out.getvalue()[4:12] == b"ftypheic"
    return out.getvalue()


@pytest.fixture
def heic_photo():
    return lambda: upload(heic_bytes(), "IMG_0001.HEIC", "image/heic")


def snapshot_data(**overrides):
    """POST data of a valid 随手拍 (either form); photos are added by the caller."""
    return {
        "category": "fire",
        "location": "教学楼二楼东侧楼梯",
        "title": "灭火器压力不足",
        "client_id": str(uuid.uuid4()),
        **overrides,
    }


@pytest.fixture
def make_workflow(school_a, bureau_staff):
    """``make_workflow(hazard, step)`` moves ``hazard`` one step through the services."""
    import datetime

    from django.utils import timezone

    from accounts.models import User
    from hazards import services
    from tests.factories import UserFactory

    officer = UserFactory(role=User.Role.SCHOOL_OFFICER, schools=[school_a])
    steps = {
        "assign": lambda h: services.assign_hazard(
            h,
            actor=officer,
            responsible=officer,
            measures="修补",
            deadline=timezone.localdate() + datetime.timedelta(days=3),
            notify=False,
        ),
        "submit_rectification": lambda h: services.submit_rectification(
            h, actor=officer, note="已更换", notify=False
        ),
        "close": lambda h: services.close_hazard(h, actor=bureau_staff, notify=False),
    }
    return lambda hazard, step: steps[step](hazard)
