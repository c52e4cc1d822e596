"""Fixtures shared by every app's tests: a small Jiaxing with two units and users of every role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.accounts.models import Role, User
from zhaoshang.accounts.services import system_actor
from zhaoshang.accounts.tests.factories import UserFactory
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Industry, Investor
from zhaoshang.stats.services import site_config_update
from zhaoshang.units.models import Region, Unit
from zhaoshang.units.services import region_upsert, unit_create

AS_OF = date(2020, 12, 31)


@pytest.fixture
def system(db) -> User:
    """The system actor: builds the reference data the tests stand on, as the demo builder does."""
    return system_actor()


@pytest.fixture
def as_of(system) -> date:
    site_config_update(as_of_date=AS_OF, actor=system, reason="测试：固定业务日期")
    return AS_OF


@pytest.fixture
def places(system) -> dict[str, Region]:
    prov = region_upsert(code="330000", name="浙江省", level=Region.Level.PROVINCE, parent=None, actor=system)
    city = region_upsert(code="330400", name="嘉兴市", level=Region.Level.CITY, parent=prov, actor=system)
    ningbo = region_upsert(code="330200", name="宁波市", level=Region.Level.CITY, parent=prov, actor=system)
    jiashan = region_upsert(code="330421", name="嘉善县", level=Region.Level.COUNTY, parent=city, actor=system)
    nanhu = region_upsert(code="330402", name="南湖区", level=Region.Level.COUNTY, parent=city, actor=system)
    return {"province": prov, "city": city, "ningbo": ningbo, "jiashan": jiashan, "nanhu": nanhu}


@pytest.fixture
def units(places, system) -> dict[str, Unit]:
    city = places["city"]
    return {
        "jiashan": unit_create(
            code="330421",
            name="嘉善县",
            short_name="嘉善县",
            kind="county",
            city=city,
            region=places["jiashan"],
            sort_order=1,
            actor=system,
        ),
        "zone": unit_create(
            code="3304JK",
            name="嘉兴经济技术开发区",
            short_name="嘉兴经开区",
            kind="zone",
            city=city,
            region=places["nanhu"],
            sort_order=2,
            actor=system,
        ),
    }


@pytest.fixture
def users(units) -> dict[str, User]:
    make = UserFactory.create
    return {
        "admin": make(username="admin", password="x", full_name="管理员", role=Role.CITY_ADMIN),
        "staff": make(username="js", password="x", full_name="嘉善专员", role=Role.UNIT_STAFF, unit=units["jiashan"]),
        "zone_staff": make(
            username="jk", password="x", full_name="经开区专员", role=Role.UNIT_STAFF, unit=units["zone"]
        ),
        "leader": make(username="mayor", password="x", full_name="市领导", role=Role.LEADER),
        "auditor": make(username="audit", password="x", full_name="审计员", role=Role.AUDITOR),
    }


@pytest.fixture
def industry(system) -> Industry:
    ps.industry_upsert(code="C", name="制造业", actor=system)
    ps.industry_upsert(code="27", name="医药制造业", actor=system)
    return ps.industry_upsert(code="2761", name="生物药品制造", actor=system)


@pytest.fixture
def investor(db, users) -> Investor:
    return ps.investor_create(
        name="云顶新耀医药科技有限公司",
        name_en="Everest Medicines Limited",
        country=Country.objects.get(code="KY"),
        actor=users["admin"],
    )


@pytest.fixture
def project(as_of, units, users, investor, industry):
    return ps.project_create(
        unit=units["jiashan"],
        name="创新药生产基地项目",
        kind="new",
        investors=[investor],
        stage_on=date(2020, 1, 10),
        total_investment=Decimal("300000000"),
        contract_foreign=Decimal("180000000"),
        industry=industry,
        actor=users["staff"],
    )


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """The queue's worker closes stale connections between tasks (right for a long-running worker). Run in-process
    inside a test's transaction on PostgreSQL, that would close the test's own connection, so inside a transaction
    it leaves the connection alone."""
    from django.db import close_old_connections, connection
    from django_tasks_db.management.commands import db_worker

    def close_outside_transactions() -> None:
        if not connection.in_atomic_block:
            close_old_connections()

    monkeypatch.setattr(db_worker, "close_old_connections", close_outside_transactions)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test with committed data (transaction=True, a live server), pytest-django empties every table, the
    countries a data migration seeded among them: put them back once the flush is done, for the tests that follow."""
    yield
    marker = item.get_closest_marker("django_db")
    committed = marker is not None and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,)))
    if not committed and not ({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        from zhaoshang.projects.countries import COUNTRIES

        if not Country.objects.exists():
            system = system_actor()
            for code, name, name_en, is_hmt in COUNTRIES:
                ps.country_upsert(code=code, name=name, name_en=name_en, is_hmt=is_hmt, actor=system)
