"""The one FilterSet of the hazard ledger, shared by the API and the HTML list."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import day_start
from core.forms import FilterForm
from schools.filters import visible_school_filter
from schools.models import Department

from .models import Hazard


class HazardFilter(django_filters.FilterSet):
    """Filters: school, status, source, category, level, owning department, overdue,
    reported date range, q.

    An unknown choice (``status=foo``) is a validation error: HTTP 400 in the API, a form
    error in HTML.
    """

    school = visible_school_filter()
    # distinct=False: a column filter never repeats a row, and DISTINCT would make PostgreSQL
    # sort every match before paging (bench/README.md).
    status = django_filters.MultipleChoiceFilter(
        choices=Hazard.Status.choices, distinct=False, label=_("状态")
    )
    source = django_filters.MultipleChoiceFilter(
        choices=Hazard.Source.choices, distinct=False, label=_("来源")
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Hazard.Category.choices, distinct=False, label=_("类别")
    )
    level = django_filters.ChoiceFilter(choices=Hazard.Level.choices, label=_("等级"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("负责部门")
    )
    # A choice, not a BooleanFilter: an unknown value (overdue=maybe) must be a 400.
    overdue = django_filters.ChoiceFilter(
        choices=[("true", _("是")), ("false", _("否"))], method="filter_overdue", label=_("逾期")
    )
    # Beijing days as timestamp ranges (``reported_at >= start of day``): the ledger-order
    # index serves them, where ``reported_at::date`` would scan the table.
    reported_after = django_filters.DateFilter(
        method="filter_reported_after", label=_("登记日期起")
    )
    reported_before = django_filters.DateFilter(
        method="filter_reported_before", label=_("登记日期止")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = Hazard
        form = FilterForm  # a NUL byte in any parameter: one clear error
        fields = ["school", "status", "source", "category", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or not (user.is_bureau or user.department_id):
            # A school's own ledger has no owning departments to choose from; the parameter
            # still works (links, exports), the field is just not offered.
            self.filters["department"].extra["widget"] = forms.HiddenInput()

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()  # the request's day (Asia/Shanghai)
        return queryset.overdue(today) if value == "true" else queryset.not_overdue(today)

    def filter_reported_after(self, queryset, name, value):
        return queryset.filter(reported_at__gte=day_start(value))

    def filter_reported_before(self, queryset, name, value):
        if value == datetime.date.max:  # no day after it: every row is before its end
            return queryset
        return queryset.filter(reported_at__lt=day_start(value + datetime.timedelta(days=1)))

    def filter_queryset(self, queryset, indexed_search=True):
        """The filtered queryset; ``indexed_search=False``: the search without its index
        (``HazardQuerySet.search``), the same rows, to walk in the ledger's order."""
        self._indexed_search = indexed_search
        try:
            return super().filter_queryset(queryset)
        finally:
            self._indexed_search = True

    _indexed_search = True

    def filter_q(self, queryset, name, value):
        return queryset.search(value, indexed=self._indexed_search)
