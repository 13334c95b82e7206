"""Personas as fixtures: bureau staff, officer/principal/teacher/counsellor of school A,
officer of school B, a report client. Tests log them in with ``client.force_login``.

Also the session's demo data (``demo_data``, tests/demo/fixtures.py) and the order that
fixture needs: every test using it runs last."""

import os
import time

import pytest
from rest_framework.test import APIClient

from accounts.models import User

from .demo.fixtures import demo_data  # noqa: F401  (registered once here, for every module)
from .factories import SchoolFactory, UserFactory

R = User.Role
TRANSACTIONAL = {"transactional_db", "live_server"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Move the tests on the session's demo data to the end (keeping their order), after
    pytest-django's ordering (database tests, transactional ones, the rest): the demo stays
    loaded in an open transaction from its first test to the end of the session, so no
    other test may run after it. A transactional test cannot run inside that transaction:
    using both is an error."""

    def on_demo(item):
        return "demo_data" in getattr(item, "fixturenames", ())

    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = TRANSACTIONAL & set(getattr(item, "fixturenames", ())) or (
            marker is not None and marker.kwargs.get("transaction")
        )
        if on_demo(item) and transactional:
            raise pytest.UsageError(
                f"{item.nodeid}: demo_data cannot be used by a transactional test"
            )
    items.sort(key=on_demo)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits, API throttles and the public 随手拍 limit count in the cache (locmem in
    the tests): each test starts with nothing counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Each test keeps its private files (photos, exports) in a folder of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def school_a(db):
    return SchoolFactory(name="甲学校")


@pytest.fixture
def school_b(db):
    return SchoolFactory(name="乙学校")


@pytest.fixture
def bureau_staff(db):
    return UserFactory(username="bureau", role=R.BUREAU_STAFF, scope_all_schools=True)


@pytest.fixture
def bureau_admin(db):
    return UserFactory(username="admin1", role=R.BUREAU_ADMIN, scope_all_schools=True)


@pytest.fixture
def officer_a(school_a):
    return UserFactory(username="officer_a", role=R.SCHOOL_OFFICER, schools=[school_a])


@pytest.fixture
def principal_a(school_a):
    return UserFactory(username="principal_a", role=R.PRINCIPAL, schools=[school_a])


@pytest.fixture
def teacher_a(school_a):
    return UserFactory(username="teacher_a", role=R.TEACHER, schools=[school_a])


@pytest.fixture
def counsellor_a(school_a):
    return UserFactory(username="counsellor_a", role=R.COUNSELLOR, schools=[school_a])


@pytest.fixture
def officer_b(school_b):
    return UserFactory(username="officer_b", role=R.SCHOOL_OFFICER, schools=[school_b])


@pytest.fixture
def report_client(db):
    return UserFactory(username="client", role=R.REPORT_CLIENT, scope_all_schools=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """``api_as(user)`` → an APIClient authenticated as ``user``."""

    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def admin_as(client):
    """``admin_as(user, *perms)`` → the Django test client logged in as ``user``, made staff
    and given the model permissions named ``"app_label.codename"`` (``"all"``: every one)."""
    from django.contrib.auth.models import Permission

    def login(user, *perms):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        if "all" in perms:
            user.user_permissions.set(Permission.objects.all())
        for perm in perms:
            if perm != "all":
                app_label, codename = perm.split(".")
                user.user_permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        client.force_login(user)
        return client

    return login


@pytest.fixture
def utc_process():
    """The process's own clock in UTC (as on a server), so a naive date.today() and the
    Beijing date differ in the early morning. Django had set TZ to TIME_ZONE."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()
