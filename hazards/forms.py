"""Forms of the hazard pages: they check shape only; the rules are in ``hazards.services``
(and ``hazards.remediation_services``).

Each transition form's ``cleaned_data`` keys are exactly the keyword arguments of its
service function, so the view calls ``service(hazard, actor=user, **form.cleaned_data)``.

Sections: the ledger (report, transitions), 随手拍 (with and without an account, tracking,
marking a duplicate), remediation projects and 挂牌督办.
"""

import uuid

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.rules import is_counsellor, is_school_manager, is_teacher
from core.forms import DateField, PhotosField, model_field
from schools.models import School

from . import selectors
from .models import Hazard, RemediationExpense, RemediationProject
from .services import default_deadline


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


# --- the ledger: report and transitions ---------------------------------------------------


def default_source(user):
    """What a report by ``user`` usually is: a school manager's self-check, a teacher's or
    counsellor's snapshot (随手拍); otherwise nothing is preselected."""
    if is_school_manager.test(user):
        return Hazard.Source.SELF_INSPECTION
    if (is_teacher | is_counsellor).test(user):
        return Hazard.Source.SNAPSHOT
    return ""


class HazardReportForm(forms.Form):
    """登记隐患: the arguments of ``services.report_hazard`` (school first)."""

    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("学校"), empty_label=_("请选择学校")
    )
    title = forms.CharField(label=_("隐患描述"), max_length=200)
    # A blank first choice, so nobody files a hazard as "fire" just by not choosing.
    category = forms.ChoiceField(
        choices=[("", _("请选择"))] + Hazard.Category.choices, label=_("类别")
    )
    level = forms.ChoiceField(
        choices=Hazard.Level.choices, label=_("等级"), initial=Hazard.Level.GENERAL
    )
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
        self.fields["source"].initial = default_source(user)


class AssignForm(forms.Form):
    """交办整改 (查→改). Funding and contingency plan are required by the service for a major
    hazard; the form marks them so the person sees it before submitting."""

    responsible = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("整改责任人"), empty_label=_("请选择"), required=False
    )
    measures = forms.CharField(label=_("整改措施"), widget=_textarea(4), required=False)
    deadline = model_field(Hazard, "deadline")
    funding_yuan = model_field(Hazard, "funding_yuan")
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
                self.fields[name].help_text = _(
                    "重大隐患必填（五落实：责任、措施、资金、时限、预案）。"
                )


def _responsible_label(user):
    return f"{user}（{user.get_role_display()}）"


class SubmitRectificationForm(forms.Form):
    """提交整改 (改→督): what was done, with evidence photos."""

    note = forms.CharField(label=_("整改情况"), widget=_textarea(4))
    photos = PhotosField(label=_("整改后照片"))

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)


class RejectRectificationForm(forms.Form):
    """验收不通过 (督→改): the reason is required."""

    comment = forms.CharField(label=_("不通过理由"), widget=_textarea(3))
    photos = PhotosField()

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    """验收销号 (督→销)."""

    comment = forms.CharField(label=_("验收意见"), widget=_textarea(3), required=False)
    photos = PhotosField(label=_("验收照片"))

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)


class DismissForm(forms.Form):
    """不予立案 (查→不予立案): not a hazard, or a duplicate."""

    reason = forms.CharField(label=_("不予立案理由"), widget=_textarea(3))

    def __init__(self, *args, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)


TRANSITION_FORMS = {
    "assign": AssignForm,
    "submit_rectification": SubmitRectificationForm,
    "reject_rectification": RejectRectificationForm,
    "close": CloseForm,
    "dismiss": DismissForm,
}


# --- 随手拍 ------------------------------------------------------------------------------


def _category_field():
    # A blank first choice, so nobody files "fire" just by not choosing.
    return forms.ChoiceField(choices=[("", _("请选择"))] + Hazard.Category.choices, label=_("类别"))


class SnapshotFields(forms.Form):
    """The fields both 随手拍 pages share; ``title`` is the short description."""

    photos = PhotosField(label=_("拍照"))
    category = _category_field()
    location = forms.CharField(
        label=_("位置"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：教学楼二楼东侧楼梯")}),
    )
    title = forms.CharField(
        label=_("隐患描述"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("简要说明看到的问题")}),
    )
    client_id = ClientIdField()


class SnapshotForm(SnapshotFields):
    """随手拍 of a user with an account. ``add_to``: the id of a suggested similar hazard to
    add this report to instead of filing a new one (checked in ``clean``)."""

    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("学校"), empty_label=_("请选择学校")
    )
    add_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["school", "photos", "category", "location", "title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = School.objects.visible_to(user).active()
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        self.single_school = only[0] if len(only) == 1 else None
        if self.single_school:  # nothing to choose: the user's own school
            self.fields["school"].initial = self.single_school.pk
            self.fields["school"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("add_to") and data.get("school"):
            data["add_to"] = (
                Hazard.objects.visible_to(self.user)
                .open()
                .filter(school=data["school"], pk=data["add_to"])
                .first()
            )
            if data["add_to"] is None:
                self.add_error(None, gettext("所选隐患已办结或不存在，请重新选择或登记为新隐患。"))
        return data


class PublicSnapshotForm(SnapshotFields):
    """随手拍 without an account; the school comes from the link."""

    contact = forms.CharField(
        label=_("联系电话（选填）"),
        max_length=20,
        required=False,
        validators=[RegexValidator(r"^\+?[0-9][0-9 -]{5,18}$", _("请输入有效的电话号码。"))],
        help_text=_("仅用于反馈处理结果，不会告诉学校。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocapitalize": "characters", "autocomplete": "off"}
        )


class MarkDuplicateForm(forms.Form):
    """Which open hazard of the same school this one repeats, and an optional note."""

    original = forms.ModelChoiceField(
        queryset=Hazard.objects.none(), label=_("原隐患"), empty_label=_("请选择")
    )
    comment = forms.CharField(
        label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, hazard, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = (
            Hazard.objects.visible_to(user)
            .open()
            .filter(school=hazard.school_id)
            .exclude(pk=hazard.pk)
        )
        self.fields["original"].label_from_instance = _hazard_label


def _hazard_label(hazard):
    return f"#{hazard.pk} {hazard.title}（{hazard.location or '-'}，{hazard.get_status_display()}）"


# --- remediation projects and 挂牌督办 -------------------------------------------------------


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=RemediationProject.Category.choices)
    budget_yuan = model_field(RemediationProject, "budget_yuan")
    contractor = forms.CharField(label=_("承建单位"), max_length=200, required=False)
    start_date = model_field(RemediationProject, "start_date")
    schools = forms.ModelMultipleChoiceField(
        label=_("学校"), queryset=School.objects.none(), required=False
    )
    hazards = forms.ModelMultipleChoiceField(
        label=_("关联隐患"), queryset=Hazard.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.visible_to(user).active()
        self.fields["hazards"].queryset = selectors.hazards_for_links(user).select_related("school")
        self.fields["schools"].widget.attrs["size"] = 8


class ExpenseForm(forms.Form):
    date = model_field(RemediationExpense, "date")
    school = forms.ModelChoiceField(label=_("学校"), queryset=School.objects.none())
    amount_yuan = model_field(RemediationExpense, "amount_yuan")
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = project.schools.all()


class CompleteForm(forms.Form):
    on = DateField(label=_("完工日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class SupervisingLeaderForm(forms.Form):
    leader = forms.ModelChoiceField(
        label=_("督办领导"),
        required=False,
        queryset=selectors.supervising_leader_choices(),
        empty_label=_("（不督办）"),
    )
