"""Sign-in as an attacker would try it: wrong passwords lock the user name at that address
(django-axes) on the web login, the admin's login and the token endpoint alike, until the
cool-off has passed or the bureau unlocks it in the admin; one address may try only so
often; a report client's account is for the API only."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

UTC = datetime.UTC
START = datetime.datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
LOCKED = "账号已被暂时锁定"


@pytest.fixture(autouse=True)
def settings_for_locking(settings):
    settings.AXES_FAILURE_LIMIT = 10
    settings.AXES_COOLOFF_TIME = 0.5  # 30 minutes
    settings.LOGIN_RATE_LIMIT = "1000/m"  # the lock-out is under test, not the rate
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/m", "user": "1000/m", "login": "1000/m"},
    }


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def web_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def api_login(username, password):
    return APIClient().post(TOKEN, {"username": username, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


# --- lock-out --------------------------------------------------------------------------


def test_thirty_wrong_passwords_lock_the_web_login_until_the_cool_off(client, officer_a, clock):
    statuses = [web_login(client, "officer_a", f"guess-{n}").status_code for n in range(30)]
    assert statuses[:9] == [200] * 9  # the form again: wrong user name or password
    assert set(statuses[9:]) == {429}
    response = web_login(client, "officer_a", "pass-1234")
    assert response.status_code == 429 and not signed_in(client)
    assert LOCKED in response.content.decode()
    assert "30 分钟" in response.content.decode()

    clock.shift(datetime.timedelta(minutes=29))
    assert web_login(client, "officer_a", "pass-1234").status_code == 429
    clock.shift(datetime.timedelta(minutes=2))
    response = web_login(client, "officer_a", "pass-1234")
    assert response.status_code == 302 and signed_in(client)


def test_the_lock_message_is_translated(client, officer_a, clock):
    for n in range(10):
        client.post(
            LOGIN, {"username": "officer_a", "password": f"x{n}"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    response = client.post(
        LOGIN, {"username": "officer_a", "password": "pass-1234"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_thirty_wrong_passwords_lock_the_token_endpoint(officer_a, clock):
    statuses = [api_login("officer_a", f"guess-{n}").status_code for n in range(30)]
    assert statuses[:9] == [400] * 9
    assert set(statuses[9:]) == {429}
    response = api_login("officer_a", "pass-1234")
    assert response.status_code == 429 and "token" not in response.json()
    assert LOCKED in response.json()["detail"]

    clock.shift(datetime.timedelta(minutes=31))
    response = api_login("officer_a", "pass-1234")
    assert response.status_code == 200 and response.json()["token"]


def test_the_web_and_the_api_count_together(client, officer_a, clock):
    for n in range(5):
        web_login(client, "officer_a", f"web-{n}")
        api_login("officer_a", f"api-{n}")
    assert api_login("officer_a", "pass-1234").status_code == 429
    assert web_login(client, "officer_a", "pass-1234").status_code == 429


def test_the_lock_holds_a_name_at_one_address_only(client, officer_a, teacher_a, clock):
    """A stranger guessing from elsewhere cannot lock a colleague out of the office."""
    for n in range(10):
        client.post(LOGIN, {"username": "officer_a", "password": f"x{n}"}, REMOTE_ADDR="10.6.6.6")
    assert (
        client.post(
            LOGIN, {"username": "officer_a", "password": "pass-1234"}, REMOTE_ADDR="10.6.6.6"
        ).status_code
        == 429
    )
    assert web_login(client, "teacher_a", "pass-1234").status_code == 302  # other name
    client.logout()
    assert web_login(client, "officer_a", "pass-1234").status_code == 302  # other address


def test_a_success_forgets_the_earlier_failures(client, officer_a, clock):
    for n in range(9):
        web_login(client, "officer_a", f"x{n}")
    assert web_login(client, "officer_a", "pass-1234").status_code == 302
    client.logout()
    for n in range(9):
        assert web_login(client, "officer_a", f"y{n}").status_code == 200


def test_the_admin_login_is_locked_too(client, db, clock):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for n in range(10):
        client.post(url, {"username": "root", "password": f"x{n}"})
    response = client.post(url, {"username": "root", "password": "pass-1234"})
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not signed_in(client)


# --- unlock ------------------------------------------------------------------------------


def lock(username):
    for n in range(10):
        api_login(username, f"x{n}")
    assert api_login(username, "pass-1234").status_code == 429


def unlock(client, user):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [user.pk]},
        follow=True,
    )


def test_the_bureau_admin_unlocks_in_the_user_admin(admin_as, bureau_admin, officer_a, clock):
    lock("officer_a")
    client = admin_as(bureau_admin, "accounts.view_user", "accounts.change_user")
    response = unlock(client, officer_a)
    assert response.status_code == 200 and "已解除 1 个用户的登录锁定" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="officer_a").exists()
    assert api_login("officer_a", "pass-1234").status_code == 200


def test_a_school_officer_may_not_unlock(admin_as, officer_a, teacher_a, clock):
    lock("teacher_a")
    client = admin_as(officer_a, "accounts.view_user", "accounts.change_user")
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "teacher_a" in page and "unlock_sign_in" not in page
    unlock(client, teacher_a)
    assert api_login("teacher_a", "pass-1234").status_code == 429


def test_axes_admin_lists_the_lock_and_deleting_it_unlocks(client, officer_a, clock):
    lock("officer_a")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert "officer_a" in response.content.decode()
    attempt = AccessAttempt.objects.get(username="officer_a")
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert api_login("officer_a", "pass-1234").status_code == 200


# --- throttling per address ----------------------------------------------------------------


def test_one_address_may_try_only_so_often_on_the_web(client, officer_a, teacher_a, settings):
    settings.LOGIN_RATE_LIMIT = "3/m"
    with time_machine.travel(START, tick=False):
        for name in ("a", "b", "c"):
            assert web_login(client, name, "x").status_code == 200
        response = web_login(client, "officer_a", "pass-1234")
        assert response.status_code == 429 and not signed_in(client)
        assert "请求过于频繁" in response.content.decode()
        assert not AccessAttempt.objects.filter(username="officer_a").exists()
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        assert web_login(client, "officer_a", "pass-1234").status_code == 302


def test_one_address_may_try_only_so_often_on_the_token_endpoint(officer_a, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/m", "user": "1000/m", "login": "3/m"},
    }
    with time_machine.travel(START, tick=False):
        for name in ("a", "b", "c"):
            assert api_login(name, "x").status_code == 400
        response = api_login("officer_a", "pass-1234")
        assert response.status_code == 429 and response["Retry-After"] == "60"
        assert response.json() == {"detail": "请求过于频繁，请 60 秒后再试。", "code": "throttled"}
        english = APIClient().post(
            TOKEN, {"username": "officer_a", "password": "pass-1234"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert english.json() == {
            "detail": "Too many requests: try again in 60 seconds.",
            "code": "throttled",
        }
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        assert api_login("officer_a", "pass-1234").status_code == 200


# --- the report client is API-only -----------------------------------------------------


def test_the_report_client_cannot_sign_in_to_the_web(client, report_client):
    response = web_login(client, "client", "pass-1234")
    assert response.status_code == 200 and not signed_in(client)
    assert "仅供接口（API）调用" in response.content.decode()


def test_the_report_client_cannot_sign_in_to_the_admin(client, report_client):
    report_client.is_staff = True
    report_client.save()
    response = client.post(reverse("admin:login"), {"username": "client", "password": "pass-1234"})
    assert response.status_code == 200 and not signed_in(client)
    assert "仅供接口（API）调用" in response.content.decode()


def test_the_report_client_gets_a_token(report_client):
    response = api_login("client", "pass-1234")
    assert response.status_code == 200 and response.json()["token"]


def test_a_wrong_password_of_the_report_client_says_nothing_about_the_role(client, report_client):
    response = web_login(client, "client", "wrong")
    assert "仅供接口" not in response.content.decode()
