"""Bulk import of schools, staff and leader/cadre assignments from Excel, through
django-import-export: a dry run first (what each row will do, every bad row with its
reason), then the real import only when no row is bad, in one transaction (all or nothing).

Rows are matched by a natural key, so importing the same file again updates and never
duplicates: a school by its code, a person by user name, an assignment by (school code,
user name, kind, start date). A person marked 否 in 在职 is deactivated, never deleted; with
``deactivate_absent`` the active school staff of the file's schools missing from the file
are deactivated too (leavers). New people get no usable password: they set one through
"忘记密码" (their e-mail) or an admin sets one, which they must change at first sign-in.

Entry points: ``template(kind)`` (an .xlsx with the headers), ``preview(kind, data, ...)``
and ``run(kind, data, ...)``, both returning an ``Outcome``; ``DomainError`` for a file that
cannot be read or lacks a column.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import RowResult

from accounts.models import User
from core.exceptions import DomainError, NotPermitted

from .models import Department, School, SchoolAssignment

MAX_BYTES = 2 * 1024 * 1024
HEADER_LANGUAGE = "zh-hans"
SEPARATORS = ("，", ",", "；", ";", " ")
SCHOOL_ROLES = (
    User.Role.SCHOOL_OFFICER, User.Role.PRINCIPAL, User.Role.TEACHER, User.Role.COUNSELLOR
)  # fmt: skip


# --- cells ---------------------------------------------------------------------------------


class ChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (小学), its label in the reader's language, its
    stored value, or one part of a label with a slash (教师 or 班主任 for 教师/班主任);
    exported as the label."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def _lookup(self) -> dict[str, str]:
        table = {str(value): value for value, _label in self.choices}
        table.update({str(label): value for value, label in self.choices})
        with translation.override("zh-hans"):
            labels = [(value, str(label)) for value, label in self.choices]
        for value, label in labels:
            for part in label.split("/"):
                table.setdefault(part.strip(), value)
        table.update({label: value for value, label in labels})
        return table

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        try:
            return self._lookup()[text]
        except KeyError:
            allowed = "、".join(str(label) for _value, label in self.choices)
            raise ValueError(
                _("“%(value)s”不是可选值（可选：%(allowed)s）。")
                % {"value": text, "allowed": allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class YesNoWidget(widgets.Widget):
    """是/否 (also Y/N, 1/0, true/false); blank is ``default``."""

    YES = {"是", "y", "yes", "1", "true", "在职"}
    NO = {"否", "n", "no", "0", "false", "离职"}

    def __init__(self, default=False, **kwargs):
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if not text:
            return self.default
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("请填写“是”或“否”，而不是“%(value)s”。") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class CodeListWidget(widgets.ManyToManyWidget):
    """Schools by code, separated by 、 or a comma; an unknown code is an error naming it."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value)
        for separator in SEPARATORS:
            text = text.replace(separator, "、")
        codes = [c.strip() for c in text.split("、") if c.strip()]
        found = {school.code: school for school in School.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValueError(_("没有学校代码“%(codes)s”。") % {"codes": "、".join(missing)})
        return [found[c] for c in codes]

    def render(self, value, obj=None, **kwargs):
        return "、".join(school.code for school in value.all()) if value is not None else ""


class NamedWidget(widgets.ForeignKeyWidget):
    """A related row by a unique text (a school's code, a person's user name, a department's
    name); an unknown one is an error naming it, blank is None."""

    def __init__(self, model, field, what, **kwargs):
        self.what = what
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            return self.model.objects.get(**{self.field: text})
        except self.model.DoesNotExist:
            raise ValueError(
                _("没有%(what)s“%(value)s”。") % {"what": self.what, "value": text}
            ) from None


def _column(attribute, label, widget=None, **kwargs):
    """A column by its Chinese header; text by default (a blank cell is "", not NULL)."""
    widget = widget or widgets.CharWidget(allow_blank=True)
    return Field(attribute=attribute, column_name=label, widget=widget, **kwargs)


# --- resources -----------------------------------------------------------------------------


class SchoolResource(resources.ModelResource):
    code = _column("code", gettext_lazy("学校代码"))
    name = _column("name", gettext_lazy("学校名称"))
    school_type = _column(
        "school_type", gettext_lazy("办学类型"), ChoiceWidget(School.SchoolType.choices)
    )
    town = _column("town", gettext_lazy("所属镇/苏木"), ChoiceWidget(School.Town.choices))
    address = _column("address", gettext_lazy("地址"))
    is_boarding = _column("is_boarding", gettext_lazy("寄宿制"), YesNoWidget())
    student_count = _column("student_count", gettext_lazy("学生数"), widgets.IntegerWidget())
    staff_count = _column("staff_count", gettext_lazy("教职工数"), widgets.IntegerWidget())
    is_active = _column("is_active", gettext_lazy("在用"), YesNoWidget(default=True))

    class Meta:
        model = School
        import_id_fields = ("code",)
        fields = (
            "code", "name", "school_type", "town", "address", "is_boarding", "student_count",
            "staff_count", "is_active",
        )  # fmt: skip
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class StaffResource(resources.ModelResource):
    username = _column("username", gettext_lazy("用户名"))
    name = _column("name", gettext_lazy("姓名"))
    phone = _column("phone", gettext_lazy("手机号"))
    email = _column("email", gettext_lazy("电子邮箱"))
    role = _column("role", gettext_lazy("角色"), ChoiceWidget(User.Role.choices))
    schools = _column(
        "schools", gettext_lazy("所属学校（学校代码，多个用、分隔）"), CodeListWidget(School)
    )
    department = _column(
        "department",
        gettext_lazy("所属部门"),
        NamedWidget(Department, "name", gettext_lazy("部门")),
    )
    is_active = _column("is_active", gettext_lazy("在职"), YesNoWidget(default=True))

    class Meta:
        model = User
        import_id_fields = ("username",)
        fields = (
            "username",
            "name",
            "phone",
            "email",
            "role",
            "schools",
            "department",
            "is_active",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.set_unusable_password()  # set by a reset mail, or by an admin
            instance.must_change_password = True

    def import_instance(self, instance, row, **kwargs):
        """The fields, and the schools column checked now (Django saves a many-to-many only
        after the row), so one pass names every error of the row."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            self.fields["schools"].clean(row)
        except ValueError as exc:
            errors.setdefault("schools", []).append(str(exc))
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.is_superuser:
            raise ValueError(
                _("不能通过导入修改超级管理员“%(name)s”。") % {"name": instance.username}
            )
        if instance.role == User.Role.REPORT_CLIENT:
            raise ValueError(_("接口客户端账号不能通过导入创建或修改。"))
        instance.scope_all_schools = instance.role in User.BUREAU_ROLES

    def after_import(self, dataset, result, **kwargs):
        """Leavers: with ``deactivate_absent``, the active school staff of the file's schools
        whose user names are not in the file are deactivated (``result.leavers``)."""
        result.leavers = []
        if not kwargs.get("deactivate_absent"):
            return
        usernames = {str(u).strip() for u in dataset[str(self.fields["username"].column_name)]}
        codes = set()
        for cell in dataset[str(self.fields["schools"].column_name)]:
            codes.update(s.code for s in self.fields["schools"].widget.clean(cell))
        leavers = (
            User.objects.filter(is_active=True, role__in=SCHOOL_ROLES, schools__code__in=codes)
            .exclude(username__in=usernames)
            .exclude(is_superuser=True)
            .distinct()
            .order_by("username")
        )
        for user in leavers:
            user.is_active = False
            user.save(update_fields=["is_active"])  # signals revoke the tokens, history notes it
            result.leavers.append(str(user.username))


class AssignmentResource(resources.ModelResource):
    school = _column(
        "school", gettext_lazy("学校代码"), NamedWidget(School, "code", gettext_lazy("学校代码"))
    )
    user = _column(
        "user", gettext_lazy("用户名"), NamedWidget(User, "username", gettext_lazy("用户名"))
    )
    kind = _column("kind", gettext_lazy("类型"), ChoiceWidget(SchoolAssignment.Kind.choices))
    start_date = _column("start_date", gettext_lazy("开始日期"), widgets.DateWidget())
    end_date = _column("end_date", gettext_lazy("结束日期"), widgets.DateWidget())

    class Meta:
        model = SchoolAssignment
        import_id_fields = ("school", "user", "kind", "start_date")
        fields = ("school", "user", "kind", "start_date", "end_date")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.user.is_bureau:
            raise ValueError(_("联校领导和包校干部须为教体局人员。"))


KINDS: dict[str, tuple[Any, type[resources.ModelResource]]] = {
    "schools": (gettext_lazy("学校"), SchoolResource),
    "staff": (gettext_lazy("人员"), StaffResource),
    "assignments": (gettext_lazy("联校包校安排"), AssignmentResource),
}


# --- the workflow --------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What one row of the file does (or why it cannot): ``line`` is its Excel row."""

    line: int
    action: str  # new, update, skip, invalid, error
    key: str
    errors: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    rows: list[RowPlan]
    leavers: list[str]

    @property
    def errors(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def template(kind: str) -> bytes:
    """An .xlsx with the columns of ``kind`` (its header row only). The headers are Chinese
    in every language (``HEADER_LANGUAGE``), so a file works whoever uploads it."""
    with translation.override(HEADER_LANGUAGE):
        return _template(kind)


def _template(kind: str) -> bytes:
    resource = KINDS[kind][1]()
    dataset = tablib.Dataset(headers=[str(f.column_name) for f in resource.get_import_fields()])
    return dataset.export("xlsx")


def load(data: bytes) -> tablib.Dataset:
    """The first sheet of an .xlsx, its first row the headers. DomainError when it is not a
    readable Excel file, is too big or holds no rows."""
    if len(data) > MAX_BYTES:
        raise DomainError(_("文件过大：最大 2 MB。"))
    try:
        dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    except Exception:  # openpyxl/zipfile raise many kinds for a file that is not .xlsx
        raise DomainError(
            _("无法读取该文件：请上传 .xlsx 格式的 Excel 文件（可先下载模板填写）。")
        ) from None
    if not dataset.headers or not len(dataset):
        raise DomainError(_("文件中没有数据行：第一行为表头，从第二行起每行一条。"))
    return dataset


def preview(kind: str, data: bytes, *, actor: User, deactivate_absent: bool = False) -> Outcome:
    """What importing ``data`` would do, row by row; nothing is saved."""
    return _import(kind, data, actor=actor, dry_run=True, deactivate_absent=deactivate_absent)


def run(kind: str, data: bytes, *, actor: User, deactivate_absent: bool = False) -> Outcome:
    """Import ``data`` when no row is bad, all in one transaction; with a bad row nothing is
    saved and the outcome names it (``Outcome.errors``)."""
    outcome = preview(kind, data, actor=actor, deactivate_absent=deactivate_absent)
    if outcome.errors:
        return outcome
    with transaction.atomic():
        outcome = _import(
            kind, data, actor=actor, dry_run=False, deactivate_absent=deactivate_absent
        )
        if outcome.errors:  # changed between the two runs: roll everything back
            transaction.set_rollback(True)
    return outcome


def _import(kind, data, *, actor, dry_run, deactivate_absent) -> Outcome:
    if not actor.has_perm("schools.import_roster"):
        raise NotPermitted()
    dataset = load(data)
    with translation.override(HEADER_LANGUAGE):  # the file's headers are Chinese
        return _import_dataset(kind, dataset, dry_run, deactivate_absent)


def _import_dataset(kind, dataset, dry_run, deactivate_absent) -> Outcome:
    resource = KINDS[kind][1]()
    _require_headers(resource, dataset)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        raise_errors=False,
        deactivate_absent=deactivate_absent,
    )
    labels = {f.attribute: str(f.column_name) for f in resource.get_import_fields()}
    rows = [_plan(index, row, labels) for index, row in enumerate(result.rows, start=2)]
    for error in result.base_errors:
        rows.append(RowPlan(0, RowResult.IMPORT_TYPE_ERROR, "", [str(error.error)]))
    return Outcome(rows, getattr(result, "leavers", []))


def _require_headers(resource, dataset):
    expected = [str(f.column_name) for f in resource.get_import_fields()]
    key_columns = [
        str(resource.fields[name].column_name) for name in resource._meta.import_id_fields
    ]
    missing = [h for h in key_columns if h not in dataset.headers]
    if missing:
        raise DomainError(
            _("缺少列：%(missing)s。表头须为：%(expected)s。")
            % {"missing": "、".join(missing), "expected": "、".join(expected)}
        )


def _plan(line: int, row: RowResult, labels: dict[str, str]) -> RowPlan:
    errors = []
    if row.validation_error is not None:
        error = row.validation_error
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, texts in messages.items():
            prefix = f"{labels.get(name, name)}：" if name and name != "__all__" else ""
            errors += [prefix + str(text) for text in texts]
    errors += [str(error.error) for error in row.errors]
    return RowPlan(line, row.import_type, str(row.object_repr or ""), errors)
