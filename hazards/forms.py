"""Forms of the hazard pages: they check shape only; the rules are in ``hazards.services``.

Each transition form's ``cleaned_data`` keys are exactly the keyword arguments of its
service function, so the view calls ``service(hazard, actor=user, **form.cleaned_data)``.
"""
import uuid

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from schools.models import School

from .images import MAX_PHOTOS
from .models import Hazard
from .services import default_deadline



def style_form(form):
    """Give every widget its Bootstrap 5 class (form-control, form-select, form-check-input)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


class MultiplePhotoInput(forms.FileInput):
    """A file input that takes several photos; on a phone it offers the rear camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


# Lazy, so the help text follows the language of each request.
_photos_help = lazy(
    lambda: gettext("可一次选择多张，最多 %(n)d 张；JPEG、PNG、HEIC 均可。") % {"n": MAX_PHOTOS}, str
)


class PhotosField(forms.FileField):
    """Zero to ``MAX_PHOTOS`` uploaded files → a list. Decoding and metadata stripping happen
    in ``hazards.images.clean_photo``, called by the service."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("照片"))
        kwargs.setdefault("help_text", _photos_help())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS})
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ClientIdField(forms.UUIDField):
    """The hidden id of one report, made when the page is shown (by the page's script with
    ``crypto.randomUUID()``, or by the server as a fallback): a re-sent form carries the
    same id, and ``services.report_hazard`` turns the second one into ``AlreadyReported``."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


# What a report from each role usually is: a teacher's snapshot (随手拍), a school's self-check.
DEFAULT_SOURCES = {
    User.Role.TEACHER: Hazard.Source.SNAPSHOT,
    User.Role.COUNSELLOR: Hazard.Source.SNAPSHOT,
    User.Role.SCHOOL_OFFICER: Hazard.Source.SELF_INSPECTION,
    User.Role.PRINCIPAL: Hazard.Source.SELF_INSPECTION,
}


class HazardReportForm(forms.Form):
    """登记隐患: the arguments of ``services.report_hazard`` (school first)."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("学校"), empty_label=_("请选择学校"))
    title = forms.CharField(label=_("隐患描述"), max_length=200)
    # A blank first choice, so nobody files a hazard as "fire" just by not choosing.
    category = forms.ChoiceField(choices=[("", _("请选择"))] + Hazard.Category.choices, label=_("类别"))
    level = forms.ChoiceField(choices=Hazard.Level.choices, label=_("等级"), initial=Hazard.Level.GENERAL)
    source = forms.ChoiceField(choices=[("", _("请选择"))] + Hazard.Source.choices, label=_("来源"))
    location = forms.CharField(label=_("位置"), max_length=100, required=False)
    description = forms.CharField(label=_("详细情况"), widget=_textarea(4), required=False)
    photos = PhotosField()
    client_id = ClientIdField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.visible_to(user).active()
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        if len(only) == 1:  # nothing to choose: the user's own school
            self.fields["school"].initial = only[0].pk
            self.fields["school"].widget = forms.HiddenInput()
            self.single_school = only[0]
        else:
            self.single_school = None
        self.fields["source"].initial = DEFAULT_SOURCES.get(user.role, "")
        style_form(self)


class AssignForm(forms.Form):
    """交办整改 (查→改). Funding and contingency plan are required by the service for a major
    hazard; the form marks them so the person sees it before submitting."""

    responsible = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("整改责任人"), empty_label=_("请选择"), required=False
    )
    measures = forms.CharField(label=_("整改措施"), widget=_textarea(4), required=False)
    deadline = forms.DateField(
        label=_("整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    funding_yuan = forms.DecimalField(
        label=_("整改资金（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    contingency_plan = forms.CharField(label=_("应急预案"), widget=_textarea(3), required=False)
    comment = forms.CharField(label=_("交办说明"), widget=_textarea(2), required=False)

    def __init__(self, *args, hazard, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = User.objects.responsible_for(
            hazard.school_id
        ).order_by("name", "username", "id")
        self.fields["responsible"].label_from_instance = _responsible_label
        self.fields["deadline"].initial = default_deadline(hazard.level)
        for name in ("responsible", "measures"):  # required by the service; marked here
            self.fields[name].widget.attrs["required"] = True
        if hazard.level == Hazard.Level.MAJOR:
            for name in ("funding_yuan", "contingency_plan"):
                self.fields[name].widget.attrs["required"] = True
                self.fields[name].help_text = _("重大隐患必填（五落实：责任、措施、资金、时限、预案）。")
        style_form(self)


def _responsible_label(user):
    return f"{user}（{user.get_role_display()}）"


class SubmitRectificationForm(forms.Form):
    """提交整改 (改→督): what was done, with evidence photos."""

    note = forms.CharField(label=_("整改情况"), widget=_textarea(4))
    photos = PhotosField(label=_("整改后照片"))

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class RejectRectificationForm(forms.Form):
    """验收不通过 (督→改): the reason is required."""

    comment = forms.CharField(label=_("不通过理由"), widget=_textarea(3))
    photos = PhotosField()

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class CloseForm(forms.Form):
    """验收销号 (督→销)."""

    comment = forms.CharField(label=_("验收意见"), widget=_textarea(3), required=False)
    photos = PhotosField(label=_("验收照片"))

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class DismissForm(forms.Form):
    """不予立案 (查→不予立案): not a hazard, or a duplicate."""

    reason = forms.CharField(label=_("不予立案理由"), widget=_textarea(3))

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


TRANSITION_FORMS = {
    "assign": AssignForm,
    "submit_rectification": SubmitRectificationForm,
    "reject_rectification": RejectRectificationForm,
    "close": CloseForm,
    "dismiss": DismissForm,
}
