"""Cached figures: `stats_report` kept in Django's cache under everything that decides it, the figures' version first.

The key is (period, unit, the caliber's settings, the business date, the figures' version). The version lives in
the database and is raised in the same transaction as every write that can move a figure (zhaoshang.freshness), so
a reader that sees the write sees a new version and misses the cache: a cached figure is never stale, and no entry
ever has to be deleted. What is cached is figures, the same for every user; pages stay per user.

A reader inside a transaction (a test, a service that reads figures while writing) computes without the cache:
its own uncommitted writes must not reach an entry other readers share. The command line (`zhaoshang stats`) always
reads uncached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from zhaoshang.common.clock import today
from zhaoshang.common.periods import MonthRange
from zhaoshang.freshness.version import figures_changed, figures_version

from .caliber import Caliber
from .selectors import StatsReport, stats_report

T = TypeVar("T")
_MISSING = object()


def on_figure_source_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver: a figure's source row was saved or deleted (or a project's investors changed)."""
    if kwargs.get("raw"):  # fixtures being loaded: nothing of a report exists yet
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed fires before and after the links are written: count it once, after
    figures_changed(using=kwargs.get("using") or "default")


Stamp = tuple[Any, str]


def figures_stamp() -> Stamp:
    """What every figure's key shares: the business date and the figures' version (read once per request)."""
    return today(), figures_version()


def figures_key(name: str, *parts: Any, stamp: Stamp | None = None) -> str:
    """The cache key of a figure: its name and arguments, the business date and the figures' version."""
    whole = (name, *parts, *(stamp or figures_stamp()))
    return f"figures:{name}:" + hashlib.sha256(repr(whole).encode()).hexdigest()


def cached_figure(name: str, compute: Callable[[], T], *parts: Any, stamp: Stamp | None = None) -> T:
    """`compute()`, from the cache when nothing that decides it has changed (`parts`: every argument it depends on,
    each with a stable repr; `stamp`: `figures_stamp()` when the caller already read it for this request — read
    before computing, so a write that lands meanwhile only makes the entry newer than its key, never older)."""
    if connection.in_atomic_block:
        return compute()
    key = figures_key(name, *parts, stamp=stamp)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, settings.ZHAOSHANG_FIGURES_CACHE_SECONDS)
    return cast(T, value)


def cached_stats_report(
    period: MonthRange, *, unit_code: str | None = None, caliber: Caliber | None = None, stamp: Stamp | None = None
) -> StatsReport:
    """`stats_report`, from the cache when nothing that decides it has changed since it was computed."""
    caliber = caliber or Caliber.current()
    return cached_figure(
        "stats_report",
        lambda: stats_report(period, unit_code=unit_code, caliber=caliber),
        period.first,
        period.last,
        unit_code or "",
        repr(caliber),
        stamp=stamp,
    )
