"""Self-service accounts as a member of staff uses them: the profile, changing one's
password (Django's validators), the forced change of a password an admin set, and a
forgotten password reset by a one-time link sent by e-mail."""

import re

import pytest
from django.core import mail

from accounts.models import User

PROFILE = "/accounts/profile/"
CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"
NEW = "Anquan-2025-new"


def reset_link(message):
    return re.search(r"https?://[^/]+(/accounts/password/reset/[^\s]+/)", message.body).group(1)


def test_profile_updates_name_phone_and_language(client, officer_a):
    client.force_login(officer_a)
    page = client.get(PROFILE)
    assert page.status_code == 200 and "officer_a" in page.content.decode()
    data = {"name": "王安全", "phone": "13800000000", "email": "w@example.cn", "language": "en"}
    response = client.post(PROFILE, data)
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert (officer_a.name, officer_a.phone, officer_a.language) == ("王安全", "13800000000", "en")
    assert response.cookies["django_language"].value == "en"


def test_profile_refuses_a_bad_email_with_a_field_message(client, officer_a):
    client.force_login(officer_a)
    response = client.post(
        PROFILE, {"name": "王", "email": "not-an-address", "language": "zh-hans"}
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_password_change_applies_the_validators(client, officer_a):
    client.force_login(officer_a)
    weak = {"old_password": "pass-1234", "new_password1": "12345678", "new_password2": "12345678"}
    response = client.post(CHANGE, weak)
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    short = {"old_password": "pass-1234", "new_password1": "a1-B", "new_password2": "a1-B"}
    html = client.post(CHANGE, short).content.decode()
    assert "密码太短：至少需要 8 个字符。" in html  # in Chinese, not Django's English
    officer_a.refresh_from_db()
    assert officer_a.check_password("pass-1234")


def test_password_change_keeps_the_session(client, officer_a):
    client.force_login(officer_a)
    data = {"old_password": "pass-1234", "new_password1": NEW, "new_password2": NEW}
    assert client.post(CHANGE, data).status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW)
    assert client.get("/").status_code == 200  # still signed in


def test_an_admin_set_password_must_be_changed_first(client, officer_a):
    officer_a.must_change_password = True
    officer_a.save()
    client.force_login(officer_a)
    response = client.get("/hazards/")
    assert response.status_code == 302 and response.url.startswith(CHANGE)
    assert client.get(CHANGE).status_code == 200  # the page itself is open
    data = {"old_password": "pass-1234", "new_password1": NEW, "new_password2": NEW}
    client.post(CHANGE, data)
    officer_a.refresh_from_db()
    assert officer_a.must_change_password is False
    assert client.get("/hazards/").status_code == 200


def test_the_admin_marks_passwords_it_sets(admin_as, officer_a, bureau_admin):
    client = admin_as(bureau_admin, "all")
    url = f"/admin/accounts/user/{officer_a.pk}/password/"
    response = client.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.must_change_password and officer_a.check_password(NEW)


def test_the_admin_marks_the_users_it_creates(admin_as, bureau_admin):
    client = admin_as(bureau_admin, "all")
    data = {"username": "newbie", "password1": NEW, "password2": NEW, "usable_password": "true",
            "role": "teacher", "language": "zh-hans"}  # fmt: skip
    response = client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newbie").must_change_password


def test_a_reset_link_arrives_and_works_once(client, officer_a):
    response = client.post(RESET, {"email": officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [officer_a.email]
    assert "officer_a" in mail.outbox[0].body
    link = reset_link(mail.outbox[0])
    form_url = client.get(link).url  # Django moves the token into the session
    page = client.get(form_url)
    assert page.context["validlink"]
    assert client.post(form_url, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW)
    # The same link again: a page that says it no longer works, never a 500.
    again = client.get(link, follow=True)
    assert again.status_code == 200 and not again.context["validlink"]
    assert "已失效" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, officer_a):
    response = client.post(RESET, {"email": "nobody@example.cn"}, follow=True)
    assert response.status_code == 200 and "请查收邮件" in response.content.decode()
    assert mail.outbox == []


def test_a_malformed_address_is_a_field_error(client):
    response = client.post(RESET, {"email": "nobody"})
    assert response.status_code == 200 and response.context["form"].errors["email"]


def test_reset_requests_are_rate_limited(client, officer_a, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"
    codes = [client.post(RESET, {"email": officer_a.email}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("url", [RESET, "/accounts/login/"])
def test_account_pages_open_while_a_change_is_forced(client, officer_a, url):
    officer_a.must_change_password = True
    officer_a.save()
    client.force_login(officer_a)
    assert client.get(url).status_code in (200, 302)
