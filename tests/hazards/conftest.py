"""Fixtures for the hazard workflow tests: a second officer of school A who does the
setup steps (so no persona under test is the submitter), a responsible teacher, a factory
that walks a hazard to any state through the services, and in-memory photos."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from hazards import services
from hazards.models import Hazard
from tests.factories import UserFactory

S = Hazard.Status


@pytest.fixture
def setup_officer(school_a):
    """Officer of school A who reports, assigns and submits in the arrange step."""
    return UserFactory(
        username="setup_officer_a", role=User.Role.SCHOOL_OFFICER, schools=[school_a]
    )


@pytest.fixture
def worker_a(school_a):
    """The teacher of school A named responsible for rectification."""
    return UserFactory(username="worker_a", role=User.Role.TEACHER, schools=[school_a])


@pytest.fixture
def make_hazard(school_a, setup_officer, worker_a, bureau_admin):
    """``make_hazard(status, level=..., school=...)`` → a hazard brought to ``status``
    through the services (notify=False), so its fields are those the workflow writes."""

    def make(
        status=S.REPORTED,
        *,
        level=Hazard.Level.GENERAL,
        school=None,
        submitter=None,
        responsible=None,
    ):
        school = school or school_a
        officer = setup_officer
        if school != school_a:
            officer = UserFactory(role=User.Role.SCHOOL_OFFICER, schools=[school])
        hazard = services.report_hazard(
            school,
            actor=officer,
            title="灭火器过期",
            category="fire",
            source="self_inspection",
            level=level,
            notify=False,
        )
        if status == S.REPORTED:
            return hazard
        if status == S.DISMISSED:
            return services.dismiss_hazard(hazard, actor=officer, reason="重复登记", notify=False)
        hazard = services.assign_hazard(
            hazard,
            actor=officer,
            responsible=responsible or (worker_a if school == school_a else officer),
            measures="更换灭火器",
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            funding_yuan=1000 if level == Hazard.Level.MAJOR else None,
            contingency_plan="设临时警示" if level == Hazard.Level.MAJOR else "",
            notify=False,
        )
        if status == S.RECTIFYING:
            return hazard
        hazard = services.submit_rectification(
            hazard, actor=submitter or officer, note="已更换", notify=False
        )
        if status == S.VERIFYING:
            return hazard
        return services.close_hazard(hazard, actor=bureau_admin, notify=False)

    return make


def jpeg_bytes(size=(200, 100), colour="white", exif=None, mark=None):
    """A JPEG in memory; ``mark`` paints a red 20×20 square at the top-left corner."""
    image = Image.new("RGB", size, colour)
    if mark:
        image.paste((255, 0, 0), (0, 0, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def photo():
    """A fresh small JPEG upload for each call."""
    return lambda name="photo.jpg": upload(jpeg_bytes(), name)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos written by the tests go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
