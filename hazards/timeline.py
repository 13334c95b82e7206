"""Reading a hazard's past: the merged timeline (workflow events and field edits) and the
time it spent in each state.

Field edits come from django-simple-history's records of ``Hazard``; a record that changed
the status belongs to a workflow transition, which its ``HazardEvent`` already shows.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Hazard

# Not shown as edits: the workflow owns the status, updated_at changes on every save, and
# the anonymous reporter's tracking code and the client's retry id are not the school's.
IGNORED_FIELDS = {"status", "updated_at", "id", "client_id", "tracking_code", "reporter_contact"}
# States whose time is counted (the terminal ones do not age).
COUNTED_STATES = (Hazard.Status.REPORTED, Hazard.Status.RECTIFYING, Hazard.Status.VERIFYING)


@dataclass
class TimelineEntry:
    """One line of the timeline: ``kind`` is "event" (a HazardEvent) or "change" (an edit
    with ``changes``: a list of (field label, old text, new text))."""

    kind: str
    at: datetime.datetime
    actor: object
    event: object = None
    changes: list = field(default_factory=list)


@functools.cache  # the models' fields; ``Hazard.history`` builds a manager class per access
def _tracked_fields():
    history = {h.name for h in Hazard.history.model._meta.concrete_fields}
    return [
        f
        for f in Hazard._meta.concrete_fields
        if f.name not in IGNORED_FIELDS and f.name in history
    ]


def field_changes(records):
    """[(record, [(label, old, new), ...])] for consecutive history ``records`` (oldest
    first), leaving out creations and the records written by a workflow transition."""
    tracked = _tracked_fields()
    result = []
    for prev, record in zip(records, records[1:], strict=False):
        if record.status != prev.status:
            continue
        diffs = [
            (f, getattr(prev, f.attname), getattr(record, f.attname))
            for f in tracked
            if getattr(prev, f.attname) != getattr(record, f.attname)
        ]
        if diffs:
            result.append((record, diffs))
    return result


def _display(f, value, objects):
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return str(objects.get((f.related_model, value), value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _related_objects(changes):
    """Load the users, schools… named by foreign keys in ``changes``: one query per model."""
    wanted = {}
    for _record, diffs in changes:
        for f, old, new in diffs:
            if f.is_relation:
                wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v)
    return {
        (model, obj.pk): obj
        for model, ids in wanted.items()
        for obj in model._default_manager.filter(pk__in=ids)
    }


def build_timeline(hazard, events=None):
    """The hazard's timeline, oldest first: its events and its field edits with who and when.

    ``events``: the hazard's events if already loaded (default: ``hazard.events.all()``).
    Two queries for the history (records, users) plus one per related model edited.
    """
    events = list(hazard.events.all() if events is None else events)
    records = list(
        hazard.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changes = field_changes(records)
    objects = _related_objects(changes)
    entries = [TimelineEntry("event", e.created_at, e.actor, event=e) for e in events]
    for record, diffs in changes:
        shown = [
            (str(f.verbose_name), _display(f, old, objects), _display(f, new, objects))
            for f, old, new in diffs
        ]
        entries.append(
            TimelineEntry("change", record.history_date, record.history_user, changes=shown)
        )
    entries.sort(key=lambda e: e.at)
    return entries


def hazard_history(hazard, *, now: datetime.datetime) -> dict:
    """What the detail page shows of the hazard's past, from its prefetched events:
    {"entries": [TimelineEntry…] (``build_timeline``), "durations": [{"status", "label",
    "days", "text", "current"}…] (``duration_rows``, the current state counted to ``now``)}.
    Two queries for the history (records, their users) plus one per related model edited."""
    events = list(hazard.events.all())
    return {
        "entries": build_timeline(hazard, events),
        "durations": duration_rows(hazard, events, now),
    }


def state_durations(hazard, events, now=None):
    """Time spent in each open state: {status value: timedelta}, from ``reported_at`` through
    the events' ``to_status`` changes (oldest first); the current open state counts up to
    ``now`` (default: now)."""
    totals = {state: datetime.timedelta(0) for state in COUNTED_STATES}
    state, since = Hazard.Status.REPORTED, hazard.reported_at
    for event in sorted(events, key=lambda e: (e.created_at, e.pk or 0)):
        if event.to_status and event.to_status != state:
            if state in totals:
                totals[state] += max(event.created_at - since, datetime.timedelta(0))
            state, since = event.to_status, event.created_at
    if state in totals:
        totals[state] += max((now or timezone.now()) - since, datetime.timedelta(0))
    return totals


# ``state_durations`` in SQL, for many hazards at once (the ledger export: a million rows).
# The same rule: the states after the report are the events' ``to_status`` in the order
# (created_at, id); an event that repeats the state (a supplement) changes nothing; each
# state counts from its change to the next one (never below zero), the current one to now;
# the report's own span runs from ``reported_at`` to the first change. That first span is
# added by ``state_totals_sql`` (it needs ``reported_at``), so the events are read, windowed
# and summed in the order of the "hazardevent_timeline" index without a sort.
# tests/hazards/test_timeline_sql.py checks it against ``state_durations``.
STATE_SECONDS_CTES = """
changes AS (
    SELECT hazard_id, at, id, state FROM (
        SELECT e.hazard_id, e.created_at AS at, e.id, e.to_status AS state,
            e.to_status IS DISTINCT FROM lag(e.to_status, 1, %s) OVER (
                PARTITION BY e.hazard_id ORDER BY e.created_at, e.id) AS changed
        FROM hazards_hazardevent e WHERE e.hazard_id = ANY({ids}) AND e.to_status <> ''
    ) AS events WHERE changed
), spans AS (
    SELECT hazard_id, state, at, greatest(extract(epoch FROM coalesce(
        lead(at) OVER (PARTITION BY hazard_id ORDER BY at, id), %s)) - extract(epoch FROM at), 0
    ) AS seconds
    FROM changes
), spent_seconds AS (
    SELECT hazard_id, min(at) AS first_change, {sums} FROM spans GROUP BY hazard_id
)"""


def state_seconds_ctes(ids: str, now) -> tuple[str, list]:
    """(SQL, params): common table expressions (for a ``WITH``, comma-separated) ending in
    ``spent_seconds(hazard_id, first_change, s0, s1, …)``: per hazard of the array
    expression ``ids`` (without parameters) that has a change of state, its first change
    (timestamptz) and the numeric seconds spent in each of ``COUNTED_STATES`` (NULL: none)
    after its changes, up to ``now``. ``state_totals_sql`` makes them ``state_durations``'s."""
    sums = ", ".join(
        f"sum(seconds) FILTER (WHERE state = %s) AS s{n}" for n in range(len(COUNTED_STATES))
    )
    sql = STATE_SECONDS_CTES.format(ids=ids, sums=sums)
    return sql, [Hazard.Status.REPORTED, now, *[str(state) for state in COUNTED_STATES]]


def state_totals_sql(reported_at: str, now) -> tuple[list[str], list]:
    """([SQL per state of ``COUNTED_STATES``], params): the numeric seconds spent in it up
    to ``now`` (``state_durations``'s), over a row LEFT JOINed to ``spent_seconds``
    (``state_seconds_ctes``) whose reported_at is the expression ``reported_at`` (without
    parameters); the report's span is counted here. Params in the order of the list."""
    totals, params = [], []
    for n, state in enumerate(COUNTED_STATES):
        total = f"coalesce(s{n}, 0)"
        if state == Hazard.Status.REPORTED:
            total += (
                " + greatest(extract(epoch FROM coalesce(first_change, %s))"
                f" - extract(epoch FROM {reported_at}), 0)"
            )
            params.append(now)
        totals.append(total)
    return totals, params


def state_seconds(reported_at, now) -> dict[int, dict[str, float]]:
    """{hazard id: {state: seconds}} of ``state_durations`` (every state of
    ``COUNTED_STATES``, 0.0 for one never entered) for the hazards of ``reported_at`` ({id:
    their reported_at}, which the caller has already read), computed by PostgreSQL in one
    query (no event rows come back)."""
    from django.db import connection

    ctes, params = state_seconds_ctes("ARRAY(SELECT hazard_id FROM hazards)", now)
    totals, totals_params = state_totals_sql("h.at", now)
    sql = (
        "WITH hazards AS (SELECT * FROM unnest(%s::integer[], %s::timestamptz[])"
        f" AS h(hazard_id, at)), {ctes} SELECT h.hazard_id, {', '.join(totals)}"
        " FROM hazards AS h LEFT JOIN spent_seconds USING (hazard_id)"
    )
    states = [str(state) for state in COUNTED_STATES]
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [list(reported_at), list(reported_at.values()), *params, *totals_params]
        )
        return {
            hazard_id: dict(zip(states, map(float, row), strict=True))
            for hazard_id, *row in cursor.fetchall()
        }


def days(delta) -> float:
    """A duration in days, one decimal: 1.5 for 36 hours."""
    return seconds_as_days(delta.total_seconds())


def seconds_as_days(seconds: float) -> float:
    """``days`` of a number of seconds: rounded half up (四舍五入) on the exact decimal
    value, as ``DAYS_SQL`` does in PostgreSQL (a float's own rounding would turn 1.25 days
    into 1.2 and 0.15 into 0.1)."""
    exact = Decimal(repr(float(seconds))) / 86400
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# ``seconds_as_days`` in PostgreSQL, of a numeric number of seconds (``{}``).
DAYS_SQL = "round({} / 86400, 1)"


def duration_rows(hazard, events, now=None):
    """For the detail page: [{"status", "label", "days", "text", "current"}] per open state."""
    totals = state_durations(hazard, events, now)
    labels = dict(Hazard.Status.choices)
    return [
        {
            "status": state,
            "label": labels[state],
            "days": days(delta),
            # A state never entered reads "—", not "less than an hour".
            "text": format_duration(delta) if delta or hazard.status == state else "—",
            "current": hazard.status == state,
        }
        for state, delta in totals.items()
    ]


def format_duration(delta) -> str:
    """'3 天 4 小时', '5 小时', '不足 1 小时'."""
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return _("不足 1 小时")
    if hours < 24:
        return _("%(h)d 小时") % {"h": hours}
    return _("%(d)d 天 %(h)d 小时") % {"d": hours // 24, "h": hours % 24}
