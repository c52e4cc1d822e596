"""我的待办: the providers the desk collects a user's tasks from, the list, and the cached count for the menu.

Each entry of PROVIDERS is the dotted path of a `tasks_for(user) -> list[Task]` function in an app's `tasks.py`;
an entry whose app is not installed is skipped, so apps come and go without touching this list's readers.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.utils.module_loading import import_string

from zhaoshang.common.todo import Task

PROVIDERS = [
    "zhaoshang.projects.tasks.tasks_for",
    "zhaoshang.race.tasks.tasks_for",
    "zhaoshang.bulletins.tasks.tasks_for",
    "zhaoshang.imports.tasks.tasks_for",
    "zhaoshang.leads.tasks.tasks_for",
    "zhaoshang.aftercare.tasks.tasks_for",
]

COUNT_SECONDS = 300  # the menu's count may lag a write by this long; the 我的待办 page itself is always live


def _installed(path: str) -> bool:
    parts = path.split(".")
    return any(apps.is_installed(".".join(parts[:n])) for n in range(2, len(parts)))


def tasks_for(user: Any) -> list[Task]:
    """Every task of the user, overdue first, then by due date."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    out: list[Task] = []
    for path in PROVIDERS:
        if _installed(path):
            out.extend(import_string(path)(user))
    return sorted(out, key=Task.sort_key)


def _key(user: Any) -> str:
    return f"desk:tasks:{user.pk}"


def task_count(user: Any) -> int:
    """The number shown in the menu: computed once and kept per user for COUNT_SECONDS."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    count = cache.get(_key(user))
    if count is None:
        count = len(tasks_for(user))
        cache.set(_key(user), count, COUNT_SECONDS)
    return int(count)


def remember_count(user: Any, count: int) -> None:
    cache.set(_key(user), count, COUNT_SECONDS)


def forget_count(user: Any) -> None:
    """After a write of the user's, the count is recomputed on the next page."""
    cache.delete(_key(user))
