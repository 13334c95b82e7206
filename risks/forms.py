"""Forms of the risk register's pages (shape only: the rules are in ``risks.services``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from hazards.models import Hazard
from schools.models import School

from . import methods
from .models import Grade, RiskAssessment, RiskCheck, RiskPoint

POINT_FORM_FIELDS = [
    "name", "kind", "category", "hazard_types", "control_measures", "control_level",
    "owner_name", "review_due",
]  # fmt: skip


class PointForm(forms.ModelForm):
    """A risk point's description, control measures and owner (not its grade)."""

    review_due = DateField(label=_("复评日期"), required=False)

    class Meta:
        model = RiskPoint
        fields = POINT_FORM_FIELDS
        widgets = {
            "control_measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        pass  # the service says "本校已有同名风险点" on the name field


class PointCreateForm(PointForm):
    """A new point: the school (of the user's scope; hidden when the user has one) first."""

    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("学校"), empty_label=_("请选择学校")
    )
    field_order = ["school", *POINT_FORM_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.visible_to(user).active()
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        if len(only) == 1:
            self.fields["school"].initial = only[0].pk
            self.fields["school"].widget = forms.HiddenInput()


def _choices(scale):
    return [("", "—")] + [(methods._plain(v), methods._plain(v)) for v in scale]


class AssessForm(forms.Form):
    """One assessment by the bureau's method: values picked from the method's scales."""

    likelihood = forms.CharField(label=_("可能性（L）"))
    exposure = forms.CharField(label=_("暴露频率（E）"), required=False)
    severity = forms.CharField(label=_("严重程度（S/C）"))
    reason = forms.ChoiceField(label=_("评价原因"), choices=RiskAssessment.Reason.choices)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, method=methods.MATRIX, **kwargs):
        super().__init__(*args, **kwargs)
        if method == methods.LEC:
            scales = {
                "likelihood": methods.LEC_LIKELIHOOD,
                "exposure": methods.LEC_EXPOSURE,
                "severity": methods.LEC_CONSEQUENCE,
            }
            self.fields["severity"].label = _("后果严重程度（C）")
        else:
            scales = {"likelihood": methods.MATRIX_SCALE, "severity": methods.MATRIX_SCALE}
            del self.fields["exposure"]
            self.fields["severity"].label = _("严重程度（S）")
        for name, scale in scales.items():
            self.fields[name].widget = forms.Select(choices=_choices(scale))


class CheckForm(forms.Form):
    date = DateField(label=_("检查日期"))
    result = forms.ChoiceField(label=_("检查结果"), choices=RiskCheck.Result.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class LinkForm(forms.Form):
    hazard = forms.ModelChoiceField(queryset=Hazard.objects.none(), label=_("隐患"))

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hazard"].queryset = (
            Hazard.objects.filter(school_id=point.school_id)
            .exclude(risk_links__point=point)
            .exclude(status=Hazard.Status.DISMISSED)
            .order_by("-reported_at", "-id")
        )


class SitePlanForm(forms.Form):
    image = forms.FileField(
        label=_("平面图"),
        help_text=_("JPEG、PNG、WebP 或 HEIC 图片；保存时去除元数据。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class PlaceForm(forms.Form):
    """Where a point sits on the plan, in per cent (the service checks the range)."""

    point = forms.ModelChoiceField(queryset=RiskPoint.objects.none(), label=_("风险点"))
    plan_x = forms.DecimalField(label=_("横坐标（%）"), decimal_places=2, max_digits=12)
    plan_y = forms.DecimalField(label=_("纵坐标（%）"), decimal_places=2, max_digits=12)

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = RiskPoint.objects.filter(school=school).active()


class RegisterFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("学校"), required=False, empty_label=_("全部学校")
    )
    grade = forms.ChoiceField(
        label=_("风险等级"), required=False, choices=[("", _("全部等级")), *Grade.choices]
    )
    category = forms.ChoiceField(
        label=_("隐患类别"), required=False, choices=[("", _("全部类别")), *Hazard.Category.choices]
    )
    check_overdue = forms.BooleanField(label=_("只看应检未检"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user)
