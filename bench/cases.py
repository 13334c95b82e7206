"""The operations measured, each with its floor: the cheapest correct way to get the same
data from PostgreSQL (a roll-up read, a keyset page, an index lookup, COPY, one
statement), on the indexes the schema has.

``cases(handles, today)`` returns ``Case`` objects; bench/run.py times them with
bench/measure.py. Targets are those of issue 13: a page or API list ≤ 3× (floor +
framework floor); the bureau's dashboard ≤ 2× and ≤ 200 KiB; the roll-up ≤ 1.5× its
one-statement floor; a CSV export ≤ 4× COPY, an XLSX one ≤ 10×; a transition ≤ 3× its SQL.
"""

import datetime
import importlib.util
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

YEAR = 2025  # the last complete calendar year of the dataset (it starts in 2024)
PAGE = 25  # rows of a ledger page
LEDGER = """SELECT h.id, h.title, s.name, h.category, h.level, h.source, h.status,
                   h.reported_at, h.deadline
            FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id"""
ORDER = "ORDER BY h.reported_at DESC, h.id DESC"
OPEN = "('reported', 'rectifying', 'verifying')"
ACTIVE = "('rectifying', 'verifying')"
EXPORT_ROWS = 100_000


@dataclass
class Case:
    """One operation. ``action()`` returns (status, body bytes, note); ``floor`` is a list of
    (sql, params), a function of the body returning one, or ``"own-sql"`` (the operation's
    own SQL is the floor); ``framework``
    names the trivial view to add ("page:bureau", "page:officer", "api") or is empty."""

    name: str
    kind: str
    action: Any
    floor: Any
    framework: str = ""
    target: float | None = 3.0
    floor_note: str = ""
    setup: Any = None
    counts_compared: bool = True  # the query count must not grow with the schools
    extra: dict = field(default_factory=dict)


def _get(client, url):
    def action():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body, _rows_note(response, body)

    return action


def _rows_note(response, body):
    """ "50 of 90000 rows" for a paginated API list, else empty."""
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            return ""
        if isinstance(data, dict) and "results" in data:
            return f"{len(data['results'])} of {data.get('count', '?')} rows"
    return ""


def _clients(handles):
    from django.test import Client
    from rest_framework.test import APIClient

    bureau, officer = Client(), Client()
    bureau.force_login(handles.bureau)
    officer.force_login(handles.officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {handles.token}")
    return bureau, officer, api


def framework_actions(handles):
    """{name: action} of the trivial views, for the same users as the cases."""
    bureau, officer, api = _clients(handles)
    return {
        "page:bureau": _get(bureau, "/bench/page/"),
        "page:officer": _get(officer, "/bench/page/"),
        "api": _get(api, "/bench/api/"),
    }


def export_window(rows):
    """The ``reported_after`` date (Beijing) whose ledger holds at most ``rows`` hazards
    (the most recent), and that number."""
    from hazards.models import Hazard

    hazards = Hazard.objects.order_by("-reported_at", "-id")
    total = hazards.count()
    if total <= rows:
        return None, total
    day = timezone.localdate(hazards.values_list("reported_at", flat=True)[rows - 1])
    after = day + datetime.timedelta(days=1)
    return after, Hazard.objects.filter(reported_at__date__gte=after).count()


def _day_start(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def cases(handles, today=None):
    """[Case] of every operation, for the dataset's ``handles``."""
    from hazards.models import Hazard

    today = today or timezone.localdate()
    bureau, officer, api = _clients(handles)
    last_page = _last_page_url(-(-Hazard.objects.count() // PAGE))
    after, export_rows = export_window(EXPORT_ROWS)
    hid, sid = handles.hazard_id, handles.school_id
    year_start, year_end = (
        _day_start(datetime.date(YEAR, 1, 1)),
        _day_start(datetime.date(YEAR + 1, 1, 1)),
    )
    search = "%灭火器%"
    two = "%宿舍%"
    by_q = "(h.title LIKE %s OR h.location LIKE %s OR h.description LIKE %s)"
    rollup_floor = [
        (
            f"""CREATE TEMP TABLE bench_rollup_floor ON COMMIT DROP AS
               SELECT school_id, count(*) AS reported,
                      count(*) FILTER (WHERE status = 'closed') AS closed,
                      count(*) FILTER (WHERE level = 'major') AS major,
                      count(*) FILTER (WHERE status IN {OPEN}) AS open,
                      count(*) FILTER (WHERE status IN {ACTIVE} AND deadline < %s) AS overdue
               FROM hazards_hazard WHERE reported_at >= %s AND reported_at < %s
               GROUP BY school_id""",
            [today, year_start, year_end],
        )
    ]
    export_sql = f"""SELECT h.id, s.name, h.title, h.description, h.location, h.category,
                           h.level, h.source, h.status, h.reported_at, h.measures,
                           h.deadline, h.funding_yuan, h.rectification_note, h.closed_at,
                           h.dismiss_reason
                    FROM hazards_hazard h JOIN schools_school s ON s.id = h.school_id
                    WHERE h.reported_at >= '{
        _day_start(after or datetime.date(2000, 1, 1)).isoformat()
    }' {ORDER}"""
    copy = [(f"COPY ({export_sql}) TO STDOUT WITH (FORMAT csv, HEADER)", None)]
    export_query = f"reported_after={after:%Y-%m-%d}" if after else ""
    ledger = [
        Case("dashboard / (bureau)", "page", _get(bureau, "/"), [
            ("""SELECT year, figures, computed_at FROM reports_yearlystatistic
                WHERE school_id IS NULL AND period = 'calendar' AND year IN (%s, %s)""",
             [YEAR, today.year]),
            (f"""SELECT h.id, h.title, h.school_id, h.deadline FROM hazards_hazard h
                 WHERE h.status IN {ACTIVE} AND h.deadline < %s ORDER BY h.deadline LIMIT 10""",
             [today]),
            ("""SELECT school_id, figures FROM reports_yearlystatistic
                WHERE year = %s AND period = 'calendar' AND school_id IS NOT NULL
                ORDER BY school_id LIMIT 20""", [today.year]),
        ], "page:bureau", 2.0, "bureau roll-up rows + overdue queue (partial index) + "
           "20 schools' roll-up rows", extra={"max_kib": 200}),
        Case("dashboard / (school officer)", "page", _get(officer, "/"), [
            ("""SELECT year, figures FROM reports_yearlystatistic
                WHERE school_id = %s AND period = 'calendar' AND year IN (%s, %s)""",
             [sid, YEAR, today.year]),
            (f"""SELECT id, title, deadline FROM hazards_hazard WHERE school_id = %s
                 AND status IN {ACTIVE} ORDER BY deadline LIMIT 10""", [sid]),
        ], "page:officer", floor_note="the school's roll-up rows + its open queue"),
        Case("ledger page 1 (bureau)", "page", _get(bureau, "/hazards/"),
             [(f"{LEDGER} {ORDER} LIMIT {PAGE}", [])], "page:bureau",
             floor_note="keyset page on hazard_ledger_order"),
        Case("ledger page 1 (school officer)", "page", _get(officer, "/hazards/"),
             [(f"{LEDGER} WHERE h.school_id = %s {ORDER} LIMIT {PAGE}", [sid])],
             "page:officer", floor_note="one school's page"),
        Case("ledger filtered (status+category+level)", "page",
             _get(bureau, "/hazards/?status=rectifying&status=verifying&category=fire"
                          "&level=general"),
             [(f"{LEDGER} WHERE h.status IN {ACTIVE} AND h.category = 'fire' AND "
               f"h.level = 'general' {ORDER} LIMIT {PAGE}", [])], "page:bureau",
             floor_note="keyset page with the filter"),
        Case("ledger overdue", "page", _get(bureau, "/hazards/?overdue=true"),
             [(f"{LEDGER} WHERE h.status IN {ACTIVE} AND h.deadline < %s {ORDER} "
               f"LIMIT {PAGE}", [today])], "page:bureau"),
        Case("ledger search q=灭火器", "page",
             _get(bureau, "/hazards/?q=%E7%81%AD%E7%81%AB%E5%99%A8"),
             [(f"{LEDGER} WHERE {by_q} {ORDER} LIMIT {PAGE}", [search] * 3)], "page:bureau",
             floor_note="first page, no count"),
        Case("ledger search q=宿舍 (two characters)", "page",
             _get(bureau, "/hazards/?q=%E5%AE%BF%E8%88%8D"),
             [(f"{LEDGER} WHERE {by_q} {ORDER} LIMIT {PAGE}", [two] * 3)], "page:bureau",
             floor_note="first page, no count"),
        Case("ledger last page", "page", _get(bureau, last_page),
             [(f"{LEDGER} ORDER BY h.reported_at, h.id LIMIT {PAGE}", [])], "page:bureau",
             floor_note="keyset from the other end", extra={"url": last_page}),
        Case("hazard detail", "page", _get(bureau, f"/hazards/{hid}/"), [
            (f"{LEDGER} WHERE h.id = %s", [hid]),
            ("SELECT * FROM hazards_hazardevent WHERE hazard_id = %s ORDER BY created_at, id",
             [hid]),
            ("SELECT * FROM hazards_hazardphoto WHERE hazard_id = %s", [hid]),
        ], "page:bureau", floor_note="three index lookups"),
        Case("API hazards filtered (status+source)", "api",
             _get(api, "/api/v1/hazards/?status=closed&source=snapshot"),
             [("SELECT h.*, s.name FROM hazards_hazard h JOIN schools_school s "
               "ON s.id = h.school_id WHERE h.status = 'closed' AND h.source = 'snapshot' "
               f"{ORDER} LIMIT 50", [])], "api", floor_note="keyset page of 50"),
        Case(f"API reports/yearly {YEAR}", "api", _get(api, f"/api/v1/reports/yearly/?year={YEAR}"),
             _yearly_floor, "api",
             floor_note="the bureau's roll-up row and as many schools' as the answer holds"),
    ]  # fmt: skip
    others = [
        Case(f"rollup_statistics {YEAR}", "job", _rollup(today), rollup_floor, "", 1.5,
             "one CREATE TABLE AS SELECT … GROUP BY over the year's hazards"),
        Case(f"export CSV {export_rows} rows", "export", _export("csv", handles, export_query),
             copy, "", 4.0, "COPY … TO STDOUT (CSV)", counts_compared=False),
        Case(f"export XLSX {export_rows} rows", "export", _export("xlsx", handles, export_query),
             copy, "", 10.0, "COPY … TO STDOUT (CSV)", counts_compared=False),
        Case("hazard transition (reject/submit)", "write", _transition(handles), "own-sql",
             "", 3.0, "its own SQL replayed"),
        Case(f"drills compliance {YEAR} (bureau)", "page",
             _get(bureau, f"/drills/compliance/?year={YEAR}"),
             [("""SELECT school_id, drill_type, count(*), min(date), max(date) FROM drills_drill
                  WHERE date >= %s AND date < %s GROUP BY school_id, drill_type""",
               [datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1)])],
             "page:bureau", floor_note="one GROUP BY over the year's drills"),
        Case("risks analytics page (bureau, cold cache)", "page",
             _get(bureau, f"/risks/analytics/?year={YEAR}"), "own-sql", "page:bureau",
             floor_note="its own SQL (the series are the aggregates)", setup=cache.clear),
        Case("API risk-analytics school-scores (cold cache)", "api",
             _get(api, f"/api/v1/risk-analytics/school-scores/?year={YEAR}"), "own-sql",
             "api", floor_note="its own SQL", setup=cache.clear),
        Case("supervision summary (bureau)", "page", _get(bureau, f"/supervision/?date={today}"),
             _supervision_floor(today), "page:bureau",
             floor_note="check-ins and patrols of the day, grouped"),
        Case("API supervision/summary", "api",
             _get(api, f"/api/v1/supervision/summary/?date={today}"),
             _supervision_floor(today), "api"),
    ]  # fmt: skip
    return ledger + others


def _last_page_url(pages):
    """The ledger's last page: by keyset (``?before=``) where the code has keyset pages
    (core.keyset), else by number (``?page=N``, an OFFSET)."""
    if importlib.util.find_spec("core.keyset"):
        return "/hazards/?before="
    return f"/hazards/?page={pages}"


def _yearly_floor(body):
    """The yearly report's floor for its answer ``body``: the bureau's roll-up row and the
    rows of as many schools as it lists (all of them, or one page)."""
    schools = len(json.loads(body).get("schools", []))
    return [
        ("""SELECT figures FROM reports_yearlystatistic WHERE school_id IS NULL
            AND year = %s AND period = 'calendar'""", [YEAR]),
        ("""SELECT school_id, figures FROM reports_yearlystatistic WHERE year = %s
            AND period = 'calendar' AND school_id IS NOT NULL ORDER BY school_id LIMIT %s""",
         [YEAR, schools]),
    ]  # fmt: skip


def _supervision_floor(today):
    return [
        ("""SELECT school_id, status, count(*) FROM supervision_checkin WHERE date = %s
            GROUP BY school_id, status""", [today]),
        ("""SELECT school_id, status, count(*) FROM supervision_patrol WHERE date = %s
            GROUP BY school_id, status""", [today]),
    ]  # fmt: skip


def _rollup(today):
    from reports.services import rollup_statistics

    def action():
        total = rollup_statistics(year=YEAR, period="calendar", today=today)
        return 0, json.dumps(total).encode(), ""

    return action


def _export(fmt, handles, query):
    """The export as its background job writes it: ``render`` over the bureau's filtered
    ledger, read to the end."""
    from django.http import QueryDict

    from reports.exports import filtered_hazards, render

    def action():
        filterset, queryset = filtered_hazards(handles.bureau, QueryDict(query))
        content = render(fmt, queryset, filterset)
        if isinstance(content, bytes):
            body = content
        else:
            with content:
                body = content.read()
        return 0, body, ""

    return action


def _transition(handles):
    """One transition a call, alternately 督→改 (reject, by the bureau) and 改→督 (submit,
    by the principal) on the same hazard, through the services."""
    from hazards import services
    from hazards.models import Hazard

    def action():
        hazard = Hazard.objects.get(pk=handles.verifying_id)
        if hazard.status == Hazard.Status.VERIFYING:
            services.reject_rectification(hazard, actor=handles.bureau, comment="基准：复查不通过")
        else:
            services.submit_rectification(hazard, actor=handles.principal, note="基准：已整改")
        return 0, b"", ""

    return action


def replay_statements(statements):
    """The statements of a captured run that can be replayed (Django's own transaction
    control is left to the replaying connection)."""
    skip = ("BEGIN", "COMMIT")
    return [s for s in statements if not s.startswith(skip)]


def database_note():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0]
