"""DRF throttles that count by the client address of ``core.clientip`` (DRF's own reading
of X-Forwarded-For trusts whatever the client sends) and read their rates when a request
comes, so a changed ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` applies without a restart
of the class (DRF copies the rates once, at import)."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from .clientip import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    """Requests of an anonymous client per address (rate ``anon``)."""


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    """Requests per signed-in user, whatever the address (rate ``user``); anonymous ones per
    address."""


class LoginRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """Sign-in attempts per client address, whoever they name (rate ``login``)."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
