"""The daily digest of tasks as a periodic job: the worker queues it once a day from 08:30 (Asia/Shanghai)."""

from __future__ import annotations

from datetime import time
from typing import Any

from zhaoshang.jobs.models import Job
from zhaoshang.jobs.progress import Progress
from zhaoshang.jobs.registry import JobOutcome, job_function
from zhaoshang.jobs.schedule import periodic

DIGEST_AT = time(8, 30)


@job_function("web.digest")
def digest_job(job: Job, progress: Progress, **_: Any) -> JobOutcome:
    from zhaoshang.accounts.services import system_actor

    from .reminders import digests_send

    outcomes = digests_send(actor=system_actor(), wait=False)
    sent = [o for o in outcomes if o.sent]
    failed = [o for o in outcomes if o.failed]
    return JobOutcome(
        exit_code=1 if failed else 0,
        result={"summary": f"每日提醒：发送{len(sent)}个单位", "units": {o.unit: o.message for o in outcomes}},
        errors=[f"{o.unit}：{o.message}" for o in failed],
    )


periodic("desk.digest", kind="web.digest", at=DIGEST_AT, label="每日待办提醒")
