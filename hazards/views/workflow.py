"""The actions on one hazard of the ledger: one form per workflow transition (查改督销),
marking a reported hazard as a duplicate (不予立案（重复）) and naming the supervising leader
of a major hazard (挂牌督办).

The hazard comes from ``Hazard.objects.visible_to(user)`` (out of scope → 404); a state that
no longer allows the action → a message and back to the hazard; the user may not do it →
403, asked before the state. Every write is one call to ``hazards.services`` through
``DomainErrorMixin``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.views import DomainErrorMixin

from .. import refusals, services
from ..forms import TRANSITION_FORMS, MarkDuplicateForm, SupervisingLeaderForm
from ..models import TRANSITIONS, Hazard

TRANSITION_SERVICES = {
    "assign": services.assign_hazard,
    "submit_rectification": services.submit_rectification,
    "reject_rectification": services.reject_rectification,
    "close": services.close_hazard,
    "dismiss": services.dismiss_hazard,
}


class HazardTransitionView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """One workflow step (``transition`` in ``TRANSITIONS``) on a visible hazard.

    Unknown transition or hazard out of scope → 404; the user may not do it → 403 (asked
    first, in any state); the state no longer allows it → a message and back to the hazard.
    """

    template_name = "hazards/hazard_transition_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.transition = kwargs["transition"]
        if self.transition not in TRANSITIONS:
            raise Http404
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.hazard = get_object_or_404(
            Hazard.objects.visible_to(request.user).select_related("school"), pk=kwargs["pk"]
        )
        # Permission first: whoever may not do it gets 403 in any state with the reason
        # (role, scope, separation of duties: hazards.refusals), and learns nothing of the
        # state; who may gets the message about a state that no longer allows it.
        if not request.user.has_perm(services.PERMISSIONS[self.transition], self.hazard):
            raise PermissionDenied(self.refusal(request.user))
        if self.hazard.status not in TRANSITIONS[self.transition].sources:
            return self.invalid_state()
        reason = self.refusal(request.user)
        if reason:
            raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, user):
        return refusals.permission_refusal(user, self.hazard, self.transition)

    def invalid_state(self):
        messages.error(self.request, refusals.state_refusal(self.hazard, self.transition))
        return HttpResponseRedirect(self.invalid_transition_url())

    def get_form_class(self):
        return TRANSITION_FORMS[self.transition]

    @property
    def field_aliases(self):
        # dismiss_hazard reports a missing reason under its generic name "comment".
        return {"comment": "reason"} if self.transition == "dismiss" else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "hazard": self.hazard}

    def get_context_data(self, **kwargs):
        spec = TRANSITIONS[self.transition]
        return super().get_context_data(
            hazard=self.hazard, transition=self.transition, spec=spec, **kwargs
        )

    def perform(self, form):
        service = TRANSITION_SERVICES[self.transition]
        return service(self.hazard, actor=self.request.user, **form.cleaned_data)

    @property
    def success_message(self):
        return _("已完成“%(action)s”。") % {"action": TRANSITIONS[self.transition].label}

    def invalid_transition_url(self):
        return reverse("hazard-detail", args=[self.hazard.pk])

    def get_success_url(self):
        return reverse("hazard-detail", args=[self.hazard.pk])


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
        reason = refusals.permission_refusal(request.user, self.hazard, "dismiss")
        if reason:
            raise PermissionDenied(reason)
        if self.hazard.status not in TRANSITIONS["dismiss"].sources:
            messages.error(
                request,
                _("隐患当前状态为“%(status)s”，不能标记为重复。")
                % {"status": self.hazard.get_status_display()},
            )
            return HttpResponseRedirect(self.invalid_transition_url())
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


class SupervisingLeaderView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """指定督办领导 of a visible major hazard (bureau staff only; others 403)."""

    template_name = "hazards/remediation_supervise_form.html"
    form_class = SupervisingLeaderForm
    success_message = gettext_lazy("督办领导已更新。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.hazard = get_object_or_404(
                Hazard.objects.visible_to(request.user).select_related("school"), pk=kwargs["pk"]
            )
            if not services.can_supervise(request.user, self.hazard):
                raise PermissionDenied(_("只有教体局人员可以对未销号的重大隐患挂牌督办。"))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"leader": self.hazard.supervising_leader_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(hazard=self.hazard, **kwargs)

    def perform(self, form):
        return services.set_supervising_leader(
            self.hazard, actor=self.request.user, leader=form.cleaned_data["leader"]
        )

    def get_success_url(self):
        return reverse("hazard-detail", args=[self.hazard.pk])
