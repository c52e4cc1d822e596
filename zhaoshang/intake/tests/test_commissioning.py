"""The commissioning report as the first intake: read from ../shared/source (never copied into the repository);
skipped when it is absent. The registry here holds the demo's named projects (zhaoshang/demo/builder.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zhaoshang.chains import services as cs
from zhaoshang.cli import main
from zhaoshang.intake.proposals import analyse
from zhaoshang.intake.text import file_text
from zhaoshang.leads.models import Lead
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Project
from zhaoshang.units.services import unit_create

ARTICLE = Path(__file__).resolve().parents[3].parent / "shared" / "source" / "article-jiaxing-wenwaizi-2020.txt"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ARTICLE.is_file(), reason=f"委托方文章不在 {ARTICLE}（不随仓库分发）"),
]


@pytest.fixture
def demo_like(as_of, units, places, users, project, investor, system):
    """云顶新耀 in 嘉善 (the conftest project), ZF's two reinvestments in 经开区, the three PV companies in 秀洲."""
    admin = users["admin"]
    xiuzhou = unit_create(
        code="330411",
        name="秀洲区",
        short_name="秀洲区",
        kind="district",
        city=places["city"],
        region=places["nanhu"],
        sort_order=3,
        actor=system,
    )
    ps.project_advance_stage(project=project, to_stage="construction", on=date(2020, 7, 16), actor=admin)

    def inv(name, en, country, parent=None):
        return ps.investor_create(
            name=name, name_en=en, country=Country.objects.get(code=country), parent=parent, actor=admin
        )

    def proj(unit, name, kind, investor, on):
        return ps.project_create(
            unit=unit,
            name=name,
            kind=kind,
            investors=[investor],
            stage="signed",
            stage_on=on,
            total_investment=Decimal(60_000_000),
            contract_foreign=Decimal(60_000_000),
            actor=admin,
        )

    zf = inv("采埃孚股份公司", "ZF Friedrichshafen", "DE")
    zf_a = proj(units["zone"], "采埃孚传动系统利润再投资项目", "reinvest", zf, date(2020, 3, 18))
    zf_b = proj(units["zone"], "采埃孚汽车电子利润再投资项目", "reinvest", zf, date(2020, 5, 20))
    longi = inv("隆基（香港）贸易有限公司", "LONGi (HK) Trading Limited", "HK")
    csi = inv("阿特斯阳光电力集团", "Canadian Solar Inc.", "CA")
    flat = inv("福莱特（香港）有限公司", "Flat (Hong Kong) Co., Limited", "HK")
    pv = {
        "隆基": proj(xiuzhou, "隆基高效单晶光伏组件项目", "new", longi, date(2020, 2, 20)),
        "阿特斯": proj(xiuzhou, "阿特斯高效光伏组件项目", "new", csi, date(2020, 5, 15)),
        "福莱特": proj(xiuzhou, "福莱特光伏玻璃扩产项目", "increase", flat, date(2020, 8, 12)),
    }
    chain = cs.chain_upsert(slug="pv", name="光伏", actor=admin)
    module = cs.link_upsert(chain=chain, name="组件", position=4, keywords="光伏组件、组件", actor=admin)
    glass = cs.link_upsert(chain=chain, name="光伏玻璃", position=5, keywords="光伏玻璃、压延玻璃", actor=admin)
    cs.target_add(link=module, name="隆基（香港）贸易有限公司", country=Country.objects.get(code="HK"), actor=admin)
    cs.target_add(link=module, name="阿特斯阳光电力集团", country=Country.objects.get(code="CA"), actor=admin)
    cs.target_add(link=glass, name="福莱特（香港）有限公司", country=Country.objects.get(code="HK"), actor=admin)
    return {"yunding": project, "zf": [zf_a, zf_b], "pv": pv, "xiuzhou": xiuzhou}


def _intake():
    return analyse(file_text(ARTICLE.name, ARTICLE.read_bytes()), title=ARTICLE.name)


def test_the_article_finds_the_named_cases_and_matches_the_projects(demo_like, units):
    intake = _intake()
    by_key = {c.profile.key: c for c in intake.companies}
    yunding = by_key["云顶新耀"]
    assert (yunding.unit, yunding.profile.stage, yunding.projects) == (
        units["jiashan"],
        "listed",
        [demo_like["yunding"]],
    )
    (proposal,) = [p for p in yunding.proposals if p.writes]
    assert (proposal.kind, proposal.payload) == ("stage", {"project": demo_like["yunding"].pk, "stage": "listed"})
    zf = by_key["采埃孚"]
    assert (zf.unit, zf.profile.kinds) == (units["zone"], ["reinvest"])
    assert sorted(p.pk for p in zf.projects) == sorted(p.pk for p in demo_like["zf"])
    for name in ("隆基", "阿特斯", "福莱特"):
        company = by_key[name]
        assert company.unit == demo_like["xiuzhou"], name
        assert company.chains == ["光伏"], name
        assert company.projects == [demo_like["pv"][name]], name
        assert any("已是光伏产业链" in p.title for p in company.proposals), name


def test_the_article_invents_no_company_from_its_boilerplate(demo_like):
    unknown = {c.profile.text for c in _intake().companies if not c.profile.known}
    # 美国达基亚全球公司 is a real company the mayor met (named in the article); nothing else is unknown.
    assert unknown <= {"达基亚全球公司"}


def test_the_dry_run_prints_findings_as_written_and_writes_nothing(demo_like, capsys):
    before = (Project.objects.count(), Lead.objects.count())
    assert main(["intake", str(ARTICLE), "--dry-run"]) == 0
    out = capsys.readouterr().out
    for text in (
        "“云顶新耀医药科技有限公司”",
        "“嘉善”",
        "“上市”",
        "“采埃孚集团”",
        "“嘉兴经开区”",
        "“秀洲”",
        "“4.6亿美元”",
    ):
        assert text in out, text
    assert "云顶新耀医药科技有限公司 · 嘉善县 · 上市" in out
    assert "采埃孚集团 · 嘉兴经济技术开发区 · 设立、利润再投资" in out
    assert "隆基 · 秀洲区" in out
    assert "光伏产业链" in out
    assert "试运行：未写入任何数据" in out
    assert (Project.objects.count(), Lead.objects.count()) == before
