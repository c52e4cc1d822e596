"""DingTalk and WeCom robots against a local server that checks signatures, timestamps, keys and the rate."""

from __future__ import annotations

import time

import pytest

from zhaoshang.bulletins.models import Robot, RobotSend
from zhaoshang.bulletins.push.clients import DingTalkClient, WeComClient, dingtalk_sign, dingtalk_signed_url
from zhaoshang.bulletins.push.service import configured_targets, push
from zhaoshang.bulletins.push.testserver import DingTalkRobot, RobotServer

SECRET = "SECtest"


class FakeClock:
    """Seconds since the epoch that only move when told to (or when someone sleeps)."""

    def __init__(self, start: float = 1_600_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock):
    srv = RobotServer(dingtalk={"tok": DingTalkRobot(secret=SECRET)}, wecom_keys={"key1"}, clock=clock)
    with srv:
        yield srv


def test_signature_matches_an_independent_computation():
    # printf '1600000000000\nSECtest' | openssl dgst -sha256 -hmac SECtest -binary | base64
    assert dingtalk_sign(SECRET, 1_600_000_000_000) == "J1ROuI0lRhdAs5lXpASksT0u9NwWl4DNkvcHISJRBoY%3D"
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", SECRET, 1_600_000_000_000)
    assert url.endswith("access_token=t&timestamp=1600000000000&sign=J1ROuI0lRhdAs5lXpASksT0u9NwWl4DNkvcHISJRBoY%3D")
    assert dingtalk_signed_url("https://x/send?access_token=t", "", 1) == "https://x/send?access_token=t"


@pytest.mark.django_db
def test_a_signed_markdown_message_is_accepted(server, clock):
    client = DingTalkClient(server.dingtalk_webhook("tok"), SECRET, name="竞赛群", clock=clock, sleep=clock.sleep)
    result = client.send_markdown("9月通报", "### 标题\n\n- 23.74亿美元")
    assert (result.ok, result.errcode, str(result)) == (True, 0, "竞赛群：发送成功")
    (msg,) = server.received
    assert msg["msgtype"] == "markdown"
    assert msg["markdown"] == {"title": "9月通报", "text": "### 标题\n\n- 23.74亿美元"}
    log = RobotSend.objects.get()
    assert (log.robot_name, log.title, log.errcode, log.result) == ("竞赛群", "9月通报", 0, "发送成功")


@pytest.mark.django_db
def test_a_wrong_secret_is_answered_310000_and_reported_in_chinese(server, clock):
    client = DingTalkClient(server.dingtalk_webhook("tok"), "SECwrong", clock=clock, sleep=clock.sleep)
    result = client.send_markdown("t", "x")
    assert (result.ok, result.errcode) == (False, 310000)
    assert result.message.startswith("发送失败，钉钉返回错误码310000：安全设置校验未通过：加签密钥不符")
    assert "sign not match" in result.message
    assert server.received == []


@pytest.mark.django_db
def test_a_stale_timestamp_is_refused_and_a_fresh_one_within_the_hour_is_not(server, clock):
    late = FakeClock(clock.now - 3601)  # the sender's clock is an hour and a second behind
    result = DingTalkClient(server.dingtalk_webhook("tok"), SECRET, clock=late, sleep=late.sleep).send_markdown(
        "t", "x"
    )
    assert (result.errcode, server.answers[-1]["errmsg"]) == (310000, "invalid timestamp")
    ahead = FakeClock(clock.now + 3599)
    result = DingTalkClient(server.dingtalk_webhook("tok"), SECRET, clock=ahead, sleep=ahead.sleep).send_markdown(
        "t", "x"
    )
    assert result.ok


@pytest.mark.django_db
def test_unknown_token_keyword_and_wecom_key(server, clock):
    result = DingTalkClient(server.dingtalk_webhook("nope"), SECRET, clock=clock).send_markdown("t", "x")
    assert result.errcode == 300005
    assert "access_token 不存在" in result.message
    server.dingtalk["kw"] = DingTalkRobot(keyword="通报")
    # The client adds the configured keyword when the text lacks it; without it the server refuses.
    assert DingTalkClient(server.dingtalk_webhook("kw"), keyword="通报", clock=clock).send_markdown("t", "x").ok
    assert DingTalkClient(server.dingtalk_webhook("kw"), clock=clock).send_markdown("t", "x").errcode == 310000
    ok = WeComClient(server.wecom_webhook("key1"), clock=clock).send_markdown("t", "**9月**")
    assert ok.ok
    assert server.received[-1]["markdown"] == {"content": "**9月**"}
    bad = WeComClient(server.wecom_webhook("key2"), clock=clock).send_markdown("t", "x")
    assert bad.errcode == 93000
    assert bad.message.startswith("发送失败，企业微信返回错误码93000：Webhook 地址无效")


@pytest.mark.django_db
def test_no_server_is_reported_without_a_traceback(clock):
    result = WeComClient("http://127.0.0.1:9/cgi-bin/webhook/send?key=k", clock=clock).send_markdown("t", "x")
    assert not result.ok
    assert result.message.startswith("无法连接企业微信服务器")


@pytest.mark.django_db
def test_at_most_20_a_minute_refusing_when_told_not_to_wait(server, clock):
    url = server.dingtalk_webhook("tok")
    client = DingTalkClient(url, SECRET, name="竞赛群", clock=clock, sleep=clock.sleep, wait=False)
    for _ in range(20):
        assert client.send_markdown("t", "x").ok
        clock.now += 1  # 20 messages in 20 seconds
    refused = client.send_markdown("t", "x")
    assert not refused.ok
    assert refused.errcode is None
    assert refused.message == "机器人“竞赛群”一分钟内已发送20条消息（上限20条），请40秒后再试"
    assert len(server.answers) == 20  # nothing reached the server
    # The window lives in the database: a new client for the same robot sees it too.
    again = DingTalkClient(url, SECRET, clock=clock, sleep=clock.sleep, wait=False).send_markdown("t", "x")
    assert not again.ok
    assert len(server.answers) == 20


@pytest.mark.django_db
def test_at_most_20_a_minute_waiting_until_the_oldest_leaves_the_window(server, clock):
    client = DingTalkClient(server.dingtalk_webhook("tok"), SECRET, clock=clock, sleep=clock.sleep)
    start = clock.now
    for _ in range(20):
        assert client.send_markdown("t", "x").ok
        clock.now += 1
    assert clock.slept == []
    assert client.send_markdown("t", "x").ok  # waits for the first send (at start) to be 60 s old
    assert clock.slept == [pytest.approx(40.0)]
    assert clock.now == pytest.approx(start + 60)
    # The server, which counts 20 a minute too, accepted all 21: none was too fast.
    assert [a["errcode"] for a in server.answers] == [0] * 21


@pytest.mark.django_db
def test_robots_configured_in_the_admin_receive_the_monthly_push(server, clock):
    Robot.objects.create(name="钉钉工作群", kind="dingtalk", webhook=server.dingtalk_webhook("tok"), secret=SECRET)
    Robot.objects.create(name="企微群", kind="wecom", webhook=server.wecom_webhook("key1"), weekly=False)
    Robot.objects.create(name="停用", kind="wecom", webhook=server.wecom_webhook("key1"), is_active=False)
    Robot.objects.create(name="只收周报", kind="wecom", webhook=server.wecom_webhook("key1"), monthly=False)
    targets = configured_targets("monthly", clock=clock, sleep=clock.sleep)
    assert sorted(t.name for t in targets) == ["企微群", "钉钉工作群"]
    lines: list[str] = []
    results = push(targets, "通报", "正文", log=lines.append)
    assert all(r.ok for r in results)
    assert sorted(lines) == ["企微群：发送成功", "钉钉工作群：发送成功"]
    assert [t.name for t in configured_targets("weekly")] == ["只收周报", "钉钉工作群"]


def test_the_real_clock_is_the_default():
    client = DingTalkClient("http://127.0.0.1:9/robot/send?access_token=t", SECRET)
    assert abs(client.clock() - time.time()) < 5


@pytest.mark.django_db
def test_the_admin_sends_a_test_message(users, client):
    # The admin sends with the real clock, so this server keeps the real time too.
    with RobotServer(dingtalk={"tok": DingTalkRobot(secret=SECRET)}) as server:
        url = server.dingtalk_webhook("tok")
        good = Robot.objects.create(name="工作群", kind="dingtalk", webhook=url, secret=SECRET)
        bad = Robot.objects.create(name="错密钥", kind="dingtalk", webhook=url, secret="SECx")
        client.force_login(users["admin"])
        page = client.post(
            "/admin/bulletins/robot/",
            {"action": "send_test", "index": 0, "_selected_action": [good.pk, bad.pk]},
            follow=True,
        ).content.decode()
    assert "工作群：发送成功" in page
    assert "错密钥：发送失败，钉钉返回错误码310000" in page
    assert server.received[0]["markdown"]["title"] == "测试消息"


@pytest.mark.django_db
def test_a_webhook_that_is_not_http_is_never_opened(clock, tmp_path):
    """urllib would read a file: address; the push refuses it before opening anything and says why."""
    secret = tmp_path / "secret.json"
    secret.write_text('{"errcode": 0, "errmsg": "ok"}', encoding="utf-8")
    result = WeComClient(secret.as_uri(), clock=clock).send_markdown("t", "x")
    assert not result.ok
    assert result.message == "无法连接企业微信服务器（Webhook 地址须以 http:// 或 https:// 开头），消息未发出"
