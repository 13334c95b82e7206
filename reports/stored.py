"""Reads of the stored figures (the roll-up, ``YearlyStatistic``) for the dashboard and the
yearly report: they never count the ledger again per request.

A scope's figures are the bureau row (all schools) or the sum of its schools' rows. A row
that is missing, or that lacks a figure added since it was stored, is computed first by
``services.rollup_statistics`` for those schools (a past year nobody asked for yet, a
school created since the last refresh), so a read is always complete; otherwise the rows are
as old as their ``computed_at``, which the pages show ("统计截至 …"): the beat task
``refresh_current_figures`` recomputes the current periods every ten minutes. A fixed
number of queries whatever the number of schools.
"""

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from schools.models import School

from .figures import FIGURES
from .models import Period, YearlyStatistic
from .services import DETAIL_KEYS, rollup_statistics


@dataclass
class Stored:
    """Figures of a scope: ``total`` (key → int), ``computed_at`` (the oldest row's time,
    aware) and ``details`` (the bureau row's series; empty for a narrower scope)."""

    total: dict[str, int]
    computed_at: datetime.datetime
    details: dict = field(default_factory=dict)


def _complete(figures: dict) -> bool:
    return FIGURES.keys() <= figures.keys()


def bureau_figures(*, year: int, period: str, today: datetime.date) -> Stored:
    """The bureau row of ``year`` and ``period`` (all active schools); rolled up for all
    schools first when missing or incomplete. One query when stored."""
    rows = YearlyStatistic.objects.filter(school=None, year=year, period=period)
    row = rows.first()
    if row is None or not _complete(row.figures) or not row.details.keys() >= DETAIL_KEYS:
        rollup_statistics(year=year, period=period, today=today)
        row = rows.get()
    return Stored(row.figures, row.computed_at, row.details)


def bureau_now(stored: Stored, *, year: int, period: str, today: datetime.date) -> dict | None:
    """The bureau's current figures (``services.current_figures``: open and overdue hazards,
    the schools with the most overdue, the uncovered schools; "at" an aware datetime) as the
    roll-up of the current calendar year stored them on ``today``, or None when it has not
    yet done so today (then count them live).
    ``stored`` is the bureau row of the ``year`` and ``period`` shown: when that is the
    current calendar year its ``details`` hold them; else one query reads them."""
    if (year, period) == (today.year, Period.CALENDAR):
        now = stored.details.get("now")
    else:
        row = YearlyStatistic.objects.filter(school=None, year=today.year, period=Period.CALENDAR)
        now = row.values_list("details__now", flat=True).first()
    if not now or now.get("day") != today.isoformat():
        return None
    return {**now, "at": datetime.datetime.fromisoformat(now["at"])}


def school_figures(
    school_ids: Collection[int], *, year: int, period: str, today: datetime.date
) -> tuple[dict[int, dict[str, int]], datetime.datetime | None]:
    """({school id: figures}, the oldest ``computed_at``) of the active schools among
    ``school_ids``, in school order (by code); the schools without a complete row are
    rolled up first. Two queries when stored."""
    active = list(School.objects.active().filter(id__in=school_ids).values_list("id", flat=True))
    return figures_of(active, year=year, period=period, today=today)


def figures_of(
    active: list[int], *, year: int, period: str, today: datetime.date
) -> tuple[dict[int, dict[str, int]], datetime.datetime | None]:
    """``school_figures`` of the schools ``active`` that the caller has already read as the
    active ones, in its order: one query when stored."""
    rows = _rows(active, year, period)
    missing = [sid for sid in active if sid not in rows or not _complete(rows[sid][0])]
    if missing:
        rollup_statistics(year=year, period=period, school_ids=missing, today=today)
        rows.update(_rows(missing, year, period))
    oldest = min((at for _fig, at in rows.values()), default=None)
    return {sid: rows[sid][0] for sid in active}, oldest


def _rows(ids: list[int], year: int, period: str) -> dict:
    stored = YearlyStatistic.objects.filter(school_id__in=ids, year=year, period=period)
    return {
        sid: (fig, at) for sid, fig, at in stored.values_list("school_id", "figures", "computed_at")
    }


def scope_figures(
    school_ids: Collection[int] | None, *, year: int, period: str, today: datetime.date
) -> tuple[Stored, dict[int, dict[str, int]] | None]:
    """(the scope's ``Stored`` figures, its schools' figures) for a user's ``school_ids``
    (None: the bureau, whose schools are not read: page them with ``page_rows``)."""
    if school_ids is None:
        return bureau_figures(year=year, period=period, today=today), None
    by_school, oldest = school_figures(school_ids, year=year, period=period, today=today)
    return Stored(total_of(by_school), oldest or timezone.now()), by_school


def total_of(by_school: dict[int, dict[str, int]]) -> dict[str, int]:
    """The figures of several schools: each key summed (as ``compute_figures``'s total)."""
    return {key: sum(fig[key] for fig in by_school.values()) for key in FIGURES}


def page_rows(
    page: Iterable[tuple[int, str]], *, year: int, period: str, today: datetime.date
) -> list[dict]:
    """[{"id", "name", "figures"}] of a page of (school id, name) pairs of active schools (a
    Django ``Page`` of ``schools.active().values_list("id", "name")``), in the page's order.
    One query when stored."""
    names = dict(page)
    by_school, _oldest = figures_of(list(names), year=year, period=period, today=today)
    return [{"id": sid, "name": name, "figures": by_school[sid]} for sid, name in names.items()]
