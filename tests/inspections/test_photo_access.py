"""A checklist answer's photo comes out of the private storage only through its checking
view: to those who see the inspection (the inspected and the inspecting school of a cross
inspection, the bureau), 404 to another school, nothing without signing in."""

import pytest
from django.urls import reverse

from accounts.models import User
from inspections.models import InspectionAnswerPhoto
from tests.factories import SchoolFactory, UserFactory
from tests.hazards.conftest import jpeg_bytes, upload

API = "/api/v1/inspections/"


@pytest.fixture
def answer_photo(api_as, officer_b, cross_b_on_a):
    api = api_as(officer_b)
    api.post(
        f"{API}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "E6", "result": "fail"}]},
        format="json",
    )
    response = api.post(
        f"{API}{cross_b_on_a.pk}/photos/",
        {"code": "E6", "photos": [upload(jpeg_bytes())]},
        format="multipart",
    )
    assert response.status_code == 200
    api.logout()
    api.force_authenticate(None)
    return InspectionAnswerPhoto.objects.get()


def fetch(client, photo):
    return client.get(reverse("inspection-photo", args=[photo.uuid]))


def test_nothing_without_signing_in(client, answer_photo):
    assert fetch(client, answer_photo).status_code in (401, 403)


def test_a_school_outside_the_inspection_gets_404(client, answer_photo):
    outsider = UserFactory(role=User.Role.SCHOOL_OFFICER, schools=[SchoolFactory(name="丙学校")])
    client.force_login(outsider)
    assert fetch(client, answer_photo).status_code == 404


@pytest.mark.parametrize("viewer", ["officer_a", "officer_b", "bureau_staff"])
def test_those_who_see_the_inspection_get_the_bytes(client, request, viewer, answer_photo):
    client.force_login(request.getfixturevalue(viewer))
    response = fetch(client, answer_photo)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with answer_photo.image.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_the_inspection_page_shows_the_photo_through_the_view(client, officer_a, answer_photo):
    client.force_login(officer_a)
    inspection = answer_photo.answer.inspection
    html = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert f'src="{answer_photo.get_absolute_url()}"' in html and "/media/" not in html
