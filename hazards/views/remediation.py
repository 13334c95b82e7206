"""HTML pages of remediation projects (整改项目) under /hazards/projects/.

Bureau staff create and edit projects, record expenses and complete projects; school users
see the projects of their schools read-only. Out of scope → 404; every write is one call to
``hazards.remediation_services`` through ``DomainErrorMixin``; reads come from
``hazards.selectors``.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from core.views import DomainErrorMixin

from .. import remediation_services, selectors
from ..forms import CompleteForm, ExpenseForm, ProjectForm
from ..models import RemediationExpense


class ProjectListView(LoginRequiredMixin, ListView):
    """整改项目: name, category, budget, spent, progress; bureau staff see all."""

    template_name = "hazards/remediation_list.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):
        projects = selectors.projects_visible_to(self.request.user)
        return (
            selectors.with_spent(projects)
            .prefetch_related("schools")
            .order_by("-start_date", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for project in context["projects"]:
            project.progress = selectors.progress_percent(project)
        context["can_manage"] = self.request.user.has_perm("hazards.manage_remediation")
        return context


class _ProjectMixin(LoginRequiredMixin):
    def get_project(self):
        if not hasattr(self, "_project"):
            projects = selectors.with_spent(selectors.projects_visible_to(self.request.user))
            self._project = get_object_or_404(projects, pk=self.kwargs["pk"])
        return self._project

    def require_manager(self):
        if not self.request.user.has_perm("hazards.manage_remediation"):
            raise PermissionDenied(_("只有教体局人员可以管理整改项目。"))


class ProjectDetailView(_ProjectMixin, DetailView):
    template_name = "hazards/remediation_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return self.get_project()

    def get_context_data(self, **kwargs):
        project, user = self.object, self.request.user
        can_manage = user.has_perm("hazards.manage_remediation")
        expenses = (
            RemediationExpense.objects.visible_to(user)
            .filter(project=project)
            .select_related("school")
        )
        return super().get_context_data(
            spent=selectors.spent(project),
            progress=selectors.progress_percent(project),
            schools=project.schools.visible_to(user),
            hazards=project.hazards.visible_to(user).select_related("school"),
            expenses=expenses,
            can_manage=can_manage,
            expense_form=ExpenseForm(project=project) if can_manage else None,
            complete_form=CompleteForm() if can_manage and project.end_date is None else None,
            **kwargs,
        )


class ProjectCreateView(_ProjectMixin, DomainErrorMixin, FormView):
    template_name = "hazards/remediation_form.html"
    form_class = ProjectForm
    success_message = gettext_lazy("整改项目已保存。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.require_manager()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return remediation_services.create_project(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("remediation-detail", args=[self.result.pk])


class ProjectUpdateView(ProjectCreateView):
    def get_initial(self):
        project = self.get_project()
        return {
            "name": project.name,
            "category": project.category,
            "budget_yuan": project.budget_yuan,
            "contractor": project.contractor,
            "start_date": project.start_date,
            "schools": project.schools.all(),
            "hazards": project.hazards.all(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.get_project(), **kwargs)

    def perform(self, form):
        return remediation_services.update_project(
            self.get_project(), actor=self.request.user, **form.cleaned_data
        )


class ExpenseCreateView(_ProjectMixin, DomainErrorMixin, FormView):
    """POST from the project page: record one expense."""

    template_name = "hazards/remediation_expense_form.html"
    form_class = ExpenseForm
    success_message = gettext_lazy("支出已记录。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.get_project()
            self.require_manager()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.get_project()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.get_project(), **kwargs)

    def perform(self, form):
        return remediation_services.record_expense(
            self.get_project(), actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("remediation-detail", args=[self.get_project().pk])


class ProjectCompleteView(ExpenseCreateView):
    """POST: the project is completed on a date (fire projects pass their schools' 消防验收)."""

    template_name = "hazards/remediation_complete_form.html"
    form_class = CompleteForm
    success_message = gettext_lazy("项目已完工。")

    def get_form_kwargs(self):
        return FormView.get_form_kwargs(self)

    def perform(self, form):
        return remediation_services.complete_project(
            self.get_project(), actor=self.request.user, **form.cleaned_data
        )


# --- 挂牌督办 ---------------------------------------------------------------------------
