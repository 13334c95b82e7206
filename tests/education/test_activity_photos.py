"""Photos of safety education activities: uploaded with the activity (page or multipart
API), re-encoded by core.images, stored privately and served only through the checking view
``activity-photo`` to users who may see the activity."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from PIL import Image

from core.images import MAX_PHOTOS
from education.models import ActivityPhoto, EducationActivity
from tests.hazards.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 5, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def form(school, **extra):
    return {
        "school": school.pk, "kind": "class_meeting", "topic": "fire", "title": "消防主题班会",
        "date": "2025-05-12", "participants": 45, **extra,
    }  # fmt: skip


def test_a_photo_uploaded_on_the_page_is_served_to_the_school_only(
    client, officer_a, principal_a, officer_b, school_a
):
    client.force_login(officer_a)
    exif = Image.Exif()
    exif[0x010F] = "相机厂商"  # Make: metadata the pipeline must drop
    photos = [upload(jpeg_bytes(exif=exif), "班会.jpg")]
    response = client.post(reverse("activity-create"), form(school_a, photos=photos))
    assert response.status_code == 302
    photo = ActivityPhoto.objects.get()
    assert (photo.activity.school, photo.original_name) == (school_a, "班会.jpg")
    with photo.image.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG" and not image.getexif()
    url = photo.get_absolute_url()
    assert url in client.get(reverse("activity-list")).content.decode()

    client.force_login(principal_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 401, 403)


def test_a_file_that_is_not_an_image_is_a_form_error_and_nothing_is_saved(
    client, officer_a, school_a
):
    client.force_login(officer_a)
    fake = upload(b"%PDF-1.4 not a photo", "照片.jpg")
    response = client.post(reverse("activity-create"), form(school_a, photos=[fake]))
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert not EducationActivity.objects.exists() and not ActivityPhoto.objects.exists()


def test_more_photos_than_the_limit_are_refused(client, officer_a, school_a):
    client.force_login(officer_a)
    photos = [upload(jpeg_bytes(), f"{i}.jpg") for i in range(MAX_PHOTOS + 1)]
    response = client.post(reverse("activity-create"), form(school_a, photos=photos))
    assert "photos" in response.context["form"].errors
    assert not EducationActivity.objects.exists()


def test_the_api_records_an_activity_with_photos_multipart(api_as, officer_a, officer_b, school_a):
    data = form(school_a, photos=[upload(jpeg_bytes()), upload(jpeg_bytes(), "b.jpg")])
    response = api_as(officer_a).post(reverse("api-education-activity-list"), data)
    assert response.status_code == 201, response.content
    urls = response.json()["photo_urls"]
    assert len(urls) == 2 and ActivityPhoto.objects.count() == 2
    assert api_as(officer_a).get(urls[0]).status_code == 200
    assert api_as(officer_b).get(urls[0]).status_code == 404
    bad = form(school_a, photos=[upload(b"GIF89a-not-really", "x.gif")])
    response = api_as(officer_a).post(reverse("api-education-activity-list"), bad)
    assert response.status_code == 400 and "photos" in response.json()
    assert EducationActivity.objects.count() == 1
