"""The yearly figures, computed by database aggregation.

Keys and meanings are fixed by DESIGN.md ("The article's figures"): each figure as defined
by the bureau's yearly report. A period is a calendar year (1 Jan – 31 Dec) or a school year
(1 Sep – 31 Aug of the next year), on the Asia/Shanghai calendar.
"""

import datetime
import statistics
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drills.models import Drill, Incident
from drills.selectors import SchoolCompliance, drill_compliance
from education.models import (
    Appointment,
    CounsellingSession,
    EducationActivity,
    StaffTraining,
    VicePrincipalLesson,
)
from hazards.models import Hazard, HazardQuerySet, RemediationExpense
from inspections.models import Inspection
from schools.models import School
from supervision.models import Patrol, Roll, RollKind

from .models import Period

# key → label shown beside the figure (the article's wording where it has one).
FIGURES = {
    "schools_total": _("中小学幼儿园（所）"),
    "joint_inspections": _("校园及周边安全联合检查（次）"),
    "cross_inspection_schools": _("参加互查的校园（所）"),
    "cross_inspection_hazards_found": _("互查排查出的隐患（条）"),
    "cross_inspection_hazards_closed": _("互查隐患已整改（条）"),
    "snapshot_hazards_found": _("随手拍发现隐患（处）"),
    "snapshot_hazards_closed": _("随手拍隐患已整改（处）"),
    "fire_remediation_investment_yuan": _("解决消防遗留问题投入（元）"),
    "schools_fire_acceptance_passed": _("通过消防验收的学校（所）"),
    "first_safety_lessons": _("开学安全第一课（场）"),
    "themed_class_meetings": _("主题班会（场）"),
    "flag_speeches": _("国旗下讲话（场）"),
    "drills": _("应急演练（场次）"),
    "thematic_education_activities": _("安全专题教育活动（场）"),
    "individual_counselling_sessions": _("个体心理辅导（人次）"),
    "group_counselling_sessions": _("团体心理辅导（场次）"),
    # Extra figures beyond the article.
    "hazards_found": _("发现隐患合计（条）"),
    "hazards_closed": _("已销号隐患（条）"),
    "major_hazards_found": _("重大隐患（条）"),
    "hazards_open": _("未销号隐患（条，当前）"),
    "hazards_overdue": _("逾期未整改隐患（条，当前）"),
    # Key-period supervision (supervision/): patrols and 到家报平安.
    "patrols_done": _("完成巡查（班次）"),
    "patrols_missed": _("漏巡（班次）"),
    "home_checkin_class_days": _("到家报平安已报（班·天）"),
    "students_unaccounted_at_cutoff": _("截止时未报平安（人次）"),
    # Drills by type and mode, compliance with the drill rule, incidents by level (drills/).
    **{f"drills_{value}": label for value, label in Drill.DrillType.choices},
    "drills_unannounced": _("突发式演练（场次）"),
    "drills_tabletop": _("桌面/讨论式演练（场次）"),
    "drill_periods_due": _("应开展疏散演练的月（季）数"),
    "drill_periods_met": _("疏散演练达标的月（季）数"),
    "drill_plans_due": _("已到期的计划演练（场次）"),
    "drill_plans_done": _("按计划完成的演练（场次）"),
    "incidents": _("安全事故/突发事件（起）"),
    **{f"incidents_level_{value}": label for value, label in Incident.Level.choices},
    "schools_with_vice_principal": _("聘有法治副校长的学校（所）"),
    "vice_principal_hours": _("法治副校长授课（课时，取整）"),
    "schools_vice_principal_hours_met": _("法治副校长授课满4课时的学校（所）"),
    "staff_training_sessions": _("教职工安全培训（场）"),
    "staff_training_hours": _("教职工安全培训（学时，取整）"),
}
ARTICLE_KEYS = list(FIGURES)[:16]


def period_bounds(year: int, period: str) -> tuple[datetime.date, datetime.date]:
    """(first day, first day after) of the period. Raises ValueError for an unknown period."""
    if period == Period.CALENDAR:
        return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    if period == Period.SCHOOL:
        return datetime.date(year, 9, 1), datetime.date(year + 1, 9, 1)
    raise ValueError(period)


def compute_figures(year: int, period: str, school_ids=None, *, today: datetime.date | None = None):
    """Figures for ``year`` and ``period``: returns ``(total, by_school)`` where ``total`` is a
    dict key → number and ``by_school`` maps school id → such a dict. ``school_ids`` limits
    the schools (None: all). ``today`` (a Beijing date; default: the clock's) dates the
    "current" figures (open and overdue hazards). Money is an int of yuan; counts are ints.
    A fixed number of queries, whatever the number of rows."""
    total, by_school, _compliance = figures_and_compliance(year, period, school_ids, today=today)
    return total, by_school


def figures_and_compliance(
    year: int, period: str, school_ids=None, *, today: datetime.date | None = None
) -> tuple[dict[str, int], dict[int, dict[str, int]], dict[int, SchoolCompliance]]:
    """``compute_figures``'s ``(total, by_school)`` and the drill compliance they count:
    ``drills.selectors.drill_compliance`` of the same (active) schools from the period's
    first day to the earlier of its last day and ``today`` ({} when the period starts
    after ``today``), for a caller that reads it again (the roll-up's gaps card)."""
    today = today or timezone.localdate()
    start, end = period_bounds(year, period)
    tz = ZoneInfo(settings.TIME_ZONE)
    start_dt = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    end_dt = datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)
    schools = School.objects.active()
    if school_ids is not None:
        schools = schools.filter(id__in=school_ids)
    ids = list(schools.values_list("id", flat=True))
    # The grouped queries select the schools by a subquery, not a list of 5,000 ids.
    scope = schools.values("id")

    by_school = {sid: dict.fromkeys(FIGURES, 0) for sid in ids}
    last = min(end - datetime.timedelta(days=1), today)
    # ``schools.order_by()``: a subquery in its queries.
    compliance = (
        drill_compliance(schools.order_by(), start, last, today=today) if start <= last else {}
    )
    rows = defaultdict(dict)
    for part in _parts(scope, start, end, start_dt, end_dt, today, compliance):
        for row in part:
            rows[row.pop("school")].update(row)
    for sid, values in rows.items():
        if sid in by_school:
            by_school[sid].update({k: int(v or 0) for k, v in values.items()})
    for fig in by_school.values():
        fig["schools_total"] = 1
        # The query counts cross inspections of the school; the figure counts schools.
        fig["cross_inspection_schools"] = min(fig["cross_inspection_schools"], 1)
        fig["schools_with_vice_principal"] = min(fig["schools_with_vice_principal"], 1)
        # int() of the hours truncates, so ≥ 4 on it is ≥ 4 on the exact sum.
        fig["schools_vice_principal_hours_met"] = int(fig["vice_principal_hours"] >= 4)
    total = {key: sum(fig[key] for fig in by_school.values()) for key in FIGURES}
    return total, by_school, compliance


def _parts(ids, start, end, start_dt, end_dt, today, compliance):
    """One grouped query per source table, each yielding dicts with a ``school`` key.
    ``ids``: the schools, a subquery of their ids; ``compliance``: their drill compliance."""
    yield from _drill_parts(ids, start, end, start_dt, end_dt, compliance)
    in_dates = Q(date__gte=start, date__lt=end)
    yield (
        # Carried out (开展): submitted or reviewed; planned and unfinished ones do not count.
        Inspection.objects.filter(in_dates, school_id__in=ids, status__in=Inspection.DONE_STATUSES)
        .values("school")
        .annotate(
            joint_inspections=Count("id", filter=Q(kind=Inspection.Kind.JOINT)),
            cross_inspection_schools=Count("id", filter=Q(kind=Inspection.Kind.CROSS)),
        )
    )
    closed = HazardQuerySet.closed_q()
    # A dismissed report (not a hazard, or a duplicate) was never "found".
    found = HazardQuerySet.found_q()
    in_period = HazardQuerySet.reported_between_q(start_dt, end_dt)
    cross = in_period & Q(source=Hazard.Source.CROSS_INSPECTION) & found
    snap = in_period & Q(source=Hazard.Source.SNAPSHOT) & found
    # One pass over the schools' hazards: the period's figures and the current ones (open,
    # overdue), so only the hazards of the period or still open (two index ranges, not
    # every hazard of every year).
    yield (
        Hazard.objects.filter(in_period | HazardQuerySet.open_q(), school_id__in=ids)
        .values("school")
        .annotate(
            cross_inspection_hazards_found=Count("id", filter=cross),
            cross_inspection_hazards_closed=Count("id", filter=cross & closed),
            snapshot_hazards_found=Count("id", filter=snap),
            snapshot_hazards_closed=Count("id", filter=snap & closed),
            hazards_found=Count("id", filter=in_period & found),
            hazards_closed=Count("id", filter=in_period & closed),
            major_hazards_found=Count("id", filter=in_period & HazardQuerySet.major_q()),
            hazards_open=Count("id", filter=HazardQuerySet.open_q()),
            hazards_overdue=Count("id", filter=HazardQuerySet.overdue_q(today)),
        )
    )
    yield (
        RemediationExpense.objects.filter(in_dates, school_id__in=ids, project__category="fire")
        .values("school")
        .annotate(fire_remediation_investment_yuan=Sum("amount_yuan"))
    )
    passed = Q(fire_acceptance_status=School.FireAcceptance.PASSED, fire_acceptance_date__lt=end)
    # One row per school: fire acceptance, and (same query) vice principals and training.
    yield School.objects.filter(id__in=ids).values(
        school=F("id"),
        schools_fire_acceptance_passed=Case(When(passed, then=Value(1)), default=Value(0)),
        **_education_staff_figures(in_dates, start, end),
    )
    kinds = EducationActivity.Kind
    yield (
        EducationActivity.objects.filter(in_dates, school_id__in=ids)
        .values("school")
        .annotate(
            first_safety_lessons=Count("id", filter=Q(kind=kinds.FIRST_LESSON)),
            themed_class_meetings=Count("id", filter=Q(kind=kinds.CLASS_MEETING)),
            flag_speeches=Count("id", filter=Q(kind=kinds.FLAG_SPEECH)),
            thematic_education_activities=Count("id", filter=Q(kind=kinds.THEMATIC)),
        )
    )
    yield (
        CounsellingSession.objects.filter(in_dates, school_id__in=ids)
        .values("school")
        .annotate(
            individual_counselling_sessions=Count(
                "id", filter=Q(kind=CounsellingSession.Kind.INDIVIDUAL)
            ),
            group_counselling_sessions=Count("id", filter=Q(kind=CounsellingSession.Kind.GROUP)),
        )
    )
    yield (
        Patrol.objects.filter(in_dates, school_id__in=ids)
        .values("school")
        .annotate(
            patrols_done=Count("id", filter=Q(status=Patrol.Status.DONE)),
            patrols_missed=Count("id", filter=Q(status=Patrol.Status.MISSED)),
        )
    )
    yield (
        Roll.objects.filter(in_dates, school_id__in=ids, kind=RollKind.HOME)
        .values("school")
        .annotate(
            home_checkin_class_days=Count("id", filter=Q(first_marked_at__isnull=False)),
            students_unaccounted_at_cutoff=Sum("unaccounted_at_cutoff"),
        )
    )


def _drill_parts(ids, start, end, start_dt, end_dt, compliance):
    """Drills by type and mode, settled drill periods due and met (``compliance``, from
    drills.selectors: the one compliance function), incidents by level."""
    yield (
        Drill.objects.filter(date__gte=start, date__lt=end, school_id__in=ids)
        .values("school")
        .annotate(
            drills=Count("id"),
            **{
                f"drills_{value}": Count("id", filter=Q(drill_type=value))
                for value in Drill.DrillType.values
            },
            drills_unannounced=Count("id", filter=Q(mode=Drill.Mode.UNANNOUNCED)),
            drills_tabletop=Count("id", filter=~Q(style=Drill.Style.LIVE)),
        )
    )
    yield (
        {
            "school": sid,
            "drill_periods_due": len(c.due),
            "drill_periods_met": sum(cell.status == "ok" for cell in c.due),
            # Planned drills whose day has passed (done or missed), by the same function.
            "drill_plans_due": c.plan_counts()["done"] + c.plan_counts()["missed"],
            "drill_plans_done": c.plan_counts()["done"],
        }
        for sid, c in compliance.items()
    )
    yield (
        Incident.objects.filter(
            occurred_at__gte=start_dt, occurred_at__lt=end_dt, school_id__in=ids
        )
        .values("school")
        .annotate(
            incidents=Count("id"),
            **{
                f"incidents_level_{value}": Count("id", filter=Q(level=value))
                for value in Incident.Level.values
            },
        )
    )


def month_counts(hazards: HazardQuerySet, start: datetime.date, end: datetime.date) -> dict:
    """Hazards of ``hazards`` at active schools found (not dismissed) per month from
    ``start`` to ``end`` (the first day after; 12 months), and of them those closed now:
    {"found": [12 ints], "closed": [12 ints]}. One grouped query (months on the Beijing
    calendar)."""
    rows = (
        _found_by_month(hazards, start, end)
        .filter(school__is_active=True)
        .values("month")
        .annotate(found=Count("id"), closed=Count("id", filter=HazardQuerySet.closed_q()))
    )
    return _month_series({(r["month"].year, r["month"].month): r for r in rows}, start)


def found_counts(
    hazards: HazardQuerySet, start: datetime.date, end: datetime.date
) -> tuple[dict, list[list]]:
    """``(month_counts(hazards, start, end), charts.category_counts(hazards, start, end))``
    from one grouped query, not two: both count the period's found hazards (the months
    those of active schools, the categories all, most first then by category). The
    roll-up stores both in the bureau row."""
    active = Q(school__is_active=True)
    rows = (
        _found_by_month(hazards, start, end)
        .values("month", "category")
        .annotate(
            found=Count("id", filter=active),
            closed=Count("id", filter=active & HazardQuerySet.closed_q()),
            n=Count("id"),
        )
        .order_by()
    )
    by_month: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: {"found": 0, "closed": 0})
    by_category: dict[str, int] = defaultdict(int)
    for r in rows:
        month = by_month[(r["month"].year, r["month"].month)]
        month["found"] += r["found"]
        month["closed"] += r["closed"]
        by_category[r["category"]] += r["n"]
    categories = sorted(([c, n] for c, n in by_category.items()), key=lambda r: (-r[1], r[0]))
    return _month_series(by_month, start), categories


def _found_by_month(hazards: HazardQuerySet, start: datetime.date, end: datetime.date):
    tz = ZoneInfo(settings.TIME_ZONE)
    start_dt = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    end_dt = datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)
    return (
        hazards.reported_between(start_dt, end_dt)
        .found()
        .annotate(month=TruncMonth("reported_at", tzinfo=tz))
    )


def _month_series(by_month: dict, start: datetime.date) -> dict:
    months = [(m.year, m.month) for m in period_months(start)]
    return {
        "found": [by_month.get(m, {}).get("found", 0) for m in months],
        "closed": [by_month.get(m, {}).get("closed", 0) for m in months],
    }


def period_months(start: datetime.date) -> list[datetime.date]:
    """The first days of the 12 months from ``start`` (a first of the month)."""
    return [
        datetime.date(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1)
        for n in range(12)
    ]


def drill_statistics(
    by_school: dict[int, dict[str, int]], *, year: int, period: str, schools=None
) -> list[dict]:
    """Per school type (办学类型): schools, the compliance rate (settled drill periods met /
    due, None when none was due) and the median evacuation seconds of the period's live
    evacuation drills (None without a measured one). ``by_school``: ``compute_figures``'s;
    ``schools``: the same schools as a queryset (the queries then select by a subquery;
    default: by the ids of ``by_school``). Two queries."""
    start, end = period_bounds(year, period)
    if schools is None:
        schools = School.objects.filter(id__in=list(by_school))
    types = dict(schools.values_list("id", "school_type"))
    seconds = defaultdict(list)
    rows = Drill.objects.filter(
        school__in=schools.values("id"), date__gte=start, date__lt=end,
        style=Drill.Style.LIVE, evacuation_seconds__isnull=False,
    ).values_list("school_id", "evacuation_seconds")  # fmt: skip
    for sid, value in rows:
        seconds[types[sid]].append(value)
    out = []
    for code, label in School.SchoolType.choices:
        ids = [sid for sid, t in types.items() if t == code]
        if not ids:
            continue
        due = sum(by_school[sid]["drill_periods_due"] for sid in ids)
        met = sum(by_school[sid]["drill_periods_met"] for sid in ids)
        values = sorted(seconds[code])
        out.append(
            {
                "school_type": code,
                "label": str(label),
                "schools": len(ids),
                "compliance_rate": round(met / due, 3) if due else None,
                "median_evacuation_seconds": statistics.median(values) if values else None,
            }
        )
    return out


def _education_staff_figures(in_dates, start, end) -> dict:
    """Per-school subqueries (for a ``School`` queryset's ``values``): rule-of-law vice
    principals appointed during the period, their class hours, staff safety trainings and
    their hours."""

    def per_school(queryset, value):
        rows = queryset.filter(school=OuterRef("pk")).order_by().values("school")
        return Coalesce(
            Subquery(rows.annotate(v=value).values("v")), 0, output_field=DecimalField()
        )

    appointed = Appointment.objects.filter(start_date__lt=end, end_date__gte=start)
    lessons = VicePrincipalLesson.objects.filter(in_dates)
    trainings = StaffTraining.objects.filter(in_dates)
    return {
        "schools_with_vice_principal": per_school(appointed, Count("id")),
        "vice_principal_hours": per_school(lessons, Sum("hours")),
        "staff_training_sessions": per_school(trainings, Count("id")),
        "staff_training_hours": per_school(trainings, Sum("hours")),
    }
