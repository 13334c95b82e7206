"""校园安全随手拍: snapshot reports from phones.

- ``/hazards/snapshot/`` (login): photos, category, place, a short description; the school
  comes from the user's scope. While the person types, ``/hazards/snapshot/similar/`` (htmx)
  lists open hazards of the same school and category at a similar place from the last
  ``SIMILAR_DAYS`` days, and the person may add the report to one of them instead.
- ``/s/<snapshot_token>/`` (public, no login): the same for parents and visitors, from the
  school's QR-code poster (``/hazards/snapshot/posters/``); rate-limited per client IP
  (``SNAPSHOT_RATE_LIMIT``, 429 when exceeded). The reporter gets a tracking code and sees
  only a coarse status at ``/s/track/``; the optional phone number is never shown.
- ``/hazards/<id>/mark-duplicate/`` (staff): dismiss as a duplicate of another open hazard.

Every write is one call to ``hazards.services``; a re-sent form (same hidden ``client_id``)
answers with the hazard the first sending made.
"""
import difflib
import time
from datetime import timedelta

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from campussafety.exceptions import DomainError
from campussafety.views import DomainErrorMixin, add_domain_error
from schools.models import School

from . import services
from .forms import ClientIdField, PhotosField, style_form
from .models import TRANSITIONS, Hazard
from .views import already_reported

SIMILAR_DAYS = 30
SIMILAR_LIMIT = 5
SIMILAR_RATIO = 0.6  # difflib ratio from which two place names count as the same place


# --- reads -----------------------------------------------------------------------------


def similar_open_hazards(school, category, location, *, queryset=None, now=None):
    """Open hazards of ``school`` and ``category`` reported in the last ``SIMILAR_DAYS``
    days at a place like ``location`` (one name contains the other, or they are close by
    ``difflib``), newest first, at most ``SIMILAR_LIMIT``. ``queryset``: the caller's
    scoped hazards (default all)."""
    place = _place_key(location)
    if not (school and category and place):
        return []
    since = (now or timezone.now()) - timedelta(days=SIMILAR_DAYS)
    candidates = (
        (queryset if queryset is not None else Hazard.objects.all())
        .open()
        .filter(school=school, category=category, reported_at__gte=since)
        .order_by("-reported_at", "-id")[:100]  # one school's month: small
    )
    return [h for h in candidates if _same_place(place, _place_key(h.location))][:SIMILAR_LIMIT]


def _place_key(text):
    return "".join((text or "").split()).lower()


def _same_place(a, b):
    return bool(b) and (a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_RATIO)


class Coarse:
    """What a public reporter may know about their report: one of four words, nothing else."""

    RECEIVED = gettext_lazy("已收到")
    FIXING = gettext_lazy("整改中")
    FIXED = gettext_lazy("已整改")
    CHECKED = gettext_lazy("已核查，无需整改")


def coarse_status(hazard):
    """The coarse status of a publicly reported hazard. A duplicate follows its original
    (the reporter's hazard is being fixed there; a chain of duplicates is followed a few
    links); any other dismissal is "checked"."""
    for _link in range(5):
        if hazard.status != Hazard.Status.DISMISSED or hazard.duplicate_of is None:
            break
        hazard = hazard.duplicate_of
    return {
        Hazard.Status.REPORTED: Coarse.RECEIVED,
        Hazard.Status.RECTIFYING: Coarse.FIXING,
        Hazard.Status.VERIFYING: Coarse.FIXING,
        Hazard.Status.CLOSED: Coarse.FIXED,
        Hazard.Status.DISMISSED: Coarse.CHECKED,
    }[hazard.status]


# --- rate limit --------------------------------------------------------------------------

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
TRACK_FACTOR = 4  # tracking look-ups may be repeated more often than reports are sent


def parse_rate(rate):
    """``"5/h"`` → (5, 3600): count per period in seconds. Raises ValueError."""
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip().lower()[:1]]


def over_rate_limit(request, scope, factor=1):
    """Count one request of ``scope`` from the client's IP in the current fixed window of
    ``SNAPSHOT_RATE_LIMIT``; True when that is more than the limit (× ``factor``)."""
    limit, period = parse_rate(settings.SNAPSHOT_RATE_LIMIT)
    window = int(time.time() // period)
    key = f"snapshot-rate:{scope}:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > limit * factor


def too_many_requests(request, school=None):
    response = render(request, "public/rate_limited.html", {"school": school}, status=429)
    response["Retry-After"] = str(parse_rate(settings.SNAPSHOT_RATE_LIMIT)[1])
    return response


# --- forms -----------------------------------------------------------------------------


def _category_field():
    # A blank first choice, so nobody files "fire" just by not choosing.
    return forms.ChoiceField(choices=[("", gettext_lazy("请选择"))] + Hazard.Category.choices,
                             label=gettext_lazy("类别"))


class SnapshotFields(forms.Form):
    """The fields both 随手拍 pages share; ``title`` is the short description."""

    photos = PhotosField(label=gettext_lazy("拍照"))
    category = _category_field()
    location = forms.CharField(
        label=gettext_lazy("位置"), max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：教学楼二楼东侧楼梯")}),
    )
    title = forms.CharField(
        label=gettext_lazy("隐患描述"), max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": gettext_lazy("简要说明看到的问题")}),
    )
    client_id = ClientIdField()


class SnapshotForm(SnapshotFields):
    """随手拍 of a user with an account. ``add_to``: the id of a suggested similar hazard to
    add this report to instead of filing a new one (checked in ``clean``)."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), label=gettext_lazy("学校"),
                                    empty_label=gettext_lazy("请选择学校"))
    add_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["school", "photos", "category", "location", "title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = School.objects.visible_to(user).active()
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        self.single_school = only[0] if len(only) == 1 else None
        if self.single_school:  # nothing to choose: the user's own school
            self.fields["school"].initial = self.single_school.pk
            self.fields["school"].widget = forms.HiddenInput()
        style_form(self)

    def clean(self):
        data = super().clean()
        if data.get("add_to") and data.get("school"):
            data["add_to"] = (
                Hazard.objects.visible_to(self.user).open()
                .filter(school=data["school"], pk=data["add_to"]).first()
            )
            if data["add_to"] is None:
                self.add_error(None, _("所选隐患已办结或不存在，请重新选择或登记为新隐患。"))
        return data


class PublicSnapshotForm(SnapshotFields):
    """随手拍 without an account; the school comes from the link."""

    contact = forms.CharField(
        label=gettext_lazy("联系电话（选填）"), max_length=20, required=False,
        validators=[RegexValidator(r"^\+?[0-9][0-9 -]{5,18}$", gettext_lazy("请输入有效的电话号码。"))],
        help_text=gettext_lazy("仅用于反馈处理结果，不会告诉学校。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class TrackForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("查询码"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocapitalize": "characters", "autocomplete": "off"})
        style_form(self)


class MarkDuplicateForm(forms.Form):
    """Which open hazard of the same school this one repeats, and an optional note."""

    original = forms.ModelChoiceField(queryset=Hazard.objects.none(), label=gettext_lazy("原隐患"),
                                      empty_label=gettext_lazy("请选择"))
    comment = forms.CharField(label=gettext_lazy("补充说明"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, hazard, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = (
            Hazard.objects.visible_to(user).open().filter(school=hazard.school_id).exclude(pk=hazard.pk)
        )
        self.fields["original"].label_from_instance = _hazard_label
        style_form(self)


def _hazard_label(hazard):
    return f"#{hazard.pk} {hazard.title}（{hazard.location or '-'}，{hazard.get_status_display()}）"


# --- pages with login ------------------------------------------------------------------


class SnapshotView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """随手拍 for users with an account: a new hazard (source ``snapshot``), or photos and a
    comment added to a similar open hazard the person picked."""

    template_name = "hazards/snapshot.html"
    form_class = SnapshotForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_report(request.user):
            raise PermissionDenied(_("您没有登记隐患的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data, user = form.cleaned_data, self.request.user
        if data.get("add_to"):
            return services.supplement_hazard(data["add_to"], actor=user, photos=data["photos"],
                                              comment=data["title"])
        return services.report_hazard(
            data["school"], actor=user, source=Hazard.Source.SNAPSHOT, title=data["title"],
            category=data["category"], location=data["location"], photos=data["photos"],
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


def _may_report(user):
    school = School.objects.visible_to(user).active().first()
    return school is not None and user.has_perm("hazards.report_hazard", school)


class SimilarHazardsView(LoginRequiredMixin, TemplateView):
    """htmx partial: similar open hazards for the values typed so far (GET school, category,
    location). Anything unknown or out of scope gives an empty list, never an error."""

    template_name = "hazards/snapshot_similar.html"

    def get_context_data(self, **kwargs):
        user, params = self.request.user, self.request.GET
        school = School.objects.visible_to(user).filter(pk=_int_or_none(params.get("school"))).first()
        hazards = similar_open_hazards(
            school, params.get("category", ""), params.get("location", "")[:100],
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
        school = get_object_or_404(School.objects.visible_to(self.request.user).active(),
                                   pk=self.kwargs["school_id"])
        url = self.request.build_absolute_uri(reverse("public-snapshot", args=[school.snapshot_token]))
        # The SVG is segno's own path data only (the URL is not embedded as text): safe inline.
        svg = segno.make(url, error="m").svg_inline(scale=10, border=2, omitsize=True)
        return super().get_context_data(school=school, url=url, qr_svg=mark_safe(svg), **kwargs)


class MarkDuplicateView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """不予立案（重复）: staff dismiss a reported hazard as a duplicate of another open
    hazard of the same school. Out of scope 404; no dismiss permission 403."""

    template_name = "hazards/snapshot_duplicate_form.html"
    form_class = MarkDuplicateForm
    success_message = gettext_lazy("已标记为重复隐患。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.hazard = get_object_or_404(
            Hazard.objects.visible_to(request.user).select_related("school"), pk=kwargs["pk"]
        )
        if self.hazard.status not in TRANSITIONS["dismiss"].sources:
            messages.error(request, _("隐患当前状态为“%(status)s”，不能标记为重复。")
                           % {"status": self.hazard.get_status_display()})
            return HttpResponseRedirect(self.invalid_transition_url())
        if not services.can_transition(request.user, self.hazard, "dismiss"):
            raise PermissionDenied(_("您没有权限执行此操作。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "hazard": self.hazard, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(hazard=self.hazard, **kwargs)

    def perform(self, form):
        return services.mark_duplicate(self.hazard, actor=self.request.user, **form.cleaned_data)

    def invalid_transition_url(self):
        return reverse("hazard-detail", args=[self.hazard.pk])

    def get_success_url(self):
        return reverse("hazard-detail", args=[self.hazard.pk])


# --- public pages (no login) -----------------------------------------------------------


class PublicSnapshotView(View):
    """``/s/<token>/``: the school's public 随手拍 form. POST is rate-limited per client IP;
    after sending, the page shows the tracking code (a re-sent form shows the same code)."""

    def dispatch(self, request, *args, **kwargs):
        self.school = get_object_or_404(School.objects.active(), snapshot_token=kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return self.show(PublicSnapshotForm(), fresh=True)

    def post(self, request, token):
        if over_rate_limit(request, "report"):
            return too_many_requests(request, self.school)
        form = PublicSnapshotForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form)
        data = form.cleaned_data
        try:
            hazard = services.report_public_snapshot(
                self.school, title=data["title"], category=data["category"],
                location=data["location"], photos=data["photos"], contact=data["contact"],
                client_id=data["client_id"],
            )
        except services.AlreadyReported as exc:
            hazard = exc.hazard
        except DomainError as exc:
            add_domain_error(form, exc)
            return self.show(form)
        return render(request, "public/snapshot_done.html",
                      {"school": self.school, "tracking_code": hazard.tracking_code})

    def show(self, form, fresh=False):
        return render(self.request, "public/snapshot_form.html",
                      {"school": self.school, "form": form, "fresh": fresh})


class TrackView(View):
    """``/s/track/?code=…``: the coarse status of a public report, nothing else (no school
    internals, no names, never the contact). Look-ups are rate-limited like reports."""

    def get(self, request):
        form = TrackForm(request.GET or None)
        context = {"form": form}
        if form.is_bound and form.is_valid():
            if over_rate_limit(request, "track", TRACK_FACTOR):
                return too_many_requests(request)
            code = services.normalise_tracking_code(form.cleaned_data["code"])
            hazard = (
                Hazard.objects.filter(tracking_code=code).select_related("duplicate_of").first()
                if code else None
            )
            context.update(code=code, found=hazard is not None,
                           status=coarse_status(hazard) if hazard else None)
        return render(request, "public/track.html", context)

