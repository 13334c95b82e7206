"""Photos on checklist answers and the department owning a joint-inspection finding:
through the phone checklist page, the API, and the ledger each user sees."""

import datetime

import pytest
from django.urls import reverse
from PIL import Image

from hazards.models import Hazard
from inspections.models import Inspection, InspectionAnswer, InspectionAnswerPhoto
from tests.factories import DepartmentFactory, InspectionFactory, UserFactory
from tests.hazards.conftest import jpeg_bytes, upload
from tests.hazards.test_images import phone_exif

API = "/api/v1/inspections/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def gps_photo(name="现场.jpg"):
    return upload(jpeg_bytes(exif=phone_exif(6), mark=True), name)


def fill_form(inspection, all_pass, **overrides):
    """POST data of the checklist page answering every item (``overrides``: code → result)."""
    data = {f"result_{code}": result for code, (result, _note) in all_pass(inspection).items()}
    data.update({f"result_{code}": result for code, result in overrides.items()})
    return data


# --- photos --------------------------------------------------------------------------


def test_photo_taken_on_the_phone_page_goes_to_the_answer_and_then_the_hazard(
    client, officer_b, officer_a, cross_b_on_a, all_pass
):
    client.force_login(officer_b)
    url = reverse("inspection-fill", args=[cross_b_on_a.pk])
    data = fill_form(cross_b_on_a, all_pass, E6="fail")
    data |= {
        "note_E6": "二楼疏散通道堆放桌椅",
        "photos_E6": [gps_photo(), gps_photo("2.jpg")],
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    answer = InspectionAnswer.objects.get(inspection=cross_b_on_a, item__code="E6")
    assert answer.photos.count() == 2
    hazard = answer.hazard
    assert hazard.school_id == cross_b_on_a.school_id and hazard.photos.count() == 2
    # Cleaned: upright (the sideways phone picture is now 100×200) and without EXIF/GPS.
    with Image.open(hazard.photos.first().image.path) as image:
        assert image.size == (100, 200) and not image.getexif()
    # The inspected school's officer sees the photos in the ledger's hazard page.
    client.force_login(officer_a)
    html = client.get(reverse("hazard-detail", args=[hazard.pk])).content.decode()
    assert hazard.photos.first().get_absolute_url() in html
    # The inspection's own page shows the answer's photos.
    html = client.get(reverse("inspection-detail", args=[cross_b_on_a.pk])).content.decode()
    assert answer.photos.first().get_absolute_url() in html


def test_photo_for_an_unanswered_item_is_refused_and_nothing_is_saved(
    client, officer_b, cross_b_on_a
):
    client.force_login(officer_b)
    response = client.post(
        reverse("inspection-fill", args=[cross_b_on_a.pk]),
        {"result_E1": "pass", "photos_E2": gps_photo(), "save": "1"},
    )
    assert response.status_code == 400
    assert "E2" in response.content.decode()
    assert not InspectionAnswer.objects.exists() and not InspectionAnswerPhoto.objects.exists()


def test_a_file_that_is_not_a_picture_keeps_the_saved_answers(client, officer_b, cross_b_on_a):
    client.force_login(officer_b)
    url = reverse("inspection-fill", args=[cross_b_on_a.pk])
    assert client.post(url, {"result_E1": "pass", "save": "1"}).status_code == 302
    bad = upload(b"%PDF-1.4 not a photo", "scan.jpg")
    response = client.post(
        url, {"result_E1": "fail", "result_E2": "fail", "photos_E2": bad, "save": "1"}
    )
    assert response.status_code == 400
    assert "无法识别的图片文件" in response.content.decode()
    assert list(InspectionAnswer.objects.values_list("item__code", "result")) == [("E1", "pass")]


def test_api_adds_photos_to_a_stored_answer(api_as, officer_b, cross_b_on_a):
    client = api_as(officer_b)
    client.post(
        f"{API}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "E6", "result": "fail"}]},
        format="json",
    )
    response = client.post(
        f"{API}{cross_b_on_a.pk}/photos/",
        {"code": "E6", "photos": [gps_photo()]},
        format="multipart",
    )
    assert response.status_code == 200
    answer = next(a for a in response.json()["answers"] if a["code"] == "E6")
    assert len(answer["photos"]) == 1
    # The URL is the checking view's; the same API client fetches the cleaned JPEG there.
    photo = client.get(answer["photos"][0]["image"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "E7", "photos": "x"}, "detail"),  # E7 has no answer yet
        ({"code": "E6"}, "photos"),  # no file
    ],
)
def test_api_photo_upload_bad_input_is_400(api_as, officer_b, cross_b_on_a, data, field):
    client = api_as(officer_b)
    client.post(
        f"{API}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "E6", "result": "fail"}]},
        format="json",
    )
    if data.get("photos") == "x":
        data = {**data, "photos": [gps_photo()]}
    response = client.post(f"{API}{cross_b_on_a.pk}/photos/", data, format="multipart")
    assert response.status_code == 400
    assert field in response.json()
    assert not InspectionAnswerPhoto.objects.exists()


def test_api_photo_upload_after_submission_is_400(api_as, officer_b, cross_b_on_a, all_pass):
    from inspections import services

    services.answer_items(cross_b_on_a, actor=officer_b, answers=all_pass(cross_b_on_a))
    services.submit_inspection(cross_b_on_a, actor=officer_b)
    response = api_as(officer_b).post(
        f"{API}{cross_b_on_a.pk}/photos/",
        {"code": "E6", "photos": [gps_photo()]},
        format="multipart",
    )
    assert response.status_code == 400


def test_api_photo_upload_by_someone_who_may_not_fill_is_403(api_as, officer_a, cross_b_on_a):
    response = api_as(officer_a).post(
        f"{API}{cross_b_on_a.pk}/photos/",
        {"code": "E6", "photos": [gps_photo()]},
        format="multipart",
    )
    assert response.status_code == 403


# --- departments owning findings -------------------------------------------------------


@pytest.fixture
def joint(school_a, checklist):
    """A joint inspection of school A by the police and the fire brigade, with one member
    of each (no school scope: they see what their department takes part in or owns)."""
    police, fire = DepartmentFactory(name="公安局"), DepartmentFactory(name="消防救援大队")
    inspection = InspectionFactory(
        kind=Inspection.Kind.JOINT,
        school=school_a,
        checklist=checklist,
        date=datetime.date(2025, 5, 12),
        title="联合检查",
    )
    inspection.departments.add(police, fire)
    return {
        "inspection": inspection,
        "police": police,
        "fire": fire,
        "police_member": UserFactory(role="inspector", department=police),
        "fire_member": UserFactory(role="inspector", department=fire),
        "other_member": UserFactory(
            role="inspector", department=DepartmentFactory(name="市场监管局")
        ),
    }


def submit_joint(api_as, joint, all_pass):
    inspection = joint["inspection"]
    answers = [{"code": c, "result": r, "note": n} for c, (r, n) in all_pass(inspection).items()]
    for answer in answers:
        if answer["code"] == "M1":
            answer["result"] = "fail"  # the filler's own department by default
        if answer["code"] == "E6":
            answer |= {"result": "fail", "department": joint["fire"].pk}
    response = api_as(joint["police_member"]).post(
        f"{API}{inspection.pk}/submit/", {"answers": answers}, format="json"
    )
    assert response.status_code == 200, response.json()
    return {h.title[:2].strip(): h for h in Hazard.objects.filter(inspection=inspection)}


def test_findings_belong_to_the_chosen_or_the_fillers_department(api_as, joint, all_pass):
    found = submit_joint(api_as, joint, all_pass)
    assert found["M1"].department == joint["police"]
    assert found["E6"].department == joint["fire"]


def test_a_department_member_sees_the_findings_their_department_owns(
    api_as, client, joint, all_pass, officer_a
):
    found = submit_joint(api_as, joint, all_pass)
    for member, titles in [
        (joint["police_member"], {found["M1"].pk}),
        (joint["fire_member"], {found["E6"].pk}),
        (joint["other_member"], set()),
        (officer_a, {found["M1"].pk, found["E6"].pk}),
    ]:
        ids = {h["id"] for h in api_as(member).get("/api/v1/hazards/").json()["results"]}
        assert ids == titles, member
    client.force_login(joint["fire_member"])
    assert client.get(reverse("hazard-detail", args=[found["E6"].pk])).status_code == 200
    assert client.get(reverse("hazard-detail", args=[found["M1"].pk])).status_code == 404
    html = client.get(reverse("hazard-list")).content.decode()
    assert found["E6"].title in html and found["M1"].title not in html


def test_a_department_that_did_not_take_part_is_400(api_as, joint, all_pass):
    inspection = joint["inspection"]
    other = joint["other_member"].department
    response = api_as(joint["police_member"]).post(
        f"{API}{inspection.pk}/answers/",
        {"answers": [{"code": "E6", "result": "fail", "department": other.pk}]},
        format="json",
    )
    assert response.status_code == 400
    assert other.name in response.json()["detail"]
    assert not InspectionAnswer.objects.exists()


def test_the_phone_page_offers_the_taking_part_departments(client, joint, all_pass):
    inspection = joint["inspection"]
    client.force_login(joint["police_member"])
    url = reverse("inspection-fill", args=[inspection.pk])
    html = client.get(url).content.decode()
    assert "消防救援大队" in html and "市场监管局" not in html
    data = fill_form(inspection, all_pass, E6="fail") | {
        "department_E6": joint["fire"].pk,
        "submit": "1",
    }
    assert client.post(url, data).status_code == 302
    assert Hazard.objects.get(inspection=inspection).department == joint["fire"]


def test_the_phone_page_refuses_an_unknown_department(client, joint, all_pass):
    inspection = joint["inspection"]
    client.force_login(joint["fire_member"])
    url = reverse("inspection-fill", args=[inspection.pk])
    for value in ("99999", "abc"):
        response = client.post(url, {"result_E6": "fail", "department_E6": value, "save": "1"})
        assert response.status_code == 400 and "负责部门无效" in response.content.decode()
    other = joint["other_member"].department.pk
    response = client.post(url, {"result_E6": "fail", "department_E6": other, "save": "1"})
    assert response.status_code == 400 and "未参加本次检查" in response.content.decode()
    assert not InspectionAnswer.objects.exists()


def test_a_failed_joint_item_needs_an_owner_when_it_cannot_be_told(api_as, bureau_staff, joint):
    inspection = joint["inspection"]
    client = api_as(bureau_staff)  # not a member of either department
    url = f"{API}{inspection.pk}/answers/"
    response = client.post(url, {"answers": [{"code": "E6", "result": "fail"}]}, format="json")
    assert response.status_code == 400 and "E6" in response.json()["detail"]
    assert (
        client.post(url, {"answers": [{"code": "E6", "result": "pass"}]}, format="json").status_code
        == 200
    )
    answer = {"code": "E6", "result": "fail", "department": joint["police"].pk}
    assert client.post(url, {"answers": [answer]}, format="json").status_code == 200
    assert InspectionAnswer.objects.get().department == joint["police"]


def test_the_inspection_page_links_only_the_findings_the_user_may_open(
    api_as, client, joint, all_pass
):
    found = submit_joint(api_as, joint, all_pass)
    client.force_login(joint["fire_member"])
    html = client.get(reverse("inspection-detail", args=[joint["inspection"].pk])).content.decode()
    assert reverse("hazard-detail", args=[found["E6"].pk]) in html
    assert reverse("hazard-detail", args=[found["M1"].pk]) not in html and found["M1"].title in html


def test_an_item_that_does_not_apply_to_the_school_is_400(
    api_as, officer_b, cross_b_on_a, checklist
):
    from inspections.models import ChecklistItem

    boarding = ChecklistItem.objects.filter(checklist=checklist, boarding_only=True).first()
    assert not cross_b_on_a.school.is_boarding
    response = api_as(officer_b).post(
        f"{API}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": boarding.code, "result": "fail"}]},
        format="json",
    )
    assert response.status_code == 400 and boarding.code in response.json()["detail"]
    response = api_as(officer_b).post(
        f"{API}{cross_b_on_a.pk}/photos/",
        {"code": boarding.code, "photos": [gps_photo()]},
        format="multipart",
    )
    assert response.status_code == 400 and "code" in response.json()


def test_a_note_over_2000_characters_is_400(api_as, officer_b, cross_b_on_a):
    response = api_as(officer_b).post(
        f"{API}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "E6", "result": "fail", "note": "长" * 2001}]},
        format="json",
    )
    assert response.status_code == 400
    assert not InspectionAnswer.objects.exists()


def test_the_phone_page_of_a_submitted_inspection_leads_back_to_it(
    client, officer_b, cross_b_on_a, all_pass
):
    from inspections import services

    services.answer_items(cross_b_on_a, actor=officer_b, answers=all_pass(cross_b_on_a))
    services.submit_inspection(cross_b_on_a, actor=officer_b)
    client.force_login(officer_b)
    response = client.get(reverse("inspection-fill", args=[cross_b_on_a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("inspection-detail", args=[cross_b_on_a.pk])
    assert (
        response.content.decode().count("检查已提交，不能再修改结果。") == 1
    )  # one message, not two


def test_a_department_inspector_without_schools_is_not_offered_reporting(client, joint):
    client.force_login(joint["police_member"])
    html = client.get(reverse("inspection-list")).content.decode()
    assert reverse("hazard-create") not in html and reverse("snapshot") not in html


def test_a_non_ascii_digit_as_department_is_400_not_500(client, joint):
    client.force_login(joint["fire_member"])
    for value in ("²", "9" * 30, "1.5", "-1"):
        response = client.post(
            reverse("inspection-fill", args=[joint["inspection"].pk]),
            {"result_E6": "fail", "department_E6": value, "save": "1"},
        )
        assert response.status_code == 400


def test_a_nul_character_in_a_note_is_400(client, officer_b, cross_b_on_a):
    client.force_login(officer_b)
    response = client.post(
        reverse("inspection-fill", args=[cross_b_on_a.pk]),
        {"result_E1": "fail", "note_E1": "c\x00d", "save": "1"},
    )
    assert response.status_code == 400 and "E1" in response.content.decode()
    assert not InspectionAnswer.objects.exists()


def test_at_most_nine_photos_per_item(api_as, officer_b, cross_b_on_a):
    client = api_as(officer_b)
    client.post(
        f"{API}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "E6", "result": "fail"}]},
        format="json",
    )
    url = f"{API}{cross_b_on_a.pk}/photos/"
    assert (
        client.post(
            url, {"code": "E6", "photos": [gps_photo() for _ in range(8)]}, format="multipart"
        ).status_code
        == 200
    )
    response = client.post(
        url, {"code": "E6", "photos": [gps_photo(), gps_photo()]}, format="multipart"
    )
    assert response.status_code == 400 and "9" in str(response.json())
    assert InspectionAnswerPhoto.objects.count() == 8


def test_a_bad_photo_names_its_item(client, officer_b, cross_b_on_a):
    client.force_login(officer_b)
    response = client.post(
        reverse("inspection-fill", args=[cross_b_on_a.pk]),
        {"result_E2": "fail", "photos_E2": upload(b"not a photo", "x.jpg"), "save": "1"},
    )
    assert response.status_code == 400 and "E2：" in response.content.decode()


def test_the_ledger_filters_by_owning_department(api_as, client, bureau_staff, joint, all_pass):
    found = submit_joint(api_as, joint, all_pass)
    client.force_login(bureau_staff)
    html = client.get(reverse("hazard-list"), {"department": joint["fire"].pk}).content.decode()
    assert found["E6"].title in html and found["M1"].title not in html
    ids = [
        h["id"]
        for h in api_as(bureau_staff)
        .get("/api/v1/hazards/", {"department": joint["police"].pk})
        .json()["results"]
    ]
    assert ids == [found["M1"].pk]
