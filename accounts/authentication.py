"""``Authorization: Token …`` for the API: django-rest-knox's token authentication, one
query per request as DRF's own token was.

knox also deletes the user's *other* expired tokens on every request (a second query each
time); here an expired token is deleted when it is presented, and the user's other expired
ones when the user signs in for a new token (``accounts.api.ObtainTokenView``), which is
when rows are added."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication as drf_session_scheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired
from rest_framework import authentication, exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of ``TokenAuthentication`` (``Authorization: Token …``)."""

    target_class = TokenAuthentication
    name = "tokenAuth"


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (the browsable API, the pages' own scripts) with the
    CSRF refusal in the request's language: DRF's says "CSRF Failed: …" in English."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("CSRF 校验失败：请刷新页面后重试；其他系统请使用令牌（Authorization: Token …）。")
            ) from None


class SessionScheme(drf_session_scheme.SessionScheme):
    """The OpenAPI security scheme of ``SessionAuthentication`` (the session cookie)."""

    target_class = SessionAuthentication
