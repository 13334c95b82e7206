"""One school's scorecard (学校安全档案): its open and overdue hazards, the median time to
close, inspections, drills, education, remediation and who holds it (leader and cadre) with
the inspections they led, for a year and period. Reached from the dashboard's school rows
and from a school user's own dashboard.

``scorecard(school, year=, period=, today=)`` → a dict for the template; ``own_school(user)``
→ the one school of a school user (None for the bureau or several schools).
"""

import datetime
import statistics
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import User
from core.money import format_wan_yuan
from hazards import selectors as hazard_selectors
from hazards.models import Hazard, HazardQuerySet
from inspections.models import Inspection
from schools.models import School, SchoolAssignment

from .figure_links import figure_links
from .figures import compute_figures, period_bounds
from .selectors import figure_rows

KEYS = [
    "hazards_found", "hazards_closed", "major_hazards_found", "joint_inspections", "drills",
    "first_safety_lessons", "themed_class_meetings", "flag_speeches",
    "thematic_education_activities", "fire_remediation_investment_yuan",
]  # fmt: skip


def own_school(user: User) -> School | None:
    """The school of a user scoped to exactly one school; None otherwise."""
    ids = user.school_ids() if user.is_authenticated else None
    if not ids or len(ids) != 1:
        return None
    return School.objects.filter(pk=next(iter(ids))).first()


def median_days_to_close(school: School, start: datetime.date, end: datetime.date) -> float | None:
    """Median days from report to write-off of the school's hazards closed in [start, end)."""
    closed = Hazard.objects.filter(
        school=school,
        status=Hazard.Status.CLOSED,
        closed_at__date__gte=start,
        closed_at__date__lt=end,
    ).values_list("reported_at", "closed_at")
    spans = [(c - r).total_seconds() / 86400 for r, c in closed]
    return round(statistics.median(spans), 1) if spans else None


def holders(school: School, start: datetime.date, end: datetime.date, today: datetime.date):
    """[{"kind", "name", "inspections"}]: the leader and cadre holding the school today, each
    with the inspections of the school they led in the period."""
    rows = []
    current = SchoolAssignment.objects.current(today).filter(school=school).select_related("user")
    for assignment in current.order_by("kind", "user__name"):
        led = Inspection.objects.filter(
            school=school, leader=assignment.user, date__gte=start, date__lt=end
        ).count()
        rows.append(
            {
                "kind": assignment.get_kind_display(),
                "name": str(assignment.user),
                "inspections": led,
            }
        )
    return rows


def scorecard(school: School, *, year: int, period: str, today: datetime.date) -> dict[str, Any]:
    start, end = period_bounds(year, period)
    total, _by_school = compute_figures(year, period, school_ids=[school.pk], today=today)
    links = figure_links(year, period)
    rows = figure_rows(total, KEYS)
    for row in rows:
        url = links.get(row["key"])
        row["url"] = f"{url}&school={school.pk}" if url else None
    hazards = Hazard.objects.filter(school=school)
    by_category = dict(
        hazards.filter(reported_at__date__gte=start, reported_at__date__lt=end)
        .values_list("category")
        .annotate(n=Count("id"))
    )
    labels = dict(Hazard.Category.choices)
    projects = hazard_selectors.with_spent(school.remediation_projects.all())
    return {
        "school": school,
        "open": hazards.filter(HazardQuerySet.open_q()).count(),
        "overdue": hazards.filter(HazardQuerySet.overdue_q(today)).count(),
        "median_days": median_days_to_close(school, start, end),
        "figures": rows,
        "holders": holders(school, start, end, today),
        "projects": [
            {
                "name": p.name,
                "budget": format_wan_yuan(p.budget_yuan),
                "spent": format_wan_yuan(p.spent_sum or 0),
            }
            for p in projects.order_by("-start_date", "-id")
        ],  # fmt: skip
        "category_chart": {
            "title": _("隐患（条）"),
            "labels": [str(labels[k]) for k in by_category],
            "values": list(by_category.values()),
        },
    }
