"""The permission matrix of the hazard and school API: persona × (method, url) → status.

Hazards live at school A. officer_b is outside its scope (404, or a 400 field error on
``school`` when creating). report_client reads everything and writes nothing (403).
Anonymous requests are 401 (token authentication answers with WWW-Authenticate).
"""

import pytest

PERSONAS = [
    "bureau_staff",
    "officer_a",
    "principal_a",
    "teacher_a",
    "counsellor_a",
    "officer_b",
    "report_client",
    "anonymous",
]


# (persona → status) for each case, in PERSONAS order.
def row(*statuses):
    return dict(zip(PERSONAS, statuses, strict=True))


READ_ALL = row(200, 200, 200, 200, 200, 200, 200, 401)
READ_A = row(200, 200, 200, 200, 200, 404, 200, 401)
NOT_ALLOWED = row(405, 405, 405, 405, 405, 405, 405, 401)

CASES = {
    # name: (method, url template, hazard fixture or None, body, expected)
    "hazard list": ("get", "/api/v1/hazards/", None, None, READ_ALL),
    "hazard detail": ("get", "/api/v1/hazards/{id}/", "reported", None, READ_A),
    "hazard create": (
        "post",
        "/api/v1/hazards/",
        None,
        {
            "school": "{school}",
            "title": "楼梯扶手松动",
            "category": "building",
            "source": "snapshot",
        },
        row(201, 201, 201, 201, 201, 400, 403, 401),
    ),
    "hazard put": ("put", "/api/v1/hazards/{id}/", "reported", {"title": "x"}, NOT_ALLOWED),
    "hazard patch": ("patch", "/api/v1/hazards/{id}/", "reported", {"title": "x"}, NOT_ALLOWED),
    "hazard delete": ("delete", "/api/v1/hazards/{id}/", "reported", None, NOT_ALLOWED),
    "assign": (
        "post",
        "/api/v1/hazards/{id}/assign/",
        "reported",
        {"responsible": "{officer_a}", "measures": "更换灭火器"},
        row(200, 200, 200, 403, 403, 404, 403, 401),
    ),
    "dismiss": (
        "post",
        "/api/v1/hazards/{id}/dismiss/",
        "reported",
        {"reason": "重复登记"},
        row(200, 200, 200, 403, 403, 404, 403, 401),
    ),
    "submit_rectification": (
        "post",
        "/api/v1/hazards/{id}/submit_rectification/",
        "rectifying",
        {"note": "已更换"},
        # The bureau supervises; the school (or the responsible person) rectifies.
        row(403, 200, 200, 403, 403, 404, 403, 401),
    ),
    "reject_rectification": (
        "post",
        "/api/v1/hazards/{id}/reject_rectification/",
        "verifying",
        {"comment": "未见照片"},
        # officer_a submitted it and is no verifier anyway; a principal verifies general ones.
        row(200, 403, 200, 403, 403, 404, 403, 401),
    ),
    "close": (
        "post",
        "/api/v1/hazards/{id}/close/",
        "verifying",
        {"comment": "验收合格"},
        row(200, 403, 200, 403, 403, 404, 403, 401),
    ),
    "close major": (
        "post",
        "/api/v1/hazards/{id}/close/",
        "verifying_major",
        {},
        # Major hazards are written off by the bureau only (挂牌督办).
        row(200, 403, 403, 403, 403, 404, 403, 401),
    ),
    "school list": ("get", "/api/v1/schools/", None, None, READ_ALL),
    "school detail": ("get", "/api/v1/schools/{school}/", None, None, READ_A),
    "school post": (
        "post",
        "/api/v1/schools/",
        None,
        {"name": "x"},
        row(405, 405, 405, 405, 405, 405, 405, 401),
    ),
}

MATRIX = [
    pytest.param(persona, name, id=f"{name}-{persona}") for name in CASES for persona in PERSONAS
]


def _fill(value, ids):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str):
        return value.format(**ids)
    return value


@pytest.mark.parametrize(("persona", "case"), MATRIX)
def test_permission_matrix(request, token_client, school_a, officer_a, persona, case):
    method, url, hazard_fixture, body, expected = CASES[case]
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    ids = {"school": school_a.pk, "officer_a": officer_a.pk}
    if hazard_fixture:
        ids["id"] = request.getfixturevalue(hazard_fixture).pk
    client = token_client(user)
    response = getattr(client, method)(_fill(url, ids), _fill(body, ids), format="json")
    assert response.status_code == expected[persona], response.content.decode()
