"""Demo users for every role, and the leader/cadre assignments (领导联校、干部包校).

Users are upserted by username (ids and API tokens survive a reload); every demo user has
the password ``DEMO_PASSWORD``. Usernames ending in a number N belong to seed school N
(demo/builders/registry.py), e.g. officer1, principal1, teacher1 and counsellor1 work at
杭锦旗实验小学.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from accounts.models import User
from schools.models import SchoolAssignment

from .registry import SAFETY_OFFICE

DEMO_PASSWORD = "demo12345"
R = User.Role
ASSIGNMENT_START = datetime.date(2023, 9, 1)
CADRE_COUNT = 7  # "bureau" plus cadre2 … cadre7
LEADER_COUNT = 4
# One cadre rotation, so the assignment history is not flat: school 27 changes hands.
ROTATION = (27, datetime.date(2025, 9, 1), "cadre7")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹白乔贺郝任"
# Plain words split on spaces: a list literal of 60 names would fill 60 lines.
GIVEN = (  # noqa: SIM905
    "建军 海燕 志强 丽娟 晓东 春梅 文斌 秀英 俊峰 雅琴 国庆 红梅 永平 慧敏 鹏飞 静 磊 娜 超 "
    "敏 宇航 雪莲 金花 振华 玉兰 志刚 晓燕 文静 海军 丽霞 建平 晓丽 瑞 婷 欣 浩 洁 刚 琳 涛"
).split()
MONGOLIAN = (  # noqa: SIM905
    "巴特尔 其其格 乌云 额尔敦 萨仁 那仁 苏日娜 格日勒图 乌日娜 孟和 阿拉坦 图雅 敖登 宝音 "
    "斯琴 朝鲁 乌兰 呼和 哈斯 娜仁花"
).split()


@dataclass
class Cast:
    """Who is who in the demo: lookups by school id and by username."""

    users: dict = field(default_factory=dict)
    officer: dict = field(default_factory=dict)
    principal: dict = field(default_factory=dict)
    teacher: dict = field(default_factory=dict)
    counsellor: dict = field(default_factory=dict)
    inspectors: dict = field(default_factory=dict)  # Department.Kind → User
    cadres: list = field(default_factory=list)  # (school_id, user, start, end)

    def cadre_on(self, school, day):
        """The cadre holding ``school`` on ``day`` (包校干部), who verifies and closes."""
        for school_id, user, start, end in self.cadres:
            if school_id == school.pk and start <= day and (end is None or day <= end):
                return user
        raise LookupError(f"no cadre for {school} on {day}")

    def school_staff(self, school):
        return [self.officer[school.pk], self.principal[school.pk], self.teacher[school.pk]]


class _Names:
    """Distinct plausible names from a seeded generator."""

    def __init__(self, rng):
        self.rng, self.used = rng, set()

    def next(self, mongolian=False):
        while True:
            if mongolian and self.rng.random() < 0.6:
                name = self.rng.choice(MONGOLIAN)
            else:
                name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.used:
                self.used.add(name)
                return name


def build_cast(schools, departments, rng: random.Random) -> Cast:
    """Create or reset all demo users and replace the demo schools' assignments."""
    names, cast = _Names(rng), Cast()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing ~100 times is slow

    def upsert(
        username,
        role,
        *,
        scope_all=False,
        schools_=(),
        department=None,
        mongolian=False,
        staff=False,
    ):
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "name": names.next(mongolian),
                "role": role,
                "scope_all_schools": scope_all,
                "department": department,
                "password": password,
                "email": f"{username}@example.com",
                "phone": f"1394775{len(cast.users):04d}",
                "is_active": True,
                "is_staff": staff,
                "is_superuser": staff,
                "first_name": "",
                "last_name": "",
            },
        )
        user.schools.set(schools_)
        cast.users[username] = user
        return user

    office = departments[SAFETY_OFFICE]
    upsert("bureau_admin", R.BUREAU_ADMIN, scope_all=True, department=office, staff=True)
    for n in range(1, LEADER_COUNT + 1):
        upsert(f"leader{n}", R.BUREAU_STAFF, scope_all=True, department=office)
    cadres = [upsert("bureau", R.BUREAU_STAFF, scope_all=True, department=office)]
    cadres += [
        upsert(f"cadre{n}", R.BUREAU_STAFF, scope_all=True, department=office)
        for n in range(2, CADRE_COUNT + 1)
    ]
    _school_people(cast, schools, upsert)
    _inspectors(cast, departments, upsert)
    upsert("api_client", R.REPORT_CLIENT, scope_all=True)
    _assignments(cast, schools, cadres)
    return cast


def _school_people(cast, schools, upsert):
    for n, school in enumerate(schools, start=1):
        mongolian, own = school.mongolian_medium, [school]
        cast.officer[school.pk] = upsert(
            f"officer{n}", R.SCHOOL_OFFICER, schools_=own, mongolian=mongolian
        )
        cast.principal[school.pk] = upsert(
            f"principal{n}", R.PRINCIPAL, schools_=own, mongolian=mongolian
        )
        cast.teacher[school.pk] = upsert(
            f"teacher{n}", R.TEACHER, schools_=own, mongolian=mongolian
        )
        if not school.is_kindergarten:  # counsellors work in the primary and secondary schools
            cast.counsellor[school.pk] = upsert(f"counsellor{n}", R.COUNSELLOR, schools_=own)


def _inspectors(cast, departments, upsert):
    """Committee members from other departments; bureau-wide scope, because joint
    inspections may visit any campus."""
    kinds = ["police", "fire", "market", "health"]
    for n, kind in enumerate(kinds, start=1):
        department = next(d for d in departments.values() if d.kind == kind)
        cast.inspectors[kind] = upsert(
            f"inspector{n}", R.INSPECTOR, scope_all=True, department=department
        )


def _assignments(cast, schools, cadres):
    SchoolAssignment.objects.filter(school__in=schools).delete()
    leaders = [cast.users[f"leader{n}"] for n in range(1, LEADER_COUNT + 1)]
    rows = []
    for n, school in enumerate(schools, start=1):
        leader, cadre = leaders[(n - 1) % LEADER_COUNT], cadres[(n - 1) % CADRE_COUNT]
        rows.append(
            SchoolAssignment(school=school, user=leader, kind="leader", start_date=ASSIGNMENT_START)
        )
        end = None
        if n == ROTATION[0]:
            successor, end = cast.users[ROTATION[2]], ROTATION[1] - datetime.timedelta(1)
            rows.append(
                SchoolAssignment(
                    school=school, user=successor, kind="cadre", start_date=ROTATION[1]
                )
            )
            cast.cadres.append((school.pk, successor, ROTATION[1], None))
        rows.append(
            SchoolAssignment(
                school=school, user=cadre, kind="cadre", start_date=ASSIGNMENT_START, end_date=end
            )
        )
        cast.cadres.append((school.pk, cadre, ASSIGNMENT_START, end))
    SchoolAssignment.objects.bulk_create(rows)
