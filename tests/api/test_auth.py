"""Token flow: POST username/password to /api/v1/auth/token/, then ``Authorization: Token …``."""

import pytest
from rest_framework.test import APIClient


def test_token_obtained_and_used(officer_a, school_a):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": "pass-1234"}
    )
    assert response.status_code == 200
    token = response.json()["token"]

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/schools/")
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["results"]] == ["甲学校"]


def test_wrong_password_gets_no_token(officer_a):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_bad_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get("/api/v1/hazards/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("stored", "accept", "expected"),
    [("zh-hans", "en", "CSRF 校验失败"), ("en", "zh-hans", "CSRF check failed")],
)
def test_the_csrf_refusal_is_translated(officer_a, school_a, stored, accept, expected):
    """A session-authenticated write without the CSRF token: DRF's own text is English
    only, ours is translated. Only a signed-in browser session meets the CSRF check, so
    the language is the user's own (``User.language``, as on every page once signed in,
    accounts.middleware) whatever the browser's Accept-Language; the code stays the same."""
    officer_a.remember_language(stored)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post(
        "/api/v1/hazards/", {"school": school_a.pk}, format="json", HTTP_ACCEPT_LANGUAGE=accept
    )
    assert response.status_code == 403
    body = response.json()
    assert body["detail"].startswith(expected)
    assert body["code"] == "permission_denied"
