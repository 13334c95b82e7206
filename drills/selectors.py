"""Drill compliance: the ONE function that decides which school owes which evacuation drill
in which period, used by the dashboard, the compliance pages, the yearly statistics and the
drills-due reminders alike (``drill_compliance``); and the plan gaps (``plan_gaps``).

The rule (reference/domain-rules.md §1.2, 教基一厅〔2014〕2号): primary and secondary
schools hold at least one evacuation drill a month, kindergartens one a quarter; boarding
and special-education schools more (``DRILL_EXTRA_PER_PERIOD``) and boarding schools a night
drill each term (``DRILL_NIGHT_PER_TERM``). A period owes drills only when it has at least
``DRILL_MIN_SCHOOL_DAYS`` school days (``schools.calendar``): holidays and summer are never
missed. Dates are Beijing dates (``Drill.date``, the signal's date in Asia/Shanghai).
"""

import bisect
import datetime
import functools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Aggregate, Count, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from schools.calendar import calendar_by_school
from schools.models import School, Term

from .models import EVACUATION_TYPES, Drill, PlannedDrill, PlanVersion

OK, MISSED, OPEN, OFF, FUTURE = "ok", "missed", "open", "off", "future"
DONE, UPCOMING = "done", "upcoming"  # a planned drill: done, upcoming or missed
CELL_CSS = {
    OK: "table-success",
    MISSED: "table-danger fw-semibold",
    OPEN: "table-warning",
    OFF: "text-body-tertiary",
    FUTURE: "",
}
# (school id, Beijing date, drill type, signal time, evacuation seconds) of one drill.
Row = tuple[int, datetime.date, str, datetime.datetime | None, int | None]
NIGHT_HOURS = (19, 6)  # a signal from 19:00 to 06:00 Beijing time is a night drill


def _status(
    start: datetime.date, end: datetime.date, required: int, done: int, today: datetime.date
) -> str:
    if required == 0:
        return OFF
    if done >= required:
        return OK
    if start > today:
        return FUTURE
    return OPEN if end >= today else MISSED


@dataclass(frozen=True)
class Period:
    """A month or a quarter: its first and last day, its key ("2025-03", "2025-Q1").
    Frozen: the schools of a kind share one list of them (``periods``)."""

    key: str
    start: datetime.date
    end: datetime.date
    months: int

    def status(self, required: int, done: int, today: datetime.date) -> str:
        return _status(self.start, self.end, required, done, today)


@dataclass
class Cell:
    """One school's period: drills owed (0: not in term) and held, and the status."""

    period: Period
    required: int
    done: int
    status: str
    median_seconds: float | None = None

    @property
    def css(self) -> str:
        """The table cell's Bootstrap classes (the page renders hundreds: kept out of the
        template's branches)."""
        return CELL_CSS[self.status]

    @property
    def text(self) -> str:
        """ "held/required", "—" when not in term, "" in the future."""
        if self.status == OFF:
            return "—"
        return "" if self.status == FUTURE else f"{self.done}/{self.required}"


@dataclass
class NightTerm:
    """A boarding school's term: night drills owed and held."""

    term: Term
    required: int
    done: int
    status: str


@dataclass
class PlanStatus:
    """A planned drill and how it stands on ``today``: ``done`` (``drill_id`` carried it
    out), ``upcoming`` (its day not passed) or ``missed``."""

    plan_id: int
    planned_on: datetime.date
    drill_type: str
    is_night: bool
    status: str
    drill_id: int | None = None


@dataclass
class SchoolCompliance:
    school: School
    cells: list[Cell] = field(default_factory=list)
    nights: list[NightTerm] = field(default_factory=list)
    plans: list[PlanStatus] = field(default_factory=list)

    def plan_counts(self) -> dict[str, int]:
        """{"planned", "done", "missed", "upcoming"} over ``plans``."""
        counts = {k: sum(p.status == k for p in self.plans) for k in (DONE, MISSED, UPCOMING)}
        return {"planned": len(self.plans), **counts}

    @property
    def due(self) -> list[Cell]:
        """Cells that were owed and are settled (complied or missed), not open or off."""
        return [c for c in self.cells if c.status in (OK, MISSED)]

    @property
    def missed(self) -> int:
        return sum(c.status == MISSED for c in self.cells) + sum(
            n.status == MISSED for n in self.nights
        )

    @property
    def rate(self) -> float | None:
        """Share of settled periods complied with (0…1), None when none was owed yet."""
        due = self.due
        return sum(c.status == OK for c in due) / len(due) if due else None


def _add_months(day: datetime.date, n: int) -> datetime.date:
    month = day.month - 1 + n
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def periods(school: School, start: datetime.date, end: datetime.date) -> list[Period]:
    """The months (a kindergarten: quarters) that overlap ``start``..``end``."""
    return list(_periods(3 if school.is_kindergarten else 1, start, end))


@functools.lru_cache(maxsize=256)
def _periods(months: int, start: datetime.date, end: datetime.date) -> tuple[Period, ...]:
    # Cached: a province's thousands of schools ask for the same few ranges.
    first = start.replace(day=1, month=(start.month - 1) // months * months + 1)
    out = []
    while first <= end:
        nxt = _add_months(first, months)
        key = f"{first.year}-Q{(first.month - 1) // 3 + 1}" if months == 3 else f"{first:%Y-%m}"
        out.append(Period(key, first, nxt - datetime.timedelta(days=1), months))
        first = nxt
    return tuple(out)


def required_per_period(school: School) -> int:
    """Evacuation drills owed in one in-term month (quarter)."""
    extras = settings.DRILL_EXTRA_PER_PERIOD
    extra = max(
        extras.get("boarding", 0) if school.is_boarding else 0,
        extras.get("special", 0) if school.school_type == School.SchoolType.SPECIAL else 0,
    )
    return 1 + extra


def is_night(drill_type: str, signal_at: datetime.datetime | None) -> bool:
    """A night drill: the night dormitory type, or a signal between 19:00 and 06:00."""
    if drill_type == Drill.DrillType.NIGHT_DORM:
        return True
    if signal_at is None:
        return False
    hour = timezone.localtime(signal_at).hour
    return hour >= NIGHT_HOURS[0] or hour < NIGHT_HOURS[1]


def _drill_rows(ids: QuerySet | list[int], start: datetime.date, end: datetime.date) -> list[Row]:
    return list(
        Drill.objects.filter(
            school_id__in=ids,
            date__range=(start, end),
            style=Drill.Style.LIVE,
            drill_type__in=EVACUATION_TYPES,
        )
        .values_list("school_id", "date", "drill_type", "signal_at", "evacuation_seconds")
        .order_by()
    )


def drill_compliance(
    schools: Sequence[School],
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date,
    cells_only: bool = False,
) -> dict[int, SchoolCompliance]:
    """``{school.pk: SchoolCompliance}`` for the periods overlapping ``start``..``end``
    (Beijing dates) as seen on ``today``: each period's required and held live evacuation
    drills and its status (``ok``, ``missed``, ``open`` — still running, ``off`` — not
    in term, ``future``), the median evacuation seconds, boarding schools' night
    drills per term, and the planned drills of those periods with their status
    (``plans``: done, upcoming, missed). ``cells_only``: the periods' cells alone (no
    ``nights``, no ``plans``; the drills of those periods only, not of whole terms), in
    three queries. At most five queries whatever the number of schools. ``schools`` may
    be a queryset: the queries then select its schools by a subquery, not a list of their
    ids."""
    ids = [s.pk for s in schools]
    scope = schools.values("pk") if isinstance(schools, QuerySet) else ids
    lengths = {3 if s.is_kindergarten else 1 for s in schools}  # months a period
    span_start = min([_periods(m, start, start)[0].start for m in lengths] or [start])
    span_end = max([_periods(m, end, end)[-1].end for m in lengths] or [end])
    days, terms = calendar_by_school(ids, span_start, span_end, scope=scope)
    if cells_only:
        terms = defaultdict(list)  # no night terms
    # Night drills count over whole terms, which may reach beyond the months shown.
    term_list = [t for ts in terms.values() for t in ts]
    first = min([span_start, *(t.start_date for t in term_list)])
    last = max([span_end, *(t.end_date for t in term_list)])
    drills: dict[int, list[Row]] = defaultdict(list)
    for row in _drill_rows(scope, first, last):
        drills[row[0]].append(row)
    in_term = _InTerm()
    result = {
        s.pk: _school(s, start, end, days[s.pk], terms[s.pk], drills[s.pk], today, in_term)
        for s in schools
    }
    if not cells_only:
        _planned(schools, scope, result, span_start, span_end, today)
    return result


def _planned(
    schools: Sequence[School],
    scope: QuerySet | list[int],
    result: dict[int, "SchoolCompliance"],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> None:
    """Fill each school's ``plans`` for plans dated ``start``..``end``: a recorded drill
    of the plan's type (at night for a night plan) in the plan's period carries it out,
    earliest plans first, each drill once. ``scope``: the schools' ids or a subquery of
    them. Two queries (none for the drills without plans)."""
    plans: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        PlannedDrill.objects.filter(school__in=scope, planned_on__range=(start, end))
        .values_list("school_id", "pk", "planned_on", "drill_type", "is_night")
        .order_by("planned_on", "pk")
    ):
        plans[row[0]].append(row[1:])
    if not plans:
        return
    held: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Drill.objects.filter(school_id__in=list(plans), date__range=(start, end))
        .values_list("school_id", "pk", "date", "drill_type", "signal_at")
        .order_by("date", "pk")
    ):
        held[row[0]].append(row[1:])
    for school in schools:
        result[school.pk].plans = _match(school, plans[school.pk], held[school.pk], today)


def _match(
    school: School, plans: list[tuple], held: list[tuple], today: datetime.date
) -> list[PlanStatus]:
    used: set[int] = set()
    out = []
    for plan_id, day, drill_type, night in plans:
        period = period_of(school, day)
        drill_id = next(
            (
                pk
                for pk, date, kind, signal_at in held
                if pk not in used
                and kind == drill_type
                and period.start <= date <= period.end
                and (not night or is_night(kind, signal_at))
            ),
            None,
        )
        status = DONE if drill_id else (UPCOMING if day >= today else MISSED)
        if drill_id:
            used.add(drill_id)
        out.append(PlanStatus(plan_id, day, drill_type, night, status, drill_id))
    return out


class _InTerm:
    """Whether each period is in term (has ``DRILL_MIN_SCHOOL_DAYS`` school days), worked
    out once per list of school days: the schools on the bureau's calendar share one list
    (``school_days_by_school``), so a province asks this a few times, not per school."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int], tuple[list, tuple, list[bool]]] = {}

    def __call__(self, days: list[datetime.date], spans: tuple[Period, ...]) -> list[bool]:
        # By identity (hashing twelve periods per school costs more than the answer); the
        # value holds both objects, so their ids are not reused while cached.
        key = (id(days), id(spans))
        if key not in self._cache:
            # ``days`` is sorted: count those in a period by bisection, not by a scan.
            owed = [
                bisect.bisect_right(days, p.end) - bisect.bisect_left(days, p.start)
                >= settings.DRILL_MIN_SCHOOL_DAYS
                for p in spans
            ]
            self._cache[key] = (days, spans, owed)
        return self._cache[key][2]


def _school(
    school: School,
    start: datetime.date,
    end: datetime.date,
    days: list[datetime.date],
    terms: list[Term],
    drills: list[Row],
    today: datetime.date,
    in_term: _InTerm,
) -> SchoolCompliance:
    result = SchoolCompliance(school)
    per_period = required_per_period(school)
    spans = _periods(3 if school.is_kindergarten else 1, start, end)
    # Each drill into its period (by bisection on the periods' first days), not every
    # period scanning every drill.
    firsts = [p.start for p in spans]
    by_period: list[list[Row]] = [[] for _ in spans]
    for row in drills:
        i = bisect.bisect_right(firsts, row[1]) - 1
        if i >= 0 and row[1] <= spans[i].end:
            by_period[i].append(row)
    for period, owed, held in zip(spans, in_term(days, spans), by_period, strict=True):
        required = per_period if owed else 0
        seconds = [r[4] for r in held if r[4] is not None]
        result.cells.append(
            Cell(
                period,
                required,
                len(held),
                period.status(required, len(held), today),
                statistics.median(seconds) if seconds else None,
            )
        )
    if school.is_boarding and settings.DRILL_NIGHT_PER_TERM:
        result.nights = [_night_term(t, drills, today) for t in terms]
    return result


def _night_term(term: Term, drills: list[Row], today: datetime.date) -> NightTerm:
    done = sum(term.start_date <= r[1] <= term.end_date and is_night(r[2], r[3]) for r in drills)
    required = settings.DRILL_NIGHT_PER_TERM
    return NightTerm(
        term, required, done, _status(term.start_date, term.end_date, required, done, today)
    )


def plan_statuses(plans: Sequence[PlannedDrill], today: datetime.date) -> dict[int, PlanStatus]:
    """``{plan.pk: PlanStatus}`` for ``plans`` (with ``school`` loaded), by
    ``drill_compliance`` over their schools and days; at most five queries."""
    if not plans:
        return {}
    schools = list({plan.school_id: plan.school for plan in plans}.values())
    first = min(plan.planned_on for plan in plans)
    last = max(plan.planned_on for plan in plans)
    result = drill_compliance(schools, first, last, today=today)
    return {status.plan_id: status for c in result.values() for status in c.plans}


def period_of(school: School, day: datetime.date) -> Period:
    """The month (kindergarten: quarter) containing ``day``."""
    return periods(school, day, day)[0]


# --- plans -------------------------------------------------------------------------------


def required_plan_kinds(school: School) -> list[str]:
    """Plan kinds ``school`` must hold a current version of (settings.PLAN_REQUIRED_KINDS)."""
    kinds = list(settings.PLAN_REQUIRED_KINDS)
    if school.is_boarding:
        kinds += [k for k in settings.PLAN_REQUIRED_KINDS_BOARDING if k not in kinds]
    return kinds


def current_plan_kinds(school_ids: Iterable[int], today: datetime.date) -> dict[int, set[str]]:
    """``{school_id: {kinds with an approved version on or before today}}``; one query."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = PlanVersion.objects.filter(
        plan__school_id__in=list(school_ids), approved_on__lte=today
    ).values_list("plan__school_id", "plan__kind")
    for school_id, kind in rows.distinct().order_by():
        out[school_id].add(kind)
    return out


def plan_gaps(schools: Sequence[School], today: datetime.date) -> list[dict]:
    """One row per school: ``school``, ``cells`` (per kind of ``Drill.DrillType``: None —
    not required and absent, True — current, False — required and missing) and
    ``missing`` (count). One query."""
    have = current_plan_kinds([s.pk for s in schools], today)
    rows = []
    for school in schools:
        required = set(required_plan_kinds(school))
        cells = [
            (kind in have[school.pk]) if kind in required or kind in have[school.pk] else None
            for kind in Drill.DrillType.values
        ]
        rows.append({"school": school, "cells": cells, "missing": len(required - have[school.pk])})
    return rows


# --- the compliance page and the dashboard ------------------------------------------------


def compliance_table(schools: Sequence[School], year: int, *, today: datetime.date) -> dict:
    """The compliance table of ``year`` (a calendar year, Beijing dates) for ``schools`` (the
    page's, not a province's): ``rows`` [{"school", "cells", "nights", "rate", "missed",
    "plans"}] by the schools' order, ``plans`` counting the school's planned drills of the
    year (planned, done, missed, upcoming); ``summary`` {"ok", "missed", "open"} over those
    rows' cells; ``target`` (the default target, seconds). At most five queries whatever
    the number of schools."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    result = drill_compliance(schools, start, end, today=today)
    rows = [
        {
            "school": s,
            "cells": result[s.pk].cells,
            "nights": result[s.pk].nights,
            "rate": result[s.pk].rate,
            "missed": result[s.pk].missed,
            "plans": result[s.pk].plan_counts(),
        }
        for s in schools
    ]
    cells = [c for s in schools for c in result[s.pk].cells]
    return {
        "rows": rows,
        "summary": {k: sum(c.status == k for c in cells) for k in (OK, MISSED, OPEN)},
        "target": settings.DRILL_TARGET_SECONDS,
    }


class _Median(Aggregate):
    """PostgreSQL's median: ``percentile_cont(0.5)``, as ``statistics.median`` (the mean of
    the two middle values of an even count)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _live_evacuation(year: int) -> QuerySet[Drill]:
    """The live evacuation drills of ``year`` (Beijing dates): what the compliance rule
    counts."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Drill.objects.filter(
        date__range=(start, end), style=Drill.Style.LIVE, drill_type__in=EVACUATION_TYPES
    ).order_by()


def fewest_drills_first(schools: QuerySet[School], year: int) -> QuerySet[School]:
    """``schools`` ordered for the compliance page: those that held the fewest live
    evacuation drills in ``year`` first (the likeliest to owe some), then by code. A
    count by school in SQL, so a page of a province's schools is chosen without working
    out every school's compliance."""
    held = (
        _live_evacuation(year)
        .filter(school=OuterRef("pk"))
        .values("school")
        .annotate(n=Count("id"))
        .values("n")
    )
    return schools.annotate(drills_held=Coalesce(Subquery(held), 0)).order_by(
        "drills_held", "code", "id"
    )


def compliance_totals(schools: QuerySet[School], year: int) -> dict:
    """Over all of ``schools`` in ``year``, counted in SQL (not school by school): ``drills``
    (live evacuation drills held), ``schools_without`` (schools that held none) and
    ``median_by_month`` [12 medians of evacuation seconds, or None]. Two queries (one pass
    over the year's drills)."""
    months = range(1, 13)
    scope = schools.order_by().values("pk")
    totals = (
        _live_evacuation(year)
        .filter(school__in=scope)
        .aggregate(
            drills=Count("id"),
            schools=Count("school", distinct=True),
            # percentile_cont leaves out the drills without a time, as the median should.
            **{f"m{m}": _Median("evacuation_seconds", filter=Q(date__month=m)) for m in months},
        )
    )
    return {
        "drills": totals["drills"],
        "schools_without": schools.count() - totals["schools"],
        "median_by_month": [totals[f"m{m}"] for m in months],
    }


def dashboard_summary(schools: Sequence[School], today: datetime.date) -> dict:
    """For the dashboard: of ``schools``, how many missed their last settled period's
    drills (``missed``) and how many still owe this period's (``open``), over the periods
    from the last day of the month before ``today``'s to ``today``. Three queries."""
    result = drill_compliance(schools, _gaps_start(today), today, today=today, cells_only=True)
    return drill_gaps(result, today)


def _gaps_start(today: datetime.date) -> datetime.date:
    return today.replace(day=1) - datetime.timedelta(days=1)


def drill_gaps(result: dict[int, SchoolCompliance], today: datetime.date) -> dict:
    """``dashboard_summary``'s figures from a ``drill_compliance`` result of the same
    schools whose range holds ``dashboard_summary``'s (a year's up to ``today`` will do:
    only the periods overlapping that range are read): {"missed", "open"}. No query."""
    first = _gaps_start(today)
    missed = open_ = 0
    for compliance in result.values():
        cells = [c for c in compliance.cells if c.period.end >= first and c.period.start <= today]
        current = [c for c in cells if c.period.start <= today <= c.period.end]
        settled = [c for c in cells if c.period.end < today]
        missed += bool(settled and settled[-1].status == MISSED)
        open_ += bool(current and current[0].status == OPEN)
    return {"missed": missed, "open": open_}
