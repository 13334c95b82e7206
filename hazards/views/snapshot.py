"""校园安全随手拍 for users with an account: snapshot reports from phones, and the schools'
QR-code posters for the public form.

- ``/hazards/snapshot/``: photos, category, place, a short description; the school comes
  from the user's scope. While the person types, ``/hazards/snapshot/similar/`` (htmx) lists
  open hazards of the same school and category at a similar place
  (``selectors.similar_open_hazards``), and the person may add the report to one of them
  instead.
- ``/hazards/snapshot/posters/``: each school's printable poster with the QR code of its
  public form (``hazards.views.public``).

Marking a reported hazard as a duplicate is ``hazards.views.workflow.MarkDuplicateView``.
Every write is one call to ``hazards.services``; a re-sent form (same hidden ``client_id``)
answers with the hazard the first sending made.
"""

import segno
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.views import DomainErrorMixin
from schools.models import School

from .. import services
from ..forms import SnapshotForm
from ..models import Hazard
from ..selectors import similar_open_hazards
from .ledger import ReportPermissionMixin, already_reported


class SnapshotView(LoginRequiredMixin, ReportPermissionMixin, DomainErrorMixin, FormView):
    """随手拍 for users with an account: a new hazard (source ``snapshot``), or photos and a
    comment added to a similar open hazard the person picked."""

    template_name = "hazards/snapshot.html"
    form_class = SnapshotForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data, user = form.cleaned_data, self.request.user
        if data.get("add_to"):
            return services.supplement_hazard(
                data["add_to"], actor=user, photos=data["photos"], comment=data["title"]
            )
        return services.report_hazard(
            data["school"],
            actor=user,
            source=Hazard.Source.SNAPSHOT,
            title=data["title"],
            category=data["category"],
            location=data["location"],
            photos=data["photos"],
            client_id=data["client_id"],
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.AlreadyReported as exc:
            return already_reported(self.request, exc.hazard)

    @property
    def success_message(self):
        if self.request.POST.get("add_to"):
            return _("已补充到隐患 #%(id)s，谢谢！") % {"id": self.result.pk}
        return _("随手拍已提交，谢谢！学校安全员会尽快处理。")

    def get_success_url(self):
        return reverse("hazard-detail", args=[self.result.pk])


class SimilarHazardsView(LoginRequiredMixin, TemplateView):
    """htmx partial: similar open hazards for the values typed so far (GET school, category,
    location). Anything unknown or out of scope gives an empty list, never an error."""

    template_name = "hazards/snapshot_similar.html"

    def get_context_data(self, **kwargs):
        user, params = self.request.user, self.request.GET
        school = (
            School.objects.visible_to(user).filter(pk=_int_or_none(params.get("school"))).first()
        )
        hazards = similar_open_hazards(
            school,
            params.get("category", ""),
            params.get("location", "")[:100],
            queryset=Hazard.objects.visible_to(user),
        )
        return super().get_context_data(hazards=hazards, **kwargs)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PosterListView(LoginRequiredMixin, TemplateView):
    """The schools in the user's scope, each with a link to its printable poster."""

    template_name = "hazards/snapshot_posters.html"

    def get_context_data(self, **kwargs):
        schools = School.objects.visible_to(self.request.user).active()
        return super().get_context_data(schools=schools, **kwargs)


class PosterView(LoginRequiredMixin, TemplateView):
    """A printable A4 poster with the school's public 随手拍 QR code (inline SVG made by
    segno) pointing at the absolute public URL. Out of scope → 404."""

    template_name = "hazards/snapshot_poster.html"

    def get_context_data(self, **kwargs):
        school = get_object_or_404(
            School.objects.visible_to(self.request.user).active(), pk=self.kwargs["school_id"]
        )
        url = self.request.build_absolute_uri(
            reverse("public-snapshot", args=[school.snapshot_token])
        )
        # The SVG is segno's own path data only (the URL is not embedded as text): safe inline.
        svg = segno.make(url, error="m").svg_inline(scale=10, border=2, omitsize=True)
        return super().get_context_data(school=school, url=url, qr_svg=mark_safe(svg), **kwargs)
