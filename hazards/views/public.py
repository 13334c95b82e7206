"""Public 随手拍 pages under /s/ (no login), for parents and visitors.

- ``/s/<snapshot_token>/``: the school's report form, reached from its QR-code poster;
  rate-limited per client address (``SNAPSHOT_RATE_LIMIT``; behind reverse proxies the
  address ``core.clientip`` reads with ``TRUSTED_PROXY_COUNT``) and per school
  (``SNAPSHOT_SCHOOL_RATE_LIMIT``, all addresses together), 429 when exceeded. The reporter gets
  a tracking code; the optional phone number is never shown.
- ``/s/track/``: the coarse status of a report by its tracking code, nothing else.

Every write is one call to ``hazards.services``; a re-sent form (same hidden ``client_id``)
shows the tracking code the first sending made.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views import View

from core.clientip import client_ip
from core.exceptions import DomainError
from core.ratelimit import over_rate_limit, parse_rate
from core.views import add_domain_error
from schools.models import School

from .. import services
from ..forms import PublicSnapshotForm, TrackForm
from ..models import Hazard
from ..selectors import coarse_status

TRACK_FACTOR = 4  # tracking look-ups may be repeated more often than reports are sent


def over_snapshot_rate_limit(request, scope, factor=1):
    """Count one request of ``scope`` ("report", "track") from the client's address in the
    current window of ``SNAPSHOT_RATE_LIMIT``; True when that is more than the limit
    (× ``factor``)."""
    key = f"snapshot-rate:{scope}:{client_ip(request)}"
    return over_rate_limit(key, settings.SNAPSHOT_RATE_LIMIT, factor)


def over_school_rate_limit(school):
    """Count one public report to ``school`` from any address; True when that is more than
    ``SNAPSHOT_SCHOOL_RATE_LIMIT`` in its current window."""
    return over_rate_limit(f"snapshot-rate:school:{school.pk}", settings.SNAPSHOT_SCHOOL_RATE_LIMIT)


def too_many_requests(request, school=None, rate=None):
    response = render(request, "public/rate_limited.html", {"school": school}, status=429)
    response["Retry-After"] = str(parse_rate(rate or settings.SNAPSHOT_RATE_LIMIT)[1])
    return response


class PublicSnapshotView(View):
    """``/s/<token>/``: the school's public 随手拍 form. POST is rate-limited per client
    address and per school; after sending, the page shows the tracking code (a re-sent form
    shows the same code)."""

    def dispatch(self, request, *args, **kwargs):
        self.school = get_object_or_404(School.objects.active(), snapshot_token=kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return self.show(PublicSnapshotForm(), fresh=True)

    def post(self, request, token):
        if over_snapshot_rate_limit(request, "report"):
            return too_many_requests(request, self.school)
        if over_school_rate_limit(self.school):
            return too_many_requests(request, self.school, settings.SNAPSHOT_SCHOOL_RATE_LIMIT)
        form = PublicSnapshotForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form)
        data = form.cleaned_data
        try:
            hazard = services.report_public_snapshot(
                self.school,
                title=data["title"],
                category=data["category"],
                location=data["location"],
                photos=data["photos"],
                contact=data["contact"],
                client_id=data["client_id"],
            )
        except services.AlreadyReported as exc:
            hazard = exc.hazard
        except DomainError as exc:
            add_domain_error(form, exc)
            return self.show(form)
        return render(
            request,
            "public/snapshot_done.html",
            {"school": self.school, "tracking_code": hazard.tracking_code},
        )

    def show(self, form, fresh=False):
        return render(
            self.request,
            "public/snapshot_form.html",
            {"school": self.school, "form": form, "fresh": fresh},
        )


class TrackView(View):
    """``/s/track/?code=…``: the coarse status of a public report, nothing else (no school
    internals, no names, never the contact). Look-ups are rate-limited like reports."""

    def get(self, request):
        form = TrackForm(request.GET or None)
        context = {"form": form}
        if form.is_bound and form.is_valid():
            if over_snapshot_rate_limit(request, "track", TRACK_FACTOR):
                return too_many_requests(request)
            code = services.normalise_tracking_code(form.cleaned_data["code"])
            hazard = (
                Hazard.objects.filter(tracking_code=code).select_related("duplicate_of").first()
                if code
                else None
            )
            context.update(
                code=code,
                found=hazard is not None,
                status=coarse_status(hazard) if hazard else None,
            )
        return render(request, "public/track.html", context)
