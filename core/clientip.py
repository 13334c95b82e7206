"""The client's address, the one every per-client limit counts by (public 随手拍, sign-in
lock-out and throttling, API throttles).

``TRUSTED_PROXY_COUNT`` says how many reverse proxies stand in front of Django, each
appending the address it was connected from to ``X-Forwarded-For`` (nginx:
``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;``). The client is then the
entry the outermost proxy appended, the ``TRUSTED_PROXY_COUNT``-th from the right; entries
further left were sent by the client and prove nothing. With 0 (the default) the header is
ignored and the connecting address (``REMOTE_ADDR``) is the client.

The header is parsed by python-ipware, the engine of django-ipware. django-ipware's own
``get_client_ip`` is strict (it wants exactly the trusted number of entries), which would
lump every client whose own network adds an entry (a school's proxy) onto the proxy's
address; the engine's non-strict mode takes the trusted position and ignores what is left
of it.
"""

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (see the module docstring); the
    connecting address when the forwarded chain is shorter than the trusted proxies."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    # ipware counts the proxies listed in the header; the innermost of ours is REMOTE_ADDR
    # and not in it, so the header lists proxies - 1 of them after the client.
    ipware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxies - 1)
    address, _trusted = ipware.get_client_ip(request.META, strict=False)
    return str(address) if address else remote
