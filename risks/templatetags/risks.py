"""``{% schools_to_watch as watch %}``: the bureau dashboard's "schools to watch" block
(templates/risks/_watch_list.html, included by the dashboard). ``watch.visible`` is False
for users without ``risks.view_watch_list``, and nothing is read for them.

A tag, not a context variable of the dashboard's view, so that the dashboard (``reports``)
needs only one ``{% include %}`` line; it reads the clock like a view does (Beijing date).
"""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from ..analytics import SCORE_WEIGHTS, schools_to_watch
from ..series import Params, cached_rows

register = template.Library()

REASONS = {
    "open_major": lambda n: _("未销号重大隐患 %(n)d 项") % {"n": n},
    "overdue": lambda n: _("逾期隐患 %(n)d 项") % {"n": n},
    "recurrences": lambda n: _("近12个月复发隐患 %(n)d 项") % {"n": n},
    "red_points": lambda n: _("红色（重大）风险点 %(n)d 个") % {"n": n},
    "missed_checks": lambda n: _("应检未检风险点 %(n)d 个") % {"n": n},
}
assert set(REASONS) == set(SCORE_WEIGHTS)


def reason_texts(row: dict) -> list[str]:
    """The why of a watched school, one sentence per non-zero part of its score."""
    return [REASONS[key](count) for key, count in row["reasons"]]


@register.simple_tag(takes_context=True, name="schools_to_watch")
def schools_to_watch_tag(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("risks.view_watch_list"):
        return {"visible": False, "rows": []}
    ids, today = user.school_ids(), timezone.localdate()
    params = Params(year=today.year, today=today)
    rows = cached_rows("watch", ids, params, lambda: schools_to_watch(ids, today=today))
    for row in rows:
        row["reason_texts"] = reason_texts(row)
    return {"visible": True, "rows": rows}
