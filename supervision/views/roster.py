"""The roster pages: a class list with its students (guardian phones masked unless the user
may see them whole), the Excel template, the import (all or nothing, every bad row listed),
and the export (masked the same way)."""

import tablib
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.exceptions import NotPermitted
from schools.models import School, SchoolClass, Student

from .. import services
from ..forms import RosterImportForm
from ..resources import StudentResource, template_dataset

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _xlsx(dataset, filename):
    response = HttpResponse(dataset.export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ClassListView(LoginRequiredMixin, TemplateView):
    """班级与学生: the classes the user may see; one class's students by name when the user
    may see them (``Student.objects.visible_to``)."""

    template_name = "supervision/roster.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        classes = (
            SchoolClass.objects.visible_to(user)
            .filter(is_active=True)
            .select_related("school", "homeroom_teacher")
        )
        chosen = classes.filter(pk=self.request.GET.get("class") or 0).first()
        students = []
        if chosen is not None:
            for s in (
                Student.objects.visible_to(user)
                .filter(school_class=chosen, is_active=True)
                .select_related("school_class")
            ):
                phone = (
                    s.guardian_phone
                    if user.has_perm("schools.view_guardian_phone", s)
                    else s.masked_guardian_phone
                )
                students.append({"student": s, "phone": phone})
        schools = [
            s for s in School.objects.visible_to(user) if user.has_perm("schools.manage_roster", s)
        ]
        return super().get_context_data(
            classes=classes, chosen=chosen, students=students, import_schools=schools, **kwargs
        )


class TemplateDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        return _xlsx(template_dataset(), "students-template.xlsx")


class ExportView(LoginRequiredMixin, View):
    """One class's students as Excel; phones masked unless the user may see them whole."""

    def get(self, request, pk):
        school_class = get_object_or_404(SchoolClass.objects.visible_to(request.user), pk=pk)
        students = Student.objects.visible_to(request.user).filter(school_class=school_class)
        if not students.exists() and not request.user.has_perm(
            "schools.view_student", school_class
        ):
            raise Http404
        resource = StudentResource(school_class.school, user=request.user)
        return _xlsx(
            resource.export(students.select_related("school_class")), f"students-{pk}.xlsx"
        )


class ImportView(LoginRequiredMixin, View):
    """Upload the filled template: nothing is imported when a row is bad, and every bad row
    is listed with its reason."""

    template_name = "supervision/roster_import.html"

    def _schools(self, request):
        schools = [
            s.pk
            for s in School.objects.visible_to(request.user)
            if request.user.has_perm("schools.manage_roster", s)
        ]
        if not schools:
            raise PermissionDenied
        return School.objects.filter(pk__in=schools)

    def get(self, request):
        return render(
            request, self.template_name, {"form": RosterImportForm(schools=self._schools(request))}
        )

    def post(self, request):
        form = RosterImportForm(request.POST, request.FILES, schools=self._schools(request))
        rows = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise ValueError(_("文件不能超过 5 MB。"))
                dataset = tablib.Dataset().load(upload.read(), format="xlsx")
            except Exception as exc:
                form.add_error(
                    "file",
                    _("无法读取该文件，请上传用模板填写的 .xlsx 文件。")
                    if not isinstance(exc, ValueError) or not str(exc)
                    else str(exc),
                )
            else:
                try:
                    done = services.import_roster(
                        form.cleaned_data["school"], dataset, actor=request.user
                    )
                except NotPermitted as exc:
                    raise PermissionDenied from exc
                except services.RosterImportError as exc:
                    form.add_error(None, str(exc.message))
                    rows = exc.rows
                else:
                    messages.success(
                        request,
                        _("导入完成：新增 %(c)d 人，更新 %(u)d 人，停用（离校）%(d)d 人。")
                        % {"c": done.created, "u": done.updated, "d": done.deactivated},
                    )
                    return HttpResponseRedirect(reverse("roster"))
        return render(request, self.template_name, {"form": form, "rows": rows}, status=400)
