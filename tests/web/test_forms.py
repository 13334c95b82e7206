"""The write pages through HTTP: report a hazard and move it through 查、改、督、销."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hazards.models import Hazard, HazardEvent, HazardPhoto
from tests.factories import HazardFactory, UserFactory

pytestmark = pytest.mark.django_db


def transition_url(hazard, name):
    return reverse("hazard-transition", args=[hazard.pk, name])


def report(client, school, **fields):
    data = {
        "school": school.pk,
        "title": "消防通道堆放杂物",
        "category": "fire",
        "level": "general",
        "source": "self_inspection",
        "location": "教学楼一层东侧",
        "description": "通道被纸箱堵住一半。",
        **fields,
    }
    return client.post(reverse("hazard-create"), data)


def assign_data(responsible, /, **fields):
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    return {
        "responsible": responsible.pk,
        "measures": "清理杂物，设置禁止堆放标识。",
        "deadline": deadline.isoformat(),
        "comment": "请按期整改",
        **fields,
    }


# --- the whole workflow ---------------------------------------------------------------


def test_report_assign_submit_close_through_the_pages(
    client, officer_a, bureau_staff, school_a, jpeg
):
    client.force_login(officer_a)
    response = report(client, school_a, photos=[jpeg("a.jpg"), jpeg("b.jpg", colour=(0, 90, 200))])
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("hazard-detail", args=[hazard.pk])
    assert hazard.reported_by == officer_a and hazard.photos.count() == 2

    response = client.post(transition_url(hazard, "assign"), assign_data(officer_a))
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.RECTIFYING and hazard.responsible == officer_a

    response = client.post(
        transition_url(hazard, "submit_rectification"),
        {"note": "杂物已清理。", "photos": [jpeg("after.jpg")]},
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.VERIFYING
    assert HazardPhoto.objects.filter(event__action="submit_rectification").count() == 1

    client.force_login(bureau_staff)
    response = client.post(transition_url(hazard, "close"), {"comment": "现场核实，同意销号。"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.CLOSED

    detail = client.get(reverse("hazard-detail", args=[hazard.pk]))
    html = detail.content.decode()
    assert html.count('class="timeline-event"') == 4
    for label in ("登记隐患", "交办整改", "提交整改", "验收销号", "现场核实，同意销号。"):
        assert label in html
    assert html.count("<img ") == 6  # 3 photos in the gallery, the same 3 on the timeline
    assert "已完成“验收销号”。" in html  # the success message after the redirect


def test_reject_sends_it_back_with_a_reason(client, officer_a, bureau_staff, school_a):
    hazard = HazardFactory(school=school_a, status=Hazard.Status.VERIFYING, submitted_by=officer_a)
    client.force_login(bureau_staff)

    missing = client.post(transition_url(hazard, "reject_rectification"), {"comment": " "})
    assert missing.status_code == 200
    assert missing.context["form"].errors["comment"]

    response = client.post(
        transition_url(hazard, "reject_rectification"), {"comment": "照片看不清，请补充。"}
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.RECTIFYING


def test_dismiss_needs_a_reason(client, officer_a, school_a):
    hazard = HazardFactory(school=school_a)
    client.force_login(officer_a)
    response = client.post(transition_url(hazard, "dismiss"), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    response = client.post(transition_url(hazard, "dismiss"), {"reason": "重复登记。"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.DISMISSED and hazard.dismiss_reason == "重复登记。"


# --- the report form ------------------------------------------------------------------


def test_report_form_for_a_teacher_hides_the_school_and_defaults_to_snapshot(
    client, teacher_a, school_a
):
    client.force_login(teacher_a)
    response = client.get(reverse("hazard-create"))
    form = response.context["form"]
    html = response.content.decode()
    assert form.fields["school"].widget.is_hidden
    assert form["source"].value() == "snapshot"
    assert 'accept="image/*"' in html and 'capture="environment"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html


def test_report_form_offers_only_visible_schools(client, bureau_staff, school_a, school_b):
    client.force_login(bureau_staff)
    form = client.get(reverse("hazard-create")).context["form"]
    assert set(form.fields["school"].queryset) == {school_a, school_b}


def test_report_for_a_school_out_of_scope_is_refused(client, officer_a, school_b):
    client.force_login(officer_a)
    response = report(client, school_b)
    assert response.status_code == 200
    assert response.context["form"].errors["school"]
    assert not Hazard.objects.exists()


def test_report_without_title_shows_errors_and_saves_nothing(client, officer_a, school_a, jpeg):
    client.force_login(officer_a)
    response = report(client, school_a, title="", photos=[jpeg()])
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert "invalid-feedback" in response.content.decode()
    assert not Hazard.objects.exists() and not HazardPhoto.objects.exists()


def test_report_with_a_file_that_is_not_an_image_saves_nothing(client, officer_a, school_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer_a)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = report(client, school_a, photos=[fake])
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == ["无法识别的图片文件。"]
    assert not Hazard.objects.exists()


def test_report_client_may_not_report(client, report_client, school_a):
    client.force_login(report_client)
    assert reverse("hazard-create") not in client.get(reverse("hazard-list")).content.decode()
    assert client.get(reverse("hazard-create")).status_code == 403
    assert report(client, school_a).status_code == 403
    assert not Hazard.objects.exists()


# --- the transition pages -------------------------------------------------------------


def test_assign_form_offers_the_schools_people_and_a_default_deadline(
    client, officer_a, teacher_a, officer_b, school_a
):
    hazard = HazardFactory(school=school_a)
    client.force_login(officer_a)
    form = client.get(transition_url(hazard, "assign")).context["form"]
    people = set(form.fields["responsible"].queryset)
    assert {officer_a, teacher_a} <= people and officer_b not in people
    assert form["deadline"].value() == timezone.localdate() + datetime.timedelta(days=7)


def test_major_hazard_without_funding_and_plan_gives_form_errors(client, officer_a, school_a):
    hazard = HazardFactory(school=school_a, level=Hazard.Level.MAJOR)
    client.force_login(officer_a)
    page = client.get(transition_url(hazard, "assign")).content.decode()
    assert "五落实" in page

    response = client.post(transition_url(hazard, "assign"), assign_data(officer_a))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "funding_yuan" in errors and "contingency_plan" in errors
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.REPORTED
    assert hazard.events.count() == 0


def test_major_hazard_with_all_five_is_assigned(client, officer_a, school_a):
    hazard = HazardFactory(school=school_a, level=Hazard.Level.MAJOR)
    client.force_login(officer_a)
    data = assign_data(
        officer_a, funding_yuan="120000.00", contingency_plan="设置警戒线，专人值守。"
    )
    assert client.post(transition_url(hazard, "assign"), data).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.RECTIFYING and hazard.funding_yuan == 120000


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"measures": ""}, "measures"),
        ({"responsible": ""}, "responsible"),
        ({"deadline": "2000-01-01"}, "deadline"),
        ({"funding_yuan": "-5"}, "funding_yuan"),
        ({"deadline": "明天"}, "deadline"),
    ],
)
def test_assign_bad_input_gives_form_errors(client, officer_a, school_a, fields, field):
    hazard = HazardFactory(school=school_a)
    client.force_login(officer_a)
    response = client.post(transition_url(hazard, "assign"), assign_data(officer_a, **fields))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Hazard.objects.get().status == Hazard.Status.REPORTED


def test_assign_to_someone_of_another_school_is_refused(client, bureau_staff, officer_b, school_a):
    hazard = HazardFactory(school=school_a)
    client.force_login(bureau_staff)
    response = client.post(transition_url(hazard, "assign"), assign_data(officer_b))
    assert response.status_code == 200
    assert "responsible" in response.context["form"].errors


def test_unknown_transition_is_404(client, officer_a, school_a):
    hazard = HazardFactory(school=school_a)
    client.force_login(officer_a)
    assert client.get(transition_url(hazard, "explode")).status_code == 404
    assert client.get(transition_url(hazard, "available_transitions")).status_code == 404


@pytest.mark.parametrize("name", ["assign", "dismiss", "close"])
def test_other_schools_officer_gets_404(client, officer_b, school_a, name):
    hazard = HazardFactory(school=school_a)
    client.force_login(officer_b)
    assert client.get(transition_url(hazard, name)).status_code == 404
    assert (
        client.post(transition_url(hazard, name), {"reason": "x", "comment": "x"}).status_code
        == 404
    )
    assert Hazard.objects.get().status == Hazard.Status.REPORTED


def test_teacher_may_not_assign(client, teacher_a, school_a):
    hazard = HazardFactory(school=school_a)
    client.force_login(teacher_a)
    assert client.get(transition_url(hazard, "assign")).status_code == 403
    assert client.post(transition_url(hazard, "assign"), assign_data(teacher_a)).status_code == 403


def test_submitter_may_not_close_their_own_rectification(client, bureau_staff, school_a):
    hazard = HazardFactory(
        school=school_a, status=Hazard.Status.VERIFYING, submitted_by=bureau_staff
    )
    client.force_login(bureau_staff)
    assert client.post(transition_url(hazard, "close"), {}).status_code == 403


def test_transition_from_the_wrong_state_redirects_with_a_message(client, bureau_staff, school_a):
    hazard = HazardFactory(school=school_a)  # reported: cannot be closed yet
    client.force_login(bureau_staff)
    response = client.post(transition_url(hazard, "close"), {}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("hazard-detail", args=[hazard.pk])
    assert "不能执行" in response.content.decode()
    assert Hazard.objects.get().status == Hazard.Status.REPORTED


def hazard_in(school, status):
    closed_at = timezone.now() if status == Hazard.Status.CLOSED else None
    return HazardFactory(school=school, status=status, closed_at=closed_at)


@pytest.mark.parametrize("status", Hazard.Status.values)
@pytest.mark.parametrize("transition", ["assign", "dismiss", "close", "reject_rectification"])
def test_no_permission_is_403_in_any_state(client, teacher_a, school_a, status, transition):
    # Asked before the state: a refused user learns nothing of the hazard's state.
    hazard = hazard_in(school_a, status)
    client.force_login(teacher_a)
    assert client.get(transition_url(hazard, transition)).status_code == 403
    assert client.post(transition_url(hazard, transition), {}).status_code == 403
    assert Hazard.objects.get().status == status


@pytest.mark.parametrize("status", Hazard.Status.values)
def test_no_permission_to_mark_a_duplicate_is_403_in_any_state(client, teacher_a, school_a, status):
    hazard = hazard_in(school_a, status)
    client.force_login(teacher_a)
    url = reverse("hazard-mark-duplicate", args=[hazard.pk])
    assert client.post(url, {}).status_code == 403


def test_too_many_photos_is_a_form_error(client, officer_a, school_a, jpeg):
    client.force_login(officer_a)
    response = report(client, school_a, photos=[jpeg(f"{i}.jpg") for i in range(10)])
    assert response.status_code == 200
    assert response.context["form"].errors["photos"]
    assert not HazardEvent.objects.exists()


def test_responsible_teacher_may_submit(client, teacher_a, school_a):
    hazard = HazardFactory(school=school_a, status=Hazard.Status.RECTIFYING, responsible=teacher_a)
    client.force_login(teacher_a)
    detail = client.get(reverse("hazard-detail", args=[hazard.pk])).content.decode()
    assert transition_url(hazard, "submit_rectification") in detail
    other = UserFactory(role="teacher", schools=[school_a])
    client.force_login(other)
    assert client.get(transition_url(hazard, "submit_rectification")).status_code == 403


@pytest.mark.parametrize(
    ("persona", "source"), [("officer_a", "self_inspection"), ("bureau_staff", None)]
)
def test_report_form_default_source_by_role(client, request, persona, source, school_a):
    client.force_login(request.getfixturevalue(persona))
    form = client.get(reverse("hazard-create")).context["form"]
    assert (form["source"].value() or None) == source
    assert form["category"].value() in ("", None)  # chosen on purpose, never by default
