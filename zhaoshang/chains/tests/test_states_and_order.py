"""Link states from known data at each threshold, and the target list's order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zhaoshang.chains import services as cs
from zhaoshang.chains.models import ChainConfig, ChainLink
from zhaoshang.chains.selectors import BLANK, STRONG, WEAK, Thresholds, chain_map, link_state
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country

from .conftest import make_enterprise, make_project

T = Thresholds(min_enterprises=2, min_investment_usd=Decimal("100000000.00"))


@pytest.mark.parametrize(
    ("n", "investment", "state"),
    [
        (0, "0", BLANK),
        (0, "500000000", BLANK),  # money without a confirmed local enterprise is still a blank link
        (1, "0", WEAK),
        (1, "500000000", WEAK),  # one enterprise is below 2, however big
        (2, "99999999.99", WEAK),  # one cent below the investment threshold
        (2, "100000000.00", STRONG),  # exactly at both thresholds
        (3, "100000000.01", STRONG),
        (5, "0", WEAK),  # many enterprises but no signed investment
    ],
)
def test_link_state_at_each_threshold(n, investment, state):
    assert link_state(n, Decimal(investment), T) == state


def states(chain) -> dict[str, tuple[str, int, Decimal]]:
    return {lv.link.name: (lv.state, lv.enterprise_count, lv.investment_usd) for lv in chain_map(chain).links}


def test_states_from_the_registry_with_configurable_thresholds(pv, units, users, as_of):
    admin, unit = users["admin"], units["jiashan"]
    cs.chain_config_set(strong_min_enterprises=2, strong_min_investment_usd=Decimal("100000000"), actor=admin)
    modules = ChainLink.objects.get(chain=pv, name="组件")
    glass = ChainLink.objects.get(chain=pv, name="光伏玻璃")
    a = make_enterprise("甲光伏组件有限公司", unit, "3825", admin)
    b = make_enterprise("乙光伏组件有限公司", unit, "3825", admin)
    g = make_enterprise("丙光伏玻璃有限公司", unit, "3042", admin)
    make_project(a, "甲组件扩产", "60000000.00", admin)
    make_project(b, "乙组件扩产", "39999999.99", admin)
    # Neither an unsigned nor a dropped project counts towards a link's investment.
    make_project(b, "乙组件二期（洽谈中）", "900000000", admin, signed=False)
    dropped = make_project(b, "乙组件三期", "900000000", admin)
    ps.project_drop(project=dropped, on=as_of, reason="投资方战略调整", actor=admin)
    make_project(g, "丙光伏玻璃扩产", "250000000", admin)
    for e, link in ((a, modules), (b, modules), (g, glass)):
        cs.placement_add(link=link, enterprise=e, actor=admin)

    assert states(pv) == {
        "组件": (WEAK, 2, Decimal("99999999.99")),  # 60,000,000.00 + 39,999,999.99: one cent short
        "光伏玻璃": (WEAK, 1, Decimal("250000000.00")),  # big but alone
        "逆变器": (BLANK, 0, Decimal("0")),
    }
    make_project(a, "甲组件技改", "0.01", admin)
    assert states(pv)["组件"] == (STRONG, 2, Decimal("100000000.00"))

    # The global thresholds are settings; a chain may override them with its own.
    cs.chain_config_set(strong_min_investment_usd="100000000.01", actor=admin)
    assert states(pv)["组件"][0] == WEAK
    pv = cs.chain_upsert(
        slug="pv", name="光伏", strong_min_enterprises=1, strong_min_investment_usd="250000000", actor=admin
    )
    assert {k: v[0] for k, v in states(pv).items()} == {"组件": WEAK, "光伏玻璃": STRONG, "逆变器": BLANK}
    assert ChainConfig.get().strong_min_investment_usd == Decimal("100000000.01")


def test_a_suggested_or_rejected_enterprise_does_not_count(pv, units, users, as_of):
    admin = users["admin"]
    e = make_enterprise("甲光伏组件有限公司", units["jiashan"], "3825", admin)
    make_project(e, "甲组件", "300000000", admin)
    cs.chain_config_set(strong_min_enterprises=1, actor=admin)
    [placement] = [p for p in cs.chain_suggest(chain=pv, actor=admin) if p.link.name == "组件"]
    assert states(pv)["组件"][:2] == (BLANK, 0)
    cs.placement_reject(placement=placement, actor=admin, reason="不是组件企业")
    assert states(pv)["组件"][:2] == (BLANK, 0)
    cs.placement_confirm(placement=placement, actor=admin)
    assert states(pv)["组件"] == (STRONG, 1, Decimal("300000000.00"))


def test_thresholds_refuse_bad_values_in_chinese_and_change_nothing(users, db):
    admin = users["admin"]
    with pytest.raises(Exception, match="强链门槛（企业数）“0”应为不小于1的整数"):
        cs.chain_config_set(strong_min_enterprises=0, actor=admin)
    with pytest.raises(Exception, match="强链门槛（总投资）“-1”不能为负数"):
        cs.chain_config_set(strong_min_investment_usd="-1", actor=admin)
    config = ChainConfig.get()
    assert (config.strong_min_enterprises, config.strong_min_investment_usd) == (3, Decimal("100000000.00"))


def test_target_list_order_blank_then_weak_then_strong_leaders_first(pv, units, users, as_of):
    """Links: 组件 (position 1) strong, 光伏玻璃 (2) weak, 逆变器 (3) blank, plus 电站 (4) blank."""
    admin, unit = users["admin"], units["jiashan"]
    cs.chain_config_set(
        strong_min_enterprises=1, strong_min_investment_usd="1", leader_max_industry_rank=10, actor=admin
    )
    station = cs.link_upsert(chain=pv, name="电站", position=4, actor=admin)
    modules = ChainLink.objects.get(chain=pv, name="组件")
    glass = ChainLink.objects.get(chain=pv, name="光伏玻璃")
    inverter = ChainLink.objects.get(chain=pv, name="逆变器")
    a = make_enterprise("甲光伏组件有限公司", unit, "3825", admin)
    make_project(a, "甲组件", "5", admin)
    cs.placement_add(link=modules, enterprise=a, actor=admin)
    cs.placement_add(link=glass, enterprise=make_enterprise("丙光伏玻璃有限公司", unit, "3042", admin), actor=admin)
    de, jp = Country.objects.get(code="DE"), Country.objects.get(code="JP")
    for link, name, f500, rank in [
        (modules, "组件·其他", None, None),
        (modules, "组件·500强", 300, None),
        (glass, "玻璃·行业第11", None, 11),  # outside the leader ranks: an ordinary target
        (glass, "玻璃·行业第2", None, 2),
        (glass, "玻璃·500强第90", 90, None),
        (inverter, "逆变器·乙其他", None, None),
        (inverter, "逆变器·甲其他", None, None),
        (inverter, "逆变器·行业第1", None, 1),
        (inverter, "逆变器·500强第400", 400, 3),
        (inverter, "逆变器·500强第70", 70, None),
        (station, "电站·500强第10", 10, None),
    ]:
        cs.target_add(
            link=link, name=name, country=de if f500 else jp, fortune500_rank=f500, industry_rank=rank, actor=admin
        )

    cmap = chain_map(pv)
    assert [(lv.link.name, lv.state) for lv in cmap.links] == [
        ("组件", STRONG),
        ("光伏玻璃", WEAK),
        ("逆变器", BLANK),
        ("电站", BLANK),
    ]
    assert [tr.target.name for _lv, tr in cmap.ordered_targets()] == [
        # blank links, upstream first: 逆变器 (3) before 电站 (4)
        "逆变器·500强第70",
        "逆变器·500强第400",
        "逆变器·行业第1",
        "逆变器·乙其他",  # ties by name (code point order: 乙 U+4E59 < 甲 U+7532)
        "逆变器·甲其他",
        "电站·500强第10",
        # then the weak link
        "玻璃·500强第90",
        "玻璃·行业第2",
        "玻璃·行业第11",
        # the strong link last
        "组件·500强",
        "组件·其他",
    ]


def test_pipeline_mark_gives_the_furthest_live_stage():
    from zhaoshang.chains.models import TargetCompany
    from zhaoshang.chains.selectors import ProjectRow, TargetRow

    def row(stage: str, label: str) -> ProjectRow:
        return ProjectRow(
            code=stage, name="", unit="", stage=stage, stage_label=label, total_investment_usd=Decimal(0), via=""
        )

    t = TargetCompany(name="甲")
    assert TargetRow(target=t, tier=2).pipeline_text == ""
    assert TargetRow(target=t, tier=2, pipeline=[row("dropped", "中止")]).pipeline_text == "曾在项目库（已中止）"
    both = TargetRow(
        target=t, tier=2, pipeline=[row("signed", "签约"), row("dropped", "中止"), row("negotiating", "洽谈")]
    )
    assert (both.in_pipeline, both.pipeline_text) == (True, "已在项目库（签约）")


def test_threshold_changes_leave_an_audit_entry(users, db):
    admin = users["admin"]
    cs.chain_config_set(strong_min_enterprises=4, actor=admin)
    with pytest.raises(PermissionDenied):
        cs.chain_config_set(strong_min_enterprises=9, actor=users["staff"])
    latest = ChainConfig.history.order_by("-history_id").first()
    assert latest is not None
    assert latest.strong_min_enterprises == 4
    assert latest.history_user == admin
    assert latest.history_change_reason == "调整产业链门槛（原 企业数3、总投资1.00亿美元、龙头名次10）"
    assert ChainConfig.get().strong_min_enterprises == 4
