"""Cached figures are never stale: every write that can move a figure raises the figures' version in its own
transaction (one test per path), a refused write leaves it alone, and a page read right after a write shows it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from zhaoshang.common.periods import MonthRange
from zhaoshang.freshness.models import FigureChange
from zhaoshang.freshness.version import compact, figures_changed, figures_version, forget_transaction_marker
from zhaoshang.imports.kinds import load_file
from zhaoshang.imports.tests.helpers import write_csv, write_xlsx
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country
from zhaoshang.stats import services as ss
from zhaoshang.stats.cache import cached_stats_report
from zhaoshang.stats.models import ProvinceIndicator
from zhaoshang.stats.selectors import stats_report

APRIL = MonthRange.parse("2020-04")


def moves(write: Callable[[], Any]) -> bool:
    """Whether `write` raised the figures' version (each write checked as if it ran in its own transaction)."""
    forget_transaction_marker()
    before = figures_version()
    write()
    return figures_version() != before


@pytest.fixture
def signed(project, users):
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["admin"])


def test_every_service_write_path_moves_the_version(signed, units, users, places):
    admin = users["admin"]
    assert moves(
        lambda: ps.arrival_record(project=signed, month=date(2020, 4, 1), amount=2_000_000, kind="paid_in", actor=admin)
    )
    arrival = signed.arrivals.get()
    assert moves(lambda: ps.arrival_update(arrival=arrival, actor=admin, reason="更正", amount=Decimal(2_100_000)))
    assert moves(
        lambda: ps.project_advance_stage(project=signed, to_stage="construction", on=date(2020, 4, 2), actor=admin)
    )
    assert moves(lambda: ps.project_update(project=signed, actor=admin, reason="更正", name="改名"))
    assert moves(
        lambda: ps.followup_log(project=signed, on=date(2020, 5, 1), channel="call", summary="电话", actor=admin)
    )
    parent = ps.investor_create(name="集团", name_en="Group AG", country=Country.objects.get(code="DE"), actor=admin)
    other = ps.investor_create(name="另一外资", country=Country.objects.get(code="DE"), actor=admin)
    assert moves(lambda: ps.project_update(project=signed, actor=admin, reason="换投资方", investors=[other]))
    assert moves(lambda: ps.project_drop(project=signed, on=date(2020, 6, 1), reason="放弃", actor=admin))
    assert moves(
        lambda: ps.fortune500_list_load(
            year=2019,
            published_on=date(2019, 8, 1),
            actor=admin,
            entries=[{"rank": 1, "name": "Group AG", "country": "德国"}],
        )
    )
    assert parent.fortune500_entries.exists()  # the reload linked the investor: the figure moved
    assert moves(lambda: ss.stats_config_update(actor=admin, reason="口径", count_shareholder_loans=True))
    assert moves(lambda: ss.site_config_update(as_of_date=date(2020, 11, 30), actor=admin, reason="日期"))
    assert moves(lambda: ss.target_set(year=2020, indicator="actual_use_usd", value=Decimal(10**9), actor=admin))
    assert moves(
        lambda: ss.province_figure_set(
            region=places["ningbo"],
            first_month=date(2020, 1, 1),
            last_month=date(2020, 4, 1),
            indicator=ProvinceIndicator.ACTUAL_USE,
            value=Decimal(10**8),
            yoy_pct=None,
            actor=admin,
        )
    )
    zone = units["zone"]
    zone.is_active = False  # as the admin's form saves it
    assert moves(zone.save)


def test_imports_move_the_version_and_a_refused_file_does_not(signed, users, tmp_path):
    good = write_csv(tmp_path, "项目编号,到资月份,实际使用外资（万美元）,到资类型\nXM2020-0001,2020-04,200,实缴资本\n")
    assert moves(lambda: load_file("arrivals", good, actor=users["staff"]))
    targets = write_xlsx(tmp_path, [["年度", "招商主体", "指标", "目标值"], [2020, "全市", "实际使用外资", "30亿美元"]])
    assert moves(lambda: load_file("targets", targets, actor=users["admin"]))
    bad = write_csv(
        tmp_path, "项目编号,到资月份,实际使用外资（万美元）,到资类型\nXM2020-0001,2020-05,-5,实缴资本\n", "b.csv"
    )

    def refused() -> None:
        with pytest.raises(Exception, match=r"."):
            load_file("arrivals", bad, actor=users["staff"])

    assert not moves(refused)


def test_synthesized_copies_move_the_version(signed, system):
    from zhaoshang.demo.synth import synthesize

    assert moves(lambda: synthesize(2, actor=system))


def test_one_row_per_transaction_and_none_left_by_a_rollback(db):
    before = FigureChange.objects.count()
    with transaction.atomic():
        forget_transaction_marker()
        for _ in range(5):
            figures_changed()
    assert FigureChange.objects.count() == before + 1

    def change_then_fail() -> None:
        with transaction.atomic():
            forget_transaction_marker()
            figures_changed()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert FigureChange.objects.count() == before + 1


def test_compaction_keeps_the_version(db):
    forget_transaction_marker()
    for _ in range(3):
        FigureChange.objects.create()
    version = figures_version()
    compact()
    assert FigureChange.objects.count() == 1
    assert figures_version() == version


def test_a_report_read_inside_a_transaction_is_never_cached(signed, users):
    cached_stats_report(APRIL)  # the settings' rows are made on the first read
    with CaptureQueriesContext(connection) as first:
        cached_stats_report(APRIL)
    with CaptureQueriesContext(connection) as second:
        cached_stats_report(APRIL)
    assert len(second.captured_queries) == len(first.captured_queries) > 5


def read_api(client: Any) -> str:
    return client.get("/api/stats?period=2020-04&progress=reported").json()["city"]["actual_use_usd"]


def arrive_and_read_at_once(client: Any, users: Any, project: Any) -> None:
    client.force_login(users["admin"])
    assert read_api(client) == "0.00"  # the first read also makes the caliber's settings row: a change
    assert read_api(client) == "0.00"
    with CaptureQueriesContext(connection) as warm:
        assert read_api(client) == "0.00"
    with CaptureQueriesContext(connection) as cold:
        stats_report(APRIL)
    assert len(warm.captured_queries) < len(cold.captured_queries)  # the second read came from the cache
    ps.arrival_record(project=project, month=date(2020, 4, 1), amount=2_000_000, kind="paid_in", actor=users["admin"])
    assert read_api(client) == "2000000.00"
    response = client.get("/?period=2020-04")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.city.actual_use == cached_stats_report(APRIL).city.actual_use


@pytest.fixture
def countries(transactional_db):
    """A transactional test before this one ended with a flush, which also empties the countries a data migration
    seeded: put them back."""
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.projects.countries import COUNTRIES

    if not Country.objects.exists():
        system = system_actor()
        for code, name, name_en, is_hmt in COUNTRIES:
            ps.country_upsert(code=code, name=name, name_en=name_en, is_hmt=is_hmt, actor=system)


@pytest.mark.django_db(transaction=True)
def test_a_write_is_seen_by_the_next_read_through_the_cache(countries, signed, users, client):
    caches["default"].clear()
    arrive_and_read_at_once(client, users, signed)


REDIS_URL = os.environ.get("ZHAOSHANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.mark.skipif(not redis_up(), reason="Redis is not reachable at ZHAOSHANG_TEST_REDIS_URL (default db 15)")
@pytest.mark.django_db(transaction=True)
def test_the_same_with_redis(countries, signed, users, client):
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": redis_cache}):
        caches["default"].clear()
        assert caches["default"].__class__.__name__ == "RedisCache"
        arrive_and_read_at_once(client, users, signed)
        caches["default"].clear()


def test_the_command_line_reads_uncached(signed, monkeypatch, capsys):
    from zhaoshang.cli import main
    from zhaoshang.stats import cache

    def no_cache(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("zhaoshang stats must compute afresh")

    monkeypatch.setattr(cache, "cached_figure", no_cache)
    assert main(["stats", "--period", "2020-04", "--format", "json"]) == 0
    assert '"actual_use_usd"' in capsys.readouterr().out
