"""The outside channels: DingTalk's 加签 signature, the robots' message formats, and which
errors are worth a retry — against a local receiver on 127.0.0.1 only."""

import base64
import hashlib
import hmac
import socket
import urllib.parse

import pytest

from notifications import channels
from notifications.channels import PermanentSendError, TransientSendError
from notifications.models import WebhookEndpoint


def test_dingtalk_signature_follows_the_documented_recipe():
    secret, timestamp = "SEC000example", 1577808000000
    url = channels.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", secret, timestamp
    )
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    # The recipe from DingTalk's documentation, written out independently.
    string_to_sign = f"{timestamp}\n{secret}"
    expected = base64.b64encode(
        hmac.new(
            secret.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256
        ).digest()
    ).decode()
    assert query == {"access_token": "t", "timestamp": str(timestamp), "sign": expected}
    assert "&sign=" + urllib.parse.quote_plus(expected) in url  # url-encoded once


def test_payload_shapes():
    wecom = channels.wecom_payload("标题", "内容", "https://x/1/")
    assert wecom == {
        "msgtype": "markdown",
        "markdown": {"content": "**标题**\n内容\n[查看详情](https://x/1/)"},
    }
    ding = channels.dingtalk_payload("标题", "内容")
    assert ding == {
        "msgtype": "markdown",
        "markdown": {"title": "标题", "text": "#### 标题\n\n内容"},
    }


def test_wecom_content_is_cut_to_its_4096_byte_limit():
    content = channels.wecom_payload("标题", "隐" * 3000)["markdown"]["content"]
    assert len(content.encode()) <= 4096 and content.endswith("…")


def test_links_are_made_absolute_with_the_site_url(settings):
    settings.NOTIFY_SITE_URL = "https://aq.example.cn/"
    assert channels.absolute_url("/hazards/1/") == "https://aq.example.cn/hazards/1/"
    settings.NOTIFY_SITE_URL = ""
    assert channels.absolute_url("/hazards/1/") == "/hazards/1/"


def endpoint(receiver, provider, path, secret=""):
    return WebhookEndpoint(
        name="群", provider=provider, url=f"{receiver.url}{path}?access_token=t", secret=secret
    )


def test_a_signed_dingtalk_message_reaches_the_robot(receiver):
    channels.send_webhook(
        endpoint(receiver, "dingtalk", "/ding", "SECx"), title="标题", body="内容", url=""
    )
    [(_t, path, query, body)] = receiver.posts
    assert path == "/ding" and {"access_token", "timestamp", "sign"} == set(query)
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "标题"


def test_an_unsigned_dingtalk_robot_gets_no_signature(receiver):
    channels.send_webhook(endpoint(receiver, "dingtalk", "/ding"), title="标题", body="内容")
    assert set(receiver.posts[0][2]) == {"access_token"}


@pytest.mark.parametrize(
    ("status", "reply", "error"),
    [
        (500, {}, TransientSendError),
        (429, {}, TransientSendError),
        (400, {}, PermanentSendError),
        (200, {"errcode": 45009, "errmsg": "api freq out of limit"}, TransientSendError),
        (200, {"errcode": 130101, "errmsg": "send too fast"}, TransientSendError),
        (200, {"errcode": 310000, "errmsg": "sign not match"}, PermanentSendError),
    ],
)
def test_robot_errors_are_classified(receiver, status, reply, error):
    receiver.replies["/w"] = [(status, reply)]
    with pytest.raises(error):
        channels.send_webhook(endpoint(receiver, "wecom", "/w"), title="t", body="b")


def test_a_closed_port_is_transient(settings):
    with socket.socket() as sock:  # a port on 127.0.0.1 that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    robot = WebhookEndpoint(name="群", provider="wecom", url=f"http://127.0.0.1:{port}/w")
    with pytest.raises(TransientSendError):
        channels.send_webhook(robot, title="t", body="b")


def test_an_smtp_failure_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(TransientSendError):
        channels.send_email("a@example.cn", title="t", body="b")
