"""Export pages: the ledger as CSV/Excel (streamed, or an ``ExportJob`` when large), the job's
status page and its download. Jobs of other people outside one's scope are 404."""

from types import SimpleNamespace

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from core import keyset
from core.files import private_file_response
from core.sync import BadSyncParameter
from schools.models import School

from . import exports, record_exports
from .models import ExportJob, Period
from .serializers import ReportParamsSerializer
from .stored import school_figures, total_of


class HazardExportView(LoginRequiredMixin, View):
    """GET /exports/hazards/<csv|xlsx>/?<the list's query string>."""

    def get(self, request, fmt):
        if fmt not in exports.FORMATS:
            raise Http404
        try:  # the list's page cursors are not used (all rows are exported), but checked
            keyset.check_cursors(request.GET)
        except BadSyncParameter:
            message = _("导出链接中的分页参数无效，请回到隐患台账重新导出。")
            return render(request, "reports/export_error.html", {"error": message}, status=400)
        filterset, queryset = exports.filtered_hazards(request.user, request.GET)
        if filterset.errors:
            return render(request, "reports/export_error.html", {"filter": filterset}, status=400)
        limit = exports.async_threshold()
        if queryset[: limit + 1].count() > limit:  # counts no further than the threshold
            job = exports.request_export_job(request.user, _without_page(request.GET), fmt)
            return redirect("export-job", pk=job.pk)
        return _attachment(fmt, queryset, filterset)


def _without_page(query):
    query = query.copy()
    query.pop("page", None)
    return query


def _attachment(fmt, queryset, filterset):
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.ledger_csv(queryset), content_type=exports.CONTENT_TYPES["csv"]
        )
    else:
        response = FileResponse(
            exports.render("xlsx", queryset, filterset), content_type=exports.CONTENT_TYPES["xlsx"]
        )
    response["Content-Disposition"] = exports.content_disposition(
        exports.file_name(fmt), fallback=f"hazards.{fmt}"
    )
    return response


class _VisibleJobMixin(LoginRequiredMixin):
    def get_object(self, queryset=None):
        job = get_object_or_404(
            ExportJob.objects.select_related("requested_by"), pk=self.kwargs["pk"]
        )
        if not self.request.user.has_perm("reports.download_exportjob", job):
            raise Http404
        return job


class ExportJobView(_VisibleJobMixin, DetailView):
    """导出任务: status, refreshed by htmx every few seconds until finished."""

    template_name = "reports/export_job.html"
    context_object_name = "job"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["reports/export_job_status.html"]
        return [self.template_name]


class ExportDownloadView(_VisibleJobMixin, View):
    def get(self, request, pk):
        job = self.get_object()
        if job.status != ExportJob.Status.DONE:
            raise Http404
        # From the private storage (404 when missing, e.g. being purged), or by nginx
        # (X-Accel-Redirect) when so configured.
        response = private_file_response(job.file, content_type=exports.CONTENT_TYPES[job.format])
        name = exports.file_name(job.format, today=timezone.localtime(job.created_at).date())
        response["Content-Disposition"] = exports.content_disposition(
            name, fallback=f"hazards.{job.format}"
        )
        return response


class RecordExportView(LoginRequiredMixin, View):
    """GET /exports/records/<drills|activities|inspections|remediation>/?<the list's query>:
    that list as the page shows it, as .xlsx; a bad filter is a 400 page naming it."""

    def get(self, request, kind):
        if kind not in record_exports.RECORD_EXPORTS:
            raise Http404
        form, sheet = record_exports.record_sheet(kind, request.user, request.GET, timezone.now())
        if form.is_bound and not form.is_valid():
            context = {"filter": SimpleNamespace(form=form), "title": sheet.title}
            return render(request, "reports/export_error.html", context, status=400)
        return _xlsx_response([sheet], sheet.title, kind)


class YearlyExportView(LoginRequiredMixin, View):
    """GET /exports/yearly/?year=&period=&school=: the yearly statistics of the user's scope
    as .xlsx (the figures, then each school's); bad parameters are a 400 page."""

    def get(self, request):
        params = ReportParamsSerializer(data=request.GET)
        if not params.is_valid():
            errors = "；".join(f"{k}: {' '.join(map(str, v))}" for k, v in params.errors.items())
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
        year, period = params.validated_data["year"], params.validated_data["period"]
        schools = School.objects.visible_to(request.user).active()
        if params.validated_data.get("school") is not None:
            schools = schools.filter(pk=params.validated_data["school"])
            if not schools.exists():
                raise Http404
        names = dict(schools.values_list("id", "name"))
        # The stored figures (reports.stored), as on the dashboard and in the API.
        by_school, _at = school_figures(
            list(names), year=year, period=period, today=timezone.localdate()
        )
        total = total_of(by_school)
        filters = [_("年度=%(year)s") % {"year": year}, str(Period(period).label)]
        if params.validated_data.get("school") is not None:
            filters.append(next(iter(names.values())))
        sheets = record_exports.figures_sheets(
            total,
            [(name, by_school[sid]) for sid, name in names.items()],
            filters=filters,
            now=timezone.now(),
        )
        return _xlsx_response(sheets, _("年度统计") + f"-{year}", "yearly")


def _xlsx_response(sheets, name, fallback):
    response = FileResponse(exports.xlsx_file(sheets), content_type=exports.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = exports.content_disposition(
        exports.file_name("xlsx", what=name), fallback=f"{fallback}.xlsx"
    )
    return response
