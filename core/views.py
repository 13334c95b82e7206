"""Base views every app's pages share.

The HTML side of the one domain-error mapping (the API side is ``core.exceptions``):
a form view calls one service in ``perform(form)``; ``DomainErrorMixin`` turns what the
service raises into what a person sees: ``NotPermitted`` → the 403 page,
``InvalidTransition`` → a message and a redirect (to the object), any other ``DomainError``
→ errors on the form's fields (``field_errors``) and above the form (``message``).

The record pages (drills, education activities, counselling): ``RecordListView`` (a filtered,
paginated list of a school-owned model) and ``RecordCreateView`` (a form handed to one
service).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView

from .exceptions import DomainError, InvalidTransition, NotPermitted
from .health import run_checks
from .pagination import FirstPagePaginator


def add_domain_error(form, exc: DomainError, aliases=None):
    """Copy ``exc`` onto ``form``: each ``field_errors`` entry onto the field of that name
    (after ``aliases``: service argument name → form field name), the rest and the message
    (unless it repeats a field error) as non-field errors."""
    aliases = aliases or {}
    shown = set()
    for field, errors in exc.field_errors.items():
        name = aliases.get(field, field)
        for error in errors:
            form.add_error(name if name in form.fields else None, str(error))
            shown.add(str(error))
    if str(exc.message) not in shown:  # e.g. a photo error is its own field message
        form.add_error(None, str(exc.message))


class DomainErrorMixin:
    """For a ``FormView`` whose valid form is handed to one service.

    Subclasses implement ``perform(form)`` (call the service, return its result) and may set
    ``success_message`` (formatted with ``result``) and ``field_aliases``. Nothing is saved
    when the service raises: the services validate before they write.
    """

    field_aliases: dict = {}
    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def invalid_transition_url(self):
        """Where to go when the object's state no longer allows the action; None: show the
        message on the form instead."""
        return None

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except InvalidTransition as exc:
            url = self.invalid_transition_url()
            if url is None:
                add_domain_error(form, exc, self.field_aliases)
                return self.form_invalid(form)
            messages.error(self.request, exc.message)
            return HttpResponseRedirect(url)
        except DomainError as exc:
            add_domain_error(form, exc, self.field_aliases)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"result": self.result})
        return HttpResponseRedirect(self.get_success_url())


# --- record pages ----------------------------------------------------------------------

PAGE_SIZE = 25


class RecordListView(LoginRequiredMixin, TemplateView):
    """A paginated list of ``model.objects.visible_to(user)``, newest first (``date``, then
    ``id``), filtered by ``filter_form_class`` (a form taking ``user=`` whose
    ``filter(queryset)`` narrows the rows). The "new" button shows to users with
    ``create_permission`` (a permission name; None: nobody); users without
    ``view_permission`` (None: everybody signed in) get 403."""

    model = None
    filter_form_class = None
    related = ("school",)
    prefetch = ()  # to-many relations the rows show (prefetch_related)
    view_permission = None
    create_permission = None

    def may_view(self, user):
        return self.view_permission is None or user.has_perm(self.view_permission)

    def may_create(self, user):
        return self.create_permission is not None and user.has_perm(self.create_permission)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_view(request.user):
            raise PermissionDenied(_("您没有查看此页面的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        queryset = (
            self.model.objects.visible_to(user)
            .select_related(*self.related)
            .prefetch_related(*self.prefetch)
            .order_by("-date", "-id")
        )
        form = self.filter_form_class(self.request.GET or None, user=user)
        rows = form.filter(queryset) if form.is_bound else queryset
        page = FirstPagePaginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)  # the template iterates twice (table, cards)
        filtered = any(v for k, v in self.request.GET.items() if k != "page")
        return super().get_context_data(
            filter_form=form,
            page=page,
            filtered=filtered,
            may_create=self.may_create(user),
            **kwargs,
        )


class RecordCreateView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """A record form for one school; ``perform`` calls ``service(school, actor=user, **data)``
    and then redirects to ``success_url_name``. The form takes ``user=``. Users without
    ``create_permission`` (a permission name, asked without a school: for some school; the
    service asks it again for the chosen school) get 403."""

    service = None
    success_url_name = ""
    create_permission = None

    def may_create(self, user):
        return self.create_permission is not None and user.has_perm(self.create_permission)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_create(request.user):
            raise PermissionDenied(_("您没有登记此类记录的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return type(self).service(data.pop("school"), actor=self.request.user, **data)

    def get_success_url(self):
        return reverse(self.success_url_name)


@require_safe
def health(request):
    """/health/ for the load balancer: JSON of every part (database, broker, disk, outbox
    lag), 200 when all pass, 503 naming the failing parts. No sign-in, no personal data."""
    checks = run_checks(timezone.now())
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


@require_safe
def api_guide(request):
    """``/api/guide/``: docs/api.md, the client guide the API docs page links to (plain
    Markdown; public like the schema: it holds no data)."""
    path = settings.BASE_DIR / "docs" / "api.md"
    text = path.read_text(encoding="utf-8")
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")
