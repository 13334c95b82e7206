import datetime

import pytest

from hazards.models import Hazard
from inspections.models import CrossInspectionRound, Inspection
from tests.factories import DepartmentFactory, InspectionFactory, SchoolFactory

URL = "/api/v1/inspections/"


def answer_list(answers):
    return [{"code": c, "result": r, "note": n} for c, (r, n) in answers.items()]


def test_submit_with_unanswered_items_is_400_listing_them(
    api_as, cross_b_on_a, officer_b, all_pass
):
    answers = all_pass(cross_b_on_a)
    del answers["A1"], answers["K4"]
    response = api_as(officer_b).post(
        f"{URL}{cross_b_on_a.pk}/submit/", {"answers": answer_list(answers)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["unanswered"] == ["A1", "K4"]
    assert "A1" in response.json()["detail"]


def test_answer_not_on_checklist_is_400(api_as, cross_b_on_a, officer_b):
    response = api_as(officer_b).post(
        f"{URL}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "Z9", "result": "pass"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "Z9" in response.json()["detail"]


def test_bad_result_is_400(api_as, cross_b_on_a, officer_b):
    response = api_as(officer_b).post(
        f"{URL}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "E1", "result": "maybe"}]},
        format="json",
    )
    assert response.status_code == 400


def test_submit_creates_hazard_in_inspected_ledger(
    api_as, cross_b_on_a, officer_b, officer_a, all_pass
):
    answers = all_pass(cross_b_on_a, E9=("fail", "楼道内电动车充电"))
    client = api_as(officer_b)
    response = client.post(
        f"{URL}{cross_b_on_a.pk}/submit/", {"answers": answer_list(answers)}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert client.post(f"{URL}{cross_b_on_a.pk}/submit/", {}, format="json").status_code == 200
    ledger = api_as(officer_a).get("/api/v1/hazards/").json()["results"]
    assert [(h["level"], h["source"]) for h in ledger] == [("major", "cross_inspection")]
    assert Hazard.objects.count() == 1


def test_officer_of_b_cannot_see_a_inspections(api_as, school_a, officer_b):
    own = InspectionFactory(school=school_a, kind=Inspection.Kind.SELF)
    client = api_as(officer_b)
    assert client.get(f"{URL}{own.pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []


def test_inspecting_team_sees_its_cross_inspection(api_as, cross_b_on_a, officer_b, officer_a):
    assert api_as(officer_b).get(f"{URL}{cross_b_on_a.pk}/").status_code == 200
    assert api_as(officer_a).get(f"{URL}{cross_b_on_a.pk}/").status_code == 200


def test_inspected_school_cannot_fill_a_cross_inspection(api_as, cross_b_on_a, officer_a):
    response = api_as(officer_a).post(
        f"{URL}{cross_b_on_a.pk}/answers/",
        {"answers": [{"code": "E1", "result": "pass"}]},
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "joint"}, ["joint"]),
        ({"kind": "self"}, ["self"]),
        ({"status": "submitted"}, ["self"]),
        ({"date_after": "2024-06-01"}, ["self"]),
        ({"date_before": "2024-06-01"}, ["joint"]),
    ],
)
def test_filters(api_as, bureau_staff, school_a, query, expected):
    InspectionFactory(school=school_a, kind="joint", date=datetime.date(2024, 5, 1))
    InspectionFactory(
        school=school_a, kind="self", status="submitted", date=datetime.date(2024, 7, 1)
    )
    rows = api_as(bureau_staff).get(URL, query).json()["results"]
    assert [r["kind"] for r in rows] == expected


def test_filter_by_department_school_and_round(api_as, bureau_staff, school_a, school_b, checklist):
    police = DepartmentFactory()
    joint = InspectionFactory(school=school_a)
    joint.departments.add(police)
    InspectionFactory(school=school_b)
    client = api_as(bureau_staff)
    assert [r["id"] for r in client.get(URL, {"department": police.pk}).json()["results"]] == [
        joint.pk
    ]
    assert [r["id"] for r in client.get(URL, {"school": school_a.pk}).json()["results"]] == [
        joint.pk
    ]
    assert client.get(URL, {"kind": "nonsense"}).status_code == 400


def test_checklists_endpoint(api_as, officer_a, checklist):
    data = api_as(officer_a).get(f"/api/v1/checklists/{checklist.pk}/").json()
    e = next(s for s in data["sections"] if s["code"] == "E")
    assert {i["code"]: i["is_major"] for i in e["items"]}["E6"] is True


def round_payload(checklist, schools):
    return {
        "name": "2025年春季互查",
        "period_start": "2025-04-01",
        "period_end": "2025-04-30",
        "checklist": checklist.pk,
        "schools": [s.pk for s in schools],
    }


def test_round_open_edit_publish(api_as, bureau_staff, checklist):
    schools = [SchoolFactory() for _ in range(4)]
    client = api_as(bureau_staff)
    response = client.post(
        "/api/v1/cross-inspection-rounds/", round_payload(checklist, schools), format="json"
    )
    assert response.status_code == 201, response.json()
    rnd = response.json()
    assert len(rnd["pairings"]) == 4
    ids = [s.pk for s in schools]
    edited = [[ids[0], ids[2]], [ids[2], ids[1]], [ids[1], ids[3]], [ids[3], ids[0]]]
    url = f"/api/v1/cross-inspection-rounds/{rnd['id']}/"
    assert client.put(f"{url}pairings/", {"pairings": edited}, format="json").status_code == 200
    mutual = [[ids[0], ids[1]], [ids[1], ids[0]], [ids[2], ids[3]], [ids[3], ids[2]]]
    assert client.put(f"{url}pairings/", {"pairings": mutual}, format="json").status_code == 400
    assert client.post(f"{url}publish/").json()["status"] == "published"
    made = Inspection.objects.filter(round_id=rnd["id"]).values_list(
        "inspecting_school_id", "school_id"
    )
    assert sorted(made) == sorted(map(tuple, edited))
    assert client.post(f"{url}propose/").status_code == 400  # published: pairings are fixed


def test_round_with_two_schools_is_400(api_as, bureau_staff, checklist, school_a, school_b):
    response = api_as(bureau_staff).post(
        "/api/v1/cross-inspection-rounds/",
        round_payload(checklist, [school_a, school_b]),
        format="json",
    )
    assert response.status_code == 400
    assert not CrossInspectionRound.objects.exists()


def test_only_bureau_opens_rounds(api_as, officer_a, checklist, school_a):
    response = api_as(officer_a).post(
        "/api/v1/cross-inspection-rounds/", round_payload(checklist, [school_a]), format="json"
    )
    assert response.status_code == 403


def test_overdue_filter(api_as, bureau_staff, school_a):
    late = InspectionFactory(school=school_a, date=datetime.date(2020, 1, 1))
    InspectionFactory(school=school_a, date=datetime.date(2020, 1, 1), status="submitted")
    InspectionFactory(school=school_a, date=datetime.date(2099, 1, 1))
    client = api_as(bureau_staff)
    assert [r["id"] for r in client.get(URL, {"overdue": "true"}).json()["results"]] == [late.pk]
    assert len(client.get(URL, {"overdue": "false"}).json()["results"]) == 2
    assert client.get(URL, {"overdue": "maybe"}).status_code == 400


def test_list_queries_do_not_grow_with_rows(
    api_as, bureau_staff, cross_b_on_a, officer_b, all_pass, django_assert_max_num_queries
):
    from inspections import services

    services.answer_items(cross_b_on_a, actor=officer_b, answers=all_pass(cross_b_on_a))
    client = api_as(bureau_staff)
    with django_assert_max_num_queries(8):
        client.get(URL)
    for _ in range(5):
        InspectionFactory().departments.add(DepartmentFactory())
    with django_assert_max_num_queries(8):
        assert len(client.get(URL).json()["results"]) == 6


def test_department_member_sees_only_their_joint_inspections(api_as, school_a, checklist, all_pass):
    from tests.factories import UserFactory

    police, fire = DepartmentFactory(), DepartmentFactory()
    theirs = InspectionFactory(school=school_a, checklist=checklist)
    theirs.departments.add(police, fire)
    other = InspectionFactory(school=school_a)
    other.departments.add(fire)
    member = UserFactory(role="inspector", department=police)
    client = api_as(member)
    assert [r["id"] for r in client.get(URL).json()["results"]] == [theirs.pk]
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    answers = answer_list(all_pass(theirs, M1=("fail", "校门口150米有网吧")))
    assert (
        client.post(f"{URL}{theirs.pk}/submit/", {"answers": answers}, format="json").status_code
        == 200
    )
    assert Hazard.objects.get().source == "joint_inspection"


def test_api_one_row_pairing_change_trades_places_and_self_is_refused(
    api_as, bureau_staff, checklist
):
    schools = [SchoolFactory() for _ in range(5)]
    client = api_as(bureau_staff)
    rnd = client.post(
        "/api/v1/cross-inspection-rounds/", round_payload(checklist, schools), format="json"
    ).json()
    url = f"/api/v1/cross-inspection-rounds/{rnd['id']}/pairings/"
    before = {p["inspected"]: p["inspector"] for p in rnd["pairings"]}
    x = schools[0].pk
    new = next(a for a in before.values() if a not in (x, before[x]))
    body = {"pairings": [[a, b] for b, a in (before | {x: new}).items()]}
    response = client.put(url, body, format="json")
    assert response.status_code == 200
    after = {p["inspected"]: p["inspector"] for p in response.json()["pairings"]}
    assert after[x] == new and sorted(after.values()) == sorted(before)
    selfish = {"pairings": [[a, b] for b, a in (after | {x: x}).items()]}
    response = client.put(url, selfish, format="json")
    assert response.status_code == 400 and "自己" in response.json()["detail"]


def test_round_dates_outside_the_years_are_400(api_as, bureau_staff, checklist):
    schools = [SchoolFactory() for _ in range(3)]
    payload = round_payload(checklist, schools) | {
        "period_start": "0001-01-01",
        "period_end": "9999-12-31",
    }
    response = api_as(bureau_staff).post("/api/v1/cross-inspection-rounds/", payload, format="json")
    assert response.status_code == 400 and "period_start" in response.json()
    assert not CrossInspectionRound.objects.exists()


def test_the_same_item_twice_is_400(api_as, cross_b_on_a, officer_b):
    answers = [{"code": "E1", "result": "pass"}, {"code": "E1", "result": "fail"}]
    response = api_as(officer_b).post(
        f"{URL}{cross_b_on_a.pk}/answers/", {"answers": answers}, format="json"
    )
    assert response.status_code == 400 and "E1" in str(response.json())
