"""Fixtures for the private-file tests: a hazard photo and a ledger export of school A, each
made as a user makes it (the report form, the export link), and public media in a per-test
folder so a test can look for files there."""

import pytest
from django.urls import reverse

from hazards.models import HazardPhoto
from reports.models import ExportJob
from tests.factories import HazardFactory
from tests.hazards.conftest import jpeg_bytes, upload

JPEG_START = b"\xff\xd8\xff"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def reported_photo(client, officer_a, school_a, django_capture_on_commit_callbacks):
    """School A's officer reports a hazard with a photo on the web (its thumbnail is made on
    commit); the client is signed out again."""
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hazard-create"),
            {
                "school": school_a.pk,
                "title": "楼梯口有学生推挤",
                "category": "building",
                "level": "general",
                "source": "self_inspection",
                "location": "教学楼一层",
                "description": "照片拍到了学生。",
                "photos": [upload(jpeg_bytes(size=(900, 600)))],
            },
        )
    assert response.status_code == 302, response.content
    client.logout()
    photo = HazardPhoto.objects.get()
    assert photo.thumbnail
    return photo


@pytest.fixture
def export_job(client, officer_a, school_a, settings, django_capture_on_commit_callbacks):
    """School A's officer exports the ledger as a background job (CSV with people's names);
    the client is signed out again."""
    settings.HAZARD_EXPORT_ASYNC_ROWS = 1
    HazardFactory.create_batch(2, school=school_a)
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("hazard-export", args=["csv"])).status_code == 302
    client.logout()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    return job
