"""Reads of the hazards app that are more than one queryset method: similar open hazards
(随手拍), the coarse status a public reporter sees, who may supervise a major hazard, and the
remediation projects with their spending.

The timeline of one hazard is read in ``hazards.timeline``.
"""

import difflib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import User
from schools.models import School

from .models import Hazard, HazardQuerySet, RemediationExpense, RemediationProject

# --- 随手拍: similar open hazards ---------------------------------------------------------

SIMILAR_DAYS = 30
SIMILAR_LIMIT = 5
SIMILAR_RATIO = 0.6  # difflib ratio from which two place names count as the same place


def similar_open_hazards(
    school: School | None,
    category: str,
    location: str,
    *,
    queryset: HazardQuerySet | None = None,
    now: datetime | None = None,
) -> list[Hazard]:
    """Open hazards of ``school`` and ``category`` reported in the last ``SIMILAR_DAYS``
    days before ``now`` (aware datetime, default the clock) at a place like ``location``
    (one name contains the other, or they are close by ``difflib``), newest first, at most
    ``SIMILAR_LIMIT``. ``queryset``: the caller's scoped hazards (default all). An empty
    list when the school, category or place is missing."""
    place = _place_key(location)
    if not (school and category and place):
        return []
    since = (now or timezone.now()) - timedelta(days=SIMILAR_DAYS)
    candidates = (
        (queryset if queryset is not None else Hazard.objects.all())
        .open()
        .filter(school=school, category=category, reported_at__gte=since)
        .order_by("-reported_at", "-id")[:100]  # one school's month: small
    )
    return [h for h in candidates if _same_place(place, _place_key(h.location))][:SIMILAR_LIMIT]


def _place_key(text: str | None) -> str:
    return "".join((text or "").split()).lower()


def _same_place(a: str, b: str) -> bool:
    return bool(b) and (
        a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_RATIO
    )


# --- public tracking: the coarse status -----------------------------------------------------


class Coarse:
    """What a public reporter may know about their report: one of four words, nothing else."""

    RECEIVED = gettext_lazy("已收到")
    FIXING = gettext_lazy("整改中")
    FIXED = gettext_lazy("已整改")
    CHECKED = gettext_lazy("已核查，无需整改")


def coarse_status(hazard: Hazard) -> Promise:
    """The coarse status of a publicly reported hazard, one of the ``Coarse`` words (a lazy
    translated string). A duplicate follows its original (the reporter's hazard is being
    fixed there; a chain of duplicates is followed a few links); any other dismissal is
    "checked"."""
    for _link in range(5):
        if hazard.status != Hazard.Status.DISMISSED or hazard.duplicate_of is None:
            break
        hazard = hazard.duplicate_of
    words: dict[str, Promise] = {
        Hazard.Status.REPORTED: Coarse.RECEIVED,
        Hazard.Status.RECTIFYING: Coarse.FIXING,
        Hazard.Status.VERIFYING: Coarse.FIXING,
        Hazard.Status.CLOSED: Coarse.FIXED,
        Hazard.Status.DISMISSED: Coarse.CHECKED,
    }
    return words[hazard.status]


# --- 挂牌督办 ----------------------------------------------------------------------------


def supervising_leader_choices() -> QuerySet[User]:
    """Who may supervise: active bureau users."""
    return User.objects.bureau().order_by("name", "username")


# --- remediation projects (整改项目) -------------------------------------------------------


def projects_visible_to(user: User | AnonymousUser) -> QuerySet[RemediationProject]:
    """Projects linked to a school in the user's scope (all for the bureau scope)."""
    if not user.is_authenticated:
        return RemediationProject.objects.none()
    ids = user.school_ids()
    if ids is None:
        return RemediationProject.objects.all()
    # A subquery, not a join: a join would repeat projects and multiply sums.
    linked = RemediationProject.objects.filter(schools__in=ids).values("pk")
    return RemediationProject.objects.filter(pk__in=linked)


def with_spent(queryset: QuerySet[RemediationProject]) -> QuerySet[RemediationProject]:
    """Annotate ``spent_sum`` (yuan, Decimal; None without expenses), which ``spent`` reads."""
    # Django leaves Meta.ordering out of an aggregating query: keep the order explicit, so
    # pages never repeat or skip a project.
    ordering = queryset.query.order_by or tuple(queryset.model._meta.ordering or ())
    return queryset.annotate(spent_sum=Sum("expenses__amount_yuan")).order_by(*ordering)


def spent(project: RemediationProject) -> Decimal:
    """Sum of the project's expenses in yuan (the ``with_spent`` annotation when present)."""
    if hasattr(project, "spent_sum"):
        return project.spent_sum or Decimal("0")
    return project.expenses.aggregate(total=Sum("amount_yuan"))["total"] or Decimal("0")


def progress_percent(project: RemediationProject) -> int:
    """Spent / budget in whole percent (0 for a zero budget; may exceed 100)."""
    if not project.budget_yuan:
        return 0
    return int(spent(project) * 100 / project.budget_yuan)


class YearInvestment(TypedDict):
    """One calendar year of remediation spending, in yuan."""

    year: int
    total: Decimal
    fire: Decimal  # the fire projects' share (0 without any)


def investment_by_year(user: User) -> list[YearInvestment]:
    """The expenses (yuan, Decimal) of the user's schools by calendar year, newest first,
    with the fire projects' share; only years with expenses. One query."""
    rows = (
        RemediationExpense.objects.visible_to(user)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            total=Sum("amount_yuan"),
            fire=Sum("amount_yuan", filter=Q(project__category=RemediationProject.Category.FIRE)),
        )
        .order_by("-year")
    )
    return [
        YearInvestment(year=r["year"], total=r["total"], fire=r["fire"] or Decimal("0"))
        for r in rows
    ]


def hazards_for_links(user: User | AnonymousUser) -> QuerySet[Hazard]:
    """Hazards a project form may offer: visible, open or closed (not dismissed)."""
    return Hazard.objects.visible_to(user).found()
