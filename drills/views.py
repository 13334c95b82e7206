"""HTML pages of the drill records: list (filter by school and year) and a record form.

``RecordListView`` and ``RecordCreateView`` are shared with the education pages: a list
starts from the model's ``visible_to(user)``; a form is handed to one service through
``DomainErrorMixin`` (nothing saved on a form or domain error).
"""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from campussafety.views import DomainErrorMixin

from . import services
from .forms import DrillForm, RecordFilterForm
from .models import Drill

PAGE_SIZE = 25


class RecordListView(LoginRequiredMixin, TemplateView):
    """A paginated list of ``model.objects.visible_to(user)``, newest first, filtered by
    ``RecordFilterForm``. ``may_create(user)`` decides whether the "new" button shows;
    ``may_view(user)`` False → 403."""

    model = None
    related = ("school",)

    def may_view(self, user):
        return True

    def may_create(self, user):
        return False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_view(request.user):
            raise PermissionDenied(_("您没有查看此页面的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        queryset = self.model.objects.visible_to(user).select_related(*self.related).order_by("-date", "-id")
        form = RecordFilterForm(self.request.GET or None, user=user)
        rows = form.filter(queryset) if form.is_bound else queryset
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)  # the template iterates twice (table, cards)
        filtered = any(v for k, v in self.request.GET.items() if k != "page")
        return super().get_context_data(
            filter_form=form, page=page, filtered=filtered, may_create=self.may_create(user), **kwargs
        )


class RecordCreateView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """A record form for one school; ``perform`` calls ``service(school, actor=user, **data)``.
    Users for whom ``may_create(user)`` is False get 403."""

    service = None
    success_url_name = ""

    def may_create(self, user):
        return False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_create(request.user):
            raise PermissionDenied(_("您没有登记此类记录的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return type(self).service(data.pop("school"), actor=self.request.user, **data)

    def get_success_url(self):
        return reverse(self.success_url_name)


class DrillListView(RecordListView):
    """应急演练记录: drills of the user's schools, 25 a page, newest first."""

    template_name = "drills/drill_list.html"
    model = Drill
    related = ("school", "recorded_by")

    def may_create(self, user):
        return services.may_record_for_school(user)


class DrillCreateView(RecordCreateView):
    """登记应急演练 through ``services.record_drill``: bureau roles, school safety officers
    and principals (for their own schools); everybody else 403."""

    template_name = "drills/drill_form.html"
    form_class = DrillForm
    service = services.record_drill
    success_url_name = "drill-list"
    success_message = gettext_lazy("应急演练已登记。")

    def may_create(self, user):
        return services.may_record_for_school(user)
