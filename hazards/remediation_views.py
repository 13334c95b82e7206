"""HTML pages of remediation projects (整改项目) under /hazards/projects/, and the
挂牌督办 form of a major hazard.

Bureau staff create and edit projects, record expenses and complete projects; school users
see the projects of their schools read-only. Out of scope → 404; every write is one call to
``hazards.remediation`` or ``hazards.supervision`` through ``DomainErrorMixin``.
"""
from decimal import Decimal

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from campussafety.views import DomainErrorMixin
from schools.models import School

from . import remediation, supervision
from .forms import style_form
from .models import Hazard, RemediationExpense, RemediationProject

# --- forms -----------------------------------------------------------------------------


class ProjectForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("项目名称"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("类别"), choices=RemediationProject.Category.choices)
    budget_yuan = forms.DecimalField(label=gettext_lazy("预算（元）"), max_digits=14, decimal_places=2,
                                     min_value=Decimal("0"))
    contractor = forms.CharField(label=gettext_lazy("承建单位"), max_length=200, required=False)
    start_date = forms.DateField(label=gettext_lazy("开工日期"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    schools = forms.ModelMultipleChoiceField(label=gettext_lazy("学校"), queryset=School.objects.none(),
                                             required=False)
    hazards = forms.ModelMultipleChoiceField(label=gettext_lazy("关联隐患"), queryset=Hazard.objects.none(),
                                             required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.visible_to(user).active()
        self.fields["hazards"].queryset = remediation.hazards_for_links(user).select_related("school")
        self.fields["schools"].widget.attrs["size"] = 8
        style_form(self)


class ExpenseForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("支出日期"), widget=forms.DateInput(attrs={"type": "date"}))
    school = forms.ModelChoiceField(label=gettext_lazy("学校"), queryset=School.objects.none())
    amount_yuan = forms.DecimalField(label=gettext_lazy("金额（元）"), max_digits=14, decimal_places=2,
                                     min_value=Decimal("0.01"))
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = project.schools.all()
        style_form(self)


class CompleteForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("完工日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        style_form(self)


class SupervisingLeaderForm(forms.Form):
    leader = forms.ModelChoiceField(label=gettext_lazy("督办领导"), required=False,
                                    queryset=supervision.supervising_leader_choices(),
                                    empty_label=gettext_lazy("（不督办）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


# --- projects --------------------------------------------------------------------------


class ProjectListView(LoginRequiredMixin, ListView):
    """整改项目: name, category, budget, spent, progress; bureau staff see all."""

    template_name = "hazards/remediation_list.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):
        projects = remediation.projects_visible_to(self.request.user)
        return remediation.with_spent(projects).prefetch_related("schools").order_by("-start_date", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for project in context["projects"]:
            project.progress = remediation.progress_percent(project)
        context["can_manage"] = remediation.may_manage(self.request.user)
        return context


class _ProjectMixin(LoginRequiredMixin):
    def get_project(self):
        if not hasattr(self, "_project"):
            projects = remediation.with_spent(remediation.projects_visible_to(self.request.user))
            self._project = get_object_or_404(projects, pk=self.kwargs["pk"])
        return self._project

    def require_manager(self):
        if not remediation.may_manage(self.request.user):
            raise PermissionDenied(_("只有教体局人员可以管理整改项目。"))


class ProjectDetailView(_ProjectMixin, DetailView):
    template_name = "hazards/remediation_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return self.get_project()

    def get_context_data(self, **kwargs):
        project, user = self.object, self.request.user
        can_manage = remediation.may_manage(user)
        expenses = RemediationExpense.objects.visible_to(user).filter(project=project).select_related("school")
        return super().get_context_data(
            spent=remediation.spent(project),
            progress=remediation.progress_percent(project),
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
        return remediation.create_project(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("remediation-detail", args=[self.result.pk])


class ProjectUpdateView(ProjectCreateView):
    def get_initial(self):
        project = self.get_project()
        return {
            "name": project.name, "category": project.category, "budget_yuan": project.budget_yuan,
            "contractor": project.contractor, "start_date": project.start_date,
            "schools": project.schools.all(), "hazards": project.hazards.all(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.get_project(), **kwargs)

    def perform(self, form):
        return remediation.update_project(self.get_project(), actor=self.request.user, **form.cleaned_data)


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
        return remediation.record_expense(self.get_project(), actor=self.request.user, **form.cleaned_data)

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
        return remediation.complete_project(self.get_project(), actor=self.request.user, **form.cleaned_data)


# --- 挂牌督办 ---------------------------------------------------------------------------


class SupervisingLeaderView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """指定督办领导 of a visible major hazard (bureau staff only; others 403)."""

    template_name = "hazards/remediation_supervise_form.html"
    form_class = SupervisingLeaderForm
    success_message = gettext_lazy("督办领导已更新。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.hazard = get_object_or_404(
                Hazard.objects.visible_to(request.user).select_related("school"), pk=kwargs["pk"]
            )
            if not supervision.may_set_supervising_leader(request.user, self.hazard):
                raise PermissionDenied(_("只有教体局人员可以对未销号的重大隐患挂牌督办。"))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"leader": self.hazard.supervising_leader_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(hazard=self.hazard, **kwargs)

    def perform(self, form):
        return supervision.set_supervising_leader(
            self.hazard, actor=self.request.user, leader=form.cleaned_data["leader"]
        )

    def get_success_url(self):
        return reverse("hazard-detail", args=[self.hazard.pk])
