"""How many records of each kind the demo creates per year.

2024 reproduces the bureau's article exactly (DESIGN.md, "The article's figures"); the
counselling counts are for the school year 2024–2025. Other years vary around 2024.
"""

import datetime
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from .spread import around

ARTICLE_YEAR = 2024


@dataclass(frozen=True)
class YearPlan:
    """Counts of one calendar year (counselling: of the school year starting that autumn)."""

    year: int
    joint_inspections: int
    joint_hazards: int
    cross_hazards: int
    snapshot_hazards: int
    other_hazards: int  # self-inspection, patrol and drill findings
    fire_investment_yuan: Decimal
    first_lessons: int
    class_meetings: int
    flag_speeches: int
    drills: int
    thematic_activities: int
    lectures: int
    individual_counselling: int
    group_counselling: int
    exact: bool = False  # the article's year: every cross/snapshot hazard is closed in time


ARTICLE = YearPlan(
    year=ARTICLE_YEAR,
    joint_inspections=16,
    joint_hazards=34,
    cross_hazards=71,
    snapshot_hazards=153,
    other_hazards=48,
    fire_investment_yuan=Decimal("54180000"),
    first_lessons=52,
    class_meetings=65,
    flag_speeches=79,
    drills=101,
    thematic_activities=78,
    lectures=31,
    individual_counselling=312,
    group_counselling=143,
    exact=True,
)


def plan_for(year: int, rng: random.Random) -> YearPlan:
    """The article's counts for 2024; for another year, counts drawn around them. Fire
    works after 2024 are maintenance only (the legacy problems were solved in 2024)."""
    if year == ARTICLE_YEAR:
        return ARTICLE
    a = ARTICLE
    return replace(
        a,
        year=year,
        exact=False,
        joint_inspections=around(rng, a.joint_inspections),
        joint_hazards=around(rng, a.joint_hazards, 0.2),
        cross_hazards=around(rng, a.cross_hazards - 8, 0.15),
        snapshot_hazards=around(rng, a.snapshot_hazards + 12, 0.1),
        other_hazards=around(rng, a.other_hazards, 0.2),
        fire_investment_yuan=Decimal(around(rng, 1_300_000, 0.3)),
        first_lessons=around(rng, 54, 0.05),
        class_meetings=around(rng, a.class_meetings),
        flag_speeches=around(rng, a.flag_speeches),
        drills=around(rng, 108, 0.08),
        thematic_activities=around(rng, a.thematic_activities),
        lectures=around(rng, a.lectures),
        individual_counselling=around(rng, 330),
        group_counselling=around(rng, 150),
    )


# The counselling counts of the school year 2023–2024, of which the demo holds only the
# part in 2024 (January – August).
SCHOOL_YEAR_2023 = {"individual": 296, "group": 131}

# The first day the demo can be built for: the article's school year 2024–2025 (its
# counselling figures) has ended.
EARLIEST_TODAY = datetime.date(ARTICLE_YEAR + 1, 9, 1)

# The last day the demo can be built for: 15 years after the article. Each simulated year
# adds about 300 hazards and 3–4 seconds of loading, and the demo's schools, staff and
# assignments stay those of 2024, which grows implausible decades on.
LATEST_TODAY = datetime.date(ARTICLE_YEAR + 15, 12, 31)
