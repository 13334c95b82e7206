"""``Authorization: Token …`` for the API: django-rest-knox's token authentication, one
query per request as DRF's own token was.

knox also deletes the user's *other* expired tokens on every request (a second query each
time); here an expired token is deleted when it is presented, and the user's other expired
ones when the user signs in for a new token (``accounts.api.ObtainTokenView``), which is
when rows are added."""

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


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
