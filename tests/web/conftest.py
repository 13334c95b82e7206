"""Helpers for the HTML page tests: small real JPEGs made by Pillow in memory."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def make_jpeg(name="photo.jpg", colour=(200, 60, 40), size=(64, 48)):
    """A small, valid JPEG upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def jpeg():
    return make_jpeg


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded photos go to a per-test folder, not var/.
    settings.MEDIA_ROOT = tmp_path / "media"
