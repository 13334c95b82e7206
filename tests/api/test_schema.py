"""OpenAPI schema and the offline Swagger UI."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

TRANSITIONS = ["assign", "submit_rectification", "reject_rectification", "close", "dismiss"]


@pytest.fixture
def our_schema():
    """The schema of the whole /api/v1/ (every app's endpoints), with the generator's warnings."""
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(
            patterns=[path("api/v1/", include("campussafety.api_urls"))]
        ).get_schema(public=True)
    yield schema, dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()


def test_schema_has_no_warnings_or_errors_and_is_valid(our_schema):
    schema, warnings, errors = our_schema
    assert warnings == {}
    assert errors == {}
    validate_schema(schema)


def test_schema_documents_transitions_with_their_request_bodies(our_schema):
    schema, _, _ = our_schema
    paths = schema["paths"]
    for name in TRANSITIONS:
        operation = paths[f"/api/v1/hazards/{{id}}/{name}/"]["post"]
        body = operation["requestBody"]["content"]
        # One body type each (generated clients take one): multipart where photos go.
        with_photos = name not in ("assign", "dismiss")
        assert list(body) == (["multipart/form-data"] if with_photos else ["application/json"])
        assert {"200", "400", "403", "404"} <= set(operation["responses"])
    assert not {"put", "patch", "delete"} & set(paths["/api/v1/hazards/{id}/"])
    assert set(paths["/api/v1/hazards/"]) >= {"get", "post"}
    assign = schema["components"]["schemas"]["HazardAssignRequest"]  # COMPONENT_SPLIT_REQUEST
    assert set(assign["required"]) == {"responsible", "measures"}


def test_schema_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/hazards/{id}/close/" in response.json()["paths"]


def test_docs_use_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    # The page's own script is a file of this site too (the split view: no inline script).
    assert "/api/docs/?script=" in sources
    sources.remove("/api/docs/?script=")
    for source in sources:
        assert source.startswith("/static/"), source
        assert "cdn" not in source.lower()
        assert finders.find(source.removeprefix("/static/")), source


def test_api_root_lists_the_endpoints_outside_the_viewsets(api_as, report_client):
    body = api_as(report_client).get("/api/v1/").json()
    assert body["reports/yearly"].endswith("/api/v1/reports/yearly/")
    assert body["inspections/calendar"].endswith("/api/v1/inspections/calendar/")
    assert body["hazards"].endswith("/api/v1/hazards/")
