"""The roster's Excel columns (django-import-export): the template staff download, the
import (dry run first: every bad row is listed with its reason and nothing is imported when
any row is bad; a student number already in the school updates that student, never a
duplicate), and the export, where a guardian's phone is masked unless the user may see it
whole (``schools.view_guardian_phone``)."""

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from schools.models import School, SchoolClass, Student

YES = {"是", "住校", "寄宿", "y", "yes", "true", "1"}
NO = {"", "否", "走读", "n", "no", "false", "0"}


class ClassWidget(widgets.ForeignKeyWidget):
    """A class of the importing school, by its name."""

    def __init__(self, school: School):
        super().__init__(SchoolClass, field="name")
        self.school = school

    def get_queryset(self, value, row, *args, **kwargs):
        return SchoolClass.objects.filter(school=self.school, is_active=True)

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("班级不能为空。"))
        found = self.get_queryset(value, row).filter(name=name).first()
        if found is None:
            raise ValueError(_("本校没有班级“%(name)s”。") % {"name": name})
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("“%(value)s”不是“是”或“否”。") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class TextWidget(widgets.CharWidget):
    """Text as typed; Excel turns student numbers and phones into numbers (13800001111.0)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


class StudentResource(resources.ModelResource):
    """One row per student: 学号, 姓名, 班级, 住校, 监护人姓名, 监护人电话."""

    student_number = fields.Field(
        attribute="student_number", column_name=gettext_lazy("学号"), widget=TextWidget()
    )
    name = fields.Field(attribute="name", column_name=gettext_lazy("姓名"), widget=TextWidget())
    school_class = fields.Field(attribute="school_class", column_name=gettext_lazy("班级"))
    is_boarding = fields.Field(
        attribute="is_boarding", column_name=gettext_lazy("住校"), widget=YesNoWidget()
    )
    guardian_name = fields.Field(
        attribute="guardian_name", column_name=gettext_lazy("监护人姓名"), widget=TextWidget()
    )
    guardian_phone = fields.Field(
        attribute="guardian_phone", column_name=gettext_lazy("监护人电话"), widget=TextWidget()
    )

    class Meta:
        model = Student
        import_id_fields = ("student_number",)
        fields = (
            "student_number", "name", "school_class", "is_boarding", "guardian_name",
            "guardian_phone",
        )  # fmt: skip
        export_order = import_order = fields
        clean_model_instances = True
        skip_unchanged = False

    def __init__(self, school: School, user=None):
        super().__init__()
        self.school, self.user = school, user
        self.fields["school_class"].widget = ClassWidget(school)

    def get_queryset(self):
        return Student.objects.filter(school=self.school).select_related("school_class")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.school = self.school
        instance.is_active = True  # a returning student is active again

    def dehydrate_guardian_phone(self, student):
        if self.user is not None and self.user.has_perm("schools.view_guardian_phone", student):
            return student.guardian_phone
        return student.masked_guardian_phone


def row_errors(result, dataset) -> list[tuple[int, str]]:
    """``[(row number as Excel shows it, reason)]`` of an import result, plus student numbers
    repeated inside the file; the header is row 1."""
    errors = []
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            label = _label(field)
            errors += [(invalid.number + 1, f"{label}：{m}" if label else str(m)) for m in messages]
    for number, row in result.row_errors():
        errors += [(number + 1, str(e.error)) for e in row]
    seen: dict[str, int] = {}
    column = str(StudentResource.fields["student_number"].column_name)
    for index, row in enumerate(dataset.dict, start=2):
        value = TextWidget().clean(row.get(column))
        if value and value in seen:
            errors.append(
                (index, _("学号“%(n)s”与第 %(row)d 行重复。") % {"n": value, "row": seen[value]})
            )
        seen.setdefault(value, index)
    return sorted(errors)


def _label(field: str) -> str:
    base = StudentResource.fields.get(field)
    return str(base.column_name) if base else ("" if field == "__all__" else field)


def template_dataset():
    """The empty template: the header row and one example row."""
    headers = [str(StudentResource.fields[f].column_name) for f in StudentResource._meta.fields]
    return tablib.Dataset(
        ["20240101", "张三", "一年级1班", "否", "张父", "13800000000"], headers=headers
    )
