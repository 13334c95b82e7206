"""Web pages of the schools app: the remote search of a searchable school select, and the
bureau admins' bulk import of schools, staff and assignments from Excel (``imports``)."""

import base64
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import FormView

from core.exceptions import DomainError

from . import imports
from .models import School

SEARCH_LIMIT = 20


@require_safe
@login_required
def school_search(request):
    """GET ``?q=`` → ``{"results": [{"id", "text"}]}``: at most ``SEARCH_LIMIT`` schools of the
    user's scope whose name or code contains ``q`` (all of them, by name, for an empty q)."""
    query = request.GET.get("q", "").strip()[:50]
    schools = School.objects.visible_to(request.user)
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    rows = schools.order_by("name", "pk").values_list("pk", "name")[:SEARCH_LIMIT]
    return JsonResponse({"results": [{"id": pk, "text": name} for pk, name in rows]})


# --- bulk import from Excel (bureau admins) -----------------------------------------------


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("导入内容"), choices=[(k, v[0]) for k, v in imports.KINDS.items()]
    )
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))
    deactivate_absent = forms.BooleanField(
        label=gettext_lazy("停用这些学校中名单外的人员（离职）"),
        required=False,
        help_text=gettext_lazy(
            "仅对“人员”有效：文件中学校的在职人员如不在名单中，将被停用（不删除）。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"


SESSION_KEY = "schools-import"


class ImportView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """批量导入 (/schools/import/): upload → a dry run listing what each row will do, or every
    bad row with its reason (nothing saved) → confirm → the import, all or nothing. The file
    waits in the session between the two steps."""

    permission_required = "schools.import_roster"
    template_name = "schools/import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=imports.KINDS, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data["file"].read(imports.MAX_BYTES + 1)
        kind, absent = form.cleaned_data["kind"], form.cleaned_data["deactivate_absent"]
        try:
            outcome = imports.preview(kind, data, actor=self.request.user, deactivate_absent=absent)
        except DomainError as exc:
            form.add_error("file", str(exc.message))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if not outcome.errors:
            self.request.session[SESSION_KEY] = {
                "kind": kind,
                "absent": absent,
                "data": base64.b64encode(data).decode(),
            }
        status = 400 if outcome.errors else 200
        context = self.get_context_data(form=form, outcome=outcome, kind=kind)
        return self.render_to_response(context, status=status)


class ImportConfirmView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST: import the file previewed in this session (once), then back to the import page."""

    permission_required = "schools.import_roster"

    def post(self, request):
        pending = request.session.pop(SESSION_KEY, None)
        if pending is None:
            messages.error(request, _("没有待确认的导入，请重新上传文件。"))
            return redirect("school-import")
        data = base64.b64decode(pending["data"])
        outcome = imports.run(
            pending["kind"], data, actor=request.user, deactivate_absent=pending["absent"]
        )
        if outcome.errors:
            messages.error(request, _("文件中有错误，未导入任何数据。请重新上传核对。"))
        else:
            messages.success(
                request,
                _(
                    "导入完成：新增 %(new)d 条，更新 %(update)d 条，未变 %(skip)d 条，停用 %(left)d 人。"  # noqa: E501
                )
                % {
                    "new": outcome.count("new"),
                    "update": outcome.count("update"),
                    "skip": outcome.count("skip"),
                    "left": len(outcome.leavers),
                },
            )
        return redirect("school-import")


@require_safe
@login_required
def import_template(request, kind):
    """GET: the .xlsx template (header row) of ``kind``; bureau admins only (403)."""
    if kind not in imports.KINDS:
        raise Http404
    if not request.user.has_perm("schools.import_roster"):
        raise PermissionDenied
    response = HttpResponse(
        imports.template(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = quote(f"{imports.KINDS[kind][0]}-导入模板.xlsx", safe="")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{kind}-template.xlsx\"; filename*=UTF-8''{name}"
    )
    return response
