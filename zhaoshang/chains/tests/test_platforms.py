"""Chain leaders, pilot zones and platforms, and the country-targeted list (国别精准招商)."""

from __future__ import annotations

import pytest

from zhaoshang.chains import services as cs
from zhaoshang.chains.models import ChainPilot, Platform
from zhaoshang.chains.selectors import chain_map, country_list
from zhaoshang.projects.models import Country


@pytest.fixture
def platforms(pv, units, users):
    admin = users["admin"]
    zone = cs.platform_upsert(
        name="嘉兴经济技术开发区",
        kind=Platform.Kind.ZONE,
        unit=units["zone"],
        in_provincial_integration=True,
        actor=admin,
    )
    park = cs.platform_upsert(
        name="中德（嘉兴）产业合作园",
        kind=Platform.Kind.COOPERATION_PARK,
        unit=units["zone"],
        partner_countries=[Country.objects.get(code="DE")],
        chains=[pv],
        actor=admin,
    )
    cs.pilot_set(chain=pv, platform=zone, level=ChainPilot.Level.PILOT, year=2020, actor=admin)
    cs.leader_set(chain=pv, title="市长", actor=admin)
    cs.leader_set(chain=pv, title="经开区党工委书记", unit=units["zone"], platform=zone, actor=admin)
    cs.leader_set(chain=pv, title="分管副市长", role="deputy", actor=admin)
    return zone, park


def test_leaders_pilots_and_platforms_of_a_chain(platforms, pv):
    cmap = chain_map(pv)
    assert [(ld.get_role_display(), ld.scope, ld.title) for ld in cmap.leaders] == [
        ("链长", "全市", "市长"),
        ("副链长", "全市", "分管副市长"),
        ("链长", "嘉兴经济技术开发区", "经开区党工委书记"),
    ]
    assert [(p.platform.name, p.get_level_display(), p.year) for p in cmap.pilots] == [
        ("嘉兴经济技术开发区", "试点单位", 2020)
    ]
    # A pilot zone hosts its chain.
    assert sorted(p.name for p in cmap.platforms) == ["中德（嘉兴）产业合作园", "嘉兴经济技术开发区"]


def test_platform_rules_refuse_in_chinese(platforms, pv, users):
    admin = users["admin"]
    zone, park = platforms
    with pytest.raises(Exception, match="链长制试点“中德（嘉兴）产业合作园”不是开发区"):
        cs.pilot_set(chain=pv, platform=park, level=ChainPilot.Level.PILOT, actor=admin)
    with pytest.raises(Exception, match="国际产业合作园“中日产业合作园”的合作国别（空）至少需要一个"):
        cs.platform_upsert(name="中日产业合作园", kind=Platform.Kind.COOPERATION_PARK, actor=admin)
    with pytest.raises(Exception, match="试点类别“national”不存在"):
        cs.pilot_set(chain=pv, platform=zone, level="national", actor=admin)
    with pytest.raises(Exception, match="没有执行此操作的权限"):
        cs.platform_upsert(name="某园区", kind=Platform.Kind.ECOLOGY_PARK, actor=users["staff"])
    assert sorted(Platform.objects.values_list("name", flat=True)) == ["中德（嘉兴）产业合作园", "嘉兴经济技术开发区"]


def test_country_list_gives_parks_and_targets_in_priority_order(platforms, pv, users):
    from zhaoshang.chains.models import ChainLink

    admin = users["admin"]
    de, jp = Country.objects.get(code="DE"), Country.objects.get(code="JP")
    modules, inverter = ChainLink.objects.get(name="组件"), ChainLink.objects.get(name="逆变器")
    cs.target_add(link=modules, name="瓦克化学", country=de, industry_rank=3, actor=admin)
    cs.target_add(link=inverter, name="SMA", country=de, industry_rank=6, actor=admin)
    cs.target_add(link=inverter, name="西门子", country=de, fortune500_rank=70, actor=admin)
    cs.target_add(link=inverter, name="京瓷", country=jp, industry_rank=9, actor=admin)
    found = country_list("de")
    assert found is not None
    assert [p.name for p in found.parks] == ["中德（嘉兴）产业合作园"]
    # All three links are blank; 组件 (position 1) before 逆变器 (3); in 逆变器 the Fortune 500 company first.
    assert [(lv.link.name, tr.target.name) for _c, lv, tr in found.targets] == [
        ("组件", "瓦克化学"),
        ("逆变器", "西门子"),
        ("逆变器", "SMA"),
    ]
    assert country_list("XX") is None


def test_list_and_country_pages(platforms, client, users):
    client.force_login(users["staff"])
    html = client.get("/chains/").content.decode()
    assert "试点示范单位 0 个、试点单位 1 个" in html
    assert "中德（嘉兴）产业合作园" in html
    assert "/chains/country/DE/" in html
    assert "列入全省开发区整合提升" in html
    page = client.get("/chains/country/DE/")
    assert page.status_code == 200
    assert "国别精准招商：德国" in page.content.decode()
    assert client.get("/chains/country/XX/").status_code == 404
