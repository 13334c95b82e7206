"""POST /api/v1/hazards/ with a client_id: a retry returns the first hazard (200)."""

import uuid

from hazards.models import Hazard, HazardPhoto

URL = "/api/v1/hazards/"


def body(school, client_id, **extra):
    return {
        "school": school.pk,
        "title": "灭火器过期",
        "category": "fire",
        "source": "snapshot",
        "client_id": str(client_id),
        **extra,
    }


def test_a_retry_with_the_same_client_id_returns_the_first_hazard(api_as, teacher_a, school_a):
    api, client_id = api_as(teacher_a), uuid.uuid4()
    first = api.post(URL, body(school_a, client_id), format="json")
    second = api.post(URL, body(school_a, client_id, title="网络重试"), format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] == Hazard.objects.get().pk
    assert Hazard.objects.get().title == "灭火器过期"


def test_without_client_id_each_post_is_a_new_hazard(api_as, teacher_a, school_a):
    api = api_as(teacher_a)
    for _n in range(2):
        data = body(school_a, "")
        del data["client_id"]
        assert api.post(URL, data, format="json").status_code == 201
    assert Hazard.objects.count() == 2


def test_another_reporters_client_id_files_a_new_hazard_and_reveals_nothing(
    api_as, teacher_a, officer_b, school_a, school_b
):
    client_id = uuid.uuid4()
    first = api_as(teacher_a).post(URL, body(school_a, client_id), format="json")
    assert first.status_code == 201
    response = api_as(officer_b).post(URL, body(school_b, client_id), format="json")
    assert response.status_code == 201  # the key is unique per reporter, not globally
    assert response.json()["id"] != first.json()["id"]
    assert Hazard.objects.count() == 2


def test_a_bad_client_id_is_400(api_as, teacher_a, school_a):
    response = api_as(teacher_a).post(URL, body(school_a, "123"), format="json")
    assert response.status_code == 400 and "client_id" in response.json()


def test_the_schema_documents_client_id(api_as, bureau_staff):
    schema = api_as(bureau_staff).get("/api/schema/?format=json").content.decode()
    assert "client_id" in schema and "reporter_contact" not in schema


def test_photos_carry_their_thumbnail_url(
    api_as, teacher_a, school_a, django_capture_on_commit_callbacks
):
    from tests.hazards.conftest import jpeg_bytes, upload

    api = api_as(teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            URL,
            {**body(school_a, uuid.uuid4()), "photos": [upload(jpeg_bytes())]},
            format="multipart",
        )
    assert created.status_code == 201
    photo = api.get(f"{URL}{created.json()['id']}/").json()["photos"][0]
    stored = HazardPhoto.objects.get(pk=photo["id"])
    assert photo["thumbnail"] == f"http://testserver/hazards/photos/{stored.uuid}/thumbnail/"
    assert photo["image"] == f"http://testserver/hazards/photos/{stored.uuid}/"
