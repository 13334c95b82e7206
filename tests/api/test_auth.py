"""Token flow: POST username/password to /api/v1/auth/token/, then ``Authorization: Token …``."""

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
