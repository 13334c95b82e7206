"""Patrol pages: today's roster lines of the user, a slot's phone page (start, tick or scan
each point, note a problem with a photo, finish), the landing page a point's QR code opens,
and the printable QR sheet of a school's points."""

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.exceptions import DomainError
from schools.models import School

from .. import services
from ..forms import FinishForm, ProblemForm
from ..models import Patrol, PatrolCheck, PatrolPoint, PatrolSlot


class MySlotsView(LoginRequiredMixin, TemplateView):
    """巡查: today's roster lines the user may run, with their state."""

    template_name = "supervision/patrol_slots.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        slots = [
            s
            for s in PatrolSlot.objects.visible_to(user)
            .filter(is_active=True)
            .select_related("school", "patroller")
            if user.has_perm("supervision.run_patrol", s)
        ]
        patrols = {p.slot_id: p for p in Patrol.objects.filter(slot__in=slots, date=today)}
        rows = [
            {"slot": s, "patrol": patrols.get(s.pk), "today": s.runs_on_weekday(today)}
            for s in slots
        ]
        qr_schools = [
            s
            for s in School.objects.visible_to(user)
            if user.has_perm("supervision.manage_supervision", s)
        ]
        return super().get_context_data(rows=rows, today=today, qr_schools=qr_schools, **kwargs)


def _slot(request, pk):
    slot = get_object_or_404(
        PatrolSlot.objects.visible_to(request.user).select_related("school"), pk=pk
    )
    if not request.user.has_perm("supervision.run_patrol", slot):
        raise PermissionDenied
    return slot


class SlotView(LoginRequiredMixin, View):
    """One slot's patrol of today: GET the page, POST ``action`` = start | tick | problem |
    finish. Refusals of the services show as messages; a bad problem form re-renders."""

    def get(self, request, pk, problem_form=None):
        slot = _slot(request, pk)
        patrol = Patrol.objects.filter(slot=slot, date=timezone.localdate()).first()
        checked = (
            set(PatrolCheck.objects.filter(patrol=patrol).values_list("point_id", flat=True))
            if patrol
            else set()
        )
        points = list(slot.points.filter(is_active=True))
        return render(
            request,
            "supervision/patrol_run.html",
            {
                "slot": slot,
                "patrol": patrol,
                "points": [{"point": p, "checked": p.pk in checked} for p in points],
                "problem_form": problem_form or ProblemForm(points=slot.points.all()),
                "finish_form": FinishForm(),
                "problems": patrol.problems.select_related("hazard", "point") if patrol else [],
            },
        )

    def post(self, request, pk):
        slot = _slot(request, pk)
        now, action = timezone.now(), request.POST.get("action")
        try:
            if action == "start":
                services.start_patrol(slot, actor=request.user, now=now)
                return self._back(slot)
            patrol = get_object_or_404(Patrol, slot=slot, date=timezone.localdate(now))
            if action == "tick":
                point = get_object_or_404(slot.points, pk=request.POST.get("point"))
                services.check_point(patrol, point, actor=request.user, method="tick", now=now)
            elif action == "problem":
                return self._problem(request, slot, patrol, now)
            elif action == "finish":
                form = FinishForm(request.POST)
                note = form.cleaned_data["note"] if form.is_valid() else ""
                services.finish_patrol(patrol, actor=request.user, now=now, note=note)
                messages.success(request, _("巡查已完成。"))
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied from exc
            messages.error(request, str(exc.message))
        return self._back(slot)

    def _problem(self, request, slot, patrol, now):
        form = ProblemForm(request.POST, request.FILES, points=slot.points.all())
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_patrol_problem(
                    patrol, actor=request.user, title=data["title"], category=data["category"],
                    now=now, point=data["point"], description=data["description"],
                    photos=[data["photo"]] if data["photo"] else [],
                )  # fmt: skip
            except DomainError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied from exc
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("问题已登记为隐患，进入查改督销流程。"))
                return self._back(slot)
        return self.get(request, slot.pk, problem_form=form)

    def _back(self, slot):
        return HttpResponseRedirect(reverse("patrol-slot", args=[slot.pk]))


class ScanView(LoginRequiredMixin, View):
    """What a point's QR code opens: the point is ticked (as scanned) on the user's patrol
    under way at that school today that covers it, then the patrol page is shown."""

    def get(self, request, code):
        point = get_object_or_404(PatrolPoint.objects.visible_to(request.user), code=code)
        patrols = Patrol.objects.filter(
            slot__points=point, date=timezone.localdate(), status=Patrol.Status.IN_PROGRESS
        ).select_related("slot")
        patrol = next(
            (p for p in patrols if request.user.has_perm("supervision.run_patrol", p.slot)), None
        )
        if patrol is None:
            return render(request, "supervision/patrol_scan.html", {"point": point})
        services.check_point(patrol, point, actor=request.user, method="scan", now=timezone.now())
        messages.success(request, _("已签到：%(point)s") % {"point": point})
        return HttpResponseRedirect(reverse("patrol-slot", args=[patrol.slot_id]))


class PointSheetView(LoginRequiredMixin, TemplateView):
    """A school's patrol points with a QR code each (SVG, printable: one card per point)."""

    template_name = "supervision/point_sheet.html"

    def get_context_data(self, **kwargs):
        school = get_object_or_404(
            School.objects.visible_to(self.request.user), pk=self.kwargs["school_id"]
        )
        if not self.request.user.has_perm("supervision.manage_supervision", school):
            raise PermissionDenied
        cards = []
        for point in PatrolPoint.objects.filter(school=school, is_active=True):
            url = self.request.build_absolute_uri(reverse("patrol-scan", args=[point.code]))
            svg = segno.make(url, error="m").svg_inline(scale=4)
            cards.append({"point": point, "svg": mark_safe(svg)})
        return super().get_context_data(school=school, cards=cards, **kwargs)
