"""How one message leaves the system: e-mail (Django's e-mail backend) or a group robot's
webhook (WeCom 企业微信 or DingTalk 钉钉), with the standard library's urllib.

Each sender raises ``TransientSendError`` for what a later retry may cure (network errors,
timeouts, HTTP 5xx/429, a robot's rate limit) and ``PermanentSendError`` for what it will
not (HTTP 4xx, a robot's other error codes). It returns nothing on success.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

# Robot error codes that mean "too many messages, try later": WeCom 45009 (接口调用超过限制),
# DingTalk 130101 (send too fast).
RATE_LIMIT_CODES = {45009, 130101}
WECOM_MAX_BYTES = 4096  # WeCom rejects markdown content longer than this


class SendError(Exception):
    """A send did not succeed; ``str()`` is what the delivery row records."""


class TransientSendError(SendError):
    """Retry later."""


class PermanentSendError(SendError):
    """Do not retry."""


def absolute_url(path):
    """``path`` on the configured site (``NOTIFY_SITE_URL``), or as is when unset."""
    if not path or "://" in path:
        return path
    return settings.NOTIFY_SITE_URL.rstrip("/") + path if settings.NOTIFY_SITE_URL else path


def send_email(address, *, title, body, url=""):
    """One plain-text mail to ``address``. SMTP and socket errors are transient."""
    text = "\n\n".join(part for part in (body, absolute_url(url)) if part)
    try:
        send_mail(
            subject=_("【校园安全】%(title)s") % {"title": title},
            message=text,
            from_email=None,
            recipient_list=[address],
        )
    except OSError as exc:  # smtplib.SMTPException is an OSError
        raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


def send_webhook(endpoint, *, title, body, url=""):
    """Post one markdown message to ``endpoint`` (a ``WebhookEndpoint``)."""
    link = absolute_url(url)
    if endpoint.provider == "dingtalk":
        target = (
            dingtalk_signed_url(endpoint.url, endpoint.secret) if endpoint.secret else endpoint.url
        )
        payload = dingtalk_payload(title, body, link)
    else:
        target, payload = endpoint.url, wecom_payload(title, body, link)
    check_robot_reply(post_json(target, payload))


def wecom_payload(title, body, link=""):
    """WeCom group robot markdown message: ``{"msgtype": "markdown", "markdown": {"content"}}``."""
    content = f"**{title}**\n{body}"
    if link:
        content += "\n[%s](%s)" % (_("查看详情"), link)
    encoded = content.encode()
    if len(encoded) > WECOM_MAX_BYTES:
        content = encoded[: WECOM_MAX_BYTES - 3].decode(errors="ignore") + "…"
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(title, body, link=""):
    """DingTalk custom robot markdown message: ``{"msgtype": "markdown", "markdown":
    {"title", "text"}}``; the title shows in the chat list."""
    text = f"#### {title}\n\n{body}"
    if link:
        text += "\n\n[%s](%s)" % (_("查看详情"), link)
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def dingtalk_signed_url(url, secret, timestamp_ms=None):
    """``url`` with DingTalk's 加签 parameters: ``timestamp`` (ms since the epoch) and
    ``sign`` = urlencode(base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")))."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else round(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def post_json(url, payload):
    """POST ``payload`` as UTF-8 JSON; returns the reply body (bytes)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as reply:
            return reply.read()
    except urllib.error.HTTPError as exc:
        error = f"HTTP {exc.code}"
        raise (TransientSendError if exc.code >= 500 or exc.code == 429 else PermanentSendError)(
            error
        ) from exc
    except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
        raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


def check_robot_reply(raw):
    """Both robots answer ``{"errcode": 0, "errmsg": "ok"}`` on success."""
    try:
        reply = json.loads(raw or b"{}")
    except ValueError:
        return  # a 2xx without JSON (a proxy): the robot accepted it
    code = reply.get("errcode", 0) if isinstance(reply, dict) else 0
    if code == 0:
        return
    error = f"errcode {code}: {reply.get('errmsg', '')}"
    raise (TransientSendError if code in RATE_LIMIT_CODES else PermanentSendError)(error)
