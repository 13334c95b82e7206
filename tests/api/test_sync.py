"""Incremental sync (core.sync) and the deletions feed (notifications.tombstones): a client
mirrors the ledger through ``cursor`` while hazards are created, changed and deleted between
pulls, and ends identical to the database as it sees it; bad sync parameters are 400s."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from hazards.models import Hazard
from notifications.models import Tombstone
from tests.api.conftest import assign, report

START = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def pull(client, path, cursor, **params):
    """Every page after ``cursor``: (rows, the cursor to keep)."""
    rows, url = [], path
    params = {"cursor": cursor, "page_size": 3, **params}
    while url:
        body = client.get(url, params).json()
        rows += body["results"]
        url, params, cursor = body["next"], {}, body["cursor"]
    return rows, cursor


def mirror_pull(client, mirror, cursors):
    rows, cursors["hazards"] = pull(client, "/api/v1/hazards/", cursors["hazards"])
    for row in rows:
        mirror[row["id"]] = row
    gone, cursors["deletions"] = pull(client, "/api/v1/deletions/", cursors["deletions"])
    for tomb in gone:
        if tomb["resource"] == "*":
            mirror.clear()
            cursors["hazards"] = ""
        held = mirror.get(tomb["object_id"])
        if tomb["resource"] == "hazards" and held and held["modified"] <= tomb["deleted_at"]:
            del mirror[tomb["object_id"]]


def test_a_mirror_stays_exact_through_creates_changes_and_deletes(
    clock, settings, token_client, school_a, school_b, officer_a, officer_b, bureau_staff
):
    settings.SYNC_SETTLE_SECONDS = 1
    client = token_client(officer_a)
    mine = [report(school_a, officer_a, title=f"隐患{i}") for i in range(5)]
    report(school_b, officer_b, title="别校隐患")
    mirror, cursors = {}, {"hazards": "", "deletions": ""}

    clock.shift(2)
    mirror_pull(client, mirror, cursors)
    assert set(mirror) == {h.pk for h in mine}

    # Between pulls: one changed, one deleted, two new (all in one second: same timestamps).
    assign(mine[0], officer_a, officer_a)
    mine[1].delete()
    new = [report(school_a, officer_a, title="新隐患一"), report(school_a, officer_a, title="新")]
    clock.shift(2)
    mirror_pull(client, mirror, cursors)

    visible = Hazard.objects.visible_to(officer_a)
    assert set(mirror) == set(visible.values_list("pk", flat=True))
    assert mirror[mine[0].pk]["status"] == "rectifying"
    assert {h.pk for h in new} <= set(mirror)

    # Nothing new: the same cursor gives nothing and stays usable.
    before = dict(cursors)
    mirror_pull(client, mirror, cursors)
    assert cursors == before


def test_rows_of_the_last_seconds_wait_for_the_next_pull(
    clock, settings, token_client, school_a, officer_a
):
    settings.SYNC_SETTLE_SECONDS = 5
    report(school_a, officer_a)
    client = token_client(officer_a)
    assert pull(client, "/api/v1/hazards/", "")[0] == []
    clock.shift(6)
    assert len(pull(client, "/api/v1/hazards/", "")[0]) == 1


def test_modified_after_and_plain_paging(clock, settings, token_client, school_a, officer_a):
    settings.SYNC_SETTLE_SECONDS = 0
    old = report(school_a, officer_a)
    clock.shift(60)
    newer = report(school_a, officer_a)
    clock.shift(1)
    client = token_client(officer_a)
    since = (START + datetime.timedelta(seconds=30)).isoformat()
    body = client.get("/api/v1/hazards/", {"modified_after": since}).json()
    assert [r["id"] for r in body["results"]] == [newer.pk]
    assert body["count"] is None and body["cursor"]
    paged = client.get("/api/v1/hazards/").json()
    assert paged["count"] == 2 and paged["cursor"] is None
    assert {r["id"] for r in paged["results"]} == {old.pk, newer.pk}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"cursor": "not-a-cursor!"}, "invalid_cursor"),
        ({"cursor": "eyJ4IjoxfQ"}, "invalid_cursor"),  # JSON, but not ours
        ({"modified_after": "yesterday"}, "invalid_modified_after"),
        ({"modified_after": "2999-01-01T00:00:00Z"}, "invalid_modified_after"),
        ({"modified_after": "2025-01-01", "cursor": ""}, "invalid_cursor"),
    ],
)
def test_bad_sync_parameters_are_400_with_a_code(clock, token_client, officer_a, params, code):
    for path in ("/api/v1/hazards/", "/api/v1/drills/", "/api/v1/deletions/"):
        response = token_client(officer_a).get(path, params)
        assert response.status_code == 400, (path, response.content)
        assert response.json()["code"] == code


def test_an_expired_deletions_position_must_resync(clock, settings, token_client, officer_a):
    settings.SYNC_TOMBSTONE_DAYS = 30
    old = (START - datetime.timedelta(days=31)).isoformat()
    response = token_client(officer_a).get("/api/v1/deletions/", {"modified_after": old})
    assert response.status_code == 400
    assert response.json()["code"] == "sync_expired"


def test_deletions_show_only_what_the_user_could_see(
    clock, settings, token_client, school_a, school_b, officer_a, officer_b
):
    settings.SYNC_SETTLE_SECONDS = 0
    ours, theirs = report(school_a, officer_a), report(school_b, officer_b)
    ours_id, theirs_id = ours.pk, theirs.pk
    ours.delete()
    theirs.delete()
    clock.shift(1)
    rows, _ = pull(token_client(officer_a), "/api/v1/deletions/", "", resource="hazards")
    assert [(r["resource"], r["object_id"]) for r in rows] == [("hazards", ours_id)]
    assert Tombstone.objects.filter(object_id=theirs_id).exists()


def test_a_scope_change_tells_the_client_to_re_read(
    clock, settings, token_client, officer_a, school_b
):
    from accounts.signals import scope_changed

    settings.SYNC_SETTLE_SECONDS = 0
    scope_changed.send(
        sender=None, user=officer_a, actor=officer_a, before=None, after=officer_a.scope_snapshot()
    )
    clock.shift(1)
    rows, _ = pull(token_client(officer_a), "/api/v1/deletions/", "")
    assert [r["resource"] for r in rows] == ["*"]


def test_tombstones_are_purged_after_the_retention(clock, settings, school_a, officer_a):
    from notifications.tasks import purge_tombstones

    settings.SYNC_TOMBSTONE_DAYS = 30
    report(school_a, officer_a).delete()
    clock.shift(datetime.timedelta(days=29))
    assert purge_tombstones() == 0
    clock.shift(datetime.timedelta(days=2))
    assert purge_tombstones() == 1
    assert timezone.now() > START


@pytest.mark.parametrize("resource", ["\x00", "hazards\x00"])
def test_a_null_character_in_the_deletions_resource_is_a_400(token_client, officer_a, resource):
    response = token_client(officer_a).get("/api/v1/deletions/", {"resource": resource})
    assert response.status_code == 400
    assert response.json()["resource"] == ["资源含有无效的空字符，请删除后重试。"]


def test_an_unknown_deletions_resource_is_a_400_naming_the_allowed_ones(token_client, officer_a):
    response = token_client(officer_a).get("/api/v1/deletions/", {"resource": "abc"})
    assert response.status_code == 400
    [message] = response.json()["resource"]
    assert "hazards" in message and "inspections" in message and "*" in message
