"""The hazard admin over HTTP: scoped lists, history without revert, read-only workflow
fields, the bulk "验收销号" action through the service, cleaned photo uploads; and the
counselling admin's confidentiality."""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from PIL import Image

from accounts.models import User
from education.models import CounsellingSession
from hazards.models import Hazard, HazardPhoto
from tests.factories import CounsellingFactory, HazardFactory, UserFactory

from .conftest import S, jpeg_bytes, upload
from .test_images import GPS_IFD, phone_exif

CHANGELIST = reverse("admin:hazards_hazard_changelist")
HAZARD_PERMS = (
    "hazards.view_hazard",
    "hazards.change_hazard",
    "hazards.add_hazard",
    "hazards.add_hazardphoto",
    "hazards.view_hazardevent",
    "hazards.view_hazardphoto",
)


def change_url(hazard):
    return reverse("admin:hazards_hazard_change", args=[hazard.pk])


def history_url(hazard):
    return reverse("admin:hazards_hazard_history", args=[hazard.pk])


def form_data(response, **changes):
    """The POST body the admin page in ``response`` would send, with ``changes`` applied."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = getattr(value, "pk", value)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    data.update(changes)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def officer_admin(admin_as, officer_a):
    return admin_as(officer_a, *HAZARD_PERMS)


@pytest.fixture
def bureau_client(admin_as, bureau_admin):
    return admin_as(bureau_admin, "all")


def test_officer_changelist_shows_only_school_a(officer_admin, school_a, school_b):
    HazardFactory(school=school_a, title="甲校灭火器过期")
    HazardFactory(school=school_b, title="乙校围墙破损")
    response = officer_admin.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "甲校灭火器过期" in content and "乙校围墙破损" not in content
    assert response.context["cl"].result_count == 1


def test_bureau_changelist_shows_all_and_filters_overdue(bureau_client, school_a, school_b):
    HazardFactory(school=school_a)
    late = HazardFactory(school=school_b, status=S.RECTIFYING, deadline="2020-01-01")
    assert bureau_client.get(CHANGELIST).context["cl"].result_count == 2
    response = bureau_client.get(CHANGELIST, {"overdue": "yes"})
    assert list(response.context["cl"].queryset) == [late]
    response = bureau_client.get(CHANGELIST, {"overdue": "no"})
    assert late not in response.context["cl"].queryset


def test_change_page_links_history_and_history_lists_the_changes(bureau_client, make_hazard):
    hazard = make_hazard(S.VERIFYING)
    response = bureau_client.get(change_url(hazard))
    assert response.status_code == 200
    assert history_url(hazard) in response.content.decode()
    response = bureau_client.get(history_url(hazard))
    assert response.status_code == 200
    # report (create) + assign + submit: one historical row each.
    assert response.context["page_obj"].paginator.count == hazard.history.count() == 3


def test_out_of_scope_history_is_404(admin_as, officer_b, make_hazard):
    hazard = make_hazard(S.RECTIFYING)
    client = admin_as(officer_b, *HAZARD_PERMS)
    assert client.get(history_url(hazard)).status_code == 404
    version = hazard.history.earliest("history_date").history_id
    detail = reverse("admin:hazards_hazard_simple_history", args=[hazard.pk, version])
    assert client.get(detail).status_code == 404


def test_history_cannot_revert_the_workflow(bureau_client, make_hazard):
    hazard = make_hazard(S.VERIFYING)
    first = hazard.history.earliest("history_date")
    detail = reverse("admin:hazards_hazard_simple_history", args=[hazard.pk, first.history_id])
    page = bureau_client.get(detail)
    assert page.status_code == 200
    assert bureau_client.post(detail, form_data(page)).status_code == 403
    hazard.refresh_from_db()
    assert hazard.status == S.VERIFYING


def test_workflow_fields_are_read_only(bureau_client, make_hazard, officer_b):
    hazard = make_hazard(S.RECTIFYING)
    page = bureau_client.get(change_url(hazard))
    form = page.context["adminform"].form
    assert not {
        "status",
        "responsible",
        "deadline",
        "submitted_by",
        "closed_by",
        "school",
        "level",
    } & set(form.fields)
    data = form_data(
        page,
        title="灭火器过期（三楼）",
        status="closed",
        responsible=officer_b.pk,
        deadline="2020-01-01",
    )
    assert bureau_client.post(change_url(hazard), data).status_code == 302
    before = hazard.deadline
    hazard.refresh_from_db()
    assert hazard.title == "灭火器过期（三楼）"
    assert (hazard.status, hazard.deadline, hazard.responsible.username) == (
        S.RECTIFYING,
        before,
        "worker_a",
    )
    assert hazard.events.count() == 2  # an admin edit is not a workflow step


def test_adding_a_hazard_goes_through_report_hazard(officer_admin, officer_a, school_a, school_b):
    add = reverse("admin:hazards_hazard_add")
    page = officer_admin.get(add)
    data = form_data(
        page,
        school=school_b.pk,
        title="楼道堆放杂物",
        category="fire",
        source="patrol",
        level="general",
    )
    response = officer_admin.post(add, data)
    assert response.status_code == 200 and "school" in response.context["adminform"].form.errors
    data["school"] = school_a.pk
    assert officer_admin.post(add, data).status_code == 302
    hazard = Hazard.objects.get()
    assert (hazard.school, hazard.reported_by, hazard.status) == (school_a, officer_a, S.REPORTED)
    assert list(hazard.events.values_list("action", "actor")) == [("report", officer_a.pk)]


def test_report_client_cannot_add_hazards_in_the_admin(admin_as, report_client, school_a):
    client = admin_as(report_client, *HAZARD_PERMS)
    add = reverse("admin:hazards_hazard_add")
    data = form_data(
        client.get(add),
        school=school_a.pk,
        title="x",
        category="fire",
        source="patrol",
        level="general",
    )
    response = client.post(add, data)
    assert response.status_code == 200 and not Hazard.objects.exists()


def test_photo_uploaded_in_the_admin_is_cleaned(bureau_client, bureau_admin, make_hazard):
    hazard = make_hazard(S.RECTIFYING)
    page = bureau_client.get(change_url(hazard))
    data = form_data(page, **{"photos-TOTAL_FORMS": 1})
    data["photos-0-image"] = upload(jpeg_bytes(exif=phone_exif(6), mark=True), "IMG_1.jpg")
    response = bureau_client.post(change_url(hazard), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    photo = HazardPhoto.objects.get(hazard=hazard)
    assert (photo.original_name, photo.uploaded_by, photo.event) == (
        "IMG_1.jpg",
        bureau_admin,
        None,
    )
    assert photo.image.name.endswith(f"{photo.uuid}.jpg")
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert image.size == (100, 200)  # orientation applied
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)


def test_bad_photo_in_the_admin_is_a_form_error(bureau_client, make_hazard):
    hazard = make_hazard(S.RECTIFYING)
    data = form_data(bureau_client.get(change_url(hazard)), **{"photos-TOTAL_FORMS": 1})
    data["photos-0-image"] = upload(b"<svg onload=alert(1)>", "evil.jpg")
    response = bureau_client.post(change_url(hazard), data)
    assert response.status_code == 200
    assert not HazardPhoto.objects.exists()


def test_events_inline_is_read_only(bureau_client, make_hazard):
    hazard = make_hazard(S.VERIFYING)
    page = bureau_client.get(change_url(hazard))
    events = next(i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "events")
    assert not events.has_add_permission and not events.has_change_permission
    assert not events.has_delete_permission


# --- the bulk close action -------------------------------------------------------------


def test_close_action_calls_the_service_per_hazard(admin_as, bureau_staff, make_hazard):
    verifying, reported = make_hazard(S.VERIFYING), make_hazard(S.REPORTED)
    client = admin_as(bureau_staff, *HAZARD_PERMS)
    response = client.post(
        CHANGELIST,
        {"action": "close_selected", "_selected_action": [verifying.pk, reported.pk]},
        follow=True,
    )
    assert response.status_code == 200
    statuses = dict(Hazard.objects.values_list("pk", "status"))
    assert statuses == {verifying.pk: S.CLOSED, reported.pk: S.REPORTED}
    closed_event = verifying.events.get(action="close")
    assert closed_event.actor == bureau_staff
    notes = messages_of(response)
    assert any("已销号 1 条隐患" in m for m in notes)
    assert sum(str(reported) in m for m in notes) == 1


def test_close_action_refused_for_an_officer(officer_admin, make_hazard):
    hazard = make_hazard(S.VERIFYING)
    response = officer_admin.post(
        CHANGELIST, {"action": "close_selected", "_selected_action": [hazard.pk]}, follow=True
    )
    hazard.refresh_from_db()
    assert hazard.status == S.VERIFYING
    # The reason, not a bare "no permission" (hazards.refusals).
    assert any("验收销号由教体局人员办理" in m for m in messages_of(response))


def test_action_cannot_reach_out_of_scope_hazards(admin_as, school_b, make_hazard):
    principal_b = UserFactory(role=User.Role.PRINCIPAL, schools=[school_b])
    hazard = make_hazard(S.VERIFYING)  # school A
    client = admin_as(principal_b, *HAZARD_PERMS)
    client.post(CHANGELIST, {"action": "close_selected", "_selected_action": [hazard.pk]})
    hazard.refresh_from_db()
    assert hazard.status == S.VERIFYING


# --- counselling: counsellors of the school only ------------------------------------------

COUNSELLING = reverse("admin:education_counsellingsession_changelist")
COUNSELLING_PERMS = (
    "education.view_counsellingsession",
    "education.add_counsellingsession",
    "education.change_counsellingsession",
)


@pytest.fixture
def sessions(school_a, school_b, counsellor_a):
    return {
        "a": CounsellingFactory(school=school_a, counsellor=counsellor_a, student_code="A-007"),
        "b": CounsellingFactory(school=school_b, student_code="B-009"),
    }


def test_counsellor_sees_own_school_sessions(admin_as, counsellor_a, sessions):
    response = admin_as(counsellor_a, *COUNSELLING_PERMS).get(COUNSELLING)
    assert list(response.context["cl"].queryset) == [sessions["a"]]
    assert "A-007" in response.content.decode() and "B-009" not in response.content.decode()


def test_bureau_admin_sees_no_counselling_rows(admin_as, bureau_admin, sessions):
    client = admin_as(bureau_admin, "all")
    response = client.get(COUNSELLING)
    assert response.status_code == 200 and response.context["cl"].result_count == 0
    change = reverse("admin:education_counsellingsession_change", args=[sessions["a"].pk])
    assert client.get(change).status_code == 302  # as if it did not exist
    assert client.get(reverse("admin:education_counsellingsession_add")).status_code == 403


def test_counsellor_of_b_sees_none_of_a(admin_as, school_b, sessions):
    counsellor_b = UserFactory(role=User.Role.COUNSELLOR, schools=[school_b])
    response = admin_as(counsellor_b, *COUNSELLING_PERMS).get(COUNSELLING)
    assert list(response.context["cl"].queryset) == [sessions["b"]]


def test_counsellor_adds_a_session_for_own_school_only(admin_as, counsellor_a, school_a, school_b):
    client = admin_as(counsellor_a, *COUNSELLING_PERMS)
    add = reverse("admin:education_counsellingsession_add")
    data = {
        "school": school_b.pk,
        "kind": "individual",
        "date": "2024-10-09",
        "student_code": "A-010",
        "participants": 1,
        "notes": "",
    }
    assert client.post(add, data).status_code == 200
    data["school"] = school_a.pk
    assert client.post(add, data).status_code == 302
    session = CounsellingSession.objects.get()
    assert (session.school, session.counsellor) == (school_a, counsellor_a)
