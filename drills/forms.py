"""Forms of the drill pages: shape only; the rules are in ``drills.services``.

``cleaned_data`` keys are the keyword arguments of the service, school first, so the view
calls ``service(data.pop("school"), actor=user, **data)``.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import model_field
from schools.forms import SchoolRecordForm

from .models import Drill


class DrillForm(SchoolRecordForm):
    """登记应急演练: the arguments of ``services.record_drill``."""

    drill_type = forms.ChoiceField(
        choices=[("", _("请选择"))] + Drill.DrillType.choices, label=_("演练类型")
    )
    mode = forms.ChoiceField(
        choices=Drill.Mode.choices, label=_("方式"), initial=Drill.Mode.ANNOUNCED
    )
    # Label, bounds (core.bounds, core.years) and default come from the model field.
    date = model_field(Drill, "date", initial=timezone.localdate)
    student_participants = model_field(Drill, "student_participants")
    staff_participants = model_field(Drill, "staff_participants")
    evacuation_seconds = model_field(Drill, "evacuation_seconds")
    notes = forms.CharField(
        label=_("过程记录与评估"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
