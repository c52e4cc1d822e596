"""Mapping suggestions: industry code and keywords, and a person's decision that the matcher never overrides."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhaoshang.chains import services as cs
from zhaoshang.chains.matching import match
from zhaoshang.chains.models import ChainLink, LinkEnterprise

from .conftest import make_enterprise, make_project


@pytest.mark.parametrize(
    ("codes", "words", "industry", "texts", "expected"),
    [
        (["3825"], ["光伏组件"], "3825", ["嘉兴甲光伏组件有限公司"], (4, "3825", ("光伏组件",))),
        (["3825"], ["光伏组件"], "3825", ["嘉兴甲科技有限公司"], (2, "3825", ())),
        (["38"], ["逆变器"], "3824", ["嘉兴甲科技有限公司"], (1, "38", ())),  # a division covers its classes
        (["38", "3824"], [], "3824", ["x"], (2, "3824", ())),  # the closest code wins
        (["3825"], ["光伏玻璃"], "3042", ["嘉兴甲公司", "甲光伏玻璃扩产项目"], (2, None, ("光伏玻璃",))),
        (["C"], [], "3042", ["x"], (1, "C", ())),  # a section letter matches by section
        (["3825"], ["光伏组件"], "382", ["x"], None),  # a coarser enterprise code is not under a finer link code
        (["3825"], ["光伏组件"], None, ["嘉兴甲生物有限公司"], None),
    ],
)
def test_match_scores(codes, words, industry, texts, expected):
    found = match(
        link_codes=codes,
        keywords=words,
        industry_code=industry,
        industry_section="C" if industry else "",
        texts=texts,
    )
    assert (None if found is None else (found.score, found.code, found.keywords)) == expected


def test_suggestions_from_industry_code_and_keywords(pv, units, users, as_of):
    admin, unit = users["admin"], units["jiashan"]
    a = make_enterprise("嘉兴甲光伏组件有限公司", unit, "3825", admin)
    b = make_enterprise("嘉兴乙科技有限公司", unit, "3825", admin)
    make_project(b, "乙光伏玻璃项目", "1000", admin)  # its project's name carries a keyword of another link
    c = make_enterprise("嘉兴丙电气有限公司", unit, "3824", admin)
    make_enterprise("嘉兴丁生物医药有限公司", unit, "2761", admin)
    made = cs.chain_suggest(chain=pv, actor=admin)
    got = sorted((p.link.name, p.enterprise.name, p.score, p.reason) for p in made)
    assert got == sorted(
        [
            ("组件", a.name, 4, "行业代码3825；关键词“光伏组件”“组件”"),
            ("组件", b.name, 2, "行业代码3825"),
            ("光伏玻璃", b.name, 2, "关键词“光伏玻璃”"),
            ("逆变器", a.name, 1, "行业代码38"),
            ("逆变器", b.name, 1, "行业代码38"),
            ("逆变器", c.name, 1, "行业代码38"),
        ]
    )
    assert all(p.status == LinkEnterprise.Status.SUGGESTED for p in made)


def test_a_persons_decision_survives_new_suggestions_and_stale_ones_go(pv, units, users, as_of):
    admin, unit = users["admin"], units["jiashan"]
    a = make_enterprise("嘉兴甲光伏组件有限公司", unit, "3825", admin)
    cs.chain_suggest(chain=pv, actor=admin)
    modules = LinkEnterprise.objects.get(link__name="组件", enterprise=a)
    inverter = LinkEnterprise.objects.get(link__name="逆变器", enterprise=a)
    cs.placement_confirm(placement=modules, actor=users["staff"])  # 嘉善 staff decide for 嘉善's enterprise
    cs.placement_reject(placement=inverter, actor=admin, reason="不生产逆变器")
    b = make_enterprise("嘉兴乙逆变器有限公司", unit, "3824", admin)
    cs.chain_suggest(chain=pv, actor=admin)
    rows = {(p.link.name, p.enterprise_id): p.status for p in LinkEnterprise.objects.all()}
    assert rows == {
        ("组件", a.pk): "confirmed",
        ("逆变器", a.pk): "rejected",
        ("逆变器", b.pk): "suggested",
    }
    # When the link changes so that b no longer matches, its open suggestion is withdrawn; decided rows stay.
    cs.link_upsert(chain=pv, name="逆变器", position=3, industry_codes=["3825"], keywords="", actor=admin)
    cs.chain_suggest(chain=pv, actor=admin)
    rows = {(p.link.name, p.enterprise_id): p.status for p in LinkEnterprise.objects.all()}
    assert rows == {("组件", a.pk): "confirmed", ("逆变器", a.pk): "rejected"}


def test_other_units_staff_cannot_decide_and_nothing_changes(pv, units, users, as_of):
    admin = users["admin"]
    a = make_enterprise("嘉兴甲光伏组件有限公司", units["jiashan"], "3825", admin)
    cs.chain_suggest(chain=pv, actor=admin)
    placement = LinkEnterprise.objects.get(link__name="组件", enterprise=a)
    before = placement.history.count()
    for who in ("zone_staff", "leader", "auditor"):
        with pytest.raises(PermissionDenied):
            cs.placement_confirm(placement=placement, actor=users[who])
    placement.refresh_from_db()
    assert placement.status == "suggested"
    assert placement.history.count() == before


def test_link_codes_must_exist_and_edges_make_no_cycle(pv, users):
    from zhaoshang.chains.models import ChainLink

    admin = users["admin"]
    with pytest.raises(Exception, match="环节“硅片”的行业代码“9999”不在国民经济行业分类"):
        cs.link_upsert(chain=pv, name="硅片", position=1, industry_codes=["9999"], actor=admin)
    assert not ChainLink.objects.filter(name="硅片").exists()
    modules, glass, inverter = (ChainLink.objects.get(chain=pv, name=n) for n in ("组件", "光伏玻璃", "逆变器"))
    with pytest.raises(Exception, match="环节“组件”的上游环节“逆变器”已在本环节的下游，会形成环路"):
        cs.link_set_upstream(link=modules, upstream=[inverter], actor=admin)
    with pytest.raises(Exception, match="不能是它自己"):
        cs.link_set_upstream(link=glass, upstream=[glass], actor=admin)
    assert sorted(u.name for u in inverter.upstream.all()) == ["光伏玻璃", "组件"]
    assert not modules.upstream.exists()


def test_a_decision_in_the_admin_goes_through_the_service(pv, units, users, as_of, client):
    admin = users["admin"]
    a = make_enterprise("嘉兴甲光伏组件有限公司", units["jiashan"], "3825", admin)
    cs.chain_suggest(chain=pv, actor=admin)
    placement = LinkEnterprise.objects.get(link__name="组件", enterprise=a)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    url = f"/admin/chains/linkenterprise/{placement.pk}/change/"
    answer = client.post(url, {"link": placement.link_id, "enterprise": a.pk, "status": "confirmed"})
    assert answer.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.decided_by, placement.score) == ("confirmed", admin, 4)
    glass = ChainLink.objects.get(chain=pv, name="光伏玻璃")
    added = client.post(
        "/admin/chains/linkenterprise/add/", {"link": glass.pk, "enterprise": a.pk, "status": "suggested"}
    )
    assert added.status_code == 302
    by_hand = LinkEnterprise.objects.get(link=glass, enterprise=a)
    assert (by_hand.status, by_hand.reason, by_hand.decided_by) == ("confirmed", "人工添加", admin)
