"""Reads of the wellbeing domain that never show a name: counts of files by school and
warning level (the bureau's view, the API's counts endpoint and the yearly statistics)."""

from collections.abc import Iterable

from django.db.models import Count

from accounts.models import User
from schools.models import School

from .models import StudentRecord, WarningLevel


def level_counts(school_ids: Iterable[int] | None = None) -> dict[int, dict[int | None, int]]:
    """``{school_id: {level_id or None: number of files}}`` for ``school_ids`` (None: all).
    One query."""
    rows = StudentRecord.objects.all()
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    counts: dict[int, dict[int | None, int]] = {}
    for row in rows.values("school_id", "level_id").annotate(n=Count("id")).order_by():
        counts.setdefault(row["school_id"], {})[row["level_id"]] = row["n"]
    return counts


def counts_table(user: User) -> dict:
    """The counts a user with ``wellbeing.view_counts`` may see: one row per school of their
    scope, ``{"levels": [WarningLevel], "rows": [{"school", "counts": [n per level],
    "files"}], "totals": [n per level]}``. Three queries."""
    levels = list(WarningLevel.objects.all())
    schools = list(School.objects.visible_to(user).active().order_by("name"))
    counts = level_counts([s.pk for s in schools])
    rows = []
    for school in schools:
        mine = counts.get(school.pk, {})
        rows.append(
            {
                "school": school,
                "counts": [mine.get(level.pk, 0) for level in levels],
                "files": sum(mine.values()),
            }
        )
    totals = [sum(r["counts"][i] for r in rows) for i in range(len(levels))]
    return {"levels": levels, "rows": rows, "totals": totals}
