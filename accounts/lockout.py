"""What a locked-out sign-in sees (django-axes calls ``lockout_response``,
``AXES_LOCKOUT_CALLABLE``): the login page with the lock-out message above the form, or the
admin's login page likewise, with status 429; anything else gets a JSON 429. The token
endpoint answers its own JSON 429 (``accounts.api``): axes marks the DRF request there, which
this middleware hook does not see."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext


def lockout_message() -> str:
    """The translated lock-out message, with how long the lock lasts."""
    minutes = round(float(settings.AXES_COOLOFF_TIME or 0) * 60)
    if minutes <= 0:
        return gettext("登录失败次数过多，账号已被锁定，请联系管理员解除锁定。")
    return gettext(
        "登录失败次数过多，账号已被暂时锁定。请 %(minutes)d 分钟后再试，或请管理员解除锁定。"
    ) % {"minutes": minutes}


def is_locked_out(request) -> bool:
    """Whether axes refused (or just locked) this sign-in; ``request`` may be DRF's."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The login form re-rendered with the message (``SignInForm`` put it there) gets status
    429; any other response is replaced by a JSON 429."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
        return original_response
    return JsonResponse({"detail": lockout_message()}, status=settings.AXES_HTTP_RESPONSE_CODE)
