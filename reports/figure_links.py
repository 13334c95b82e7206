"""Where each dashboard figure leads: the list of the records it counts, filtered so that the
list's count equals the figure (same source, states, dates and the user's scope).

``figure_links(year, period)`` → ``{figure key: URL}``; a figure without a list that counts
exactly its records (schools, money, education by kind, counselling) has no entry.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from hazards.models import Hazard
from inspections.models import Inspection

from .figures import period_bounds
from .models import Period

S = Hazard.Status
FOUND = [S.REPORTED, S.RECTIFYING, S.VERIFYING, S.CLOSED]  # HazardQuerySet.found_q
OPEN = [S.REPORTED, S.RECTIFYING, S.VERIFYING]  # HazardQuerySet.open_q


def _url(name: str, params: list[tuple[str, object]]) -> str:
    return f"{reverse(name)}?{urlencode([(k, str(v)) for k, v in params])}"


def figure_links(year: int, period: str) -> dict[str, str]:
    """The list URL of each figure of ``year`` and ``period`` that has one."""
    start, end = period_bounds(year, period)
    last = end - datetime.timedelta(days=1)
    dates = [("reported_after", start.isoformat()), ("reported_before", last.isoformat())]

    def hazards(*params):
        return _url("hazard-list", [*params, *dates])

    found = [("status", s) for s in FOUND]
    closed = [("status", S.CLOSED)]
    links = {
        "cross_inspection_hazards_found": hazards(("source", "cross_inspection"), *found),
        "cross_inspection_hazards_closed": hazards(("source", "cross_inspection"), *closed),
        "snapshot_hazards_found": hazards(("source", "snapshot"), *found),
        "snapshot_hazards_closed": hazards(("source", "snapshot"), *closed),
        "hazards_found": hazards(*found),
        "hazards_closed": hazards(*closed),
        "major_hazards_found": hazards(("level", Hazard.Level.MAJOR)),
        # Current, whatever the period.
        "hazards_open": _url("hazard-list", [("status", s) for s in OPEN]),
        "hazards_overdue": _url("hazard-list", [("overdue", "true")]),
        "joint_inspections": _url(
            "inspection-list",
            [("kind", Inspection.Kind.JOINT), *[("status", s) for s in Inspection.DONE_STATUSES],
             ("date_after", start.isoformat()), ("date_before", last.isoformat())],
        ),
    }  # fmt: skip
    if period == Period.CALENDAR:  # the record lists filter by calendar year
        links["drills"] = _url("drill-list", [("year", year)])
    return links
