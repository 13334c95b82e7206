"""The drills' demo rows beyond the counts: the §4 details of each drill (signal and
completion times, head counts, commander and teams, the six ratings), each school's
emergency plans (current versions of the main kinds, a few missing so the bureau's page
shows gaps, one awaiting revision), the drills linked to the plan version in force, and a
few minor incidents with their timelines.

Every choice here comes from a generator seeded by the row's own keys, so the yearly
streams of records.py and hazards.py, and the 2024 figures, are untouched.
"""

import datetime
import random

from django.core.files.base import ContentFile

from core.files import private_storage
from drills.models import (
    Drill,
    DrillProblem,
    EmergencyPlan,
    Incident,
    IncidentAction,
    IncidentPerson,
    PlanVersion,
)
from drills.selectors import required_plan_kinds

from . import calendar as cal

EVACUATING = {"fire", "earthquake", "night_dorm", "air_raid", "crowd"}
TABLETOP_LIKELY = {"food_poisoning", "gas_power", "flood", "school_bus", "anti_terror"}
TEAMS = "疏散引导组、通信联络组、医疗救护组、安全警戒组"
SUPPORT = ["", "", "", "旗消防救援大队", "锡尼派出所", "旗人民医院"]
PROBLEMS = {
    "fire": ["三楼东侧楼梯口疏散时拥堵", "一处应急照明灯不亮", "部分学生未弯腰捂口鼻"],
    "earthquake": ["个别班级就地避险动作不规范", "集合点指示牌缺失"],
    "night_dorm": ["宿舍楼二层安全出口门闩不灵活", "夜间广播音量偏小"],
    "crowd": ["课间楼梯口未安排教师值守"],
    "air_raid": ["警报声在操场东侧听不清"],
}
# Seed schools (by position) whose plans of these kinds are missing or only drafts.
GAPS = {3: ["crowd"], 7: ["food_poisoning", "anti_terror"], 12: ["earthquake"], 20: ["crowd"]}
DRAFT_ONLY = {15: "food_poisoning"}
REVISION = {1: "fire"}
PLAN_FILE = "plans/demo/demo-plan.pdf"
PDF = b"%PDF-1.4\n% Campus Safety demo plan\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _weighted(rng, choices, weights):
    return rng.choices(list(choices), weights=weights)[0]


def drill_details(drill: Drill, cast, rng: random.Random) -> None:
    """Fill ``drill``'s §4 fields in place (before it is saved)."""
    school, day = drill.school, drill.date
    if drill.drill_type in TABLETOP_LIKELY and rng.random() < 0.35:
        drill.style = Drill.Style.TABLETOP
        drill.evacuation_seconds = None
    night = drill.drill_type == "night_dorm"
    hour = rng.choice([21, 21, 22]) if night else rng.choice([9, 10, 10, 14, 15, 16])
    drill.signal_at = cal.at(day, hour, rng.choice([0, 10, 20, 30, 40]))
    if drill.evacuation_seconds is not None:
        drill.completed_at = drill.signal_at + datetime.timedelta(seconds=drill.evacuation_seconds)
    drill.building = rng.choice(["教学楼", "综合楼", "宿舍楼"] if night else ["教学楼", "综合楼"])
    drill.target_seconds = 120
    # The classes taking part report their roll; a pupil or two may be missing (sick bay).
    drill.missing_count = rng.choice([0, 0, 0, 1, 2])
    drill.students_expected = drill.student_participants + drill.missing_count
    drill.staff_expected = drill.staff_participants
    drill.injured_count = 0
    drill.commander = str(cast.principal[school.pk].name or "")
    drill.teams = TEAMS
    drill.outside_support = rng.choice(SUPPORT)
    drill.title = f"{day.year}年{drill.get_drill_type_display()}演练"
    _rate(drill, rng)


def _rate(drill: Drill, rng: random.Random) -> None:
    good = rng.random() < 0.7
    drill.rating_plan_fit = "full" if good else _weighted(rng, ["full", "not_smooth"], [1, 2])
    drill.rating_adequacy = "complete" if good else "improve"
    drill.rating_staff = _weighted(rng, ["prompt", "on_time", "some_missing"], [5, 4, 1])
    drill.rating_proficiency = _weighted(rng, ["skilled", "basic"], [3, 1])
    drill.rating_supplies = _weighted(rng, ["ready", "partial"], [4, 1])
    drill.rating_safety = "safe"
    if drill.met_target is False:
        drill.improvements = "优化疏散路线，错峰下楼，下月复练。"


def build_drill_extras(schools, cast, today: datetime.date) -> None:
    """Plans, their links from drills, problems found and incidents, for ``today``."""
    stored = _plan_file()
    versions = _plans(schools, cast, today, stored)
    _link_drills(schools, versions)
    _problems(schools)
    _incidents(schools, cast, today)


def _plan_file() -> str:
    # One stored file shared by every demo version: a reload writes nothing new.
    storage = private_storage()
    if not storage.exists(PLAN_FILE):
        storage.save(PLAN_FILE, ContentFile(PDF))
    return PLAN_FILE


def _plans(schools, cast, today, stored) -> dict:
    """{(school id, kind): [approved versions by date]} of the plans built."""
    plans, rows = [], []
    for position, school in enumerate(schools, start=1):
        for kind in required_plan_kinds(school) + ["drowning"]:
            if kind in GAPS.get(position, []):
                continue
            plan = EmergencyPlan(
                school=school, kind=kind, owner=cast.officer[school.pk],
                title=f"{school.name}{_label(kind)}应急预案",
            )  # fmt: skip
            plans.append((position, plan))
    EmergencyPlan.objects.bulk_create([p for _pos, p in plans])
    for position, plan in plans:
        rows += _versions(position, plan, cast, today, stored)
    PlanVersion.objects.bulk_create(rows)
    out: dict = {}
    for version in sorted(rows, key=lambda v: (v.approved_on or today, v.number)):
        if version.approved_on:
            out.setdefault((version.plan.school_id, version.plan.kind), []).append(version)
    return out


def _label(kind: str) -> str:
    return str(Drill.DrillType(kind).label)


def _versions(position, plan, cast, today, stored) -> list:
    rng = random.Random(f"plan-{plan.school.code}-{plan.kind}")
    first = datetime.date(2023, 8, rng.randint(20, 31))
    principal = str(cast.principal[plan.school_id].name or "")
    dates = [first] + [
        datetime.date(y, 8, rng.randint(20, 31)) for y in range(2024, today.year + 1)
    ]
    dates = [d for d in dates if d < today]
    if DRAFT_ONLY.get(position) == plan.kind:
        dates = []
    versions = [
        PlanVersion(
            plan=plan,
            number=n,
            file=stored,
            file_type="pdf",
            original_name="应急预案.pdf",
            approved_on=d,
            approver=principal,
            uploaded_by=cast.officer[plan.school_id],
            notes="" if n == 1 else "年度评审修订",
        )  # fmt: skip
        for n, d in enumerate(dates, start=1)
    ]
    if not versions:
        versions.append(
            PlanVersion(plan=plan, number=1, file=stored, file_type="pdf", notes="草稿")
        )
    return versions


def _link_drills(schools, versions) -> None:
    """Each drill uses its kind's version in force on its day, when there is one."""
    drills = list(Drill.objects.filter(school__in=schools))
    for drill in drills:
        in_force = [
            v
            for v in versions.get((drill.school_id, drill.drill_type), [])
            if v.approved_on <= drill.date
        ]
        drill.plan_version = in_force[-1] if in_force else None
    Drill.objects.bulk_update(drills, ["plan_version"], batch_size=500)
    for position, kind in REVISION.items():
        school = schools[position - 1]
        last = Drill.objects.filter(school=school, drill_type=kind).order_by("-date").first()
        if last is not None:
            Drill.objects.filter(pk=last.pk).update(plan_revision_needed=True)
            EmergencyPlan.objects.filter(school=school, kind=kind).update(
                revision_requested_by=last
            )


def _problems(schools) -> None:
    """Problems found in one drill of five with an evacuation time over 120 s, linked to a
    hazard of that drill when the hazard builder made one."""
    rows = []
    linked = set()
    drills = Drill.objects.filter(school__in=schools, evacuation_seconds__gt=120).prefetch_related(
        "hazards"
    )
    for drill in drills.order_by("id"):
        rng = random.Random(f"problems-{drill.school.code}-{drill.date}-{drill.drill_type}")
        if rng.random() > 0.2 and not drill.hazards.all():
            continue
        texts = PROBLEMS.get(drill.drill_type, ["疏散路线标识不清"])
        hazard = next((h for h in drill.hazards.all() if h.pk not in linked), None)
        if hazard is not None:
            linked.add(hazard.pk)
        rows.append(DrillProblem(drill=drill, description=rng.choice(texts), hazard=hazard))
    DrillProblem.objects.bulk_create(rows)


INCIDENTS = [
    # (seed school position, days before today or a fixed date, kind, place, summary, names)
    (
        2,
        datetime.date(2024, 10, 16),
        "injury",
        "操场",
        "体育课跳远时一名学生脚踝扭伤。",
        ["巴特尔"],
    ),
    (
        9,
        datetime.date(2025, 3, 12),
        "food",
        "学生食堂",
        "午餐后3名学生轻微腹痛，校医观察后缓解，食品留样送检合格。",
        ["王欣怡", "李浩然", "其其格"],
    ),
    (5, None, "injury", "教学楼二楼楼梯", "课间追逐时一名学生在楼梯摔倒，手臂擦伤。", ["张子轩"]),
]


def _incidents(schools, cast, today) -> None:
    for position, day, kind, place, summary, names in INCIDENTS:
        school = schools[position - 1]
        recent = day is None
        day = day or _last_school_day(today)
        occurred = cal.at(day, 10, 20)
        if occurred >= cal.at(today, 0):
            continue
        officer = cast.officer[school.pk]
        incident = Incident.objects.create(
            school=school, occurred_at=occurred, place=place, kind=kind, level="4",
            summary=summary, students_involved=len(names), injured=len(names),
            first_measures="校医现场处置，通知家长，班主任陪同。",
            reported_at=occurred + datetime.timedelta(minutes=50), reported_by=officer,
        )  # fmt: skip
        IncidentPerson.objects.bulk_create(
            [IncidentPerson(incident=incident, name=n, injury="轻微") for n in names]
        )
        steps = [
            (50, "学校向教体局初报"),
            (120, "家长到校，陪同学生就医"),
            (24 * 60, "医院检查无大碍，学生返校"),
        ]
        if not recent:
            incident.written_report = "事件经过、处置情况和整改措施（书面报告）。"
            incident.written_report_at = occurred + datetime.timedelta(hours=20)
            incident.status, incident.closed_at = (
                Incident.Status.CLOSED,
                occurred + datetime.timedelta(days=12),
            )
            incident.review_cause = (
                "课间及体育课安全管理不到位。" if kind == "injury" else "个别菜品加工不当。"
            )
            incident.review_measures = "加强巡查与安全提醒，完善相关制度。"
            incident.review_lessons = "安全教育要落实到每个环节。"
            incident.save()
            steps += [(20 * 60, "提交书面报告"), (12 * 24 * 60, "结案并完成总结评估")]
        IncidentAction.objects.bulk_create(
            [
                IncidentAction(
                    incident=incident,
                    at=occurred + datetime.timedelta(minutes=m),
                    text=t,
                    actor=officer,
                )
                for m, t in steps
                if occurred + datetime.timedelta(minutes=m) < cal.at(today, 0)
            ]
        )


def _last_school_day(today: datetime.date) -> datetime.date:
    days = [d for d in cal.school_days_of_year(today.year) if d < today] or cal.school_days_of_year(
        today.year - 1
    )
    return days[-1]
