"""DingTalk custom robots and WeCom group robots: markdown messages, DingTalk's signing, answers in Chinese.

DingTalk signing (加签): string_to_sign = f"{timestamp_ms}\\n{secret}"; sign = URL-encoded Base64 of
HMAC-SHA256(key=secret, msg=string_to_sign); both go on the webhook as `&timestamp=…&sign=…`. DingTalk refuses a
timestamp more than an hour away from its clock. WeCom's robot key in the URL is its only credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .ratelimit import RateLimited, SlidingWindow, robot_key

# What the robots' error codes mean, in the words the bureau's staff will act on.
DINGTALK_ERRORS = {
    310000: "安全设置校验未通过：加签密钥不符或时间戳过期、消息不含自定义关键词，或发送服务器的 IP 不在白名单内",
    300005: "access_token 不存在，请核对 Webhook 地址（机器人可能已被移除）",
    130101: "发送过快：每个机器人每分钟最多20条消息",
}
WECOM_ERRORS = {
    93000: "Webhook 地址无效（key 不存在或机器人已被移除）",
    45009: "发送过快：每个机器人每分钟最多20条消息",
    40008: "消息类型无效",
}


@dataclass
class PushResult:
    robot: str
    ok: bool
    errcode: int | None
    errmsg: str
    message: str  # in Chinese, for the operator

    def __str__(self) -> str:
        return f"{self.robot}：{self.message}"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The `sign` parameter, already URL-encoded, exactly as DingTalk documents it."""
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_signed_url(webhook: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return webhook
    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


Transport = Callable[[str, bytes], tuple[int, bytes]]


def http_post(url: str, body: bytes) -> tuple[int, bytes]:
    # urllib would also open file: and ftp: addresses; a webhook given on the command line is not validated by a form.
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise urllib.error.URLError("Webhook 地址须以 http:// 或 https:// 开头")
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (scheme checked above)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class RobotClient:
    kind = ""
    errors: dict[int, str] = {}

    def __init__(
        self,
        webhook: str,
        *,
        name: str = "",
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        transport: Transport = http_post,
        wait: bool = True,
    ) -> None:
        self.webhook = webhook.strip()
        self.name = name or self.kind
        self.clock = clock
        self.limiter = SlidingWindow(robot_key(self.webhook), name=self.name, clock=clock, sleep=sleep, wait=wait)
        self.transport = transport

    def url(self, at: float) -> str:
        return self.webhook

    def body(self, title: str, text: str, at_mobiles: Sequence[str] = ()) -> dict[str, Any]:
        raise NotImplementedError

    def send_markdown(self, title: str, text: str, *, at_mobiles: Sequence[str] = ()) -> PushResult:
        """Send one markdown message; `at_mobiles` are the phone numbers DingTalk @-mentions (their "@phone" must
        also stand in the text, which the caller writes)."""
        try:
            at = self.limiter.acquire()
        except RateLimited as exc:
            return PushResult(self.name, False, None, "", str(exc))
        payload = json.dumps(self.body(title, text, at_mobiles), ensure_ascii=False).encode("utf-8")
        try:
            status, raw = self.transport(self.url(at), payload)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            result = PushResult(self.name, False, None, "", f"无法连接{self.kind}服务器（{reason}），消息未发出")
            self.limiter.record(at, title=title, result=result.message)
            return result
        result = self.interpret(status, raw)
        self.limiter.record(at, title=title, errcode=result.errcode, result=result.message)
        return result

    def interpret(self, status: int, raw: bytes) -> PushResult:
        try:
            answer = json.loads(raw.decode("utf-8"))
            errcode, errmsg = int(answer.get("errcode", -1)), str(answer.get("errmsg", ""))
        except (ValueError, AttributeError):
            return PushResult(self.name, False, None, "", f"{self.kind}服务器返回了无法识别的应答（HTTP {status}）")
        if status == 200 and errcode == 0:
            return PushResult(self.name, True, 0, errmsg, "发送成功")
        meaning = self.errors.get(errcode, "未知错误")
        return PushResult(
            self.name, False, errcode, errmsg, f"发送失败，{self.kind}返回错误码{errcode}：{meaning}（{errmsg}）"
        )


class DingTalkClient(RobotClient):
    kind = "钉钉"
    errors = DINGTALK_ERRORS

    def __init__(self, webhook: str, secret: str = "", *, keyword: str = "", **kwargs: Any) -> None:
        super().__init__(webhook, **kwargs)
        self.secret = secret.strip()
        self.keyword = keyword.strip()

    def url(self, at: float) -> str:
        return dingtalk_signed_url(self.webhook, self.secret, int(at * 1000))

    def body(self, title: str, text: str, at_mobiles: Sequence[str] = ()) -> dict[str, Any]:
        if self.keyword and self.keyword not in title + text:
            text = f"{text}\n\n（{self.keyword}）"
        at: dict[str, Any] = {"isAtAll": False}
        if at_mobiles:
            at["atMobiles"] = list(at_mobiles)
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}, "at": at}


class WeComClient(RobotClient):
    kind = "企业微信"
    errors = WECOM_ERRORS

    def body(self, title: str, text: str, at_mobiles: Sequence[str] = ()) -> dict[str, Any]:
        # A WeCom markdown message cannot mention by phone number (only a text message can): the names stand in
        # the text instead.
        return {"msgtype": "markdown", "markdown": {"content": text}}
