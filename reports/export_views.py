"""Export pages: the ledger as CSV/Excel (streamed, or an ``ExportJob`` when large), the job's
status page and its download. Jobs of other people outside one's scope are 404."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView

from core.files import private_file_response

from . import exports
from .models import ExportJob


class HazardExportView(LoginRequiredMixin, View):
    """GET /exports/hazards/<csv|xlsx>/?<the list's query string>."""

    def get(self, request, fmt):
        if fmt not in exports.FORMATS:
            raise Http404
        filterset, queryset = exports.filtered_hazards(request.user, request.GET)
        if filterset.errors:
            return render(request, "reports/export_error.html", {"filter": filterset}, status=400)
        if queryset.count() > exports.async_threshold():
            job = exports.request_export_job(request.user, _without_page(request.GET), fmt)
            return redirect("export-job", pk=job.pk)
        return _attachment(fmt, queryset)


def _without_page(query):
    query = query.copy()
    query.pop("page", None)
    return query


def _attachment(fmt, queryset):
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.iter_csv(exports.headers(), exports.ledger_rows(queryset)),
            content_type=exports.CONTENT_TYPES["csv"],
        )
    else:
        response = HttpResponse(
            exports.render("xlsx", queryset), content_type=exports.CONTENT_TYPES["xlsx"]
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
