"""The public 随手拍 limit behind reverse proxies: each citizen counts by their own address
(``TRUSTED_PROXY_COUNT`` proxies appending to X-Forwarded-For, read by core.clientip), a
forged X-Forwarded-For escapes nothing, every school has a ceiling of its own, and the
counts live in a cache every web process shares (Redis, ``CACHE_URL``)."""

import datetime
import os
import uuid

import pytest
import redis
import time_machine
from django.test import override_settings

from hazards.models import Hazard
from tests.factories import SchoolFactory

from .test_public import public_url, snapshot_data

PROXY = "10.0.0.2"  # nginx, the connecting address of every request behind it
START = datetime.datetime(2025, 3, 3, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limits(settings):
    settings.SNAPSHOT_RATE_LIMIT = "2/h"
    settings.SNAPSHOT_SCHOOL_RATE_LIMIT = "100/h"
    return settings


def send(client, school, forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(public_url(school), snapshot_data(), **extra).status_code


def test_two_citizens_behind_one_proxy_have_their_own_limits(client, school_a, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    assert [send(client, school_a, "203.0.113.7") for _n in range(3)] == [200, 200, 429]
    assert [send(client, school_a, "198.51.100.23") for _n in range(3)] == [200, 200, 429]
    assert Hazard.objects.count() == 4


def test_without_a_trusted_proxy_a_forged_header_escapes_nothing(client, school_a, limits):
    limits.TRUSTED_PROXY_COUNT = 0
    statuses = [send(client, school_a, f"203.0.113.{n}", remote="192.0.2.50") for n in range(4)]
    assert statuses == [200, 200, 429, 429]
    assert send(client, school_a, remote="192.0.2.51") == 200  # another connecting address


def test_through_the_proxy_a_forged_entry_escapes_nothing(client, school_a, limits):
    """nginx appends the real address to what the client sent: only that entry counts."""
    limits.TRUSTED_PROXY_COUNT = 1
    forged = [send(client, school_a, f"198.51.100.{n}, 203.0.113.7") for n in range(3)]
    assert forged == [200, 200, 429]
    assert send(client, school_a, "203.0.113.7") == 429


def test_two_proxies_take_the_entry_the_outer_one_appended(client, school_a, limits):
    limits.TRUSTED_PROXY_COUNT = 2  # a load balancer, then nginx (REMOTE_ADDR)
    assert [send(client, school_a, "203.0.113.7, 10.0.0.1") for _n in range(3)] == [200, 200, 429]
    assert send(client, school_a, "203.0.113.8, 10.0.0.1") == 200


def test_a_header_shorter_than_the_proxies_counts_by_the_connecting_address(
    client, school_a, limits
):
    limits.TRUSTED_PROXY_COUNT = 2
    statuses = [send(client, school_a, f"203.0.113.{n}") for n in range(3)]
    assert statuses == [200, 200, 429]


def test_tracking_look_ups_count_by_the_same_address(client, limits, db):
    limits.SNAPSHOT_RATE_LIMIT = "1/h"  # × 4 for look-ups
    limits.TRUSTED_PROXY_COUNT = 1

    def track(forwarded):
        return client.get(
            "/s/track/", {"code": "XXXX"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [track("203.0.113.7") for _n in range(5)] == [200] * 4 + [429]
    assert track("203.0.113.8") == 200


def test_every_school_has_a_ceiling_of_its_own(client, school_a, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    limits.SNAPSHOT_SCHOOL_RATE_LIMIT = "3/h"
    statuses = [send(client, school_a, f"203.0.113.{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Hazard.objects.filter(school=school_a).count() == 3
    other = SchoolFactory(name="丙学校")
    assert send(client, other, "203.0.113.9") == 200


def test_a_refused_address_does_not_use_up_the_schools_ceiling(client, school_a, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    limits.SNAPSHOT_SCHOOL_RATE_LIMIT = "3/h"
    assert [send(client, school_a, "203.0.113.7") for _n in range(5)] == [200, 200] + [429] * 3
    assert send(client, school_a, "203.0.113.8") == 200


def test_the_limit_opens_again_in_the_next_window(client, school_a, limits, clock):
    limits.TRUSTED_PROXY_COUNT = 1
    assert [send(client, school_a, "203.0.113.7") for _n in range(3)] == [200, 200, 429]
    clock.shift(datetime.timedelta(hours=1))
    assert send(client, school_a, "203.0.113.7") == 200


# --- a shared cache ------------------------------------------------------------------------


@pytest.fixture
def redis_cache():
    """The cache on the Redis server the tests' broker runs on, under a key prefix of its
    own (removed afterwards), as production sets it with CACHE_URL."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("needs Redis (CELERY_BROKER_URL=redis://…), as CI runs the tests")
    prefix = f"test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": backend}):
        yield redis.Redis.from_url(url), prefix
    server = redis.Redis.from_url(url)
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)


def test_on_redis_the_counts_are_shared_by_every_process(client, school_a, limits, redis_cache):
    server, prefix = redis_cache
    limits.TRUSTED_PROXY_COUNT = 1
    assert [send(client, school_a, "203.0.113.7") for _n in range(3)] == [200, 200, 429]
    assert send(client, school_a, "198.51.100.23") == 200
    # The counts are on the server, where another web process finds them.
    keys = {key.decode() for key in server.scan_iter(match=f"{prefix}:*")}
    assert any("snapshot-rate:report:203.0.113.7" in key for key in keys)
    assert any(f"snapshot-rate:school:{school_a.pk}" in key for key in keys)
    (count_key,) = [k for k in keys if "report:203.0.113.7" in k]
    assert int(server.get(count_key)) == 3
