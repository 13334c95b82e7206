"""A public 随手拍's photos can show children: the reporter's tracking page shows none, and
the photo's address answers nobody who is not signed in — the reporter included."""

from django.urls import reverse

from hazards.models import Hazard

from .conftest import snapshot_data


def test_the_tracking_page_shows_no_photo_and_the_photo_needs_an_account(
    client, school_a, photo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("public-snapshot", args=[school_a.snapshot_token]),
            {**snapshot_data(), "photos": [photo()]},
        )
    assert sent.status_code == 200
    hazard = Hazard.objects.get()
    stored = hazard.photos.get()
    assert stored.thumbnail
    tracked = client.get(reverse("public-track"), {"code": hazard.tracking_code})
    assert tracked.context["found"]
    for html in (sent.content.decode(), tracked.content.decode()):
        assert "<img" not in html and str(stored.uuid) not in html and "/media/" not in html
    for url in (stored.get_absolute_url(), stored.thumbnail_url):
        assert client.get(url).status_code in (401, 403)
