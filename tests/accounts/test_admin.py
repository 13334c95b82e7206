"""The user admin: role and scope fields, users scoped to the editor's schools, and no
way for a non-superuser to hand out powers or the bureau-wide scope."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import SchoolFactory, UserFactory

CHANGELIST = reverse("admin:accounts_user_changelist")
USER_PERMS = ("accounts.view_user", "accounts.change_user", "accounts.add_user")


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def form_data(response, **changes):
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, (list, tuple, set)):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    data.update(changes)
    return data


def test_bureau_admin_sees_everyone_and_the_scope_fields(
    admin_as, bureau_admin, officer_a, officer_b
):
    client = admin_as(bureau_admin, *USER_PERMS)
    response = client.get(CHANGELIST)
    assert {officer_a, officer_b, bureau_admin} <= set(response.context["cl"].queryset)
    form = client.get(change_url(officer_a)).context["adminform"].form
    assert {"role", "scope_all_schools", "schools", "name", "phone", "department"} <= set(
        form.fields
    )
    assert "is_superuser" not in form.fields  # a bureau admin is not a superuser


def test_officer_sees_only_users_of_own_school(admin_as, officer_a, teacher_a, officer_b):
    client = admin_as(officer_a, *USER_PERMS)
    assert set(client.get(CHANGELIST).context["cl"].queryset) == {officer_a, teacher_a}
    assert client.get(change_url(officer_b)).status_code == 302  # not found → admin index


def test_filter_by_role_and_search_by_name(admin_as, bureau_admin, officer_a, teacher_a):
    client = admin_as(bureau_admin, *USER_PERMS)
    response = client.get(CHANGELIST, {"role__exact": "teacher"})
    assert list(response.context["cl"].queryset) == [teacher_a]
    response = client.get(CHANGELIST, {"q": officer_a.name})
    assert list(response.context["cl"].queryset) == [officer_a]


def test_non_superuser_cannot_grant_powers(admin_as, officer_a, teacher_a):
    client = admin_as(officer_a, *USER_PERMS)
    page = client.get(change_url(teacher_a))
    form = page.context["adminform"].form
    assert not {"is_superuser", "user_permissions", "groups", "scope_all_schools"} & set(
        form.fields
    )
    data = form_data(page, role="principal", is_superuser="on", scope_all_schools="on")
    assert client.post(change_url(teacher_a), data).status_code == 302
    teacher_a.refresh_from_db()
    assert teacher_a.role == "principal"
    assert not teacher_a.is_superuser and not teacher_a.scope_all_schools


def test_editing_keeps_schools_outside_the_editors_scope(admin_as, officer_a, school_a):
    other = SchoolFactory(name="丙学校")
    shared = UserFactory(role=User.Role.TEACHER, schools=[school_a, other])
    client = admin_as(officer_a, *USER_PERMS)
    page = client.get(change_url(shared))
    assert set(page.context["adminform"].form.fields["schools"].queryset) == {school_a}
    data = form_data(page, phone="13800000000", schools=[school_a.pk])
    assert client.post(change_url(shared), data).status_code == 302
    shared.refresh_from_db()
    assert shared.phone == "13800000000"
    assert set(shared.schools.all()) == {school_a, other}


@pytest.mark.parametrize("persona", ["officer_a", "bureau_admin"])
def test_add_user_with_role_and_school(request, admin_as, school_a, persona):
    client = admin_as(request.getfixturevalue(persona), *USER_PERMS)
    add = reverse("admin:accounts_user_add")
    response = client.post(
        add,
        {
            "username": "new_teacher",
            "password1": "Xq7!plmn-2024",
            "password2": "Xq7!plmn-2024",
            "role": "teacher",
            "name": "王老师",
            "phone": "",
            "schools": [school_a.pk],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_teacher")
    assert (user.role, user.name, list(user.schools.all())) == ("teacher", "王老师", [school_a])
    assert not user.scope_all_schools


def test_officer_cannot_add_a_user_to_another_school(admin_as, officer_a, school_b):
    client = admin_as(officer_a, *USER_PERMS)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "intruder",
            "password1": "Xq7!plmn-2024",
            "password2": "Xq7!plmn-2024",
            "role": "teacher",
            "schools": [school_b.pk],
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="intruder").exists()


def test_officer_cannot_appoint_bureau_roles(admin_as, officer_a, teacher_a):
    client = admin_as(officer_a, *USER_PERMS)
    page = client.get(change_url(teacher_a))
    choices = {value for value, _ in page.context["adminform"].form.fields["role"].choices}
    assert "counsellor" in choices and not choices & {"bureau_admin", "bureau_staff"}
    response = client.post(change_url(teacher_a), form_data(page, role="bureau_staff"))
    assert response.status_code == 200
    teacher_a.refresh_from_db()
    assert teacher_a.role == "teacher"


def test_nobody_changes_their_own_role_or_scope(admin_as, officer_a, school_b):
    client = admin_as(officer_a, *USER_PERMS)
    page = client.get(change_url(officer_a))
    fields = set(page.context["adminform"].form.fields)
    assert not {"role", "schools", "scope_all_schools", "is_staff"} & fields
    data = form_data(page, role="counsellor", schools=[school_b.pk], phone="13900000000")
    assert client.post(change_url(officer_a), data).status_code == 302
    officer_a.refresh_from_db()
    assert (officer_a.role, officer_a.phone) == ("school_officer", "13900000000")
    assert [s.name for s in officer_a.schools.all()] == ["甲学校"]


def test_bureau_wide_scope_only_from_someone_who_has_it(
    admin_as, bureau_admin, officer_a, teacher_a
):
    page = admin_as(bureau_admin, *USER_PERMS).get(change_url(teacher_a))
    assert "scope_all_schools" in page.context["adminform"].form.fields
    page = admin_as(officer_a, *USER_PERMS).get(change_url(teacher_a))
    assert "scope_all_schools" not in page.context["adminform"].form.fields
