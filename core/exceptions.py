"""The one domain exception hierarchy and its single mapping to HTTP for the API.

Services raise these; the DRF exception handler below and the HTML view mixin in
``core.views`` translate them, so no view re-implements the mapping.
"""

import math

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
    # The body's machine-readable ``code`` (core.schema's ``Error``/``ValidationError``).
    code = "invalid"

    def __init__(self, message=None, *, field_errors=None):
        self.message = message or self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    """A workflow transition was requested from a state that does not allow it."""

    default_message = _("当前状态下不能执行此操作。")
    code = "invalid_transition"  # wrong state: tell it apart from a refusal (not_permitted)


class ConcurrentTransition(InvalidTransition):
    """Someone else moved the hazard while this request waited for it. HTTP 409."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    default_message = _("该隐患刚被他人处理，请刷新后再试。")


class NotPermitted(DomainError):
    """The actor's role or school does not allow the action. HTTP 403."""

    status_code = status.HTTP_403_FORBIDDEN
    default_message = _("您没有权限执行此操作。")
    code = "not_permitted"


def throttled_message(wait):
    """The translated body of a 429: too many requests, and when to try again."""
    if wait is None:
        return _("请求过于频繁，请稍后再试。")
    return _("请求过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": math.ceil(wait)}


def api_exception_handler(exc, context):
    """Map domain and Django errors to DRF responses: 400/403 with translated messages, 429
    with ours (DRF's says "Request was throttled." in English, Retry-After stays)."""
    if isinstance(exc, DomainError):
        data = {"detail": str(exc.message), "code": exc.code}
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
    response = exception_handler(exc, context)
    if isinstance(exc, exceptions.Throttled) and response is not None:
        response.data = {"detail": str(throttled_message(exc.wait))}
    if response is not None:
        response.data = with_code(response.data, exc)
    return response


def with_code(data, exc):
    """The error body as an object with a machine-readable ``code`` (a validation error's
    list becomes ``detail``); a field of that name keeps its messages."""
    if isinstance(data, list):
        data = {"detail": " ".join(str(m) for m in data)}
    if isinstance(data, dict) and "code" not in data:
        if isinstance(exc, exceptions.ValidationError):
            data["code"] = getattr(exc, "error_code", "invalid")
        else:
            data["code"] = getattr(exc, "default_code", "error")
    return data
