"""The desk's 存量企业 pages and the API: rights (unit staff their own unit, the city all), refusals, no 500, and
query counts that do not grow with the roster."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.aftercare import services as ac
from zhaoshang.aftercare.models import ServiceRequest, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(entry, users, units, investor):
    staff = users["staff"]
    ac.annual_figures_file(
        entry=entry,
        year=2018,
        filed_on=date(2019, 4, 1),
        registered_capital=Decimal(4000),
        revenue=Decimal(10000),
        undistributed_profit=Decimal(1500),
        employees=200,
        actor=staff,
    )
    ac.annual_figures_file(
        entry=entry,
        year=2019,
        filed_on=date(2020, 4, 1),
        registered_capital=Decimal(4000),
        revenue=Decimal(13000),
        undistributed_profit=Decimal(2600),
        employees=240,
        actor=staff,
    )
    ac.visit_log(
        entry=entry,
        on=date(2020, 9, 1),
        met="总经理",
        learned="拟增资",
        intention="expand",
        next_on=date(2020, 12, 1),
        actor=staff,
    )
    ac.request_open(
        entry=entry,
        category="land",
        description="用地",
        department="自然资源局",
        received_on=date(2020, 11, 1),
        deadline=date(2020, 11, 30),
        actor=staff,
    )
    zone = ac.roster_enroll_new(name="经开区甲有限公司", unit=units["zone"], investors=[investor], actor=users["admin"])
    return {"entry": entry, "zone": zone}


def test_pages_for_the_city_and_for_unit_staff(client, users, world):
    entry, zone = world["entry"], world["zone"]
    client.force_login(users["admin"])
    for url in [
        "/",
        "/enterprises/",
        "/enterprises/?signal=capacity&unit=330421&industry=C&country=KY",
        "/enterprises/requests/",
        "/enterprises/requests/?unit=330421",
        "/enterprises/signals/",
        f"/enterprises/{entry.enterprise.credit_code}/",
        f"/enterprises/{zone.pk}/",
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/enterprises/{entry.enterprise.credit_code}/").content.decode()
    assert 'data-signal="capacity"' in page
    assert 'data-signal="growth"' in page
    assert "chart-figures" in page
    assert client.get("/").content.decode().count('id="aftercare-block"') == 1
    client.force_login(users["zone_staff"])
    assert client.get(f"/enterprises/{entry.enterprise.credit_code}/").status_code == 403
    assert client.get("/enterprises/requests/?unit=330421").status_code == 403
    listed = client.get("/enterprises/").content.decode()
    assert "经开区甲有限公司" in listed
    assert entry.enterprise.name not in listed
    for url in ["/enterprises/?signal=nope", "/enterprises/requests/?unit=XX"]:
        assert client.get(url).status_code == 400


def test_a_request_life_through_the_page(client, users, world):
    entry = world["entry"]
    key = entry.enterprise.credit_code
    client.force_login(users["staff"])
    [r] = ServiceRequest.objects.all()
    answer = client.post(f"/enterprises/{key}/start/", {"request_id": r.pk, "on": "2020-12-01"})
    assert answer.status_code == 302
    answer = client.post(f"/enterprises/{key}/close/", {"request_id": r.pk, "on": "2020-12-10", "text": ""})
    assert answer.status_code == 400
    assert "办理结果（空）不能为空" in answer.content.decode()
    client.post(
        f"/enterprises/{key}/close/",
        {"request_id": r.pk, "on": "2020-12-10", "text": "已供地", "satisfaction": "satisfied"},
    )
    r.refresh_from_db()
    assert (r.status, r.satisfaction) == ("solved", "satisfied")
    client.force_login(users["leader"])
    assert (
        client.post(f"/enterprises/{key}/visit/", {"on": "2020-12-10", "met": "x", "learned": "y"}).status_code == 403
    )
    assert Visit.objects.count() == 1


def test_intention_to_project_through_the_page(client, users, world):
    entry = world["entry"]
    [visit] = Visit.objects.all()
    client.force_login(users["staff"])
    answer = client.post(
        f"/enterprises/{entry.enterprise.credit_code}/convert/",
        {
            "visit_id": visit.pk,
            "kind": "increase",
            "name": "精密机械增资项目",
            "total_investment": "1500",
            "on": "2020-12-01",
        },
    )
    assert answer.status_code == 302
    visit.refresh_from_db()
    assert visit.project is not None
    assert visit.project.total_investment_usd == Decimal(15_000_000)


def test_api_rights_and_shapes(client, users, world):
    entry, zone = world["entry"], world["zone"]
    code = entry.enterprise.credit_code
    client.force_login(users["leader"])
    listed = client.get("/api/enterprises").json()
    assert {e["name"] for e in listed} == {entry.enterprise.name, "经开区甲有限公司"}
    one = client.get(f"/api/enterprises/{code}").json()
    assert [y["year"] for y in one["years"]] == [2018, 2019]
    assert one["years"][1]["undistributed_profit"] == "2600.000000"
    assert {s["key"] for s in one["signals"]} >= {"capacity", "growth", "intention"}
    assert client.get(f"/api/enterprises/{zone.pk}").json()["credit_code"] is None
    assert len(client.get(f"/api/enterprises/{code}/visits").json()) == 1
    [req] = client.get(f"/api/enterprises/{code}/requests").json()
    assert (req["status"], req["days_overdue"], req["escalation_level"]) == ("received", 31, 2)  # 11-30 → 12-31
    client.force_login(users["zone_staff"])
    assert [e["name"] for e in client.get("/api/enterprises").json()] == ["经开区甲有限公司"]
    for url in [f"/api/enterprises/{code}", f"/api/enterprises/{code}/visits", f"/api/enterprises/{code}/requests"]:
        assert client.get(url).status_code == 403
    assert client.get("/api/enterprises/nothing-here").status_code == 404
    assert client.get("/api/enterprises?signal=bad").status_code == 400
    client.logout()
    assert client.get("/api/enterprises").status_code == 401


def test_roster_and_enterprise_page_queries_do_not_grow(client, users, world, units, investor):
    client.force_login(users["admin"])
    entry = world["entry"]

    def count(url):
        from django.core.cache import cache

        cache.clear()  # every count cold: the menu's task count and the figures are cached across requests
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    count("/enterprises/")  # the first request of a session creates what is created once (the figures' epoch…)
    roster_before = count("/enterprises/")
    page_before = count(f"/enterprises/{entry.enterprise.credit_code}/")
    for i in range(8):
        e = ac.roster_enroll_new(
            name=f"嘉善第{i}有限公司", unit=units["jiashan"], investors=[investor], actor=users["admin"]
        )
        ac.annual_figures_file(entry=e, year=2019, filed_on=date(2020, 4, 1), revenue=Decimal(5), actor=users["admin"])
        ac.visit_log(entry=entry, on=date(2020, 10, i + 1), met="总经理", learned="正常", actor=users["staff"])
    assert count("/enterprises/") == roster_before
    assert count(f"/enterprises/{entry.enterprise.credit_code}/") == page_before


def test_officer_and_leader_through_the_page(client, users, world):
    entry = world["entry"]
    key = entry.enterprise.credit_code
    client.force_login(users["staff"])
    assert client.post(f"/enterprises/{key}/roster/", {"officer": "admin", "leader": "副县长"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.officer, entry.leader) == (users["admin"], "副县长")
    answer = client.post(f"/enterprises/{key}/roster/", {"officer": "jk", "leader": "x"})
    assert answer.status_code == 400  # 经开区's staff is not a choice for 嘉善's enterprise
    entry.refresh_from_db()
    assert entry.leader == "副县长"
