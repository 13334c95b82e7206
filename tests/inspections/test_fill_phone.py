"""The phone checklist: each item saved as it is given (one request per answer, JSON back
with the progress), "all pass in this section" for the unanswered items only, the section
navigation and progress counter on the page, and a resume that shows what was kept."""

import pytest
from django.urls import reverse

from inspections.models import InspectionAnswer
from inspections.services import applicable_items

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def inspection(cross_b_on_a):
    return cross_b_on_a


@pytest.fixture
def team(client, officer_b):
    client.force_login(officer_b)  # school B's team inspects school A
    return client


def answer_url(inspection):
    return reverse("inspection-answer", args=[inspection.pk])


def test_one_answer_is_saved_and_the_progress_comes_back(team, inspection):
    first = applicable_items(inspection).first()
    data = {"item": first.code, f"result_{first.code}": "fail", f"note_{first.code}": "灭火器过期"}
    response = team.post(answer_url(inspection), data, **JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] == [first.code]
    assert body["progress"]["answered"] == 1
    assert body["progress"]["total"] == applicable_items(inspection).count()
    assert body["progress"]["sections"][first.section.code]["answered"] == 1
    answer = InspectionAnswer.objects.get(inspection=inspection)
    assert (answer.result, answer.note) == ("fail", "灭火器过期")


def test_a_bad_answer_is_a_400_with_the_reason_and_nothing_saved(team, inspection):
    first = applicable_items(inspection).first()
    response = team.post(answer_url(inspection), {f"result_{first.code}": "maybe"}, **JSON)
    assert response.status_code == 400 and response.json()["error"]
    assert not InspectionAnswer.objects.exists()


def test_all_pass_fills_only_the_unanswered_items_of_the_section(team, inspection):
    items = list(applicable_items(inspection))
    section = items[0].section
    in_section = [i for i in items if i.section_id == section.pk]
    failed = in_section[0]
    team.post(
        answer_url(inspection), {"item": failed.code, f"result_{failed.code}": "fail"}, **JSON
    )
    response = team.post(answer_url(inspection), {"all_pass": section.code}, **JSON)
    assert response.status_code == 200
    assert response.json()["saved"] == sorted(i.code for i in in_section[1:])
    results = dict(
        InspectionAnswer.objects.filter(inspection=inspection).values_list("item__code", "result")
    )
    assert results[failed.code] == "fail"  # kept
    assert {results[i.code] for i in in_section[1:]} == {"pass"}
    assert len(results) == len(in_section)  # no other section touched


def test_all_pass_without_script_returns_to_the_section(team, inspection):
    section = applicable_items(inspection).first().section
    response = team.post(answer_url(inspection), {"all_pass": section.code})
    assert response.status_code == 302
    assert response.url.endswith(f"/fill/#section-{section.code}")


def test_the_page_resumes_with_what_was_kept(team, inspection):
    first = applicable_items(inspection).first()
    team.post(answer_url(inspection), {"item": first.code, f"result_{first.code}": "pass"}, **JSON)
    page = team.get(reverse("inspection-fill", args=[inspection.pk]))
    html = page.content.decode()
    assert 'data-testid="section-nav"' in html and "data-all-pass" in html
    assert f'id="r-{first.code}-pass" value="pass"\n          checked' in html
    assert page.context["progress"]["answered"] == 1


def test_the_inspected_school_may_not_answer(client, officer_a, inspection):
    client.force_login(officer_a)
    first = applicable_items(inspection).first()
    response = client.post(answer_url(inspection), {f"result_{first.code}": "pass"}, **JSON)
    assert response.status_code in (403, 404)
    assert not InspectionAnswer.objects.exists()
