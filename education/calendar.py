"""The national safety-education calendar (domain-rules §5), computed per year, and its
dates inside a school term. One list for the term calendar page and the reminder scan
(``education.reminders``)."""

import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


def last_monday_of_march(year: int) -> datetime.date:
    """全国中小学生安全教育日: the last Monday of March (since 1996)."""
    end = datetime.date(year, 3, 31)
    return end - datetime.timedelta(days=end.weekday())


def safety_dates(year: int) -> list[tuple[str, datetime.date, Promise]]:
    """(key, date, name) of the national safety dates of ``year`` in date order; the name is
    a lazy string, rendered in the reader's language."""
    d = datetime.date
    dates = [
        (
            "safety_education_day",
            last_monday_of_march(year),
            gettext_lazy("全国中小学生安全教育日"),
        ),
        ("national_security_day", d(year, 4, 15), gettext_lazy("全民国家安全教育日")),
        ("disaster_prevention_day", d(year, 5, 12), gettext_lazy("全国防灾减灾日")),
        ("mental_health_day", d(year, 5, 25), gettext_lazy("心理健康日（5·25）")),
        ("anti_drug_day", d(year, 6, 26), gettext_lazy("国际禁毒日")),
        ("mental_health_world_day", d(year, 10, 10), gettext_lazy("世界精神卫生日")),
        ("fire_day", d(year, 11, 9), gettext_lazy("全国消防日（11月为“119”消防宣传月）")),
        ("traffic_day", d(year, 12, 2), gettext_lazy("全国交通安全日")),
        ("constitution_day", d(year, 12, 4), gettext_lazy("国家宪法日")),
    ]
    return sorted(dates, key=lambda row: row[1])


def dates_between(start: datetime.date, end: datetime.date):
    """The national safety dates from ``start`` to ``end`` inclusive (a term), in order."""
    rows = []
    for year in range(start.year, end.year + 1):
        rows += [row for row in safety_dates(year) if start <= row[1] <= end]
    return rows
