"""API tokens (django-rest-knox): obtained as before (username, password → ``{"token"}``,
sent as ``Authorization: Token …``), and no longer valid after their expiry, a change of
the password or the user's deactivation. Requests are throttled per user and per anonymous
client address, with a 429 that says so in the request's language."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

UTC = datetime.UTC
START = datetime.datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
TOKEN = "/api/v1/auth/token/"
SCHOOLS = "/api/v1/schools/"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def obtain(username="officer_a", password="pass-1234"):
    response = APIClient().post(TOKEN, {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_token_carries_its_expiry_and_stops_working_after_it(officer_a, clock, settings):
    body = obtain()
    assert set(body) == {"token", "expiry"}
    assert datetime.datetime.fromisoformat(body["expiry"]) == START + datetime.timedelta(hours=24)
    assert with_token(body["token"]).get(SCHOOLS).status_code == 200

    clock.shift(datetime.timedelta(hours=23, minutes=59))
    assert with_token(body["token"]).get(SCHOOLS).status_code == 200
    clock.shift(datetime.timedelta(minutes=2))
    response = with_token(body["token"]).get(SCHOOLS)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=officer_a).exists()  # expired ones are deleted
    assert with_token(obtain()["token"]).get(SCHOOLS).status_code == 200  # ask again


def test_expired_tokens_are_purged_when_the_user_signs_in_again(officer_a, clock):
    obtain(), obtain()
    clock.shift(datetime.timedelta(hours=25))
    token = obtain()["token"]
    assert AuthToken.objects.filter(user=officer_a).count() == 1
    assert with_token(token).get(SCHOOLS).status_code == 200


def test_the_lifetime_comes_from_the_settings(officer_a, clock, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(hours=2)}
    token = obtain()["token"]
    clock.shift(datetime.timedelta(hours=2, seconds=1))
    assert with_token(token).get(SCHOOLS).status_code == 401


def test_a_json_request_works_as_the_form_does(officer_a):
    response = APIClient().post(
        TOKEN, {"username": "officer_a", "password": "pass-1234"}, format="json"
    )
    assert response.status_code == 200 and len(response.json()["token"]) == 64


def test_a_password_change_revokes_the_tokens(officer_a):
    tokens = [obtain()["token"], obtain()["token"]]
    officer_a.set_password("a-new-pass-5678")
    officer_a.save()
    for token in tokens:
        assert with_token(token).get(SCHOOLS).status_code == 401
    assert with_token(obtain(password="a-new-pass-5678")["token"]).get(SCHOOLS).status_code == 200


def test_a_password_changed_in_the_admin_revokes_the_tokens(admin_as, bureau_admin, officer_a):
    token = obtain()["token"]
    client = admin_as(bureau_admin, "accounts.view_user", "accounts.change_user")
    url = reverse("admin:auth_user_password_change", args=[officer_a.pk])
    response = client.post(
        url,
        {"password1": "Another-pass-91", "password2": "Another-pass-91", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert with_token(token).get(SCHOOLS).status_code == 401


def test_changepassword_command_revokes_the_tokens(officer_a, monkeypatch):
    token = obtain()["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Command-pass-77")
    call_command("changepassword", "officer_a", stdout=io.StringIO())
    assert with_token(token).get(SCHOOLS).status_code == 401


def test_deactivation_revokes_the_tokens(officer_a):
    token = obtain()["token"]
    officer_a.is_active = False
    officer_a.save()
    assert with_token(token).get(SCHOOLS).status_code == 401
    officer_a.is_active = True
    officer_a.save()
    assert with_token(token).get(SCHOOLS).status_code == 401  # revoked, not just refused
    assert not AuthToken.objects.filter(user=officer_a).exists()


def test_other_saves_keep_the_tokens(officer_a, client):
    token = obtain()["token"]
    officer_a.name = "王老师"
    officer_a.save()
    officer_a.remember_language("en")
    client.post("/accounts/login/", {"username": "officer_a", "password": "pass-1234"})
    assert with_token(token).get(SCHOOLS).status_code == 200


def test_another_users_tokens_stay(officer_a, officer_b):
    token_b = obtain("officer_b")["token"]
    obtain()
    officer_a.set_password("a-new-pass-5678")
    officer_a.save()
    assert with_token(token_b).get(SCHOOLS).status_code == 200


def test_the_report_client_reads_with_a_token(report_client):
    token = obtain("client")["token"]
    assert with_token(token).get("/api/v1/reports/yearly/", {"year": 2024}).status_code == 200


# --- throttles --------------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        base = {"anon": "1000/m", "user": "1000/m", "login": "1000/m"}
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**base, **rates},
        }

    return set_rates


def test_a_user_is_throttled_per_user_whatever_the_address(officer_a, officer_b, rates, clock):
    rates(user="3/m")
    client = with_token(obtain()["token"])
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert client.get(SCHOOLS, REMOTE_ADDR=address).status_code == 200
    response = client.get(SCHOOLS, REMOTE_ADDR="10.0.0.4")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert response.json() == {"detail": "请求过于频繁，请 60 秒后再试。", "code": "throttled"}
    english = client.get(SCHOOLS, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {
        "detail": "Too many requests: try again in 60 seconds.",
        "code": "throttled",
    }
    assert with_token(obtain("officer_b")["token"]).get(SCHOOLS).status_code == 200
    clock.shift(datetime.timedelta(seconds=61))
    assert client.get(SCHOOLS).status_code == 200


# The OpenAPI schema is the one API endpoint anonymous clients may read (an expensive one).
SCHEMA = "/api/schema/"


def test_anonymous_clients_are_throttled_per_address(db, rates, clock):
    rates(anon="1/m")
    client = APIClient()
    assert client.get(SCHEMA).status_code == 200
    response = client.get(SCHEMA, {"format": "json"})
    assert response.status_code == 429 and "请求过于频繁" in response.json()["detail"]
    assert client.get(SCHEMA, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429  # no proxy
    assert client.get(SCHEMA, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_behind_a_proxy_anonymous_clients_count_by_their_own_address(db, rates, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    rates(anon="1/m")
    client = APIClient()
    assert client.get(SCHEMA, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert client.get(SCHEMA, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    spoofed = client.get(SCHEMA, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert spoofed.status_code == 429
    assert client.get(SCHEMA, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
