"""Excel exports of the record lists a page shows (drills, education activities,
inspections, remediation projects), as filtered and scoped on that page, and of the yearly
statistics. Each list is read as plain tuples (``values_list``) and written by
``reports.spreadsheet`` (title row naming the filter and export time, typed cells).

``RECORD_EXPORTS[kind]`` says, per list: its title, the scoped queryset for a user and a
query string (the page's own filter), the columns, the fields read and how a row's values
become cells.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drills.forms import DrillFilterForm
from drills.models import Drill
from education.forms import ActivityFilterForm
from education.models import EducationActivity
from hazards import selectors as hazard_selectors
from hazards.models import RemediationProject
from inspections.filters import InspectionFilter
from inspections.models import Inspection
from schools.forms import RecordFilterForm

from .exports import filter_summary
from .figures import FIGURES
from .spreadsheet import Column, Sheet, Typed, caption


class _RequestLike:
    def __init__(self, user):
        self.user = user


def _labels(model, name):
    return {value: str(label) for value, label in model._meta.get_field(name).choices}


def _records(model, form_class=RecordFilterForm):
    """(form, queryset) of a ``core.views.RecordListView`` page filtered by its
    ``form_class`` (``RecordFilterForm`` or the list's subclass)."""

    def scoped(user, query):
        form = form_class(query or None, user=user)
        queryset = model.objects.visible_to(user).order_by("-date", "-id")
        return form, (form.filter(queryset) if form.is_bound else queryset)

    return scoped


def _inspections(user, query):
    queryset = Inspection.objects.visible_to(user).order_by("-date", "-id")
    filterset = InspectionFilter(query, queryset=queryset, request=_RequestLike(user))
    return filterset.form, (filterset.qs.distinct() if filterset.is_valid() else queryset.none())


def _projects(user, query):
    projects = hazard_selectors.projects_visible_to(user)
    queryset = projects.annotate(spent=Sum("expenses__amount_yuan")).order_by("-start_date", "-id")
    return RecordFilterForm(None, user=user), queryset


@dataclass(frozen=True)
class RecordExport:
    title: Any
    scoped: Callable[[Any, QueryDict], tuple[Any, Any]]
    columns: Sequence[Column]
    fields: Sequence[str]
    row: Callable[[tuple, dict], list] = lambda values, labels: list(values)
    choices: tuple = ()  # (model, field) whose labels ``row`` reads

    def labels(self):
        return {field: _labels(model, field) for model, field in self.choices}


def _drill_row(v, labels):
    return [v[0], labels["drill_type"][v[1]], labels["mode"][v[2]], *v[3:]]


def _activity_row(v, labels):
    return [v[0], labels["kind"][v[1]], labels["topic"][v[2]], *v[3:]]


def _inspection_row(v, labels):
    return [v[0], v[1], labels["kind"][v[2]], v[3], labels["status"][v[4]], *v[5:]]


def _project_row(v, labels):
    return [v[0], labels["category"][v[1]], *v[2:]]


RECORD_EXPORTS = {
    "drills": RecordExport(
        gettext_lazy("应急演练"),
        _records(Drill, DrillFilterForm),
        [Column(gettext_lazy("日期"), "date"), Column(gettext_lazy("演练类型"), "text", 14),
         Column(gettext_lazy("方式"), "text", 12), Column(gettext_lazy("学校"), "text", 24),
         Column(gettext_lazy("学生人数"), "int"), Column(gettext_lazy("教职工人数"), "int"),
         Column(gettext_lazy("疏散用时（秒）"), "int"),
         Column(gettext_lazy("过程记录与评估"), "long")],
        ("date", "drill_type", "mode", "school__name", "student_participants",
         "staff_participants", "evacuation_seconds", "notes"),
        _drill_row,
        ((Drill, "drill_type"), (Drill, "mode")),
    ),
    "activities": RecordExport(
        gettext_lazy("安全教育"),
        _records(EducationActivity, ActivityFilterForm),
        [Column(gettext_lazy("日期"), "date"), Column(gettext_lazy("形式"), "text", 14),
         Column(gettext_lazy("主题"), "text", 14), Column(gettext_lazy("名称"), "long", 30),
         Column(gettext_lazy("学校"), "text", 24), Column(gettext_lazy("参加人数"), "int")],
        ("date", "kind", "topic", "title", "school__name", "participants"),
        _activity_row,
        ((EducationActivity, "kind"), (EducationActivity, "topic")),
    ),
    "inspections": RecordExport(
        gettext_lazy("检查记录"),
        _inspections,
        [Column(gettext_lazy("检查日期"), "date"), Column(gettext_lazy("名称"), "long", 28),
         Column(gettext_lazy("检查类型"), "text", 12), Column(gettext_lazy("学校"), "text", 24),
         Column(gettext_lazy("状态"), "text", 10), Column(gettext_lazy("检查情况"), "long")],
        ("date", "title", "kind", "school__name", "status", "summary"),
        _inspection_row,
        ((Inspection, "kind"), (Inspection, "status")),
    ),
    "remediation": RecordExport(
        gettext_lazy("整改项目"),
        _projects,
        [Column(gettext_lazy("项目名称"), "long", 30), Column(gettext_lazy("类别"), "text", 12),
         Column(gettext_lazy("预算（元）"), "yuan"), Column(gettext_lazy("已支出（元）"), "yuan"),
         Column(gettext_lazy("承建单位"), "text", 20), Column(gettext_lazy("开工日期"), "date"),
         Column(gettext_lazy("完工日期"), "date")],
        ("name", "category", "budget_yuan", "spent", "contractor", "start_date", "end_date"),
        _project_row,
        ((RemediationProject, "category"),),
    ),
}  # fmt: skip


def record_sheet(kind: str, user, query: QueryDict, now) -> tuple[Any, Sheet]:
    """(the page's filter form, the sheet) of list ``kind`` for ``user`` and ``query``. The
    form is invalid (``form.errors``) when the query is; the sheet then has no rows."""
    spec = RECORD_EXPORTS[kind]
    query = query.copy()
    query.pop("page", None)
    form, queryset = spec.scoped(user, query)
    labels = spec.labels()
    rows = (spec.row(values, labels) for values in queryset.values_list(*spec.fields).iterator())
    title = str(spec.title)
    return form, Sheet(title, caption(title, filter_summary(form), now), spec.columns, rows)


MONEY_KEYS = {"fire_remediation_investment_yuan"}


def wan(yuan) -> Decimal:
    """Yuan → 万元, two decimals (54180000 → 5418.00)."""
    return (Decimal(yuan or 0) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def figure_label(key: str) -> str:
    """The figure's label; money in 万元 (the article's unit), not yuan."""
    if key in MONEY_KEYS:
        return _("解决消防遗留问题投入（万元）")
    return str(FIGURES[key])


def _figure(key, value):
    return Typed(wan(value), "wan") if key in MONEY_KEYS else value


def figures_sheets(total: dict, schools: Sequence[tuple[str, dict]], *, filters, now):
    """The yearly statistics: the scope's figures, then one row per school (money in 万元)."""
    title = _("年度统计")
    head = caption(title, filters, now)
    overview = Sheet(
        title,
        head,
        [Column(gettext_lazy("指标"), "long", 36), Column(gettext_lazy("数值"), "text", 14)],
        [(figure_label(key), _figure(key, total[key])) for key in FIGURES],
    )
    per_school = Sheet(
        _("各校统计"),
        head,
        [Column(gettext_lazy("学校"), "text", 24)]
        + [Column(figure_label(key), "wan" if key in MONEY_KEYS else "int", 12) for key in FIGURES],
        [[name] + [_figure(k, figures[k]) for k in FIGURES] for name, figures in schools],
    )
    return [overview, per_school]
