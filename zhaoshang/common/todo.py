"""我的待办: the shape of one task, shared by every app that gives a user something to do.

Each app that has tasks exposes `tasks_for(user) -> list[Task]` in its own `tasks.py` (a selector: it reads, never
writes, and sees only what the user's role may see). The desk collects them from the providers it knows, counts them
for the navigation and lists them on the 我的待办 page; the daily digest reads the same lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Task:
    kind: str  # a stable key, e.g. "followup_due", "claim_returned", "lead_response", "visit_due"
    kind_label: str  # the kind in Chinese, e.g. "跟进到期"
    title: str  # what to do, in Chinese, naming the record
    url: str  # where it is done
    due: date | None = None
    overdue: bool = False
    unit_code: str | None = None
    detail: str = ""  # the numbers behind it, in Chinese

    def sort_key(self) -> tuple[bool, date, str]:
        return (not self.overdue, self.due or date.max, self.title)
