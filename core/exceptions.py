"""The one domain exception hierarchy and its single mapping to HTTP for the API.

Services raise these; the DRF exception handler below and the HTML view mixin in
``core.views`` translate them, so no view re-implements the mapping.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A business rule refused the action. ``message`` is translated; HTTP 400."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_message = _("该操作不被允许。")

    def __init__(self, message=None, *, field_errors=None):
        self.message = message or self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    """A workflow transition was requested from a state that does not allow it."""

    default_message = _("当前状态下不能执行此操作。")


class ConcurrentTransition(InvalidTransition):
    """Someone else moved the hazard while this request waited for it. HTTP 409."""

    status_code = status.HTTP_409_CONFLICT
    default_message = _("该隐患刚被他人处理，请刷新后再试。")


class NotPermitted(DomainError):
    """The actor's role or school does not allow the action. HTTP 403."""

    status_code = status.HTTP_403_FORBIDDEN
    default_message = _("您没有权限执行此操作。")


def api_exception_handler(exc, context):
    """Map domain and Django errors to DRF responses: 400/403 with translated messages."""
    if isinstance(exc, DomainError):
        data = {"detail": str(exc.message)}
        data.update({k: [str(m) for m in v] for k, v in exc.field_errors.items()})
        return Response(data, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        # Django's "No Hazard matches the given query." is untranslated; DRF's is not.
        exc = exceptions.NotFound()
    return exception_handler(exc, context)
