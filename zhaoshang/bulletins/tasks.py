"""我的待办 from the bulletin: the last ended month's bulletin not yet issued, for those who issue it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.common.periods import add_months, month_start
from zhaoshang.common.todo import Task

from .selectors import issued_bulletin


def tasks_for(user: Any) -> list[Task]:
    if not can(user, "bulletin.issue"):
        return []
    on = today()
    month = add_months(month_start(on), -1)
    if issued_bulletin(month) is not None:
        return []
    return [
        Task(
            kind="bulletin_issue",
            kind_label="通报待签发",
            title=f"签发{month.year}年{month.month}月利用外资工作通报",
            url=reverse("bulletins:index"),
            due=on,
            detail=f"1-{month.month}月数据签发后关账",
        )
    ]
