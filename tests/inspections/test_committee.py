"""The safety committee page and what a department member sees in the browser."""

from django.urls import reverse

from tests.factories import DepartmentFactory, InspectionFactory, UserFactory


def test_committee_lists_departments_members_and_joint_inspections(
    client, bureau_staff, django_assert_max_num_queries
):
    police = DepartmentFactory(name="县公安局")
    UserFactory(username="police1", name="王警官", role="inspector", department=police)
    UserFactory(username="police2", name="", role="inspector", department=police)
    InspectionFactory(kind="joint").departments.add(police)
    InspectionFactory(kind="spot").departments.add(police)
    client.force_login(bureau_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("inspection-committee"))
    row = response.context["departments"].get(pk=police.pk)
    assert response.status_code == 200 and row.joint_total == 1
    shown = response.content.decode()
    # People by their name (User.__str__), the user name only for one without a name.
    assert "王警官、police2" in shown and "police1" not in shown


def test_committee_is_for_the_bureau(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("inspection-committee")).status_code == 403


def test_department_member_sees_only_their_joint_inspections_in_the_list(client, bureau_staff):
    police, fire = DepartmentFactory(), DepartmentFactory()
    theirs = InspectionFactory(title="公安参加的")
    theirs.departments.add(police, fire)
    InspectionFactory(title="消防参加的").departments.add(fire)
    client.force_login(UserFactory(role="inspector", department=police))
    listed = client.get(reverse("inspection-list")).context["object_list"]
    assert [i.pk for i in listed] == [theirs.pk]
    detail = client.get(reverse("inspection-detail", args=[theirs.pk])).content.decode()
    assert police.name in detail and fire.name in detail
