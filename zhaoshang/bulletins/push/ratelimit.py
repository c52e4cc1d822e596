"""At most 20 messages a minute per robot: a sliding window over the sends recorded in the database.

The window is kept in the table of sends (RobotSend), so it holds across processes and runs of the command. The
clock and the sleep are injected, so tests can run a minute in no time.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime

from ..models import RobotSend

LIMIT = 20
WINDOW_SECONDS = 60.0


class RateLimited(Exception):
    """Raised when waiting is not allowed and the robot's minute is full."""


def robot_key(webhook: str) -> str:
    """A stable key for a robot that does not store its token in the clear."""
    return hashlib.sha256(webhook.split("&timestamp=")[0].encode()).hexdigest()[:32]


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


class SlidingWindow:
    def __init__(
        self,
        key: str,
        *,
        name: str = "",
        limit: int = LIMIT,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        wait: bool = True,
    ) -> None:
        self.key, self.name, self.limit, self.window = key, name, limit, window
        self.clock, self.sleep, self.wait = clock, sleep, wait

    def recent(self, now: float) -> list[datetime]:
        since = _at(now - self.window)
        return list(
            RobotSend.objects.filter(robot_key=self.key, sent_at__gt=since)
            .order_by("sent_at")
            .values_list("sent_at", flat=True)
        )

    def acquire(self) -> float:
        """Wait (or refuse) until a send is allowed; return the moment it is allowed, as epoch seconds."""
        while True:
            now = self.clock()
            recent = self.recent(now)
            if len(recent) < self.limit:
                return now
            # The oldest send inside the window must leave it before the next one may go.
            free_at = recent[len(recent) - self.limit].timestamp() + self.window
            delay = max(free_at - now, 0.001)
            if not self.wait:
                raise RateLimited(
                    f"机器人“{self.name or self.key[:8]}”一分钟内已发送{len(recent)}条消息（上限{self.limit}条），"
                    f"请{delay:.0f}秒后再试"
                )
            self.sleep(delay)

    def record(self, at: float, *, title: str = "", errcode: int | None = None, result: str = "") -> None:
        RobotSend.objects.create(
            robot_key=self.key,
            robot_name=self.name[:64],
            sent_at=_at(at),
            title=title[:128],
            errcode=errcode,
            result=result[:300],
        )
