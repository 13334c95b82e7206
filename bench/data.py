"""The benchmark's synthetic region, written with set-based SQL on PostgreSQL.

N schools with M hazards each and their event chains, inspections with checklist answers,
drills, education activities, counselling sessions, and rows of the newer apps (risk points
and assessments, key-period check-ins and patrols, emergency plans and incidents), one user
per school role, a cadre per five schools and a leader per ten.

Schools and people go through ``bulk_create`` (thousands of rows); everything else is one
``INSERT … SELECT`` over ``generate_series`` per table, its randomness a hash of the row
number and the seed (``hashint8extended``), so the same seed and ``now`` give the same data
and 1M hazards with 4M events take a few minutes. Secondary indexes of the big tables are
dropped during the load and created again after it (``_without_indexes``), and foreign-key
triggers are off for the load's session (``session_replication_role``); every reference is
written from rows just inserted, so the data stay valid as the services leave it: a hazard's
status is the end of its event chain (report → assign → submit [→ reject → submit] → close,
or report → dismiss, a few stuck on the way), an assigned hazard has a responsible person
and a deadline, a closed one ``closed_at``/``closed_by`` by someone other than the submitter,
a failed checklist answer points at the hazard it raised, and no time lies after ``now``.
"""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User
from hazards.models import Hazard
from inspections.checklist_data import load_standard_checklist
from inspections.models import Checklist, ChecklistItem, ChecklistSection
from risks.methods import matrix_grade
from schools.models import Department, School, SchoolAssignment, Term

CODE_PREFIX = "BENCH"  # school codes; users are "bench_…"
FIRST_DAY = datetime.date(2024, 1, 1)  # records start here and run to ``now``
R, S = User.Role, Hazard.Status

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
INSPECTION_KINDS = {"self": 50, "joint": 20, "cross": 15, "spot": 15}
TITLES = {
    "fire": ["灭火器过期未更换", "消防通道堆放杂物", "应急照明灯损坏", "疏散指示标志缺失",
             "消火栓水压不足"],
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
}  # fmt: skip
LOCATIONS = ["教学楼一层", "教学楼三层东侧", "学生宿舍2号楼", "食堂后厨", "操场北侧", "校门口",
             "实验楼二层", "锅炉房", "图书馆", "围墙西侧"]  # fmt: skip
DEPARTMENTS = [
    ("公安局", Department.Kind.POLICE),
    ("消防救援大队", Department.Kind.FIRE),
    ("市场监督管理局", Department.Kind.MARKET),
    ("卫生健康委员会", Department.Kind.HEALTH),
]
SCHOOL_PEOPLE = [("officer", R.SCHOOL_OFFICER), ("principal", R.PRINCIPAL), ("teacher", R.TEACHER)]
# The tables written in bulk: their secondary indexes are rebuilt after the load.
BULK_TABLES = [
    "inspections_inspection", "inspections_inspectionanswer", "drills_drill",
    "education_educationactivity", "education_counsellingsession", "hazards_hazard",
    "hazards_hazardevent", "hazards_historicalhazard", "schools_student", "supervision_checkin",
]  # fmt: skip


@dataclass(frozen=True)
class Size:
    """How much to write: per school, except ``schools``."""

    schools: int
    hazards_per_school: int
    inspections_per_school: int = 4
    drills_per_school: int = 8
    activities_per_school: int = 20
    counselling_per_school: int = 8
    risk_points_per_school: int = 5
    students_per_class: int = 20  # two classes a school, for the key-period check-ins
    incidents_every: int = 10  # one incident per this many schools


@dataclass
class Handles:
    """What the measurements need from a built dataset: the personas and sample rows."""

    bureau: User  # bureau staff, all schools
    officer: User  # safety officer of the first school
    api_user: User  # report client (read-only, all schools)
    token: str  # the API user's token key
    school_id: int  # the first school
    hazard_id: int  # a closed hazard of the first school with the longest timeline
    verifying_id: int  # a hazard waiting for verification (the transitions' subject)
    principal: User  # the principal of its school (submits rectifications)


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
    mine = Hazard.objects.filter(school_id=school_id)
    hazard = mine.filter(status=S.CLOSED).annotate(n=Count("events")).order_by("-n", "id")[0]
    verifying = Hazard.objects.filter(status=S.VERIFYING, school__code__startswith=CODE_PREFIX)
    verifying = verifying.order_by("id").first()
    api_user = User.objects.get(username=username("api"))
    return Handles(
        bureau=User.objects.get(username=username("bureau")),
        officer=officer,
        api_user=api_user,
        token=AuthToken.objects.create(user=api_user)[1],
        school_id=school_id,
        hazard_id=hazard.pk,
        verifying_id=verifying.pk,
        principal=User.objects.get(schools=verifying.school_id, role=R.PRINCIPAL),
    )


def build_dataset(size: Size, *, seed=2024, now=None, progress=None) -> Handles:
    """Write the dataset into the current (PostgreSQL) database; returns its ``Handles``.

    ``now``: aware datetime, the end of the record period (default: now); records span
    ``FIRST_DAY`` to ``now``. ``progress``: called with a message per step. Expects a
    database without benchmark data (usernames and school codes are fixed).
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("the benchmark's generator writes PostgreSQL SQL")
    now = now or timezone.now()
    say = progress or (lambda _msg: None)
    with transaction.atomic(), connection.cursor() as cursor:
        _people_and_schools(size.schools)
        say("schools and people")
        steps = _Sql(size, seed, now)
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        with _without_indexes(cursor, BULK_TABLES):
            for name, statements in steps.all():
                for statement in statements:
                    cursor.execute(statement, steps.params)
                say(name)
            say("indexes")
        for table in steps.temporary:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return handles()


class _without_indexes:
    """Drop the secondary indexes (not those of constraints) of ``tables`` and create them
    again on exit; a bulk load then builds each index once instead of row by row."""

    def __init__(self, cursor, tables):
        self.cursor, self.tables = cursor, tables

    def __enter__(self):
        self.cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
               WHERE t.relname = ANY(%s) AND NOT EXISTS (
                   SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [self.tables],
        )
        self.indexes = self.cursor.fetchall()
        for name, _definition in self.indexes:
            self.cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in self.indexes:
                self.cursor.execute(definition)
        return False


def _people_and_schools(count):
    password = make_password(None)  # unusable: the benchmark signs in with force_login

    def user(kind, role, n=None, **fields):
        name = username(kind, n)
        return User(username=name, name=f"{kind}{n or ''}", role=role, password=password,
                    email=f"{name}@bench.invalid", **fields)  # fmt: skip

    departments = [
        Department.objects.get_or_create(name=f"基准{name}", defaults={"kind": kind})[0]
        for name, kind in DEPARTMENTS
    ]
    schools = School.objects.bulk_create([_school(n) for n in range(1, count + 1)])
    people = [
        user("bureau", R.BUREAU_STAFF, scope_all_schools=True),
        user("api", R.REPORT_CLIENT, scope_all_schools=True),
        *[user("cadre", R.BUREAU_STAFF, n, scope_all_schools=True)
          for n in range(1, math.ceil(count / 5) + 1)],
        *[user("leader", R.BUREAU_STAFF, n, scope_all_schools=True)
          for n in range(1, math.ceil(count / 10) + 1)],
        *[user("inspector", R.INSPECTOR, n, scope_all_schools=True, department=d)
          for n, d in enumerate(departments, 1)],
        *[user(kind, role, n) for n in range(1, count + 1) for kind, role in SCHOOL_PEOPLE],
    ]  # fmt: skip
    User.objects.bulk_create(people, batch_size=5000)
    ids = dict(User.objects.filter(username__startswith="bench_").values_list("username", "pk"))
    through = User.schools.through
    through.objects.bulk_create(
        [
            through(user_id=ids[username(kind, n)], school_id=school.pk)
            for n, school in enumerate(schools, 1)
            for kind, _role in SCHOOL_PEOPLE
        ],
        batch_size=5000,
    )
    SchoolAssignment.objects.bulk_create(
        [
            SchoolAssignment(
                school_id=school.pk,
                user_id=ids[username(kind, n // every + 1)],
                kind=assignment,
                start_date=FIRST_DAY,
            )  # fmt: skip
            for kind, assignment, every in (
                ("cadre", SchoolAssignment.Kind.CADRE, 5),
                ("leader", SchoolAssignment.Kind.LEADER, 10),
            )
            for n, school in enumerate(schools)
        ],
        batch_size=5000,
    )
    for year in range(FIRST_DAY.year - 1, timezone.localdate().year + 1):
        for kind, start, end in (
            (Term.Kind.AUTUMN, datetime.date(year, 9, 1), datetime.date(year + 1, 1, 17)),
            (Term.Kind.SPRING, datetime.date(year + 1, 2, 17), datetime.date(year + 1, 7, 10)),
        ):
            Term.objects.get_or_create(
                school=None, school_year=year, kind=kind,
                defaults={"start_date": start, "end_date": end},
            )  # fmt: skip
    if not Checklist.objects.filter(is_published=True).exists():
        load_standard_checklist(Checklist, ChecklistSection, ChecklistItem)


def _school(n):
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


def _weighted(expression, weights):
    """A SQL CASE picking a key of ``weights`` for a uniform [0, 1) ``expression``."""
    total, running, branches = sum(weights.values()), 0, []
    for key, weight in list(weights.items())[:-1]:
        running += weight
        branches.append(f"WHEN {expression} < {running / total!r} THEN '{key}'")
    return f"CASE {' '.join(branches)} ELSE '{list(weights)[-1]}' END"


def _array(values):
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


class _Sql:
    """The load, as (step name, [SQL]) in order; ``params`` are the statements' parameters.

    ``r(n, salt)`` is a uniform number in [0, 1) from a row number and a salt (the seed is
    folded into the salt), so a row's values do not depend on the order rows are written.
    """

    def __init__(self, size: Size, seed: int, now: datetime.datetime):
        today = timezone.localdate(now)
        self.size, self.seed = size, seed
        checklist = Checklist.objects.filter(is_published=True).order_by("-version").first()
        self.params = {
            "now": now,
            "today": today,
            "first": FIRST_DAY,
            "days": (today - FIRST_DAY).days,
            "schools": size.schools,
            "checklist": checklist.pk,
            "bureau": User.objects.get(username=username("bureau")).pk,
            "tz": settings.TIME_ZONE,
            "general_days": settings.HAZARD_DEFAULT_DEADLINE_DAYS["general"],
            "major_days": settings.HAZARD_DEFAULT_DEADLINE_DAYS["major"],
        }
        self.items = [
            (school_type, boarding, item.pk, item.category, item.is_major)
            for school_type, boarding in set(SCHOOL_TYPES)
            for item in ChecklistItem.objects.filter(checklist=checklist)
            .applicable_to(School(school_type=school_type, is_boarding=boarding))
            .order_by("pk")
        ]
        self.departments = list(
            Department.objects.filter(name__startswith="基准")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.temporary = ["bench_school", "bench_items", "bench_insp", "bench_drill",
                          "bench_h0", "bench_h"]  # fmt: skip

    def r(self, n, salt):
        return f"bench_r(({n})::bigint, {self.seed * 1000 + salt})"

    def day(self, n, salt, span="%(days)s"):
        """A random date from FIRST_DAY, at most ``span`` days later."""
        return f"(%(first)s::date + floor({self.r(n, salt)} * ({span} + 1))::int)"

    def at(self, day, n, salt, earliest=8):
        """An aware time on ``day`` between ``earliest`` and 18 o'clock Beijing, not after now."""
        minutes = f"({earliest * 60} + floor({self.r(n, salt)} * {(18 - earliest) * 60}))"
        return (
            f"least(({day} + {minutes} * interval '1 minute') AT TIME ZONE %(tz)s, "
            f"%(now)s - interval '1 minute')"
        )

    def all(self):
        return [
            ("helpers", self.helpers()),
            ("inspections", self.inspections()),
            ("drills", self.drills()),
            ("education", self.education()),
            ("hazards planned", self.hazard_plan()),
            ("hazards", self.hazards()),
            ("hazard events", self.events()),
            ("hazard history", self.history()),
            ("checklist answers", self.answers()),
            ("risks", self.risks()),
            ("key-period supervision", self.supervision()),
            ("plans and incidents", self.plans_and_incidents()),
        ]

    def helpers(self):
        items = ", ".join(
            f"('{t}', {str(b).lower()}, {pk}, '{cat}', {str(major).lower()})"
            for t, b, pk, cat, major in self.items
        )
        return [
            """CREATE OR REPLACE FUNCTION bench_r(n bigint, salt bigint) RETURNS float8
               LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
               $$ SELECT (hashint8extended(n, salt) & 2147483647)::float8 / 2147483648 $$""",
            """CREATE UNLOGGED TABLE bench_school AS
               SELECT k, s.id AS school_id, s.school_type, s.is_boarding, s.student_count,
                      s.staff_count, o.id AS officer, p.id AS principal, t.id AS teacher,
                      c.id AS cadre, l.id AS leader
               FROM generate_series(1, %(schools)s) k
               JOIN schools_school s ON s.code = 'BENCH' || lpad(k::text, 5, '0')
               JOIN accounts_user o ON o.username = 'bench_officer' || lpad(k::text, 4, '0')
               JOIN accounts_user p ON p.username = 'bench_principal' || lpad(k::text, 4, '0')
               JOIN accounts_user t ON t.username = 'bench_teacher' || lpad(k::text, 4, '0')
               JOIN accounts_user c
                 ON c.username = 'bench_cadre' || lpad(((k - 1) / 5 + 1)::text, 4, '0')
               JOIN accounts_user l
                 ON l.username = 'bench_leader' || lpad(((k - 1) / 10 + 1)::text, 4, '0')""",
            "CREATE UNIQUE INDEX ON bench_school (k)",
            # Cross inspections: each school is inspected by the next one (the last by the first).
            """ALTER TABLE bench_school ADD COLUMN next_school bigint,
                  ADD COLUMN next_officer bigint""",
            """UPDATE bench_school b SET next_school = x.school_id, next_officer = x.officer
               FROM bench_school x WHERE x.k = b.k %% %(schools)s + 1""",
            f"""CREATE UNLOGGED TABLE bench_items AS
                SELECT *, row_number() OVER (PARTITION BY school_type, boarding ORDER BY item_id)
                          AS rn,
                          count(*) OVER (PARTITION BY school_type, boarding) AS n_items
                FROM (VALUES {items}) v(school_type, boarding, item_id, category, is_major)""",
        ]

    def inspections(self):
        i, n = (
            self.size.inspections_per_school,
            "(b.k - 1) * %s + j" % self.size.inspections_per_school,
        )
        kind = _weighted(self.r(n, 11), INSPECTION_KINDS)
        day = self.day(n, 12, "%(days)s + 60")
        status = _weighted(self.r(n, 13), {"reviewed": 70, "submitted": 26, "planned": 2,
                                            "in_progress": 2})  # fmt: skip
        depts = _array(self.departments) + "::bigint[]"
        return [
            f"""CREATE UNLOGGED TABLE bench_insp AS
                SELECT b.*, j, {n} AS n, kind, day,
                       CASE WHEN day > %(today)s THEN 'planned' ELSE {status} END AS status
                FROM bench_school b, generate_series(1, {i}) j,
                     LATERAL (SELECT {kind} AS kind, {day} AS day) x""",
            """ALTER TABLE bench_insp ADD COLUMN id bigint, ADD COLUMN submitted_at timestamptz,
                ADD COLUMN insp_leader bigint""",
            f"""UPDATE bench_insp SET
                  id = nextval(pg_get_serial_sequence('inspections_inspection', 'id')),
                  submitted_at = CASE WHEN status IN ('submitted', 'reviewed')
                                 THEN {self.at("day", "n", 14, earliest=16)} END,
                  insp_leader = CASE kind WHEN 'joint' THEN cadre WHEN 'spot' THEN leader
                           WHEN 'cross' THEN next_officer ELSE officer END""",
            """INSERT INTO inspections_inspection (id, kind, subject, title, date, status,
                   summary, inspecting_school_id, leader_id, school_id, review_comment,
                   reviewed_by_id, submitted_at, checklist_id, modified)
               SELECT id, kind, 'campus', extract(year FROM day) || '年检查', day, status,
                      CASE WHEN submitted_at IS NULL THEN ''
                           ELSE '检查发现问题已反馈学校限期整改。' END,
                      CASE WHEN kind = 'cross' AND next_school <> school_id THEN next_school END,
                      insp_leader, school_id, '',
                      CASE WHEN status = 'reviewed' THEN %(bureau)s END, submitted_at,
                      %(checklist)s, coalesce(submitted_at, %(now)s)
               FROM bench_insp ORDER BY id""",
            f"""INSERT INTO inspections_inspection_departments (inspection_id, department_id)
                SELECT id, ({depts})[1 + (n + d) %% {len(self.departments)}]
                FROM bench_insp, generate_series(0, 1) d WHERE kind = 'joint'""",
            """CREATE INDEX ON bench_insp (school_id, kind)""",
        ]

    def drills(self):
        n = f"(b.k - 1) * {self.size.drills_per_school} + j"
        kind = _array(["fire", "earthquake", "anti_terror", "crowd", "night_dorm", "drowning"])
        return [
            f"""CREATE UNLOGGED TABLE bench_drill AS
                SELECT nextval(pg_get_serial_sequence('drills_drill', 'id')) AS id, b.k,
                       b.school_id, b.officer, b.student_count, b.staff_count, {n} AS n,
                       {self.day(n, 21)} AS day,
                       row_number() OVER (PARTITION BY b.k ORDER BY j) AS rn
                FROM bench_school b, generate_series(1, {self.size.drills_per_school}) j""",
            f"""INSERT INTO drills_drill (id, drill_type, mode, date, student_participants,
                    staff_participants, evacuation_seconds, notes, recorded_by_id, school_id,
                    building, commander, completed_at, headcount_note, improvements,
                    injured_count, missing_count, outside_support, plan_revision_needed,
                    rating_adequacy, rating_plan_fit, rating_proficiency, rating_safety,
                    rating_staff, rating_supplies, signal_at, style, target_seconds, teams,
                    title, modified)
                SELECT id, ({kind})[1 + floor({self.r("n", 22)} * 6)::int], 'announced', day,
                       student_count, staff_count, evac, '演练有序，疏散及时。', officer,
                       school_id, '', '', signal + evac * interval '1 second',
                       '', '', 0, 0, '', false, 'complete', 'full', 'skilled', 'safe', 'prompt',
                       'ready', signal, 'live', 180, '', '应急疏散演练', signal
                FROM (SELECT *, least((day + time '10:00') AT TIME ZONE %(tz)s,
                                      %(now)s - interval '10 minutes') AS signal,
                             90 + floor({self.r("n", 23)} * 210)::int AS evac
                      FROM bench_drill) d""",
            "CREATE INDEX ON bench_drill (k, rn)",
        ]

    def education(self):
        a, c = self.size.activities_per_school, self.size.counselling_per_school
        n = "(b.k - 1) * 100 + j"
        kinds = _array(["class_meeting", "flag_speech", "thematic", "lecture", "parent_letter"])
        topics = _array(["drowning", "traffic", "fire", "earthquake", "food", "bullying"])
        return [
            f"""INSERT INTO education_educationactivity (kind, topic, title, date, participants,
                    recorded_by_id, school_id, modified)
                SELECT ({kinds})[1 + floor({self.r(n, 31)} * 5)::int],
                       ({topics})[1 + floor({self.r(n, 32)} * 6)::int], '安全教育',
                       {self.day(n, 33)}, 30 + floor({self.r(n, 34)} * 470)::int, teacher,
                       school_id, %(now)s
                FROM bench_school b, generate_series(1, {a}) j""",
            f"""INSERT INTO education_counsellingsession (kind, date, student_code, participants,
                    notes, school_id)
                SELECT CASE WHEN {self.r(n, 35)} < 0.7 THEN 'individual' ELSE 'group' END,
                       {self.day(n, 36)}, 'S' || lpad(j::text, 4, '0'),
                       CASE WHEN {self.r(n, 35)} < 0.7 THEN 1 ELSE 20 END, '', school_id
                FROM bench_school b, generate_series(1, {c}) j
                WHERE b.school_type NOT LIKE '1%%'""",
        ]

    def hazard_plan(self):
        """bench_h: one row per hazard with its final fields and the times of its chain."""
        m = self.size.hazards_per_school
        n = f"((b.k - 1)::bigint * {m} + j)"
        categories = list(TITLES)
        source = _weighted(self.r(n, 41), SOURCES)
        category = f"({_array(categories)})[1 + floor({self.r(n, 42)} * {len(categories)})::int]"
        day = self.day(n, 44)
        insp_kind = (
            "CASE source WHEN 'self_inspection' THEN 'self' WHEN 'joint_inspection' "
            "THEN 'joint' WHEN 'cross_inspection' THEN 'cross' END"
        )
        return [
            f"""CREATE UNLOGGED TABLE bench_h0 AS
                SELECT b.k, b.school_id, b.officer, b.principal, b.teacher, b.leader,
                       b.school_type, b.is_boarding, {n} AS n, x.source, {category} AS category,
                       CASE WHEN {self.r(n, 43)} < 0.03 THEN 'major' ELSE 'general' END AS level,
                       {self.at(day, n, 45)} AS reported_at,
                       CASE WHEN {self.r(n, 46)} < 0.5 THEN b.teacher ELSE b.officer END
                         AS reported_by,
                       {insp_kind.replace("source", "x.source")} AS insp_kind
                FROM bench_school b, generate_series(1, {m}) j,
                     LATERAL (SELECT {source} AS source) x""",
            # The inspection (a done one of the school, of the source's kind) and the drill.
            f"""CREATE UNLOGGED TABLE bench_h1 AS
                SELECT h.*, i.id AS inspection_id, i.submitted_at AS insp_at,
                       i.insp_leader AS insp_by,
                       d.id AS drill_id, d.day AS drill_day,
                       CASE WHEN i.id IS NOT NULL THEN row_number() OVER (
                           PARTITION BY i.id ORDER BY h.n) END AS hr,
                       CASE WHEN i.id IS NOT NULL
                            THEN floor(bench_r(i.id, {self.seed}) * 1000)::bigint
                       END AS offset_
                FROM bench_h0 h
                LEFT JOIN LATERAL (
                    SELECT id, submitted_at, insp_leader FROM bench_insp i
                    WHERE i.school_id = h.school_id AND i.kind = h.insp_kind
                      AND i.submitted_at IS NOT NULL
                    ORDER BY bench_r(i.n + h.n * 100, {self.seed}) LIMIT 1) i ON true
                LEFT JOIN bench_drill d ON h.source = 'drill' AND d.k = h.k
                     AND d.rn = 1 + floor({self.r("h.n", 48)} * {self.size.drills_per_school})""",
            # A failed item for each inspection finding (distinct within the inspection);
            # findings beyond the checklist, or without a done inspection, become patrols.
            f"""CREATE UNLOGGED TABLE bench_h2 AS
                SELECT h.n, h.k, h.school_id, h.officer, h.principal, h.teacher, h.leader,
                       CASE WHEN it.item_id IS NULL AND h.insp_kind IS NOT NULL THEN 'patrol'
                            ELSE h.source END AS source,
                       coalesce(it.category, h.category) AS category,
                       CASE WHEN it.item_id IS NULL THEN h.level
                            WHEN it.is_major THEN 'major' ELSE 'general' END AS level,
                       CASE WHEN it.item_id IS NOT NULL THEN h.insp_at
                            WHEN h.drill_id IS NOT NULL THEN {self.at("h.drill_day", "h.n", 49)}
                            ELSE h.reported_at END AS reported_at,
                       CASE WHEN it.item_id IS NOT NULL THEN h.insp_by ELSE h.reported_by END
                         AS reported_by,
                       CASE WHEN it.item_id IS NOT NULL THEN h.inspection_id END AS inspection_id,
                       it.item_id,
                       CASE WHEN h.source = 'drill' THEN h.drill_id END AS drill_id
                FROM bench_h1 h
                LEFT JOIN bench_items it ON h.inspection_id IS NOT NULL
                     AND it.school_type = h.school_type AND it.boarding = h.is_boarding
                     AND h.hr <= it.n_items
                     AND it.rn = 1 + ((h.hr - 1 + h.offset_) %% it.n_items)""",
            "DROP TABLE bench_h0, bench_h1",
            # The chain: kind d (report, dismiss), n (report, assign, submit, close) or r
            # (…, submit, reject, submit, close); a few stop early; none after now.
            f"""CREATE UNLOGGED TABLE bench_h3 AS
                SELECT h.*, c.kind, c.t1, c.t2, c.t3, c.t4, c.t5, c.t6,
                       CASE c.kind WHEN 'd' THEN 2 WHEN 'n' THEN 4 ELSE 6 END AS chain,
                       CASE WHEN h.n = 1 THEN 3  -- one waits for verification, always
                            WHEN {self.r("h.n", 51)} > 0.97 AND c.kind <> 'd'
                            THEN 1 + floor({self.r("h.n", 52)}
                                 * CASE c.kind WHEN 'n' THEN 2 ELSE 4 END)::int
                            ELSE 6 END AS stop
                FROM bench_h2 h, LATERAL (
                    SELECT CASE WHEN h.n = 1 THEN 'n' WHEN {self.r("h.n", 50)} < 0.04 THEN 'd'
                                WHEN {self.r("h.n", 53)} < 0.1 THEN 'r' ELSE 'n' END AS kind,
                           h.reported_at AS t1) k0,
                LATERAL (SELECT k0.kind, k0.t1,
                        k0.t1 + interval '1 hour' * CASE WHEN k0.kind = 'd'
                            THEN 2 + {self.r("h.n", 54)} * 70 ELSE 1 + {self.r("h.n", 55)} * 71 END
                          AS t2) k1,
                LATERAL (SELECT k1.*, k1.t2 + interval '1 hour' * (12 + {self.r("h.n", 56)}
                          * (CASE h.level WHEN 'major' THEN %(major_days)s
                             ELSE %(general_days)s END * 24 * 1.2 - 12)) AS t3) k2,
                LATERAL (SELECT k2.*, k2.t3 + interval '1 hour' * CASE WHEN k2.kind = 'r'
                            THEN 12 + {self.r("h.n", 57)} * 60 ELSE 4 + {self.r("h.n", 58)} * 116
                          END AS t4) k3,
                LATERAL (SELECT k3.*, k3.t4 + interval '1 hour' * (24 + {self.r("h.n", 59)} * 96)
                          AS t5) k4,
                LATERAL (SELECT k4.*, k4.t5 + interval '1 hour' * (4 + {self.r("h.n", 60)} * 116)
                          AS t6) c""",
            "DROP TABLE bench_h2",
            f"""CREATE UNLOGGED TABLE bench_h AS
               SELECT h.*, nextval(pg_get_serial_sequence('hazards_hazard', 'id')) AS id,
                      least(h.chain, h.stop,
                            (h.t1 <= %(now)s)::int + (h.t2 <= %(now)s)::int
                            + (h.t3 <= %(now)s)::int + (h.t4 <= %(now)s)::int
                            + (h.t5 <= %(now)s)::int + (h.t6 <= %(now)s)::int) AS steps,
                      h.source = 'snapshot' AND {self.r("h.n", 64)} < 0.5 AS anonymous
               FROM bench_h3 h ORDER BY h.n""",
            "DROP TABLE bench_h3",
        ]

    def hazards(self):
        titles = ", ".join(f"('{cat}', {_array(t)})" for cat, t in TITLES.items())
        return [
            f"""INSERT INTO hazards_hazard (id, school_id, title, description, location, category,
                    level, source, status, inspection_id, department_id, drill_id,
                    reported_by_id, reported_at, responsible_id, measures, deadline,
                    funding_yuan, contingency_plan, rectification_note, submitted_by_id,
                    closed_at, closed_by_id, dismiss_reason, supervising_leader_id,
                    tracking_code, reporter_contact, updated_at)
                SELECT h.id, h.school_id,
                       t.titles[1 + floor({self.r("h.n", 61)} * array_length(t.titles, 1))::int],
                       '现场检查发现，需限期整改。',
                       ({_array(LOCATIONS)})[1 + floor({self.r("h.n", 62)} * 10)::int],
                       h.category, h.level, h.source, x.status, h.inspection_id,
                       CASE WHEN h.source = 'joint_inspection' AND {self.r("h.n", 63)} < 0.5
                            THEN ({_array(self.departments)}::bigint[])[
                                 1 + h.n %% {len(self.departments)}] END,
                       h.drill_id,
                       CASE WHEN h.anonymous THEN NULL ELSE h.reported_by END, h.reported_at,
                       CASE WHEN x.assigned THEN h.principal END,
                       CASE WHEN x.assigned THEN '落实专人限期整改。' ELSE '' END,
                       CASE WHEN x.assigned THEN (h.t2 AT TIME ZONE %(tz)s)::date
                            + CASE h.level WHEN 'major' THEN %(major_days)s
                              ELSE %(general_days)s END END,
                       CASE WHEN x.assigned AND h.level = 'major' THEN 50000 END,
                       CASE WHEN x.assigned AND h.level = 'major' THEN '设置警戒区，专人值守。'
                            ELSE '' END,
                       CASE WHEN x.submitted THEN '已整改完毕，附整改照片。' ELSE '' END,
                       CASE WHEN x.submitted THEN h.principal END,
                       CASE WHEN x.status = 'closed' THEN x.last_at END,
                       CASE WHEN x.status = 'closed' THEN %(bureau)s END,
                       CASE WHEN x.status = 'dismissed' THEN '重复上报' ELSE '' END,
                       CASE WHEN x.assigned AND h.level = 'major' THEN h.leader END,
                       CASE WHEN h.anonymous THEN 'BN' || lpad(h.n::text, 10, '0') END,
                       '', x.last_at
                FROM bench_h h JOIN (VALUES {titles}) t(category, titles) USING (category),
                LATERAL (SELECT
                    CASE WHEN h.kind = 'd' THEN (ARRAY['reported', 'dismissed'])[h.steps]
                         WHEN h.kind = 'n' THEN (ARRAY['reported', 'rectifying', 'verifying',
                              'closed'])[h.steps]
                         ELSE (ARRAY['reported', 'rectifying', 'verifying', 'rectifying',
                              'verifying', 'closed'])[h.steps] END AS status,
                    h.kind <> 'd' AND h.steps >= 2 AS assigned,
                    h.kind <> 'd' AND h.steps >= 3 AS submitted,
                    (ARRAY[h.t1, h.t2, h.t3, h.t4, h.t5, h.t6])[h.steps] AS last_at) x
                ORDER BY h.id""",
        ]

    def events(self):
        return [
            """INSERT INTO hazards_hazardevent (hazard_id, action, from_status, to_status,
                   actor_id, comment, created_at, notified_at)
               SELECT h.id, s.action, s.from_status, s.to_status, s.actor, s.comment, s.at, s.at
               FROM bench_h h CROSS JOIN LATERAL (VALUES
                 (1, 'report', '', 'reported', CASE WHEN h.anonymous THEN NULL
                     ELSE h.reported_by END, '', h.t1),
                 (2, CASE h.kind WHEN 'd' THEN 'dismiss' ELSE 'assign' END, 'reported',
                     CASE h.kind WHEN 'd' THEN 'dismissed' ELSE 'rectifying' END, h.officer,
                     CASE h.kind WHEN 'd' THEN '重复上报' ELSE '' END, h.t2),
                 (3, 'submit_rectification', 'rectifying', 'verifying', h.principal, '', h.t3),
                 (4, CASE h.kind WHEN 'r' THEN 'reject_rectification' ELSE 'close' END,
                     'verifying', CASE h.kind WHEN 'r' THEN 'rectifying' ELSE 'closed' END,
                     %(bureau)s, CASE h.kind WHEN 'r' THEN '整改不到位' ELSE '' END, h.t4),
                 (5, 'submit_rectification', 'rectifying', 'verifying', h.principal, '', h.t5),
                 (6, 'close', 'verifying', 'closed', %(bureau)s, '', h.t6)
               ) s(step, action, from_status, to_status, actor, comment, at)
               WHERE s.step <= h.steps"""
        ]

    def history(self):
        columns = ("id, title, description, location, category, level, source, status, "
                   "reported_at, measures, deadline, funding_yuan, contingency_plan, "
                   "rectification_note, closed_at, dismiss_reason, updated_at, closed_by_id, "
                   "drill_id, inspection_id, reported_by_id, responsible_id, school_id, "
                   "submitted_by_id, client_id, duplicate_of_id, supervising_leader_id, "
                   "tracking_code, department_id")  # fmt: skip
        return [
            f"""INSERT INTO hazards_historicalhazard ({columns}, history_date, history_type,
                    history_user_id)
                SELECT {columns}, updated_at, '+', reported_by_id FROM hazards_hazard
                WHERE id >= (SELECT min(id) FROM bench_h) ORDER BY id"""
        ]

    def answers(self):
        return [
            f"""INSERT INTO inspections_inspectionanswer (result, note, answered_at,
                    answered_by_id, hazard_id, inspection_id, item_id, department_id)
                SELECT CASE WHEN h.id IS NOT NULL THEN 'fail'
                            WHEN {self.r("i.id * 1000 + it.item_id", 71)} < 0.05 THEN 'na'
                            ELSE 'pass' END,
                       '', i.submitted_at, i.insp_leader, h.id, i.id, it.item_id, hz.department_id
                FROM bench_insp i
                JOIN bench_items it ON it.school_type = i.school_type
                     AND it.boarding = i.is_boarding
                LEFT JOIN bench_h h ON h.inspection_id = i.id AND h.item_id = it.item_id
                LEFT JOIN hazards_hazard hz ON hz.id = h.id
                WHERE i.submitted_at IS NOT NULL"""
        ]

    def risks(self):
        p = self.size.risk_points_per_school
        n = f"((b.k - 1) * {p} + j)"
        grades = ", ".join(
            f"({lk}, {sv}, {score}, '{grade}')"
            for lk in range(1, 6)
            for sv in range(1, 6)
            for score, grade in [matrix_grade(lk, sv)]
        )
        names = _array(["教学楼楼梯", "学生宿舍", "食堂后厨", "配电房", "校门口", "实验室",
                        "锅炉房", "操场", "围墙", "水塘"])  # fmt: skip
        cats = _array(["building", "dormitory", "canteen", "electrical", "surroundings", "lab",
                       "fire", "facilities", "security", "water"])  # fmt: skip
        return [
            f"""CREATE UNLOGGED TABLE bench_risk AS
                SELECT b.k, b.school_id, b.officer, {n} AS n, j,
                       1 + floor({self.r(n, 81)} * 5)::int AS lk,
                       1 + floor({self.r(n, 82)} * 5)::int AS sv,
                       {self.day(n, 83)} AS day,
                       nextval(pg_get_serial_sequence('risks_riskpoint', 'id')) AS id
                FROM bench_school b, generate_series(1, {p}) j""",
            f"""INSERT INTO risks_riskpoint (id, name, kind, category, hazard_types,
                    control_measures, control_level, owner_name, grade, score, review_due,
                    is_active, created_on, owner_id, school_id)
                SELECT r.id, ({names})[1 + (j - 1) %% 10] || CASE WHEN j > 10 THEN j::text
                       ELSE '' END, 'place', ({cats})[1 + (j - 1) %% 10], '',
                       '定期巡查，专人负责。', 'school', '', g.grade, g.score,
                       r.day + 365, true, r.day, r.officer, r.school_id
                FROM bench_risk r JOIN (VALUES {grades}) g(lk, sv, score, grade) USING (lk, sv)""",
            f"""INSERT INTO risks_riskassessment (method, likelihood, severity, score, grade,
                    reason, note, assessed_on, assessed_by_id, point_id)
                SELECT 'matrix', r.lk, r.sv, g.score, g.grade, 'initial', '', r.day, r.officer,
                       r.id
                FROM bench_risk r JOIN (VALUES {grades}) g(lk, sv, score, grade) USING (lk, sv)""",
            "DROP TABLE bench_risk",
        ]

    def supervision(self):
        """Two classes a school, their students, today's homeward roll with most of them
        arrived, a gate point, a break slot and today's patrol of it."""
        per = self.size.students_per_class
        at = "least((%(today)s + time '17:30') AT TIME ZONE %(tz)s, %(now)s)"
        return [
            """INSERT INTO schools_schoolclass (grade, name, is_boarding, is_active,
                   homeroom_teacher_id, school_id)
               SELECT 3, '基准班' || c, false, true, teacher, school_id
               FROM bench_school, generate_series(1, 2) c""",
            f"""INSERT INTO schools_student (name, student_number, is_boarding, guardian_name,
                    guardian_phone, is_active, school_id, school_class_id)
                SELECT '学生' || s, 'SV' || c.id || '-' || s, false, '', '10000000000', true,
                       c.school_id, c.id
                FROM schools_schoolclass c JOIN bench_school b USING (school_id),
                     generate_series(1, {per}) s
                WHERE c.name LIKE '基准班%%'""",
            """INSERT INTO supervision_belltime (school_id, kind, start)
               SELECT school_id, 'dismissal', time '17:00' FROM bench_school""",
            f"""INSERT INTO supervision_roll (date, kind, first_marked_at, teacher_alerted_at,
                    unaccounted_at_cutoff, school_id, school_class_id)
                SELECT %(today)s, 'home', {at}, NULL, NULL, c.school_id, c.id
                FROM schools_schoolclass c JOIN bench_school b USING (school_id)
                WHERE c.name LIKE '基准班%%'""",
            f"""INSERT INTO supervision_checkin (date, kind, status, marked_at, marked_by_id,
                    school_id, student_id, roll_id)
                SELECT %(today)s, 'home', CASE WHEN {self.r("s.id", 91)} < 0.05 THEN 'excused'
                       ELSE 'arrived' END, {at}, c.homeroom_teacher_id, s.school_id, s.id, r.id
                FROM schools_student s JOIN schools_schoolclass c ON c.id = s.school_class_id
                JOIN supervision_roll r ON r.school_class_id = c.id AND r.date = %(today)s
                JOIN bench_school b ON b.school_id = s.school_id
                WHERE {self.r("s.id", 92)} < 0.9""",
            """INSERT INTO supervision_patrolpoint (name, kind, is_key_area, code, is_active,
                   school_id)
               SELECT '校门', 'gate', true, 'bench-' || k, true, school_id FROM bench_school""",
            """INSERT INTO supervision_patrolslot (name, kind, start, "end", weekdays, is_active,
                   patroller_id, school_id)
               SELECT '课间巡查', 'break', time '10:00', time '10:20', '12345', true, teacher,
                      school_id FROM bench_school""",
            """INSERT INTO supervision_patrol (date, status, started_at, finished_at, note,
                   patroller_id, school_id, slot_id)
               SELECT %(today)s, 'done', least((%(today)s + time '10:00') AT TIME ZONE %(tz)s,
                      %(now)s), least((%(today)s + time '10:15') AT TIME ZONE %(tz)s, %(now)s),
                      '', s.patroller_id, s.school_id, s.id
               FROM supervision_patrolslot s JOIN bench_school b USING (school_id)""",
            """INSERT INTO supervision_patrolcheck (method, checked_at, patrol_id, point_id)
               SELECT 'scan', p.finished_at, p.id, pt.id
               FROM supervision_patrol p JOIN bench_school b USING (school_id)
               JOIN supervision_patrolpoint pt ON pt.school_id = p.school_id
                    AND pt.code = 'bench-' || b.k""",
        ]

    def plans_and_incidents(self):
        every = self.size.incidents_every
        kinds = _array(["injury", "traffic", "food", "crowd", "health"])
        return [
            """INSERT INTO drills_emergencyplan (kind, title, owner_id, school_id)
               SELECT 'fire', '消防安全应急预案', officer, school_id FROM bench_school""",
            f"""INSERT INTO drills_incident (occurred_at, place, kind, level, summary,
                    students_involved, staff_involved, injured, deaths, first_measures, status,
                    reported_at, written_report, review_cause, review_measures, review_lessons,
                    review_plan_changes, reported_by_id, school_id)
                SELECT x.at, '操场', ({kinds})[1 + floor({self.r("b.k", 101)} * 5)::int], '4',
                       '学生课间活动摔伤，已送医。', 1, 0, 1, 0, '校医现场处置并通知家长。',
                       CASE WHEN x.at < %(now)s - interval '30 days' THEN 'closed'
                            ELSE 'open' END, x.at + interval '30 minutes', '', '', '', '',
                       false, b.officer, b.school_id
                FROM bench_school b, LATERAL (SELECT {self.at(self.day("b.k", 102), "b.k", 103)}
                                              - interval '1 hour' AS at) x
                WHERE b.k %% {every} = 1""",
            """UPDATE drills_incident SET closed_at = reported_at + interval '7 days'
               WHERE status = 'closed' AND closed_at IS NULL""",
        ]
