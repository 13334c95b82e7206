"""The HTML side of the one domain-error mapping (the API side is ``campussafety.exceptions``).

A form view calls one service in ``perform(form)``; ``DomainErrorMixin`` turns what the
service raises into what a person sees: ``NotPermitted`` → the 403 page,
``InvalidTransition`` → a message and a redirect (to the object), any other ``DomainError``
→ errors on the form's fields (``field_errors``) and above the form (``message``).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect

from .exceptions import DomainError, InvalidTransition, NotPermitted


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
