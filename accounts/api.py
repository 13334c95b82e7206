"""``POST /api/v1/auth/token/`` (username, password) → ``{"token": "…", "expiry": "…"}``, the
token sent as ``Authorization: Token …``.

Tokens are django-rest-knox's: stored hashed, one per sign-in, expiring after
``API_TOKEN_TTL_HOURS`` (a client asks again when it gets 401), revoked when the password
changes or the user is deactivated. Wrong passwords count towards django-axes' lock-out as
on the web login; while locked the answer is 429 with a message, as it is when one address
tries too often (``LOGIN_RATE_LIMIT``).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.views import LoginView
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer

from core.throttling import LoginRateThrottle

from . import services
from .lockout import is_locked_out, lockout_message


class SignInLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message())


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("API 令牌，以 Authorization: Token … 发送"))
    expiry = serializers.DateTimeField(help_text=_("令牌失效时间"))


class ObtainTokenView(LoginView):
    """Exchange a user name and password for an expiring API token."""

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_classes = (LoginRateThrottle,)
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=_("用户名或密码错误")),
            429: OpenApiResponse(description=_("尝试过于频繁，或账号已被暂时锁定")),
        },
    )
    def post(self, request, format=None):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if is_locked_out(request):
                raise SignInLocked()
            raise exceptions.ValidationError(serializer.errors)
        request.user = user = serializer.validated_data["user"]
        services.purge_expired_tokens(user, now=timezone.now())
        return super().post(request, format=format)
