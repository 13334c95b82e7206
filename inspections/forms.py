"""Forms of the inspection pages: opening a cross-inspection round, planning an inspection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import School

from .models import Checklist, CrossInspectionRound, Inspection
from .services import PLANNABLE


class RoundForm(forms.ModelForm):
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.active(), widget=forms.CheckboxSelectMultiple, label=_("参加学校")
    )

    class Meta:
        model = CrossInspectionRound
        fields = ["name", "period_start", "period_end", "checklist", "schools"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = Checklist.objects.published()
        self.fields["checklist"].initial = Checklist.objects.latest_published()


class PlanInspectionForm(forms.ModelForm):
    """Plans a joint, self or spot inspection; the school list is the user's scope and a
    school officer may only plan a self inspection."""

    class Meta:
        model = Inspection
        fields = [
            "kind",
            "subject",
            "school",
            "date",
            "title",
            "departments",
            "leader",
            "checklist",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [
            kind
            for kind in PLANNABLE
            if user.has_perm("inspections.plan_inspection", Inspection(kind=kind))
        ]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["school"].queryset = School.objects.visible_to(user).active()
        self.fields["checklist"].queryset = Checklist.objects.published()
        self.fields["checklist"].empty_label = _("最新发布的版本")
        self.fields["title"].required = False
