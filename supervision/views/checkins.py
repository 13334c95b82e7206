"""到家报平安 / 查寝 pages: the teacher's classes of the day, and one class's roll, where each
tap is saved by ``static/js/checkin.js`` through the JSON endpoint ``mark`` (no reload, no
inline script). The endpoint answers 400 with field messages for bad input, 403 without the
permission, 404 for a class out of scope."""

import datetime
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.exceptions import DomainError
from schools.models import SchoolClass

from .. import services
from ..models import CheckIn, RollKind
from ..selectors import class_cutoffs, class_roll


class MyClassesView(LoginRequiredMixin, TemplateView):
    """报平安: the classes the user may mark (own homeroom classes; a school's officer and
    principal: all of the school's classes), with today's counts."""

    template_name = "supervision/checkin_classes.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        classes = [
            c
            for c in SchoolClass.objects.visible_to(user)
            .filter(is_active=True)
            .select_related("school")
            if user.has_perm("supervision.record_checkin", c)
        ]
        return super().get_context_data(classes=classes, **kwargs)


class ClassRollMixin:
    def get_class(self):
        school_class = get_object_or_404(
            SchoolClass.objects.visible_to(self.request.user).select_related("school"),
            pk=self.kwargs["pk"],
        )
        if not self.request.user.has_perm("supervision.record_checkin", school_class):
            raise PermissionDenied
        return school_class


class ClassRollView(LoginRequiredMixin, ClassRollMixin, TemplateView):
    """One class's roll of a day: a row per student with three buttons."""

    template_name = "supervision/checkin_roll.html"

    def get_context_data(self, **kwargs):
        school_class = self.get_class()
        today = timezone.localdate()
        value = self.request.GET.get("date")
        day = _parse_day(value) if value else today
        kind = self.request.GET.get("kind") or RollKind.HOME
        if day is None or kind not in RollKind.values:
            raise Http404
        rows = class_roll(school_class, day, kind)
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in CheckIn.Status.values}
        return super().get_context_data(
            school_class=school_class,
            day=day,
            kind=kind,
            kinds=RollKind.choices,
            rows=rows,
            counts=counts,
            statuses=CheckIn.Status.choices,
            cutoff=class_cutoffs([school_class], kind, day).get(school_class.pk),
            can_see_phones=self.request.user.has_perm(
                "schools.view_guardian_phone", rows[0]["student"]
            )
            if rows
            else False,
            **kwargs,
        )


class MarkView(LoginRequiredMixin, ClassRollMixin, View):
    """``POST`` JSON ``{"date": "YYYY-MM-DD", "kind": "home"|"dorm", "student": id,
    "status": "arrived"|"excused"|"pending"}`` or ``{"date", "kind", "all": true}`` →
    ``{"marks": {student id: status}}``; 400 ``{"message", "errors": {field: [..]}}``."""

    def post(self, request, pk):
        school_class = self.get_class()
        try:
            data = json.loads(request.body or b"{}")
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return _bad(_("请求格式无效。"), {})
        day = _parse_day(data.get("date"))
        if day is None:
            return _bad(_("日期无效。"), {"date": [_("日期无效。")]})
        now, kind = timezone.now(), str(data.get("kind") or RollKind.HOME)
        try:
            if data.get("all"):
                rows = services.mark_all_arrived(
                    school_class, actor=request.user, day=day, kind=kind, now=now
                )
            else:
                student = _int(data.get("student"))
                if student is None:
                    return _bad(_("学生无效。"), {"student": [_("学生无效。")]})
                rows = services.mark_checkins(
                    school_class, actor=request.user, day=day, kind=kind,
                    marks={student: str(data.get("status", ""))}, now=now,
                )  # fmt: skip
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied from exc
            return _bad(
                str(exc.message), {k: [str(m) for m in v] for k, v in exc.field_errors.items()}
            )
        return JsonResponse({"marks": {str(r.student_id): r.status for r in rows}})


def _parse_day(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bad(message, errors):
    return JsonResponse({"message": message, "errors": errors}, status=400)
