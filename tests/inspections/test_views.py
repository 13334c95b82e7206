"""The browser flow: the bureau opens a round, publishes the pairings, a team fills the
checklist on one page, the failed item reaches the inspected school's ledger and the summary."""

import datetime

import pytest
from django.urls import reverse

from hazards.models import Hazard
from inspections.models import CrossInspectionRound, Inspection
from tests.factories import InspectionFactory, SchoolFactory, UserFactory


def test_round_flow_and_fill(client, bureau_staff, checklist, all_pass):
    schools = [SchoolFactory() for _ in range(3)]
    client.force_login(bureau_staff)
    response = client.post(
        reverse("round-create"),
        {
            "name": "2025年互查",
            "period_start": "2025-04-01",
            "period_end": "2025-04-30",
            "checklist": checklist.pk,
            "schools": [s.pk for s in schools],
        },
    )
    rnd = CrossInspectionRound.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("round-detail", args=[rnd.pk]))
    assert page.status_code == 200 and page.context["pairings"].count() == 3
    client.post(reverse("round-action", args=[rnd.pk, "publish"]))
    inspection = Inspection.objects.get(round=rnd, school=schools[0])

    officer = UserFactory(role="school_officer", schools=[inspection.inspecting_school])
    client.force_login(officer)
    form = client.get(reverse("inspection-fill", args=[inspection.pk]))
    assert form.status_code == 200 and "E6" in form.content.decode()
    post = {f"result_{code}": r for code, (r, _n) in all_pass(inspection, C1=("fail", "")).items()}
    post.update({"note_C1": "围墙倒塌一段", "submit": "1"})
    response = client.post(reverse("inspection-fill", args=[inspection.pk]), post)
    assert response.status_code == 302
    assert "检查已提交，1 项不合格已登记为隐患。" in client.get(response.url).content.decode()
    hazard = Hazard.objects.get()
    assert (hazard.school, hazard.description, hazard.source) == (
        schools[0],
        "围墙倒塌一段",
        "cross_inspection",
    )

    client.force_login(bureau_staff)
    summary = client.get(reverse("round-detail", args=[rnd.pk])).context["summary"]
    assert [(row[0].school, row[1], row[2]) for row in summary if row[1]] == [(schools[0], 1, 0)]


def test_an_inspection_with_every_item_passed_says_so_on_submit(
    client, cross_b_on_a, officer_b, all_pass
):
    client.force_login(officer_b)
    post = {f"result_{code}": r for code, (r, _n) in all_pass(cross_b_on_a).items()}
    response = client.post(
        reverse("inspection-fill", args=[cross_b_on_a.pk]), {**post, "submit": "1"}
    )
    assert response.status_code == 302 and not Hazard.objects.exists()
    page = client.get(response.url).content.decode()
    assert "检查已提交，全部合格。" in page and "登记为隐患" not in page


def test_unanswered_items_are_shown_on_the_form(client, cross_b_on_a, officer_b):
    client.force_login(officer_b)
    response = client.post(
        reverse("inspection-fill", args=[cross_b_on_a.pk]), {"result_E1": "pass", "submit": "1"}
    )
    assert response.status_code == 400
    assert "A1" in response.context["error"]
    assert (
        'value="pass"\n        checked' in response.content.decode()
        or "checked" in response.content.decode()
    )


def test_inspected_school_cannot_open_the_fill_page(client, cross_b_on_a, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("inspection-fill", args=[cross_b_on_a.pk])).status_code == 403


def test_other_school_gets_404(client, school_a, officer_b):
    inspection = InspectionFactory(school=school_a, kind="self")
    client.force_login(officer_b)
    assert client.get(reverse("inspection-detail", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("inspection-fill", args=[inspection.pk])).status_code == 404


@pytest.mark.parametrize("name", ["round-list", "round-create"])
def test_rounds_are_bureau_pages(client, officer_a, bureau_staff, name):
    client.force_login(officer_a)
    assert client.get(reverse(name)).status_code == 403
    client.force_login(bureau_staff)
    assert client.get(reverse(name)).status_code == 200


def test_list_page_and_nav_link(client, officer_a, school_a):
    InspectionFactory(school=school_a, title="春季联合检查")
    client.force_login(officer_a)
    page = client.get(reverse("inspection-list")).content.decode()
    assert "春季联合检查" in page and reverse("inspection-list") in page


def test_self_check_vs_peer_check(
    cross_b_on_a, officer_a, officer_b, checklist, school_a, all_pass
):
    from inspections import services
    from inspections.views import self_vs_peer

    assert self_vs_peer(cross_b_on_a) is None
    own = InspectionFactory(kind="self", school=school_a, checklist=checklist)
    services.answer_items(own, actor=officer_a, answers=all_pass(own, E3=("fail", "")))
    services.answer_items(
        cross_b_on_a,
        actor=officer_b,
        answers=all_pass(cross_b_on_a, E2=("fail", ""), E3=("fail", "")),
    )
    assert self_vs_peer(cross_b_on_a) == ["E2"]  # E3 the school found itself


def test_detail_page_prints_with_a_signature_block(client, cross_b_on_a, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("inspection-detail", args=[cross_b_on_a.pk])).content.decode()
    assert 'data-testid="signature-block"' in page and "检查组签字" in page


def test_changing_one_inspector_trades_two_schools_places(client, bureau_staff, checklist):
    schools = [SchoolFactory() for _ in range(5)]
    client.force_login(bureau_staff)
    client.post(
        reverse("round-create"),
        {
            "name": "2025年互查",
            "period_start": "2025-04-01",
            "period_end": "2025-04-30",
            "checklist": checklist.pk,
            "schools": [s.pk for s in schools],
        },
    )
    rnd = CrossInspectionRound.objects.get()
    before = dict(rnd.pairings.values_list("inspected_id", "inspector_id"))
    x = schools[0].pk
    new = next(a for a in before.values() if a not in (x, before[x]))
    post = {f"inspector_of_{b}": a for b, a in before.items()} | {f"inspector_of_{x}": new}
    html = client.post(
        reverse("round-action", args=[rnd.pk, "pairings"]), post, follow=True
    ).content.decode()
    assert "配对已保存" in html
    after = dict(rnd.pairings.values_list("inspected_id", "inspector_id"))
    assert after[x] == new
    assert (
        sorted(after) == sorted(after.values()) == sorted(before)
    )  # each inspects and is inspected once
    assert all(a != b and after.get(a) != b for b, a in after.items())  # no self, no mutual pair


def test_an_unknown_round_action_is_404(client, bureau_staff, checklist):
    rnd = CrossInspectionRound.objects.create(
        name="轮次", period_start="2025-04-01", period_end="2025-04-30", checklist=checklist
    )
    client.force_login(bureau_staff)
    assert client.post(reverse("round-action", args=[rnd.pk, "bogus"])).status_code == 404


def test_an_inspection_without_a_checklist_says_so_and_offers_no_submit(
    client, officer_a, school_a
):
    inspection = InspectionFactory(school=school_a, kind="self", checklist=None)
    client.force_login(officer_a)
    page = client.get(reverse("inspection-fill", args=[inspection.pk]))
    content = page.content.decode()
    assert page.status_code == 200 and 'data-testid="no-checklist"' in content
    assert "None" not in content and 'name="submit"' not in content
    refused = client.post(reverse("inspection-fill", args=[inspection.pk]), {"submit": "1"})
    assert refused.status_code == 400 and "此检查没有检查表。" in refused.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_the_demos_planned_self_check_can_be_filled_in(client, officer_a, principal_a, school_a):
    from types import SimpleNamespace

    from demo.builders.current import planned_self_check

    cast = SimpleNamespace(principal={school_a.pk: principal_a})
    inspection = planned_self_check(school_a, cast, datetime.date(2026, 12, 7))
    assert inspection.checklist is not None and inspection.checklist.is_published
    client.force_login(officer_a)
    page = client.get(reverse("inspection-fill", args=[inspection.pk])).content.decode()
    assert 'name="submit"' in page and "None" not in page
