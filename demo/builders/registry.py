"""Reference rows of the demo: the 29 schools of reference/domain-rules.md §3.3 and the
departments of the campus safety committee. Upserted by natural key (school code,
department name), so their ids survive a reload.

The school list is ILLUSTRATIVE (domain-rules §3.3: no complete public roster exists);
codes are 行政区划码 150625 + 办学类型码 + the seed number; counts are plausible guesses.
"""

import datetime
from dataclasses import dataclass

from schools.models import Department, School

T = School.SchoolType
W = School.Town


@dataclass(frozen=True)
class SchoolSeed:
    no: int
    name: str
    school_type: str
    town: str
    boarding: bool
    students: int
    staff: int
    mongolian: bool = False
    street: str = ""

    @property
    def code(self):
        return f"150625{self.school_type}{self.no:02d}"


SCHOOLS = [
    SchoolSeed(1, "杭锦旗实验小学", T.PRIMARY, W.XINI, False, 2360, 148, street="文化路"),
    SchoolSeed(2, "杭锦旗蒙古族实验小学", T.PRIMARY, W.XINI, True, 680, 96, True, "民族街"),
    SchoolSeed(3, "杭锦旗第一中学", T.SENIOR, W.XINI, True, 2780, 236, street="锡尼大街"),
    SchoolSeed(4, "杭锦旗第二中学", T.JUNIOR, W.XINI, False, 1640, 132, street="团结路"),
    SchoolSeed(5, "杭锦旗蒙古族中学", T.COMPLETE_SECONDARY, W.XINI, True, 920, 138, True, "民族街"),
    SchoolSeed(6, "杭锦旗职业中学", T.VOCATIONAL, W.XINI, True, 760, 104, street="工业路"),
    SchoolSeed(7, "杭锦旗第二小学", T.PRIMARY, W.XINI, False, 1580, 98, street="新建街"),
    SchoolSeed(8, "杭锦旗第三小学", T.PRIMARY, W.XINI, False, 1240, 82, street="阿尔巴斯街"),
    SchoolSeed(9, "杭锦旗特殊教育学校", T.SPECIAL, W.XINI, True, 58, 32, street="康宁路"),
    SchoolSeed(10, "杭锦旗独贵塔拉镇学校", T.NINE_YEAR, W.DUGUITALA, True, 980, 92),
    SchoolSeed(11, "杭锦旗巴拉贡镇学校", T.NINE_YEAR, W.BALAGONG, True, 420, 58),
    SchoolSeed(12, "杭锦旗吉日嘎朗图镇学校", T.NINE_YEAR, W.JIRIGALANGTU, True, 310, 52),
    SchoolSeed(13, "杭锦旗呼和木独镇学校", T.NINE_YEAR, W.HUHEMUDU, True, 360, 54),
    SchoolSeed(14, "杭锦旗伊和乌素苏木学校", T.NINE_YEAR, W.YIHEWUSU, True, 160, 38, True),
    SchoolSeed(15, "杭锦旗第一幼儿园", T.KINDERGARTEN, W.XINI, False, 520, 62, street="文化路"),
    SchoolSeed(16, "杭锦旗第二幼儿园", T.KINDERGARTEN, W.XINI, False, 460, 55, street="团结路"),
    SchoolSeed(17, "杭锦旗第三幼儿园", T.KINDERGARTEN, W.XINI, False, 390, 46, street="新建街"),
    SchoolSeed(18, "杭锦旗第四幼儿园", T.KINDERGARTEN, W.XINI, False, 350, 42, street="锡尼大街"),
    SchoolSeed(19, "杭锦旗第五幼儿园", T.KINDERGARTEN, W.XINI, False, 300, 36, street="阿尔巴斯街"),
    SchoolSeed(20, "杭锦旗第六幼儿园", T.KINDERGARTEN, W.XINI, False, 280, 34, street="工业路"),
    SchoolSeed(21, "杭锦旗第七幼儿园", T.KINDERGARTEN, W.DUGUITALA, False, 240, 30),
    SchoolSeed(22, "杭锦旗第八幼儿园", T.KINDERGARTEN, W.XINI, False, 330, 40, street="康宁路"),
    # 杭锦旗第九幼儿园 is in the southern industrial park of 独贵塔拉 (domain-rules §3.3).
    SchoolSeed(
        23, "杭锦旗第九幼儿园", T.KINDERGARTEN, W.DUGUITALA, False, 210, 28, street="南工业园区"
    ),
    SchoolSeed(24, "杭锦旗蒙古族幼儿园", T.KINDERGARTEN, W.XINI, False, 260, 36, True, "民族街"),
    SchoolSeed(
        25, "杭锦旗蒙古族第二幼儿园", T.KINDERGARTEN, W.XINI, False, 180, 26, True, "团结路"
    ),
    SchoolSeed(26, "杭锦旗胜利幼儿园", T.KINDERGARTEN, W.XINI, False, 220, 28, street="胜利路"),
    # 塔然高勒: town unverified; placed in 锡尼镇.
    SchoolSeed(
        27, "杭锦旗塔然高勒幼儿园", T.KINDERGARTEN, W.XINI, False, 150, 22, street="塔然高勒"
    ),
    SchoolSeed(28, "杭锦旗独贵塔拉镇幼儿园", T.KINDERGARTEN, W.DUGUITALA, False, 190, 26),
    SchoolSeed(29, "杭锦旗巴拉贡镇幼儿园", T.KINDERGARTEN, W.BALAGONG, False, 120, 18),
]

# name → kind. The bureau's own offices come first.
DEPARTMENTS = {
    "杭锦旗教育体育局安全稳定办公室": Department.Kind.BUREAU,
    "杭锦旗教育体育局办公室": Department.Kind.BUREAU,
    "杭锦旗教育体育局基础教育股": Department.Kind.BUREAU,
    "杭锦旗公安局": Department.Kind.POLICE,
    "杭锦旗消防救援大队": Department.Kind.FIRE,
    "杭锦旗市场监督管理局": Department.Kind.MARKET,
    "杭锦旗卫生健康委员会": Department.Kind.HEALTH,
    "杭锦旗司法局": Department.Kind.JUSTICE,
    "杭锦旗文化市场综合行政执法大队": Department.Kind.CULTURE,
    "杭锦旗交通运输局": Department.Kind.TRANSPORT,
}
SAFETY_OFFICE = "杭锦旗教育体育局安全稳定办公室"


def upsert_schools() -> list:
    """The 29 demo schools in seed order, created or reset to their seed values. Fire
    acceptance is set later, with the 2024 remediation works."""
    schools = []
    for seed in SCHOOLS:
        town = School.Town(seed.town).label
        school, _created = School.objects.update_or_create(
            code=seed.code,
            defaults={
                "name": seed.name,
                "school_type": seed.school_type,
                "town": seed.town,
                "address": f"内蒙古自治区鄂尔多斯市杭锦旗{town}{seed.street}",
                "is_boarding": seed.boarding,
                "student_count": seed.students,
                "staff_count": seed.staff,
                "mongolian_medium": seed.mongolian,
                "is_active": True,
                "is_demo": True,
                "fire_acceptance_status": School.FireAcceptance.IN_PROGRESS,
                "fire_acceptance_date": None,
            },
        )
        schools.append(school)
    return schools


def upsert_departments() -> dict:
    """name → Department."""
    return {
        name: Department.objects.update_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in DEPARTMENTS.items()
    }


def set_fire_acceptance(school, day: datetime.date):
    school.fire_acceptance_status = School.FireAcceptance.PASSED
    school.fire_acceptance_date = day
    school.save(update_fields=["fire_acceptance_status", "fire_acceptance_date"])
