"""随手拍 without an account: /s/<token>/ (no login, rate-limited per client IP), the tracking
code and its coarse status at /s/track/, and the printable QR-code poster."""

import pytest
from django.test import override_settings
from django.urls import reverse

from hazards import services
from hazards.models import Hazard
from schools.models import School
from tests.factories import HazardFactory, SchoolFactory

from .conftest import snapshot_data

PHONE = "13912345678"


def public_url(school):
    return reverse("public-snapshot", args=[school.snapshot_token])


def send(client, school, photos=(), **overrides):
    return client.post(public_url(school), {**snapshot_data(**overrides), "photos": list(photos)})


def test_every_school_has_its_own_unguessable_token(db):
    a, b = SchoolFactory(), SchoolFactory()
    assert a.snapshot_token != b.snapshot_token and len(a.snapshot_token) >= 20


def test_the_form_opens_without_login(client, school_a):
    response = client.get(public_url(school_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert school_a.name in html and 'name="contact"' in html and 'name="photos"' in html


def test_unknown_or_inactive_school_is_404(client, school_a):
    assert client.get(reverse("public-snapshot", args=["nope"])).status_code == 404
    School.objects.filter(pk=school_a.pk).update(is_active=False)
    assert client.get(public_url(school_a)).status_code == 404


def test_sending_files_a_snapshot_by_nobody_and_shows_a_tracking_code(client, school_a, photo):
    response = send(client, school_a, [photo()], contact=PHONE)
    assert response.status_code == 200
    hazard = Hazard.objects.get()
    assert (hazard.school, hazard.source, hazard.reported_by, hazard.status) == (
        school_a,
        "snapshot",
        None,
        "reported",
    )
    assert hazard.reporter_contact == PHONE and hazard.photos.get().uploaded_by is None
    event = hazard.events.get()
    assert (event.action, event.actor) == ("report", None)
    code = hazard.tracking_code
    assert len(code) == services.TRACKING_CODE_LENGTH and set(code) <= set(
        services.TRACKING_ALPHABET
    )
    assert code in response.content.decode()


def test_a_heic_photo_is_accepted(client, school_a, heic_photo):
    response = send(client, school_a, [heic_photo()])
    assert response.status_code == 200
    stored = Hazard.objects.get().photos.get()
    assert stored.image.name.endswith(".jpg") and stored.original_name == "IMG_0001.HEIC"


def test_the_same_form_sent_twice_gives_one_hazard_and_one_code(client, school_a):
    data = snapshot_data()
    first = client.post(public_url(school_a), data)
    second = client.post(public_url(school_a), data)
    hazard = Hazard.objects.get()
    assert hazard.tracking_code in first.content.decode()
    assert hazard.tracking_code in second.content.decode()


def test_a_client_id_of_a_staff_report_files_its_own_public_report(client, school_a, officer_a):
    staff = services.report_hazard(
        school_a,
        actor=officer_a,
        title="配电箱门锁损坏",
        category="fire",
        source="patrol",
        client_id=snapshot_data()["client_id"],
    )
    response = client.post(public_url(school_a), snapshot_data(client_id=str(staff.client_id)))
    # The key is unique per reporter: the public report is a new hazard of nobody, and the
    # staff report is neither returned nor revealed.
    assert response.status_code == 200
    assert Hazard.objects.count() == 2
    assert Hazard.objects.get(reported_by=None).tracking_code in response.content.decode()
    assert staff.title not in response.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"category": ""},
        {"category": "nuclear"},
        {"title": ""},
        {"location": ""},
        {"contact": "call me maybe"},
        {"client_id": "not-a-uuid"},
    ],
)
def test_bad_input_is_a_form_error(client, school_a, overrides):
    response = send(client, school_a, **overrides)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Hazard.objects.exists()


def test_a_fake_image_is_a_form_error(client, school_a):
    from tests.hazards.conftest import upload

    svg = upload(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "a.svg",
        "image/svg+xml",
    )
    response = send(client, school_a, [svg])
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert not Hazard.objects.exists()


@override_settings(SNAPSHOT_RATE_LIMIT="2/h")
def test_the_rate_limit_answers_429_per_client_ip(client, school_a):
    for _n in range(2):
        assert send(client, school_a).status_code == 200
    response = send(client, school_a)
    assert response.status_code == 429
    assert "太频繁" in response.content.decode() and response["Retry-After"] == "3600"
    assert Hazard.objects.count() == 2
    other_ip = client.post(public_url(school_a), snapshot_data(), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200 and Hazard.objects.count() == 3


def test_the_form_page_itself_is_not_limited(client, school_a, settings):
    settings.SNAPSHOT_RATE_LIMIT = "1/h"
    send(client, school_a)
    assert send(client, school_a).status_code == 429
    assert client.get(public_url(school_a)).status_code == 200


# --- tracking ----------------------------------------------------------------------------


def track(client, code):
    return client.get(reverse("public-track"), {"code": code})


@pytest.fixture
def public_hazard(client, school_a):
    send(client, school_a, contact=PHONE, title="围墙裂缝", location="操场北侧围墙")
    return Hazard.objects.get()


def test_tracking_shows_only_the_coarse_status(client, public_hazard, make_workflow):
    response = track(client, public_hazard.tracking_code)
    assert response.status_code == 200 and response.context["status"] == "已收到"
    html = response.content.decode()
    for secret in (PHONE, public_hazard.school.name, "围墙裂缝", "操场北侧围墙", "已登记"):
        assert secret not in html
    make_workflow(public_hazard, "assign")
    assert track(client, public_hazard.tracking_code).context["status"] == "整改中"
    make_workflow(public_hazard, "submit_rectification")
    response = track(client, public_hazard.tracking_code)
    assert response.context["status"] == "整改中"
    assert "worker" not in response.content.decode() and "已更换" not in response.content.decode()
    make_workflow(public_hazard, "close")
    assert track(client, public_hazard.tracking_code).context["status"] == "已整改"


def test_a_code_is_read_forgivingly(client, public_hazard):
    code = public_hazard.tracking_code
    messy = f" {code[:4].lower()}-{code[4:]} "
    assert track(client, messy).context["status"] == "已收到"


def test_an_unknown_code_says_so(client, db):
    response = track(client, "AAAA-BBBB")
    assert response.status_code == 200 and response.context["found"] is False
    assert "未找到" in response.content.decode()


def test_a_duplicate_follows_its_original(client, public_hazard, officer_a, make_workflow):
    original = HazardFactory(school=public_hazard.school)
    services.mark_duplicate(public_hazard, actor=officer_a, original=original)
    assert track(client, public_hazard.tracking_code).context["status"] == "已收到"
    make_workflow(original, "assign")
    assert track(client, public_hazard.tracking_code).context["status"] == "整改中"


def test_tracking_is_rate_limited_too(client, public_hazard, settings):
    settings.SNAPSHOT_RATE_LIMIT = "1/h"  # × 4 for look-ups
    for _n in range(4):
        assert track(client, "XXXX").status_code == 200
    assert track(client, "XXXX").status_code == 429


def test_the_contact_is_never_shown_to_the_school(
    client, api_as, public_hazard, officer_a, bureau_staff
):
    client.force_login(officer_a)
    for url in (reverse("hazard-detail", args=[public_hazard.pk]), reverse("hazard-list")):
        html = client.get(url).content.decode()
        assert public_hazard.title in html and PHONE not in html
    api = api_as(bureau_staff)
    for url in (f"/api/v1/hazards/{public_hazard.pk}/", "/api/v1/hazards/"):
        body = api.get(url).content.decode()
        assert public_hazard.title in body and PHONE not in body and "contact" not in body
    assert not hasattr(public_hazard.history.model, "reporter_contact")


# --- poster ------------------------------------------------------------------------------


def test_the_poster_is_a_qr_code_of_the_absolute_public_url(client, officer_a, school_a):
    client.force_login(officer_a)
    assert school_a.name in client.get(reverse("snapshot-posters")).content.decode()
    response = client.get(reverse("snapshot-poster", args=[school_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "css/poster.css" in html  # the print layout
    assert f"http://testserver/s/{school_a.snapshot_token}/" in html


def test_the_qr_code_decodes_to_the_public_url(client, officer_a, school_a):
    import segno

    client.force_login(officer_a)
    html = client.get(reverse("snapshot-poster", args=[school_a.pk])).content.decode()
    expected = segno.make(f"http://testserver/s/{school_a.snapshot_token}/", error="m")
    assert expected.svg_inline(scale=10, border=2, omitsize=True) in html


def test_the_poster_of_another_school_is_404(client, officer_b, school_a):
    client.force_login(officer_b)
    assert client.get(reverse("snapshot-poster", args=[school_a.pk])).status_code == 404
    assert school_a.name not in client.get(reverse("snapshot-posters")).content.decode()


def test_the_poster_needs_a_login(client, school_a):
    assert client.get(reverse("snapshot-poster", args=[school_a.pk])).status_code == 302


def test_a_chain_of_duplicates_is_followed(client, public_hazard, officer_a, make_workflow):
    middle = HazardFactory(school=public_hazard.school)
    last = HazardFactory(school=public_hazard.school)
    services.mark_duplicate(public_hazard, actor=officer_a, original=middle)
    services.mark_duplicate(middle, actor=officer_a, original=last)
    make_workflow(last, "assign")
    assert track(client, public_hazard.tracking_code).context["status"] == "整改中"


def test_a_report_that_is_no_hazard_reads_checked(client, public_hazard, officer_a):
    services.dismiss_hazard(public_hazard, actor=officer_a, reason="不是隐患", notify=False)
    response = track(client, public_hazard.tracking_code)
    assert (
        response.context["status"] == "已核查，无需整改"
        and "不是隐患" not in response.content.decode()
    )
