"""A local stand-in for the DingTalk and WeCom robot endpoints, for tests: http.server in a thread.

It checks what the real services check: for DingTalk the access_token, the timestamp's freshness (within an hour of
its own clock), the signature (HMAC-SHA256 of "timestamp\\nsecret", Base64), the custom keyword and 20 messages a
minute; for WeCom the key. It answers with their error codes and keeps every message it accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FRESH_MS = 3600 * 1000


@dataclass
class DingTalkRobot:
    secret: str = ""
    keyword: str = ""


@dataclass
class RobotServer:
    dingtalk: dict[str, DingTalkRobot] = field(default_factory=dict)  # access_token → robot
    wecom_keys: set[str] = field(default_factory=set)
    clock: Callable[[], float] = time.time
    received: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    _sent: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    _httpd: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the test robot server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def dingtalk_webhook(self, token: str) -> str:
        return f"{self.base_url}/robot/send?access_token={token}"

    def wecom_webhook(self, key: str) -> str:
        return f"{self.base_url}/cgi-bin/webhook/send?key={key}"

    def start(self) -> RobotServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                answer = server.handle(self.path, body)
                server.answers.append(answer)
                raw = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> RobotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ the checks

    def handle(self, path: str, body: bytes) -> dict[str, Any]:
        url = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        try:
            message = json.loads(body.decode("utf-8"))
        except ValueError:
            return {"errcode": 40008, "errmsg": "invalid message body"}
        if url.path == "/robot/send":
            return self.dingtalk_check(query, message)
        if url.path == "/cgi-bin/webhook/send":
            if query.get("key") not in self.wecom_keys:
                return {"errcode": 93000, "errmsg": "invalid webhook url"}
            if message.get("msgtype") != "markdown" or not message.get("markdown", {}).get("content"):
                return {"errcode": 40008, "errmsg": "invalid message type"}
            if not self._within_rate("wecom:" + query["key"]):
                return {"errcode": 45009, "errmsg": "api freq out of limit"}
            self.received.append({"robot": "wecom", "key": query["key"], **message})
            return {"errcode": 0, "errmsg": "ok"}
        return {"errcode": 404, "errmsg": "not found"}

    def dingtalk_check(self, query: dict[str, str], message: dict[str, Any]) -> dict[str, Any]:
        token = query.get("access_token", "")
        robot = self.dingtalk.get(token)
        if robot is None:
            return {"errcode": 300005, "errmsg": "token is not exist"}
        if robot.secret:
            stamp, sign = query.get("timestamp", ""), query.get("sign", "")
            if not stamp.isdigit() or abs(int(self.clock() * 1000) - int(stamp)) > FRESH_MS:
                return {"errcode": 310000, "errmsg": "invalid timestamp"}
            mac = hmac.new(robot.secret.encode(), f"{stamp}\n{robot.secret}".encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(base64.b64encode(mac).decode(), sign):
                return {"errcode": 310000, "errmsg": "sign not match"}
        text = json.dumps(message, ensure_ascii=False)
        if robot.keyword and robot.keyword not in text:
            return {"errcode": 310000, "errmsg": "keywords not in content"}
        if message.get("msgtype") != "markdown" or not message.get("markdown", {}).get("text"):
            return {"errcode": 40035, "errmsg": "missing markdown text"}
        if not self._within_rate("dingtalk:" + token):
            return {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        self.received.append({"robot": "dingtalk", "token": token, **message})
        return {"errcode": 0, "errmsg": "ok"}

    def _within_rate(self, key: str) -> bool:
        now = self.clock()
        recent = [t for t in self._sent[key] if t > now - 60]
        self._sent[key] = recent
        if len(recent) >= 20:
            return False
        recent.append(now)
        return True
