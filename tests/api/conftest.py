"""Hazards in each workflow state at school A, made through the services (so their events
exist), and helpers for the API tests."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken
from PIL import Image
from rest_framework.test import APIClient

from hazards import services
from hazards.models import Hazard


def png(name="photo.png", colour=(200, 30, 30)):
    """A small real PNG upload."""
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def report(school, actor, **kwargs):
    kwargs = {"title": "灭火器过期", "category": "fire", "source": "self_inspection", **kwargs}
    return services.report_hazard(school, actor=actor, notify=False, **kwargs)


def assign(hazard, actor, responsible, **kwargs):
    return services.assign_hazard(
        hazard, actor=actor, responsible=responsible, measures="更换灭火器", notify=False, **kwargs
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def token_client():
    """``token_client(user)`` → a fresh APIClient sending ``Authorization: Token …``;
    ``token_client(None)`` → anonymous."""

    def make(user):
        client = APIClient()
        if user is not None:
            _instance, token = AuthToken.objects.create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture
def reported(school_a, officer_a):
    return report(school_a, officer_a)


@pytest.fixture
def rectifying(school_a, officer_a):
    return assign(report(school_a, officer_a), officer_a, officer_a)


@pytest.fixture
def verifying(rectifying, officer_a):
    """A general hazard whose rectification officer_a submitted."""
    return services.submit_rectification(rectifying, actor=officer_a, note="已更换", notify=False)


@pytest.fixture
def verifying_major(school_a, officer_a, bureau_staff):
    hazard = report(school_a, officer_a, level=Hazard.Level.MAJOR)
    hazard = assign(hazard, bureau_staff, officer_a, funding_yuan=50000, contingency_plan="预案")
    return services.submit_rectification(hazard, actor=officer_a, note="已完成", notify=False)
