"""Private files over HTTP: hazard photos and ledger exports are stored outside public media
and handed out only by the views that check who asks — nothing without signing in (the old
/media/ address included, even on the development server), 404 to another school, the bytes
to those who may see them, and X-Accel-Redirect for nginx when configured."""

import importlib

import pytest
from django.urls import clear_url_caches, reverse

import campussafety.urls
from core.files import private_storage

from .conftest import JPEG_START, body


def photo_urls(photo):
    return [
        reverse("hazard-photo", args=[photo.uuid]),
        reverse("hazard-photo-thumbnail", args=[photo.uuid]),
    ]


def test_files_are_stored_privately_not_in_public_media(
    reported_photo, export_job, media_root, private_files
):
    for name in (reported_photo.image.name, reported_photo.thumbnail.name, export_job.file.name):
        assert private_storage().exists(name) and (private_files / name).is_file()
        assert not (media_root / name).exists()


def test_nothing_without_signing_in(client, reported_photo, export_job):
    for url in photo_urls(reported_photo):
        response = client.get(url)
        assert response.status_code in (401, 403) and JPEG_START not in response.content
    download = client.get(reverse("export-download", args=[export_job.pk]))
    assert download.status_code == 302 and download.url.startswith(reverse("login"))


@pytest.fixture
def debug_urls(settings):
    """The URLconf as the development server builds it (DEBUG on)."""
    settings.DEBUG = True
    importlib.reload(campussafety.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(campussafety.urls)
    clear_url_caches()


def test_the_old_media_address_serves_nothing_even_with_debug(
    client, debug_urls, reported_photo, export_job, media_root, officer_a
):
    # A file still at its old public place (before move_private_files) is not served either.
    old = media_root / export_job.file.name
    old.parent.mkdir(parents=True)
    old.write_bytes(b"id,name\n1,someone\n")
    client.force_login(officer_a)
    for name in (reported_photo.image.name, reported_photo.thumbnail.name, export_job.file.name):
        assert client.get(f"/media/{name}").status_code == 404


def test_another_schools_user_gets_404(client, officer_b, reported_photo, export_job):
    client.force_login(officer_b)
    for url in [*photo_urls(reported_photo), reverse("export-download", args=[export_job.pk])]:
        assert client.get(url).status_code == 404


def test_an_unknown_photo_is_404(client, officer_a, reported_photo):
    client.force_login(officer_a)
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("hazard-photo", args=[unknown])).status_code == 404


@pytest.mark.parametrize("viewer", ["officer_a", "teacher_a", "bureau_staff"])
def test_those_who_see_the_hazard_get_the_photo(client, request, viewer, reported_photo):
    client.force_login(request.getfixturevalue(viewer))
    full, thumbnail = (client.get(url) for url in photo_urls(reported_photo))
    assert full.status_code == thumbnail.status_code == 200
    assert full["Content-Type"] == "image/jpeg" and full["Cache-Control"] == "private, no-store"
    with reported_photo.image.open("rb") as stored:
        assert body(full) == stored.read()
    with reported_photo.thumbnail.open("rb") as stored:
        small = stored.read()
    assert body(thumbnail) == small and small.startswith(JPEG_START)


def test_an_api_client_fetches_the_photo_url_the_api_gives(
    api_as, officer_a, officer_b, reported_photo
):
    url = api_as(officer_b).get(f"/api/v1/hazards/{reported_photo.hazard_id}/")
    assert url.status_code == 404
    api = api_as(officer_a)
    [photo] = api.get(f"/api/v1/hazards/{reported_photo.hazard_id}/").json()["photos"]
    response = api.get(photo["image"], HTTP_ACCEPT="image/jpeg")
    assert response.status_code == 200 and body(response).startswith(JPEG_START)
    api.force_authenticate(officer_b)
    assert api.get(photo["thumbnail"]).status_code == 404


def test_the_requester_downloads_the_export(client, officer_a, export_job):
    client.force_login(officer_a)
    response = client.get(reverse("export-download", args=[export_job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    with export_job.file.open("rb") as stored:
        assert body(response) == stored.read()


def test_pages_show_the_photos_through_the_checking_view(client, officer_a, reported_photo):
    client.force_login(officer_a)
    html = client.get(reverse("hazard-detail", args=[reported_photo.hazard_id])).content.decode()
    full, thumbnail = photo_urls(reported_photo)
    assert f'href="{full}"' in html and f'src="{thumbnail}"' in html
    assert "/media/" not in html


def test_behind_nginx_the_view_answers_with_x_accel_redirect(
    client, settings, officer_a, officer_b, reported_photo, export_job
):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/_private/"
    client.force_login(officer_a)
    photo = client.get(reverse("hazard-photo", args=[reported_photo.uuid]))
    assert photo.status_code == 200 and photo.content == b""
    assert photo["X-Accel-Redirect"] == f"/_private/{reported_photo.image.name}"
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["Cache-Control"] == "private, no-store"
    download = client.get(reverse("export-download", args=[export_job.pk]))
    assert download["X-Accel-Redirect"] == f"/_private/{export_job.file.name}"
    assert "attachment" in download["Content-Disposition"] and download.content == b""
    client.force_login(officer_b)
    refused = client.get(reverse("hazard-photo", args=[reported_photo.uuid]))
    assert refused.status_code == 404 and not refused.has_header("X-Accel-Redirect")


def test_a_photo_whose_file_is_gone_is_404_not_500(client, officer_a, reported_photo):
    private_storage().delete(reported_photo.image.name)
    client.force_login(officer_a)
    assert client.get(reverse("hazard-photo", args=[reported_photo.uuid])).status_code == 404
