"""/api/v1/hazards/: list, detail, create; filters; bounded queries; language and UTF-8."""

import datetime

import pytest
from django.utils import timezone

from hazards.models import Hazard, HazardEvent, HazardPhoto
from tests.factories import HazardFactory

from .conftest import png, report


def test_list_shows_labels_and_overdue_without_timeline(api_as, bureau_staff, rectifying):
    Hazard.objects.filter(pk=rectifying.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = api_as(bureau_staff).get("/api/v1/hazards/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == rectifying.pk
    assert row["status"] == "rectifying"
    assert row["status_label"] == "整改中"
    assert row["is_overdue"] is True
    assert row["school_name"] == "甲学校"
    assert row["responsible"]["id"] == rectifying.responsible_id
    assert "events" not in row and "photos" not in row


def test_list_is_scoped(api_as, officer_b, reported, school_b, officer_a):
    assert api_as(officer_b).get("/api/v1/hazards/").json()["count"] == 0


def test_detail_has_timeline_photos_and_allowed_transitions(
    api_as, officer_a, principal_a, school_a
):
    hazard = report(school_a, officer_a, photos=[png()])
    response = api_as(principal_a).get(f"/api/v1/hazards/{hazard.pk}/")
    assert response.status_code == 200
    body = response.json()
    [event] = body["events"]
    assert event["action"] == "report"
    assert event["actor"]["name"] == str(officer_a)
    [photo] = body["photos"]
    assert photo["image"] == f"http://testserver/hazards/photos/{hazard.photos.get().uuid}/"
    assert event["photos"] == [photo]
    assert body["allowed_transitions"] == ["assign", "dismiss"]


def test_create_with_photos_multipart(api_as, teacher_a, school_a):
    response = api_as(teacher_a).post(
        "/api/v1/hazards/",
        {
            "school": school_a.pk,
            "title": "宿舍插线板私拉乱接",
            "category": "electrical",
            "level": "general",
            "source": "snapshot",
            "location": "男生宿舍3楼",
            "description": "随手拍",
            "photos": [png("a.png"), png("b.png", (0, 90, 0))],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    hazard = Hazard.objects.get(pk=body["id"])
    assert (hazard.status, hazard.reported_by, hazard.source) == ("reported", teacher_a, "snapshot")
    assert body["status_label"] == "已登记"
    assert len(body["photos"]) == 2
    assert HazardPhoto.objects.filter(hazard=hazard, event__action="report").count() == 2
    assert HazardEvent.objects.filter(hazard=hazard).count() == 1


def test_create_json_without_photos(api_as, officer_a, school_a):
    response = api_as(officer_a).post(
        "/api/v1/hazards/",
        {"school": school_a.pk, "title": "围墙破损", "category": "building", "source": "patrol"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "general"


def test_create_rejects_a_file_that_is_not_an_image(api_as, officer_a, school_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = api_as(officer_a).post(
        "/api/v1/hazards/",
        {
            "school": school_a.pk,
            "title": "x",
            "category": "fire",
            "source": "patrol",
            "photos": [bad],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Hazard.objects.exists()


def test_create_at_school_outside_scope_is_a_field_error(api_as, officer_b, school_a):
    response = api_as(officer_b).post(
        "/api/v1/hazards/",
        {"school": school_a.pk, "title": "x", "category": "fire", "source": "patrol"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["school", "code"]
    assert not Hazard.objects.exists()


def test_create_with_unknown_choice_is_400(api_as, officer_a, school_a):
    response = api_as(officer_a).post(
        "/api/v1/hazards/",
        {"school": school_a.pk, "title": "x", "category": "volcano", "source": "patrol"},
        format="json",
    )
    assert response.status_code == 400
    assert "category" in response.json()


def test_report_client_cannot_create(api_as, report_client, school_a):
    response = api_as(report_client).post(
        "/api/v1/hazards/",
        {"school": school_a.pk, "title": "x", "category": "fire", "source": "patrol"},
        format="json",
    )
    assert response.status_code == 403
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("query", ["status=foo", "category=volcano", "level=huge", "school=999999"])
def test_unknown_filter_value_is_400(api_as, bureau_staff, reported, query):
    response = api_as(bureau_staff).get(f"/api/v1/hazards/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_filters_by_status_and_overdue(api_as, bureau_staff, reported, rectifying):
    Hazard.objects.filter(pk=rectifying.pk).update(deadline=datetime.date(2000, 1, 1))
    client = api_as(bureau_staff)
    ids = lambda q: [h["id"] for h in client.get(f"/api/v1/hazards/?{q}").json()["results"]]  # noqa: E731
    assert ids("status=reported") == [reported.pk]
    assert sorted(ids("status=reported&status=rectifying")) == sorted([reported.pk, rectifying.pk])
    assert ids("overdue=true") == [rectifying.pk]
    assert ids("overdue=false") == [reported.pk]


@pytest.mark.parametrize("count", [5, 30])
def test_list_queries_are_bounded(
    token_client, officer_a, school_a, django_assert_max_num_queries, count
):
    HazardFactory.create_batch(
        count,
        school=school_a,
        reported_by=officer_a,
        responsible=officer_a,
        status=Hazard.Status.RECTIFYING,
        deadline=datetime.date(2030, 1, 1),
    )
    client = token_client(officer_a)
    # token + user's schools + count + page; the same bound for 5 and 30 rows.
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/hazards/")
    assert response.json()["count"] == count


def test_detail_queries_do_not_grow_with_the_timeline(
    api_as, principal_a, verifying, django_assert_max_num_queries
):
    client = api_as(principal_a)
    with django_assert_max_num_queries(5):  # scope, hazard, events, their photos, photos
        response = client.get(f"/api/v1/hazards/{verifying.pk}/")
    assert len(response.json()["events"]) == 3


def test_chinese_is_sent_as_utf8_not_escaped(api_as, bureau_staff, reported):
    response = api_as(bureau_staff).get(f"/api/v1/hazards/{reported.pk}/")
    assert response["Content-Type"] == "application/json"
    assert "灭火器过期".encode() in response.content
    assert b"\\u" not in response.content


@pytest.mark.parametrize(
    ("language", "required"), [("en", "This field is required."), ("zh-hans", "该字段是必填项。")]
)
def test_errors_come_in_the_request_language(api_as, officer_a, reported, language, required):
    client = api_as(officer_a)
    # A domain error (wrong state) carries ``detail``; its text is translated by the lead later.
    response = client.post(
        f"/api/v1/hazards/{reported.pk}/close/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    # officer_a may not close at all: 403 with detail; the wrong-state 400 is tested below.
    assert response.status_code == 403
    assert "detail" in response.json()
    response = client.post(
        f"/api/v1/hazards/{reported.pk}/submit_rectification/",
        {"note": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert response["Content-Language"] == language
    assert "detail" in response.json()
    # Shape errors come from DRF, which ships both languages.
    response = client.post(
        f"/api/v1/hazards/{reported.pk}/dismiss/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.json() == {"reason": [required], "code": "invalid"}


@pytest.mark.parametrize("url", ["/api/v1/hazards/", "/api/v1/hazards/{id}/", "/api/v1/schools/"])
def test_browsable_api_renders(client, officer_a, reported, url):
    """The HTML renderer (filters form, POST forms) works for a signed-in user."""
    client.force_login(officer_a)
    response = client.get(url.format(id=reported.pk), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "灭火器过期" in response.content.decode() or "甲学校" in response.content.decode()


def test_out_of_scope_404_message_is_translated(api_as, officer_b, school_a):
    from tests.factories import HazardFactory

    hazard = HazardFactory(school=school_a)
    response = api_as(officer_b).get(
        f"/api/v1/hazards/{hazard.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 404
    assert "matches the given query" not in response.json()["detail"]


def test_page_size_is_chosen_by_the_client_and_capped(api_as, bureau_staff, school_a, monkeypatch):
    from core.pagination import Pagination

    for n in range(5):
        HazardFactory(school=school_a, title=f"隐患{n}")
    client = api_as(bureau_staff)
    body = client.get("/api/v1/hazards/", {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (5, 2) and "page_size=2" in body["next"]
    monkeypatch.setattr(Pagination, "max_page_size", 3)
    assert len(client.get("/api/v1/hazards/", {"page_size": 100}).json()["results"]) == 3


@pytest.mark.parametrize("page", ["3", "1000000", "99999999999999999999"])
def test_a_page_past_the_end_is_an_empty_page(api_as, bureau_staff, school_a, page):
    HazardFactory.create_batch(3, school=school_a)
    response = api_as(bureau_staff).get("/api/v1/hazards/", {"page_size": 2, "page": page})
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["results"], body["next"]) == (3, [], None)
    assert body["previous"].endswith("page=2&page_size=2")  # the last page with rows


def test_a_page_past_the_end_of_nothing_has_no_previous(api_as, bureau_staff):
    body = api_as(bureau_staff).get("/api/v1/hazards/", {"page": 5}).json()
    assert (body["count"], body["previous"]) == (0, None)


@pytest.mark.parametrize("page", ["0", "-1", "x"])
def test_a_page_that_is_not_a_positive_number_is_a_400(api_as, bureau_staff, page):
    response = api_as(bureau_staff).get("/api/v1/hazards/", {"page": page})
    assert response.status_code == 400 and response.json()["page"] == ["页码须为正整数。"]


def test_a_null_character_in_the_search_is_a_400_in_plain_words(api_as, bureau_staff):
    response = api_as(bureau_staff).get("/api/v1/hazards/", {"q": "灭火\x00"})
    assert response.status_code == 400
    assert response.json()["q"] == ["关键词含有无效的空字符，请删除后重试。"]


def test_a_forged_sync_cursor_is_a_400(api_as, bureau_staff):
    for cursor in ("not-a-cursor", "WzEsMl0", "WyIyMDI1LTAxLTAxVDAwOjAwOjAwKzA4OjAwIiwiMSJd"):
        response = api_as(bureau_staff).get("/api/v1/hazards/", {"cursor": cursor})
        assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
