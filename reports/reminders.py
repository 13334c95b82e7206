"""The bureau's scheduled messages: the daily safety digest (校园安全日报) and the year-end
final roll-up. Both sum up several apps for the whole bureau, so they live in reports.

Each takes ``today`` (a date on the Beijing calendar; the task asks the clock). A second
run is a no-op for the messages: the digest's period is the day, the roll-up's the year
(the roll-up's figures are simply recomputed and stored again).
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Kind
from notifications.services import bureau_people, notify

from .models import Period
from .selectors import digest_figures
from .services import rollup_statistics


def send_bureau_digest(today: datetime.date) -> int:
    """One digest of ``today`` to every active bureau user; returns how many were new."""
    figures = digest_figures(today)

    def text() -> str:
        return (
            _(
                "今日新登记隐患%(reported)d条，销号%(closed)d条；全旗未销号隐患%(open)d条，"
                "其中重大隐患%(major_open)d条，已逾期%(overdue)d条。"
            )
            % figures
        )

    return len(
        notify(
            bureau_people(),
            kind=Kind.DIGEST,
            subject="digest:bureau",
            period=str(today),
            title=lambda: _("%(date)s 校园安全日报") % {"date": today},
            body=text,
            url=reverse("hazard-list") + "?overdue=true",
        ).notifications
    )


def year_end_rollup(today: datetime.date) -> int:
    """Roll up the calendar year that ended before ``today`` (run just after 00:00 on
    1 January, Beijing time) and tell the bureau. Returns that year."""
    year = today.year - 1
    rollup_statistics(year=year, period=Period.CALENDAR, today=today)
    notify(
        bureau_people(),
        kind=Kind.ROLLUP,
        subject="rollup:calendar",
        period=str(year),
        title=lambda: _("%(year)s年度安全工作统计已完成终结汇总") % {"year": year},
        body=lambda: (
            _("%(year)s年1月1日至12月31日的各项统计数据已重新计算并存档。") % {"year": year}
        ),
    )
    return year
