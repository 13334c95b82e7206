"""The menu offers the supervision summary only to those the page lets in (a trial found the
link shown to counsellors and inspectors, who then got a 403)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "offered"), [("bureau_staff", True), ("officer_a", True), ("counsellor_a", False)]
)
def test_summary_link_follows_the_permission(client, request, persona, offered):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert (f'href="{reverse("supervision-summary")}"' in page) is offered
    assert client.get(reverse("supervision-summary")).status_code == (200 if offered else 403)
