"""A person's language (``User.language``): stored by the navbar switch, used for every page
once they sign in (whatever the cookie or browser says), and kept by anonymous visitors in
the language cookie as before."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SWITCH = reverse("set_language")
COOKIE = settings.LANGUAGE_COOKIE_NAME


def dashboard(client):
    return client.get(reverse("dashboard")).content.decode()


def test_a_new_user_has_the_site_language(db):
    assert UserFactory().language == settings.LANGUAGE_CODE == "zh-hans"


def test_switching_language_stores_it_on_the_signed_in_user(client, officer_a):
    client.force_login(officer_a)
    response = client.post(SWITCH, {"language": "en", "next": "/hazards/"})
    assert response.status_code == 302 and response.url == "/hazards/"
    assert User.objects.get(pk=officer_a.pk).language == "en"
    assert response.cookies[COOKIE].value == "en"
    assert "Dashboard" in dashboard(client)


def test_an_unknown_language_or_a_get_changes_nothing(client, officer_a):
    client.force_login(officer_a)
    assert client.post(SWITCH, {"language": "fr", "next": "/"}).status_code == 302
    assert client.get(SWITCH, {"language": "en", "next": "/"}).status_code == 302
    assert User.objects.get(pk=officer_a.pk).language == "zh-hans"


def test_anonymous_visitors_switch_with_the_cookie_only(client):
    response = client.post(SWITCH, {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert response.cookies[COOKIE].value == "en"
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_signing_in_activates_the_stored_language(client, officer_a):
    officer_a.remember_language("en")
    client.cookies[COOKIE] = "zh-hans"  # the shared computer was left in Chinese
    response = client.post(reverse("login"), {"username": "officer_a", "password": "pass-1234"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "en"  # the pages after signing out stay English
    html = dashboard(client)
    assert "Dashboard" in html and "工作台" not in html


def test_the_stored_language_wins_over_the_browser(client, officer_a):
    client.force_login(officer_a)
    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "工作台" in html and "Dashboard" not in html


def test_api_clients_get_no_language_cookie(api_as, officer_a):
    officer_a.remember_language("en")
    response = api_as(officer_a).get("/api/v1/hazards/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and COOKIE not in response.cookies
