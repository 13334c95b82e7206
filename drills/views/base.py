"""A POST-only action on one object of the user's scope: the form's data handed to one
service; success or the service's error as a message, then back to the object's page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import View

from core.exceptions import DomainError, NotPermitted


class ObjectActionView(LoginRequiredMixin, View):
    """Subclasses set ``model``, ``form_class``, ``success_message`` and implement
    ``perform(obj, data)``; the object is looked up in ``model.objects.visible_to(user)``
    (another school's: 404)."""

    http_method_names = ["post"]
    model = None
    form_class = None
    success_message = ""

    def get_object(self):
        return get_object_or_404(
            self.model.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def perform(self, obj, data):
        raise NotImplementedError

    def redirect_url(self, obj):
        return obj.get_absolute_url()

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"{label}：{' '.join(errors)}" if label else " ".join(errors)
                )
            return HttpResponseRedirect(self.redirect_url(obj))
        try:
            self.perform(obj, form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, self.success_message)
        return HttpResponseRedirect(self.redirect_url(obj))
