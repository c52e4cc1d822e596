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
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from zhaoshang.common.clock import today
from zhaoshang.common.periods import MonthRange
from zhaoshang.freshness.version import figures_changed, figures_version

from .caliber import Caliber
from .selectors import StatsReport, stats_report


def on_figure_source_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver: a figure's source row was saved or deleted (or a project's investors changed)."""
    if kwargs.get("raw"):  # fixtures being loaded: nothing of a report exists yet
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed fires before and after the links are written: count it once, after
    figures_changed(using=kwargs.get("using") or "default")


def report_key(period: MonthRange, unit_code: str | None, caliber: Caliber) -> str:
    parts = (period.first, period.last, unit_code or "", repr(caliber), today(), figures_version())
    return "stats_report:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_stats_report(
    period: MonthRange, *, unit_code: str | None = None, caliber: Caliber | None = None
) -> StatsReport:
    """`stats_report`, from the cache when nothing that decides it has changed since it was computed."""
    caliber = caliber or Caliber.current()
    if connection.in_atomic_block:
        return stats_report(period, unit_code=unit_code, caliber=caliber)
    key = report_key(period, unit_code, caliber)
    report: StatsReport | None = cache.get(key)
    if report is None:
        report = stats_report(period, unit_code=unit_code, caliber=caliber)
        cache.set(key, report, settings.ZHAOSHANG_FIGURES_CACHE_SECONDS)
    return report
