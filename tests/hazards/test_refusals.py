"""Refusals that explain themselves: the hazard page names why a step of the current state
is not available to this person, the web's 403 and the API's 403 body carry the same
sentence (``hazards.refusals``), for the state, the role, the scope and the separation of
duties."""

import pytest

from hazards import refusals
from hazards.models import Hazard
from tests.factories import HazardFactory

S = Hazard.Status
SEPARATION = "整改提交人不能验收自己提交的整改。"
MAJOR = "重大隐患挂牌督办，须由教体局人员验收，校长不能验收。"


@pytest.fixture
def verifying(school_a, principal_a):
    """A general hazard whose rectification the principal submitted."""
    return HazardFactory(school=school_a, status=S.VERIFYING, submitted_by=principal_a)


def test_the_submitter_is_told_on_the_page(client, principal_a, verifying):
    client.force_login(principal_a)
    page = client.get(f"/hazards/{verifying.pk}/")
    html = page.content.decode()
    assert 'data-testid="unavailable-actions"' in html and SEPARATION in html
    assert [a.name for a in page.context["actions"]] == []


def test_the_submitter_gets_the_reason_on_the_web_and_the_api(
    client, api_as, principal_a, verifying
):
    client.force_login(principal_a)
    web = client.post(f"/hazards/{verifying.pk}/close/", {"comment": "好了"})
    assert web.status_code == 403 and SEPARATION in web.content.decode()
    api = api_as(principal_a).post(f"/api/v1/hazards/{verifying.pk}/close/", {}, format="json")
    assert api.status_code == 403 and api.json()["detail"] == SEPARATION


def test_a_principal_is_told_a_major_hazard_is_the_bureaus(
    client, school_a, principal_a, officer_a
):
    hazard = HazardFactory(
        school=school_a, status=S.VERIFYING, level=Hazard.Level.MAJOR, submitted_by=officer_a
    )
    client.force_login(principal_a)
    assert MAJOR in client.get(f"/hazards/{hazard.pk}/").content.decode()
    response = client.get(f"/hazards/{hazard.pk}/close/")
    assert response.status_code == 403 and MAJOR in response.content.decode()


def test_a_teacher_is_told_who_assigns(client, school_a, teacher_a):
    hazard = HazardFactory(school=school_a, status=S.REPORTED)
    client.force_login(teacher_a)
    html = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert str(refusals.ROLE_REASONS["assign"]) in html
    assert str(refusals.ROLE_REASONS["dismiss"]) in html


def test_the_bureau_sees_the_buttons_and_no_refusal(client, bureau_staff, verifying):
    client.force_login(bureau_staff)
    page = client.get(f"/hazards/{verifying.pk}/")
    assert [a.name for a in page.context["actions"]] == ["reject_rectification", "close"]
    assert page.context["unavailable"] == []


def test_a_closed_hazard_offers_nothing_and_says_its_state(bureau_staff, school_a):
    hazard = HazardFactory.build(school=school_a, status=S.CLOSED)
    assert refusals.current_actions(bureau_staff, hazard) == []
    reason = refusals.transition_refusal(bureau_staff, hazard, "close")
    assert reason == "隐患当前状态为“已销号”，不能执行“验收销号”。"


def test_a_read_only_client_and_another_school(report_client, officer_b, school_a):
    hazard = HazardFactory(school=school_a, status=S.REPORTED)
    assert (
        refusals.permission_refusal(report_client, hazard, "assign")
        == "该账号只能查看，不能办理隐患。"
    )
    assert (
        refusals.permission_refusal(officer_b, hazard, "assign")
        == "该隐患所在学校不在您的管理范围内。"
    )
