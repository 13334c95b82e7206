"""Forms of the inspection pages: opening a cross-inspection round."""
from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import School

from .models import Checklist, CrossInspectionRound


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
        self.fields["checklist"].queryset = Checklist.objects.filter(is_published=True)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select) else "form-control")
