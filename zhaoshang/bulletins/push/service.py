"""Sending a message to the robots: those configured in the admin, or one given on the command line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from zhaoshang.accounts.permissions import ensure_can

from ..models import Robot
from .clients import DingTalkClient, PushResult, RobotClient, WeComClient


@dataclass
class Target:
    name: str
    client: RobotClient


def configured_targets(purpose: str, **client_kwargs: Any) -> list[Target]:
    """Active robots of the admin that take this kind of push ("weekly" or "monthly")."""
    robots = Robot.objects.filter(is_active=True, **{purpose: True})
    return [Target(r.name, client_for(r, **client_kwargs)) for r in robots]


def client_for(robot: Robot, **kwargs: Any) -> RobotClient:
    if robot.kind == Robot.Kind.DINGTALK:
        return DingTalkClient(robot.webhook, robot.secret, keyword=robot.keyword, name=robot.name, **kwargs)
    return WeComClient(robot.webhook, name=robot.name, **kwargs)


def command_line_targets(
    *, dingtalk_webhook: str | None, dingtalk_secret: str | None, wecom_webhook: str | None, **kwargs: Any
) -> list[Target]:
    targets = []
    if dingtalk_webhook:
        targets.append(
            Target("钉钉机器人", DingTalkClient(dingtalk_webhook, dingtalk_secret or "", name="钉钉机器人", **kwargs))
        )
    if wecom_webhook:
        targets.append(Target("企业微信机器人", WeComClient(wecom_webhook, name="企业微信机器人", **kwargs)))
    return targets


def push(
    targets: list[Target],
    title: str,
    text: str,
    *,
    actor: Any,
    log: Callable[[str], None] | None = None,
    at_mobiles: Sequence[str] = (),
) -> list[PushResult]:
    """Send to every target; each send is logged (RobotSend) for the rate limit, so it is a write with an actor."""
    ensure_can(actor, "push.send")
    results = []
    for t in targets:
        result = t.client.send_markdown(title, text, at_mobiles=at_mobiles)
        results.append(result)
        if log:
            log(str(result))
    return results
