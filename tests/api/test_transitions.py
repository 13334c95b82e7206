"""POST /api/v1/hazards/{id}/{transition}/: one service call, one event, the fresh hazard back."""

import datetime

import pytest

from hazards import services
from hazards.models import Hazard, HazardEvent

from .conftest import png, report


def post(client, hazard, name, data=None, **kwargs):
    kwargs.setdefault("format", "json")
    return client.post(f"/api/v1/hazards/{hazard.pk}/{name}/", data or {}, **kwargs)


def assert_one_event(hazard, before, action, actor, to_status):
    events = HazardEvent.objects.filter(hazard=hazard).order_by("id")
    assert events.count() == before + 1
    last = events.last()
    assert (last.action, last.actor, last.to_status) == (action, actor, to_status)
    return last


def test_assign(api_as, officer_a, reported):
    response = post(
        api_as(officer_a),
        reported,
        "assign",
        {
            "responsible": officer_a.pk,
            "measures": "更换灭火器",
            "deadline": "2099-01-31",
            "comment": "限期整改",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["deadline"], body["measures"]) == (
        "rectifying",
        "2099-01-31",
        "更换灭火器",
    )
    assert body["responsible"]["id"] == officer_a.pk
    assert [e["action"] for e in body["events"]] == ["report", "assign"]
    event = assert_one_event(reported, 1, "assign", officer_a, "rectifying")
    assert event.comment == "限期整改"


def test_assign_major_needs_funding_and_plan(api_as, bureau_staff, officer_a, school_a):
    hazard = report(school_a, officer_a, level=Hazard.Level.MAJOR)
    response = post(
        api_as(bureau_staff), hazard, "assign", {"responsible": officer_a.pk, "measures": "加固"}
    )
    assert response.status_code == 400
    body = response.json()
    assert {"detail", "funding_yuan", "contingency_plan"} <= set(body)
    hazard.refresh_from_db()
    assert hazard.status == "reported"

    response = post(
        api_as(bureau_staff),
        hazard,
        "assign",
        {
            "responsible": officer_a.pk,
            "measures": "加固",
            "funding_yuan": "120000.50",
            "contingency_plan": "封闭危险区域",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["funding_yuan"] == "120000.50"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"measures": "x"}, "responsible"),
        ({"responsible": "{officer_b}", "measures": "x"}, "responsible"),  # another school
        ({"responsible": "{officer_a}", "measures": "x", "deadline": "2000-01-01"}, "deadline"),
        ({"responsible": "{officer_a}", "measures": "x", "deadline": "31/01/2099"}, "deadline"),
        ({"responsible": "{officer_a}", "measures": "x", "funding_yuan": "-1"}, "funding_yuan"),
        ({"responsible": "{officer_a}", "measures": "x", "funding_yuan": "abc"}, "funding_yuan"),
        ({"responsible": "{officer_a}"}, "measures"),
    ],
)
def test_assign_bad_input_is_a_field_error(api_as, officer_a, officer_b, reported, data, field):
    data = {k: v.format(officer_a=officer_a.pk, officer_b=officer_b.pk) for k, v in data.items()}
    response = post(api_as(officer_a), reported, "assign", data)
    assert response.status_code == 400
    assert field in response.json()
    assert HazardEvent.objects.filter(hazard=reported).count() == 1


def test_submit_rectification_with_photos(api_as, officer_a, rectifying):
    response = post(
        api_as(officer_a),
        rectifying,
        "submit_rectification",
        {"note": "已更换全部灭火器", "photos": [png()]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["rectification_note"]) == ("verifying", "已更换全部灭火器")
    assert body["submitted_by"]["id"] == officer_a.pk
    event = assert_one_event(rectifying, 2, "submit_rectification", officer_a, "verifying")
    assert event.photos.count() == 1
    url = body["events"][-1]["photos"][0]["image"]
    assert url == f"http://testserver/hazards/photos/{event.photos.get().uuid}/"


def test_reject_rectification_needs_comment_then_sends_back(api_as, bureau_staff, verifying):
    client = api_as(bureau_staff)
    assert "comment" in post(client, verifying, "reject_rectification", {"comment": "  "}).json()
    response = post(client, verifying, "reject_rectification", {"comment": "照片不清晰"})
    assert response.status_code == 200
    assert response.json()["status"] == "rectifying"
    assert_one_event(verifying, 3, "reject_rectification", bureau_staff, "rectifying")


def test_close(api_as, bureau_staff, verifying):
    response = post(api_as(bureau_staff), verifying, "close", {"comment": "验收合格"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_label"]) == ("closed", "已销号")
    assert body["closed_by"]["id"] == bureau_staff.pk and body["closed_at"]
    assert body["allowed_transitions"] == []
    assert_one_event(verifying, 3, "close", bureau_staff, "closed")


def test_dismiss(api_as, principal_a, reported):
    response = post(api_as(principal_a), reported, "dismiss", {"reason": "重复登记"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["dismiss_reason"]) == (
        "dismissed",
        "重复登记",
    )
    assert_one_event(reported, 1, "dismiss", principal_a, "dismissed")


def test_submitter_cannot_close_own_rectification(api_as, principal_a, rectifying):
    """Separation of duties: principal_a may close general hazards, but not one they submitted."""
    client = api_as(principal_a)
    assert post(client, rectifying, "submit_rectification", {"note": "已整改"}).status_code == 200
    for name in ("close", "reject_rectification"):
        response = post(client, rectifying, name, {"comment": "自己验收"})
        assert response.status_code == 403
        assert "detail" in response.json()
    rectifying.refresh_from_db()
    assert rectifying.status == "verifying"
    assert HazardEvent.objects.filter(hazard=rectifying).count() == 3


@pytest.mark.parametrize(
    ("fixture", "name", "data"),
    [
        ("reported", "close", {}),
        ("reported", "submit_rectification", {"note": "x"}),
        ("rectifying", "assign", {"responsible": "{officer_a}", "measures": "x"}),
        ("verifying", "dismiss", {"reason": "x"}),
    ],
)
def test_wrong_state_is_400_with_a_message(
    request, api_as, bureau_staff, principal_a, officer_a, fixture, name, data
):
    hazard = request.getfixturevalue(fixture)
    data = {k: v.format(officer_a=officer_a.pk) for k, v in data.items()}
    before = HazardEvent.objects.filter(hazard=hazard).count()
    response = post(api_as(principal_a), hazard, name, data)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert HazardEvent.objects.filter(hazard=hazard).count() == before


def test_other_school_gets_404_for_detail_and_transitions(api_as, officer_b, reported):
    client = api_as(officer_b)
    assert client.get(f"/api/v1/hazards/{reported.pk}/").status_code == 404
    for name in services.PERMISSIONS:
        assert post(client, reported, name, {"reason": "x"}).status_code == 404
    assert HazardEvent.objects.filter(hazard=reported).count() == 1


def test_unknown_hazard_is_404(api_as, bureau_staff, db):
    assert post(api_as(bureau_staff), Hazard(pk=999999), "close").status_code == 404


def test_transition_is_post_only(api_as, bureau_staff, verifying):
    assert api_as(bureau_staff).get(f"/api/v1/hazards/{verifying.pk}/close/").status_code == 405


def test_full_workflow_over_the_api(token_client, officer_a, bureau_staff, school_a):
    """查→改→督→(退回)→督→销 through HTTP only, each step one event."""
    officer, bureau = token_client(officer_a), token_client(bureau_staff)
    created = officer.post(
        "/api/v1/hazards/",
        {
            "school": school_a.pk,
            "title": "配电箱未上锁",
            "category": "electrical",
            "source": "patrol",
        },
        format="json",
    ).json()
    hazard = Hazard.objects.get(pk=created["id"])
    steps = [
        (
            officer,
            "assign",
            {
                "responsible": officer_a.pk,
                "measures": "加锁",
                "deadline": str(datetime.date(2099, 1, 1)),
            },
        ),
        (officer, "submit_rectification", {"note": "已加锁"}),
        (bureau, "reject_rectification", {"comment": "缺少警示标识"}),
        (officer, "submit_rectification", {"note": "已加锁并张贴标识"}),
        (bureau, "close", {}),
    ]
    for client, name, data in steps:
        assert post(client, hazard, name, data).status_code == 200, name
    detail = bureau.get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert detail["status"] == "closed"
    assert [e["action"] for e in detail["events"]] == ["report"] + [name for _, name, _ in steps]


@pytest.mark.parametrize("name", list(services.PERMISSIONS))
def test_refused_role_gets_403_before_its_body_is_validated(
    api_as, report_client, teacher_a, reported, name
):
    """A role that may never do this gets 403 even with an empty body, not a 400 that
    would invite it to fix its input."""
    for user in (report_client, teacher_a):
        assert post(api_as(user), reported, name).status_code == 403
    assert api_as(report_client).post("/api/v1/hazards/", {}, format="json").status_code == 403
