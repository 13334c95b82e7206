"""Where each dashboard figure leads: the list of the records it counts, filtered so that the
list's count equals the figure (same source, states, dates and the user's scope).

``figure_links(year, period)`` → ``{figure key: URL}``; a figure without a list that counts
exactly its records has no entry: schools (counted, not listed: the scorecards are the
school rows), money (a sum), hours, drill periods, patrols and home check-ins (no record
list), counselling (its list is the counsellor's alone). docs/decisions.md.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from drills.models import Drill, Incident
from education.models import EducationActivity
from hazards.models import Hazard
from inspections.models import Inspection

from .figures import period_bounds

S = Hazard.Status
FOUND = [S.REPORTED, S.RECTIFYING, S.VERIFYING, S.CLOSED]  # HazardQuerySet.found_q
OPEN = [S.REPORTED, S.RECTIFYING, S.VERIFYING]  # HazardQuerySet.open_q


def list_url(name: str, params: list[tuple[str, object]]) -> str:
    """``reverse(name)`` with ``params`` as its query string."""
    return f"{reverse(name)}?{urlencode([(k, str(v)) for k, v in params])}"


def figure_links(year: int, period: str) -> dict[str, str]:
    """The list URL of each figure of ``year`` and ``period`` that has one."""
    start, end = period_bounds(year, period)
    last = end - datetime.timedelta(days=1)
    dates = [("reported_after", start.isoformat()), ("reported_before", last.isoformat())]

    def hazards(*params):
        return list_url("hazard-list", [*params, *dates])

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
        "hazards_open": list_url("hazard-list", [("status", s) for s in OPEN]),
        "hazards_overdue": list_url("hazard-list", [("overdue", "true")]),
        "joint_inspections": list_url(
            "inspection-list",
            [("kind", Inspection.Kind.JOINT), *[("status", s) for s in Inspection.DONE_STATUSES],
             ("date_after", start.isoformat()), ("date_before", last.isoformat())],
        ),
    }  # fmt: skip
    days = [("date_after", start.isoformat()), ("date_before", last.isoformat())]
    links.update(_record_links(days, start, last))
    return links


def _record_links(days, start, last) -> dict[str, str]:
    """Drills, education activities, trainings and incidents of the dates ``days``."""

    def drills(*params):
        return list_url("drill-list", [*params, *days])

    def incidents(*params):
        dates = [("occurred_after", start.isoformat()), ("occurred_before", last.isoformat())]
        return list_url("incident-list", [*params, *dates])

    kinds = EducationActivity.Kind
    by_kind = {
        "first_safety_lessons": kinds.FIRST_LESSON,
        "themed_class_meetings": kinds.CLASS_MEETING,
        "flag_speeches": kinds.FLAG_SPEECH,
        "thematic_education_activities": kinds.THEMATIC,
    }
    not_live = [("style", s) for s in Drill.Style.values if s != Drill.Style.LIVE]
    return {
        "drills": drills(),
        **{f"drills_{v}": drills(("drill_type", v)) for v in Drill.DrillType.values},
        "drills_unannounced": drills(("mode", Drill.Mode.UNANNOUNCED)),
        "drills_tabletop": drills(*not_live),
        **{key: list_url("activity-list", [("kind", k), *days]) for key, k in by_kind.items()},
        "staff_training_sessions": list_url("training-list", days),
        "incidents": incidents(),
        **{f"incidents_level_{v}": incidents(("level", v)) for v in Incident.Level.values},
    }
