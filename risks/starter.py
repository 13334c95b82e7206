"""The starter register: risk points every school of a type is expected to have, with a
suggested matrix assessment (L, S), hazard types and control measures. Schools adjust it.

The points follow the hazard categories of the checklist library (reference/
domain-rules.md §2, the categories of ``hazards.Hazard.Category``); ``risks`` sits beside
``inspections`` and may not import its checklist data, so the list is kept here.
A point applies when ``applies(school)`` is true.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from schools.models import School


@dataclass(frozen=True)
class StarterPoint:
    name: str
    category: str
    kind: str
    likelihood: int
    severity: int
    hazard_types: str
    measures: str
    control_level: str = "school"
    applies: Callable[[School], bool] = lambda school: True


def _boarding(school: School) -> bool:
    return school.is_boarding


def _not_kindergarten(school: School) -> bool:
    return not school.is_kindergarten


def _secondary(school: School) -> bool:
    return school.school_type not in (School.SchoolType.KINDERGARTEN, School.SchoolType.PRIMARY)


STARTER = [
    StarterPoint(_("学校大门（上下学时段）"), "traffic", "activity", 3, 4,
                 _("车辆伤害、拥挤踩踏、暴力侵害"),
                 _("护学岗定时到位；“一键报警”与硬质隔离；错峰放学。")),
    StarterPoint(_("食堂操作间"), "canteen", "place", 2, 5, _("食物中毒、火灾、燃气爆炸"),
                 _("陪餐与留样；燃气报警与切断装置；从业人员健康证。"), "department"),
    StarterPoint(_("学生宿舍"), "dormitory", "place", 2, 5, _("火灾、拥挤踩踏、触电"),
                 _("夜间值班巡查；禁用大功率电器；疏散通道畅通。"), "department", _boarding),
    StarterPoint(_("教学楼楼梯间"), "building", "place", 3, 3, _("拥挤踩踏、高处坠落"),
                 _("课间疏导岗；栏杆高度与间距检查；照明与防滑。"), "post"),
    StarterPoint(_("配电室"), "electrical", "place", 2, 4, _("触电、电气火灾"),
                 _("专人持证管理；定期检测；门锁与警示标识。"), "post"),
    StarterPoint(_("锅炉房/供暖设施"), "fire", "place", 2, 5, _("锅炉爆炸、火灾、一氧化碳中毒"),
                 _("司炉工持证；压力容器年检；一氧化碳报警。"), "post"),
    StarterPoint(_("理化生实验室"), "lab", "place", 2, 4, _("中毒、灼伤、火灾"),
                 _("危化品双人双锁；实验前安全教育；通风与应急冲淋。"), "department", _secondary),
    StarterPoint(_("校车停靠点"), "traffic", "activity", 2, 5, _("车辆伤害"),
                 _("照管员随车；上下车清点人数；停靠点设置警示。"), "school"),
    StarterPoint(_("周边河道/水域"), "water", "place", 3, 5, _("溺水"),
                 _("“六不”教育；警示牌与巡河；家校共管。"), "bureau"),
    StarterPoint(_("操场与体育器材"), "facilities", "place", 3, 2, _("运动伤害、器材倒塌"),
                 _("器材定期检查；体育课前热身与保护。"), "post"),
    StarterPoint(_("消防设施与疏散通道"), "fire", "place", 2, 4, _("火灾、拥挤踩踏"),
                 _("灭火器月检；疏散通道与安全出口畅通；消防控制室值班。"), "school"),
    StarterPoint(_("幼儿活动室与午睡室"), "building", "place", 2, 4, _("跌落、窒息、拥挤踩踏"),
                 _("午睡巡视；家具防撞；幼儿一日生活安全检查。"), "post",
                 lambda school: school.is_kindergarten),
    StarterPoint(_("学生心理与校园欺凌"), "security", "activity", 2, 4, _("欺凌、自伤"),
                 _("班主任日常观察；心理筛查与转介；欺凌治理委员会。"), "school",
                 _not_kindergarten),
]  # fmt: skip


def starter_points(school: School) -> list[StarterPoint]:
    """The starter points that apply to ``school`` (by its type and boarding)."""
    return [point for point in STARTER if point.applies(school)]
