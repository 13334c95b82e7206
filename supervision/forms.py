"""Forms of key-period supervision (shape only; the rules are in ``services``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hazards.models import Hazard


class ProblemForm(forms.Form):
    """A problem seen on a patrol: it becomes a hazard (source "patrol")."""

    point = forms.ModelChoiceField(queryset=None, label=_("点位"), required=False)
    title = forms.CharField(label=_("问题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=Hazard.Category.choices)
    description = forms.CharField(
        label=_("详细情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    photo = forms.ImageField(label=_("照片"), required=False)

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class FinishForm(forms.Form):
    note = forms.CharField(
        label=_("备注"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class RosterImportForm(forms.Form):
    """An Excel file of students (the template's columns) for one school."""

    school = forms.ModelChoiceField(queryset=None, label=_("学校"))
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})
