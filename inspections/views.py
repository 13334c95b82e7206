"""HTML pages under /inspections/: the list, one inspection, filling its checklist on a
phone, planning one, the calendar, leaders' coverage, the safety committee, and the
bureau's cross-inspection rounds (open, pair, publish, summary)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from core.exceptions import DomainError, NotPermitted
from core.files import PrivateFileView
from core.forms import active_filters, enhance_filter_form
from hazards.models import Hazard
from schools.models import Department

from . import coverage, rounds, services
from .filters import InspectionFilter
from .forms import PlanInspectionForm, RoundForm
from .models import (
    CrossInspectionRound,
    CrossPairing,
    Inspection,
    InspectionAnswer,
    InspectionAnswerPhoto,
)
from .schedule import calendar_context, month_start


class InspectionListView(LoginRequiredMixin, ListView):
    template_name = "inspections/inspection_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = Inspection.objects.visible_to(self.request.user).select_related(
            "school", "inspecting_school"
        )
        self.filter = InspectionFilter(self.request.GET, queryset=queryset, request=self.request)
        enhance_filter_form(self.filter.form, remote={"school": reverse("school-search")})
        return self.filter.qs.distinct() if self.filter.is_valid() else queryset.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filter, active_filters=active_filters(self.filter.form), **kwargs
        )


class InspectionDetailView(LoginRequiredMixin, DetailView):
    template_name = "inspections/inspection_detail.html"
    context_object_name = "inspection"

    def get_queryset(self):
        return (
            Inspection.objects.visible_to(self.request.user)
            .select_related("school", "inspecting_school", "checklist", "round", "leader")
            .prefetch_related("departments")
        )

    def get_context_data(self, **kwargs):
        inspection, user = self.object, self.request.user
        return super().get_context_data(
            answers=inspection.answers.select_related("item", "hazard", "department")
            .prefetch_related("photos")
            .order_by("item__order"),
            hazards=inspection.hazards.select_related("department"),
            # Titles of findings other departments own are shown, linked only where the
            # user may open the hazard.
            visible_hazard_ids=set(
                Hazard.objects.visible_to(user)
                .filter(inspection=inspection)
                .values_list("pk", flat=True)
            ),
            may_fill=inspection.status in Inspection.OPEN_STATUSES
            and user.has_perm("inspections.fill_inspection", inspection),
            may_review=inspection.kind == Inspection.Kind.CROSS
            and inspection.status == Inspection.Status.SUBMITTED
            and user.has_perm("inspections.review_inspection", inspection),
            **kwargs,
        )


class AnswerPhotoView(PrivateFileView):
    """GET /inspections/photos/<uuid>/: a checklist answer's photo, from the private
    storage, for those who see the inspection (web session or API token); else 404."""

    def get_file(self):
        photo = get_object_or_404(
            InspectionAnswerPhoto.objects.visible_to(self.request.user),
            uuid=self.kwargs["uuid"],
        )
        return photo.image


class InspectionCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """The bureau plans a joint or spot check; a school manager a self check (403 others)."""

    template_name = "inspections/inspection_form.html"
    form_class = PlanInspectionForm
    permission_required = "inspections.plan_inspection"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            inspection = services.plan_inspection(actor=self.request.user, **form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, str(error))
            if not exc.field_errors:
                form.add_error(None, str(exc.message))
            return self.form_invalid(form)
        messages.success(self.request, _("检查已安排。"))
        return redirect("inspection-detail", pk=inspection.pk)


class InspectionFillView(LoginRequiredMixin, DetailView):
    """One page, one radio group (合格/不合格/不适用), a note and photos per item, and for a
    joint inspection the department owning each finding. ``save`` keeps the answers;
    ``submit`` also submits (failed items become hazards). Refused input is a 400 page
    with the message; nothing of that post is stored."""

    template_name = "inspections/inspection_fill.html"
    context_object_name = "inspection"

    def get_queryset(self):
        return Inspection.objects.visible_to(self.request.user).select_related(
            "school", "checklist"
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self._require_fill()
        if self.object.status not in Inspection.OPEN_STATUSES:
            messages.info(request, _("检查已提交，不能再修改结果。"))
            return redirect("inspection-detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self._require_fill()
        try:
            services.answer_items(self.object, actor=request.user, answers=self._posted_answers())
            if "submit" in request.POST:
                services.submit_inspection(self.object, actor=request.user)
                found = self.object.hazards.count()
                if found:
                    message = ngettext(
                        "检查已提交，%(count)d 项不合格已登记为隐患。",
                        "检查已提交，%(count)d 项不合格已登记为隐患。",
                        found,
                    ) % {"count": found}
                else:
                    message = _("检查已提交，全部合格。")
                messages.success(request, message)
                return redirect("inspection-detail", pk=self.object.pk)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            return self.render_to_response(
                self.get_context_data(posted=request.POST, error=exc.message), status=400
            )
        messages.success(request, _("已保存。"))
        return redirect("inspection-fill", pk=self.object.pk)

    def get_context_data(self, posted=None, **kwargs):
        """``rows``: one dict per applicable item (item, result, note, department id,
        stored photos), from the re-shown form after an error, else from the stored answers."""
        stored = {
            a.item_id: a
            for a in InspectionAnswer.objects.filter(inspection=self.object).prefetch_related(
                "photos"
            )
        }
        rows = []
        for item in services.applicable_items(self.object):
            answer = stored.get(item.pk)
            row = {
                "item": item,
                "result": "",
                "note": "",
                "department": "",
                "photos": answer.photos.all() if answer else [],
            }
            if posted:
                row.update(
                    result=posted.get(f"result_{item.code}", ""),
                    note=posted.get(f"note_{item.code}", ""),
                    department=posted.get(f"department_{item.code}", ""),
                )
            elif answer:
                row.update(
                    result=answer.result,
                    note=answer.note,
                    department=str(answer.department_id or ""),
                )
            rows.append(row)
        departments = (
            self.object.departments.all() if self.object.kind == Inspection.Kind.JOINT else []
        )
        progress = services.fill_progress(self.object)
        return super().get_context_data(
            rows=rows,
            sections=_by_section(rows, progress),
            results=InspectionAnswer.Result.choices,
            departments=departments,
            progress=progress,
            **kwargs,
        )

    def _require_fill(self):
        if not self.request.user.has_perm("inspections.fill_inspection", self.object):
            raise PermissionDenied

    def _posted_answers(self):
        """``{code: Answer}`` of the items given a result. Photos without a result are
        refused rather than dropped."""
        post, files = self.request.POST, self.request.FILES
        answers = {}
        for item in services.applicable_items(self.object):
            code, photos = item.code, tuple(files.getlist(f"photos_{item.code}"))
            if not post.get(f"result_{code}"):
                if photos:
                    raise DomainError(
                        _("请先选择检查项 %(code)s 的结果，再上传照片。") % {"code": code}
                    )
                continue
            answers[code] = services.Answer(
                post[f"result_{code}"],
                post.get(f"note_{code}", "").strip(),
                _posted_department(post.get(f"department_{code}", "")),
                photos,
            )
        return answers


def _posted_department(value):
    """The Department named by a posted id, None for none; DomainError for an unknown id
    (whether it takes part is the service's rule)."""
    try:
        return forms.ModelChoiceField(Department.objects.all(), required=False).clean(value)
    except ValidationError:
        raise DomainError(_("负责部门无效。")) from None


class InspectionAnswerView(InspectionFillView):
    """POST, saved as given (the checklist page's script posts each item as it is answered,
    so a dropped signal loses at most the item in hand): one item (``item=<code>`` with its
    ``result_``, ``note_``, ``department_``, ``photos_`` fields), or ``all_pass=<section
    code>`` (本节全部合格: the section's unanswered items pass). Answers JSON ``{"saved":
    [codes], "progress": services.fill_progress}``, or 400 ``{"error": message}``; a page
    without script is sent back to the checklist at the section."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self._require_fill()
        section = request.POST.get("all_pass", "")
        try:
            if section:
                saved = services.pass_unanswered(
                    self.object, actor=request.user, section_code=section
                )
            else:
                answers = self._posted_answers()
                services.answer_items(self.object, actor=request.user, answers=answers)
                saved = sorted(answers)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            if _wants_json(request):
                return JsonResponse({"error": str(exc.message)}, status=400)
            messages.error(request, exc.message)
            return redirect("inspection-fill", pk=self.object.pk)
        if _wants_json(request):
            return JsonResponse({"saved": saved, "progress": services.fill_progress(self.object)})
        messages.success(request, _("已保存 %(n)d 项。") % {"n": len(saved)})
        anchor = f"#section-{section}" if section else ""
        return redirect(reverse("inspection-fill", args=[self.object.pk]) + anchor)


def _by_section(rows, progress):
    """The rows grouped by section, in order: [{"section", "rows", "answered", "total"}]."""
    groups: dict = {}
    for row in rows:
        section = row["item"].section
        group = groups.setdefault(section.pk, {"section": section, "rows": []})
        group["rows"].append(row)
    for group in groups.values():
        group.update(progress["sections"].get(group["section"].code, {}))
    return list(groups.values())


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


class InspectionReviewView(LoginRequiredMixin, View):
    def post(self, request, pk):
        inspection = get_object_or_404(Inspection.objects.visible_to(request.user), pk=pk)
        try:
            services.review_cross_inspection(
                inspection, actor=request.user, comment=request.POST.get("comment", "")
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("inspection-detail", pk=pk)


# --- rounds ----------------------------------------------------------------------------


class RoundListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = "inspections.manage_round"
    template_name = "inspections/round_list.html"
    context_object_name = "rounds"

    def get_queryset(self):
        return CrossInspectionRound.objects.visible_to(self.request.user).annotate(
            school_total=Count("schools", distinct=True)
        )


class RoundCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    permission_required = "inspections.manage_round"
    template_name = "inspections/round_form.html"
    form_class = RoundForm

    def form_valid(self, form):
        try:
            rnd = rounds.open_round(actor=self.request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return self.form_invalid(form)
        return redirect("round-detail", pk=rnd.pk)


class RoundDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    """Pairings (editable while draft) and, once published, the summary per inspected
    school: hazards found and closed, and self-check vs peer check on the same items."""

    permission_required = "inspections.manage_round"
    template_name = "inspections/round_detail.html"
    context_object_name = "round"

    def get_queryset(self):
        return CrossInspectionRound.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        rnd = self.object
        return super().get_context_data(
            pairings=CrossPairing.objects.visible_to(self.request.user)
            .filter(round=rnd)
            .select_related("inspector", "inspected"),
            participants=rnd.schools.order_by("name"),
            summary=round_summary(rnd),
            **kwargs,
        )


class RoundActionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST ``propose`` (a fresh proposal), ``pairings`` (the edited table) or ``publish``."""

    permission_required = "inspections.manage_round"

    def post(self, request, pk, action):
        rnd = get_object_or_404(CrossInspectionRound.objects.visible_to(request.user), pk=pk)
        try:
            self._perform(rnd, action)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("round-detail", pk=pk)

    def _perform(self, rnd, action):
        user = self.request.user
        if action == "propose":
            rounds.propose_round_pairings(rnd, actor=user, seed=rnd.pairings.count() + rnd.pk)
        elif action == "pairings":
            rounds.set_pairings(rnd, actor=user, inspector_of=self._edited())
            messages.success(self.request, _("配对已保存。"))
        elif action == "publish":
            rounds.publish_round(rnd, actor=user)
            messages.success(self.request, _("互查轮次已发布。"))
        else:
            raise Http404

    def _edited(self):
        try:
            return {
                int(key.removeprefix("inspector_of_")): int(value)
                for key, value in self.request.POST.items()
                if key.startswith("inspector_of_")
            }
        except ValueError:
            raise DomainError(_("配对数据无效。")) from None


def round_summary(rnd):
    """Rows per inspected school: (school, inspection, found, closed, differences) where
    ``differences`` counts items the school's own self check passed but the peers failed."""
    inspections = (
        rnd.inspections.select_related("school", "inspecting_school")
        .annotate(
            found=Count("hazards"),
            closed=Count("hazards", filter=Q(hazards__status=Hazard.Status.CLOSED)),
        )
        .order_by("school__name")
    )
    return [(i, i.found, i.closed, self_vs_peer(i)) for i in inspections]


def self_vs_peer(inspection):
    """Item codes failed by the peers but passed in the school's latest self check on the
    same checklist; None when there is no such self check."""
    own = (
        Inspection.objects.filter(
            school_id=inspection.school_id,
            kind=Inspection.Kind.SELF,
            checklist_id=inspection.checklist_id,
            answers__isnull=False,
        )
        .order_by("-date", "-id")
        .first()
    )
    if own is None:
        return None
    passed = set(own.answers.filter(result="pass").values_list("item_id", flat=True))
    failed = inspection.answers.filter(result="fail", item_id__in=passed)
    return list(failed.values_list("item__code", flat=True))


# --- calendar --------------------------------------------------------------------------


class InspectionCalendarView(LoginRequiredMixin, TemplateView):
    """``?year=&month=`` (default: this month, Asia/Shanghai): the visible inspections of
    that month grouped by date, overdue ones (date passed, not submitted) flagged, and the
    oldest 50 overdue inspections in scope listed above (with the total). A bad year or
    month is a 400."""

    template_name = "inspections/inspection_calendar.html"

    def get(self, request, *args, **kwargs):
        try:
            first = month_start(request.GET, timezone.localdate())
        except ValueError:
            context = {"error": _("年份或月份无效。")}
            return self.render_to_response(self.get_context_data(**context), status=400)
        return self.render_to_response(
            self.get_context_data(**calendar_context(request.user, first))
        )


# --- coverage --------------------------------------------------------------------------


class CoverageView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Bureau only. ``?on=YYYY-MM-DD`` picks the term holding that day (default today): each
    leader and cadre assignment with covered yes/no, and the schools nobody covered."""

    permission_required = "inspections.view_coverage"
    template_name = "inspections/coverage.html"

    def get(self, request, *args, **kwargs):
        try:
            on = (
                datetime.date.fromisoformat(request.GET["on"])
                if request.GET.get("on")
                else timezone.localdate()
            )
            term = coverage.term_bounds(on)
        except ValueError:
            return self.render_to_response(self.get_context_data(error=_("日期无效。")), status=400)
        except DomainError as exc:
            return self.render_to_response(self.get_context_data(error=exc.message), status=400)
        return self.render_to_response(
            self.get_context_data(
                term=term,
                assignments=coverage.assignment_coverage(term),
                uncovered=coverage.uncovered_schools(term).order_by("code"),
                previous=term[0] - datetime.timedelta(days=1),
                next=coverage.next_term_day(term),
            )
        )


# --- safety committee ------------------------------------------------------------------


class CommitteeView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """Bureau only: the campus safety committee (校园安全委员会), its member departments with
    their active people and the number of joint inspections each department took part in.
    Three queries whatever the size."""

    permission_required = "inspections.view_committee"
    template_name = "inspections/committee.html"
    context_object_name = "departments"

    def get_queryset(self):
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        return Department.objects.annotate(
            joint_total=Count(
                "inspections", filter=Q(inspections__kind=Inspection.Kind.JOINT), distinct=True
            )
        ).prefetch_related(Prefetch("members", queryset=people))
