"""The benchmark's synthetic county: N schools with M hazards each and their event chains,
plus inspections with checklist answers, drills, education activities, counselling sessions,
remediation spending, leader/cadre assignments and one user per role.

Written with ``bulk_create`` (the services would take hours at this size) but valid as the
services leave it: a hazard's status is the end of its event chain (report → assign → submit
[→ reject → submit] → close, or report → dismiss), an assigned hazard has a responsible
person and a deadline, a closed one ``closed_at``/``closed_by`` by someone other than the
submitter, a failed checklist answer points at the hazard it raised, and no time lies after
``now``. The same seed and ``now`` give the same data.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User
from drills.models import Drill
from education.models import CounsellingSession, EducationActivity
from hazards.models import Hazard, HazardEvent, RemediationExpense, RemediationProject
from inspections.checklist_data import load_standard_checklist
from inspections.models import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    Inspection,
    InspectionAnswer,
)
from schools.models import Department, School, SchoolAssignment

CODE_PREFIX = "BENCH"  # school codes; users are "bench_…"
FIRST_DAY = datetime.date(2024, 1, 1)  # records start here and run to ``now``
SCHOOLS_PER_CHUNK = 20  # written per transaction, so memory stays flat at any size
BATCH = 2000
R, H, S, I = User.Role, Hazard, Hazard.Status, Inspection  # noqa: E741 - short aliases

SCHOOL_TYPES = [  # (type, boarding), cycled over the schools
    (School.SchoolType.PRIMARY, False),
    (School.SchoolType.PRIMARY, False),
    (School.SchoolType.JUNIOR, True),
    (School.SchoolType.KINDERGARTEN, False),
    (School.SchoolType.NINE_YEAR, True),
    (School.SchoolType.SENIOR, True),
]
SOURCES = {
    "self_inspection": 30,
    "snapshot": 20,
    "patrol": 20,
    "joint_inspection": 10,
    "cross_inspection": 10,
    "drill": 5,
    "other": 5,
}
INSPECTION_SOURCES = {
    "self_inspection": I.Kind.SELF,
    "joint_inspection": I.Kind.JOINT,
    "cross_inspection": I.Kind.CROSS,
}
INSPECTION_KINDS = {I.Kind.SELF: 50, I.Kind.JOINT: 20, I.Kind.CROSS: 15, I.Kind.SPOT: 15}
TITLES = {
    "fire": [
        "灭火器过期未更换",
        "消防通道堆放杂物",
        "应急照明灯损坏",
        "疏散指示标志缺失",
        "消火栓水压不足",
    ],
    "electrical": ["配电箱未上锁", "私拉乱接电线", "插座老化松动", "宿舍违规使用大功率电器"],
    "building": ["外墙瓷砖脱落", "楼梯扶手松动", "屋顶漏水", "围墙出现裂缝"],
    "dormitory": ["宿舍床铺护栏缺失", "宿舍夜间值班记录不全", "宿舍门窗损坏"],
    "canteen": ["食堂留样记录不全", "燃气管道未定期检测", "从业人员健康证过期"],
    "surroundings": ["校门口流动摊贩聚集", "校园周边网吧接纳未成年人", "校门口缺少减速带"],
    "traffic": ["校车安全带损坏", "上下学时段校门口车辆拥堵", "交通标线模糊"],
    "water": ["校园周边水塘无警示标志", "防溺水警示牌损坏"],
    "facilities": ["篮球架底座锈蚀", "体育器材松动", "护栏高度不足"],
    "security": ["监控摄像头损坏", "门卫未登记来访人员", "一键报警装置失灵"],
    "lab": ["危化品未双人双锁", "实验室通风设备故障"],
    "other": ["安全台账记录不全", "应急预案未更新"],
}
LOCATIONS = [
    "教学楼一层",
    "教学楼三层东侧",
    "学生宿舍2号楼",
    "食堂后厨",
    "操场北侧",
    "校门口",
    "实验楼二层",
    "锅炉房",
    "图书馆",
    "围墙西侧",
]
DEPARTMENTS = [
    ("公安局", Department.Kind.POLICE),
    ("消防救援大队", Department.Kind.FIRE),
    ("市场监督管理局", Department.Kind.MARKET),
    ("卫生健康委员会", Department.Kind.HEALTH),
]
SCHOOL_PEOPLE = [("officer", R.SCHOOL_OFFICER), ("principal", R.PRINCIPAL), ("teacher", R.TEACHER)]


@dataclass
class Handles:
    """What the measurements need from a built dataset: the personas and sample rows."""

    bureau: User  # bureau staff, all schools
    officer: User  # safety officer of the first school
    api_user: User  # report client (read-only, all schools)
    token: str  # the API user's token key
    school_id: int  # the first school
    hazard_id: int  # a closed hazard of the first school with the longest timeline


def username(kind, n=None):
    return f"bench_{kind}" if n is None else f"bench_{kind}{n:04d}"


def dataset_size():
    """(schools, hazards) of the benchmark data in the database; (0, 0) when there is none."""
    schools = School.objects.filter(code__startswith=CODE_PREFIX)
    return schools.count(), Hazard.objects.filter(school__in=schools).count()


def handles() -> Handles:
    """The personas and sample rows of the dataset ``build_dataset`` wrote."""
    officer = User.objects.get(username=username("officer", 1))
    school_id = officer.schools.get().pk
    closed = Hazard.objects.filter(school_id=school_id, status=S.CLOSED)
    hazard = closed.annotate(n=Count("events")).order_by("-n", "id").first()
    api_user = User.objects.get(username=username("api"))
    return Handles(
        bureau=User.objects.get(username=username("bureau")),
        officer=officer,
        api_user=api_user,
        token=AuthToken.objects.create(user=api_user)[1],
        school_id=school_id,
        hazard_id=hazard.pk,
    )


def build_dataset(
    schools=300,
    hazards_per_school=300,
    inspections_per_school=12,
    *,
    seed=2024,
    now=None,
    progress=None,
) -> Handles:
    """Write the dataset into the current database and return its ``Handles``.

    ``now``: aware datetime, the end of the record period (default: now); records span
    ``FIRST_DAY`` to ``now``. ``progress``: called with a message per chunk of schools.
    Expects a database without benchmark data (usernames and school codes are fixed).
    """
    now = now or timezone.now()
    builder = _Builder(random.Random(seed), now, hazards_per_school, inspections_per_school)
    with transaction.atomic():
        builder.people_and_schools(schools)
    for start in range(0, schools, SCHOOLS_PER_CHUNK):
        with transaction.atomic():
            builder.records(builder.schools[start : start + SCHOOLS_PER_CHUNK])
        if progress:
            progress(f"{min(start + SCHOOLS_PER_CHUNK, schools)}/{schools} schools")
    return handles()


class _Builder:
    def __init__(self, rng, now, hazards_per_school, inspections_per_school):
        self.rng, self.now = rng, now
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.today = timezone.localdate(now)
        self.years = max((self.today - FIRST_DAY).days / 365.25, 0.1)
        self.hazards_per_school = hazards_per_school
        self.inspections_per_school = inspections_per_school
        self.password = make_password(None)  # unusable: the benchmark uses force_login
        self.tracking = 0
        checklist = Checklist.objects.filter(is_published=True).order_by("-version").first()
        self.checklist = checklist or load_standard_checklist(
            Checklist, ChecklistSection, ChecklistItem
        )
        self.items = {}  # (school type, boarding) → applicable items

    # --- people, schools, departments -------------------------------------------------

    def _user(self, kind, role, n=None, **fields):
        return User(
            username=username(kind, n),
            name=f"{kind}{n or ''}",
            role=role,
            password=self.password,
            email=f"{username(kind, n)}@bench.invalid",
            **fields,
        )

    def people_and_schools(self, count):
        self.departments = [
            Department.objects.get_or_create(name=f"基准{name}", defaults={"kind": kind})[0]
            for name, kind in DEPARTMENTS
        ]
        self.schools = School.objects.bulk_create([self._school(n) for n in range(1, count + 1)])
        bureau = [
            self._user("bureau", R.BUREAU_STAFF, scope_all_schools=True),
            self._user("api", R.REPORT_CLIENT, scope_all_schools=True),
        ]
        bureau += [
            self._user("cadre", R.BUREAU_STAFF, n, scope_all_schools=True)
            for n in range(1, math.ceil(count / 5) + 1)
        ]
        bureau += [
            self._user("leader", R.BUREAU_STAFF, n, scope_all_schools=True)
            for n in range(1, math.ceil(count / 10) + 1)
        ]
        bureau += [
            self._user("inspector", R.INSPECTOR, n, scope_all_schools=True, department=d)
            for n, d in enumerate(self.departments, 1)
        ]
        staff = [
            self._user(kind, role, n) for n in range(1, count + 1) for kind, role in SCHOOL_PEOPLE
        ]
        User.objects.bulk_create(bureau + staff, batch_size=BATCH)
        users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
        self.bureau = users[username("bureau")]
        self.staff = {
            school.pk: {kind: users[username(kind, n)] for kind, _role in SCHOOL_PEOPLE}
            for n, school in enumerate(self.schools, 1)
        }
        self.cadres = {
            s.pk: users[username("cadre", n // 5 + 1)] for n, s in enumerate(self.schools)
        }
        self.leaders = {
            s.pk: users[username("leader", n // 10 + 1)] for n, s in enumerate(self.schools)
        }
        through = User.schools.through
        through.objects.bulk_create(
            [
                through(user_id=u.pk, school_id=sid)
                for sid, people in self.staff.items()
                for u in people.values()
            ],
            batch_size=BATCH,
        )
        SchoolAssignment.objects.bulk_create(
            [
                SchoolAssignment(school_id=sid, user=people[sid], kind=kind, start_date=FIRST_DAY)
                for kind, people in (
                    (SchoolAssignment.Kind.CADRE, self.cadres),
                    (SchoolAssignment.Kind.LEADER, self.leaders),
                )
                for sid in people
            ],
            batch_size=BATCH,
        )

    def _school(self, n):
        school_type, boarding = SCHOOL_TYPES[n % len(SCHOOL_TYPES)]
        passed = n % 7 != 0
        acceptance = School.FireAcceptance
        return School(
            name=f"基准第{n}学校",
            code=f"{CODE_PREFIX}{n:05d}",
            school_type=school_type,
            town=School.Town.values[n % len(School.Town.values)],
            is_boarding=boarding,
            student_count=200 + n % 13 * 100,
            staff_count=20 + n % 11 * 5,
            fire_acceptance_status=acceptance.PASSED if passed else acceptance.IN_PROGRESS,
            fire_acceptance_date=FIRST_DAY + datetime.timedelta(days=n % 300) if passed else None,
        )

    # --- one chunk of schools -----------------------------------------------------------

    def records(self, schools):
        inspections = self._inspections(schools)
        drills = Drill.objects.bulk_create(
            [d for s in schools for d in self._drills(s)], batch_size=BATCH
        )
        self._education(schools)
        self._remediation(schools)
        plans = [
            self._hazard(s, inspections, drills)
            for s in schools
            for _n in range(self.hazards_per_school)
        ]
        hazards = Hazard.objects.bulk_create([p["hazard"] for p in plans], batch_size=BATCH)
        for hazard in hazards:
            hazard._history_date, hazard._history_user = hazard.reported_at, hazard.reported_by
        Hazard.history.bulk_history_create(hazards, batch_size=BATCH)
        HazardEvent.objects.bulk_create(
            [
                HazardEvent(
                    hazard=p["hazard"],
                    action=action,
                    from_status=old,
                    to_status=new,
                    actor=actor,
                    comment=comment,
                    created_at=at,
                    notified_at=at,
                )
                for p in plans
                for action, old, new, at, actor, comment in p["events"]
            ],
            batch_size=BATCH,
        )
        self._answers(inspections, plans)

    def _day(self, start=FIRST_DAY, end=None):
        end = end or self.today
        return start + datetime.timedelta(days=self.rng.randrange(max((end - start).days, 0) + 1))

    def _at(self, day, earliest_hour=8):
        """An aware datetime on ``day`` during the working day (Beijing), not after now."""
        minutes = self.rng.randrange(earliest_hour * 60, 18 * 60)
        at = datetime.datetime.combine(
            day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.tz
        )
        return min(at, self.now - datetime.timedelta(minutes=1))

    def _inspections(self, schools):
        """Inspections from FIRST_DAY to two months ahead; the answered ones by school and kind."""
        rows = []
        others = self.schools
        for school in schools:
            for _n in range(self.inspections_per_school):
                kind = self.rng.choices(list(INSPECTION_KINDS), list(INSPECTION_KINDS.values()))[0]
                if kind == I.Kind.CROSS and len(others) < 2:
                    kind = I.Kind.SELF
                rows.append(self._inspection(school, kind))
        Inspection.objects.bulk_create(rows, batch_size=BATCH)
        through = Inspection.departments.through
        through.objects.bulk_create(
            [
                through(inspection_id=i.pk, department_id=d.pk)
                for i in rows
                if i.kind == I.Kind.JOINT
                for d in self.rng.sample(self.departments, 2)
            ],
            batch_size=BATCH,
        )
        answered = {}
        for inspection in rows:
            if inspection.status in (I.Status.SUBMITTED, I.Status.REVIEWED):
                answered.setdefault((inspection.school_id, inspection.kind), []).append(inspection)
        return answered

    def _inspection(self, school, kind):
        day = self._day(end=self.today + datetime.timedelta(days=60))
        status, submitted_at = I.Status.PLANNED, None
        if day <= self.today:
            # A few past ones never submitted: the overdue inspections.
            statuses = [
                I.Status.REVIEWED,
                I.Status.SUBMITTED,
                I.Status.PLANNED,
                I.Status.IN_PROGRESS,
            ]
            status = self.rng.choices(statuses, [70, 26, 2, 2])[0]
        if status in (I.Status.SUBMITTED, I.Status.REVIEWED):
            submitted_at = self._at(day, earliest_hour=16)
        inspecting = None
        if kind == I.Kind.CROSS:
            n = self.schools.index(school)
            inspecting = self.schools[(n + 1) % len(self.schools)]
        leader = {
            I.Kind.JOINT: self.cadres[school.pk],
            I.Kind.SPOT: self.leaders[school.pk],
            I.Kind.SELF: self.staff[school.pk]["officer"],
        }.get(kind)
        if inspecting:
            leader = self.staff[inspecting.pk]["officer"]
        return Inspection(
            kind=kind,
            title=f"{day.year}年{I.Kind(kind).label}",
            school=school,
            inspecting_school=inspecting,
            date=day,
            status=status,
            leader=leader,
            checklist=self.checklist,
            submitted_at=submitted_at,
            reviewed_by=self.bureau if status == I.Status.REVIEWED else None,
            summary="检查发现问题已反馈学校限期整改。" if submitted_at else "",
        )

    def _per_year(self, rate):
        return max(1, round(rate * self.years))

    def _drills(self, school):
        return [
            Drill(
                school=school,
                drill_type=self.rng.choice(Drill.DrillType.values),
                date=self._day(),
                student_participants=school.student_count,
                staff_participants=school.staff_count,
                evacuation_seconds=self.rng.randrange(90, 300),
                notes="演练有序，疏散及时。",
                recorded_by=self.staff[school.pk]["officer"],
            )
            for _n in range(self._per_year(4))
        ]

    def _education(self, schools):
        kinds = EducationActivity.Kind
        EducationActivity.objects.bulk_create(
            [
                EducationActivity(
                    school=s,
                    kind=self.rng.choice(kinds.values),
                    topic=self.rng.choice(EducationActivity.Topic.values),
                    title="安全教育",
                    date=self._day(),
                    participants=self.rng.randrange(30, 500),
                    recorded_by=self.staff[s.pk]["teacher"],
                )
                for s in schools
                for _n in range(self._per_year(10))
            ],
            batch_size=BATCH,
        )
        CounsellingSession.objects.bulk_create(
            [
                CounsellingSession(
                    school=s,
                    kind=kind,
                    date=self._day(),
                    student_code=f"S{n:04d}",
                    participants=1 if kind == CounsellingSession.Kind.INDIVIDUAL else 20,
                )
                for s in schools
                if not s.is_kindergarten
                for n, kind in enumerate(
                    self.rng.choices(CounsellingSession.Kind.values, k=self._per_year(8))
                )
            ],
            batch_size=BATCH,
        )

    def _remediation(self, schools):
        project = RemediationProject.objects.create(
            name=f"消防遗留问题整改（{schools[0].code}–{schools[-1].code}）",
            category=RemediationProject.Category.FIRE,
            budget_yuan=Decimal(len(schools) * 200000),
            start_date=FIRST_DAY,
        )
        project.schools.set(schools)
        RemediationExpense.objects.bulk_create(
            [
                RemediationExpense(
                    project=project,
                    school=s,
                    date=self._day(),
                    amount_yuan=Decimal(self.rng.randrange(10000, 90000)),
                )
                for s in schools
                for _n in range(self._per_year(1))
            ],
        )

    # --- hazards ------------------------------------------------------------------------

    def _hazard(self, school, inspections, drills):
        """{"hazard": unsaved Hazard, "events": [...], "item": (inspection, item) or None}."""
        rng, people = self.rng, self.staff[school.pk]
        source = rng.choices(list(SOURCES), list(SOURCES.values()))[0]
        category = rng.choice(list(TITLES))
        level = H.Level.MAJOR if rng.random() < 0.03 else H.Level.GENERAL
        inspection = drill = item = None
        reported_at = self._at(self._day())
        reported_by = rng.choice([people["teacher"], people["officer"]])
        if source in INSPECTION_SOURCES:
            inspection = self._done_inspection(
                inspections.get((school.pk, INSPECTION_SOURCES[source]))
            )
            item = inspection and self._failed_item(inspection, school)
            if item:
                category = item.category
                level = H.Level.MAJOR if item.is_major else H.Level.GENERAL
                reported_at = inspection.submitted_at
                reported_by = inspection.leader
            elif inspection is None:
                source = "patrol"
        elif source == "drill":
            drill = rng.choice(
                [d for d in drills if d.school_id == school.pk and d.date <= self.today]
            )
            reported_at = self._at(drill.date)
        owned = source == "joint_inspection" and rng.random() < 0.5
        hazard = Hazard(
            school=school,
            title=rng.choice(TITLES[category]),
            location=rng.choice(LOCATIONS),
            description="现场检查发现，需限期整改。",
            category=category,
            level=level,
            source=source,
            inspection=inspection,
            drill=drill,
            reported_by=reported_by,
            reported_at=reported_at,
            department=rng.choice(self.departments) if owned else None,
        )
        if source == "snapshot" and rng.random() < 0.5:  # anonymous public 随手拍
            self.tracking += 1
            hazard.reported_by, hazard.tracking_code = None, f"BN{self.tracking:010d}"
        events = self._lifecycle(hazard, people)
        return {"hazard": hazard, "events": events, "item": item and (inspection, item)}

    def _done_inspection(self, answered):
        return self.rng.choice(answered) if answered else None

    def _failed_item(self, inspection, school):
        """An applicable item of ``inspection`` not failed yet (None when all are); ★ items
        (major hazards) seldom."""
        used = inspection.__dict__.setdefault("_bench_failed", set())
        items = [
            i
            for i in self._applicable(school)
            if i.pk not in used and not (i.is_major and self.rng.random() < 0.9)
        ]
        if not items:
            return None
        item = self.rng.choice(items)
        used.add(item.pk)
        return item

    def _applicable(self, school):
        key = (school.school_type, school.is_boarding)
        if key not in self.items:
            items = ChecklistItem.objects.filter(checklist=self.checklist).applicable_to(school)
            self.items[key] = list(items)
        return self.items[key]

    def _lifecycle(self, hazard, people):
        """Fill the workflow fields of ``hazard`` and return its events, each
        (action, from, to, at, actor, comment), none after now."""
        rng, h = self.rng, hazard
        at = h.reported_at
        steps = [("report", "", S.REPORTED, at, h.reported_by, "")]
        hours = lambda low, high: datetime.timedelta(hours=rng.uniform(low, high))  # noqa: E731
        fate = rng.random()
        if fate < 0.04:
            steps.append(
                (
                    "dismiss",
                    S.REPORTED,
                    S.DISMISSED,
                    at + hours(2, 72),
                    people["officer"],
                    "重复上报",
                )
            )
        else:
            allowed = settings.HAZARD_DEFAULT_DEADLINE_DAYS[h.level]
            assigned = at + hours(1, 72)
            submitted = assigned + hours(12, allowed * 24 * 1.2)  # a few are late
            steps += [
                ("assign", S.REPORTED, S.RECTIFYING, assigned, people["officer"], ""),
                (
                    "submit_rectification",
                    S.RECTIFYING,
                    S.VERIFYING,
                    submitted,
                    people["principal"],
                    "",
                ),
            ]
            if rng.random() < 0.1:
                rejected = submitted + hours(12, 72)
                steps += [
                    (
                        "reject_rectification",
                        S.VERIFYING,
                        S.RECTIFYING,
                        rejected,
                        self.bureau,
                        "整改不到位",
                    ),
                    (
                        "submit_rectification",
                        S.RECTIFYING,
                        S.VERIFYING,
                        rejected + hours(24, 120),
                        people["principal"],
                        "",
                    ),
                ]
            steps.append(
                ("close", S.VERIFYING, S.CLOSED, steps[-1][3] + hours(4, 120), self.bureau, "")
            )
            if fate > 0.97:  # stuck on the way: the long-open (and overdue) ones
                steps = steps[: rng.randrange(1, len(steps) - 1)]
        steps = [step for step in steps if step[3] <= self.now]
        h.status = steps[-1][2]
        for action, _old, _new, when, actor, comment in steps:
            self._apply(h, action, when, actor, comment, people)
        return steps

    def _apply(self, h, action, when, actor, comment, people):
        if action == "assign":
            h.responsible, h.measures = people["principal"], "落实专人限期整改。"
            h.deadline = timezone.localdate(when) + datetime.timedelta(
                days=settings.HAZARD_DEFAULT_DEADLINE_DAYS[h.level]
            )
            if h.level == H.Level.MAJOR:
                h.funding_yuan, h.contingency_plan = Decimal(50000), "设置警戒区，专人值守。"
                h.supervising_leader = self.leaders[h.school_id]
        elif action == "submit_rectification":
            h.submitted_by, h.rectification_note = actor, "已整改完毕，附整改照片。"
        elif action == "close":
            h.closed_at, h.closed_by = when, actor
        elif action == "dismiss":
            h.dismiss_reason = comment

    def _answers(self, inspections, plans):
        """Every applicable item of each answered inspection: the failed ones point at their
        hazard, the rest pass (a few not applicable)."""
        failed = {
            (i.pk, item.pk): p["hazard"] for p in plans if p["item"] for i, item in [p["item"]]
        }
        rows = []
        for answered in inspections.values():
            for inspection in answered:
                school = inspection.school
                for item in self._applicable(school):
                    hazard = failed.get((inspection.pk, item.pk))
                    result = "fail" if hazard else ("na" if self.rng.random() < 0.05 else "pass")
                    rows.append(
                        InspectionAnswer(
                            inspection=inspection,
                            item=item,
                            result=result,
                            hazard=hazard,
                            department=hazard.department if hazard else None,
                            answered_by=inspection.leader,
                        )
                    )
        InspectionAnswer.objects.bulk_create(rows, batch_size=BATCH)
