"""The demo's leads and conflicts, and the commissioning article's intake against the demo's own projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhaoshang.intake.proposals import analyse
from zhaoshang.intake.text import file_text
from zhaoshang.leads.models import Conflict, Lead
from zhaoshang.leads.selectors import lead_report
from zhaoshang.projects.models import Project

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
ARTICLE = Path(__file__).resolve().parents[2].parent / "shared" / "source" / "article-jiaxing-wenwaizi-2020.txt"


def test_the_demo_has_leads_of_every_kind_and_a_conflict(demo):
    assert Lead.objects.count() == 7
    assert set(Lead.objects.values_list("status", flat=True)) == {
        "new",
        "assigned",
        "contacted",
        "converted",
        "abandoned",
    }
    converted = Lead.objects.get(status="converted")
    assert converted.project is not None
    assert converted.project.name == "阿特斯高效光伏组件项目"
    assert lead_report().total.received == 7
    assert Conflict.objects.filter(state="open").exists()


@pytest.mark.skipif(not ARTICLE.is_file(), reason=f"委托方文章不在 {ARTICLE}（不随仓库分发）")
def test_the_commissioning_article_matches_the_demo_projects(demo):
    intake = analyse(file_text(ARTICLE.name, ARTICLE.read_bytes()), title=ARTICLE.name)
    by_key = {c.profile.key: c for c in intake.companies}
    assert by_key["云顶新耀"].unit is not None
    assert by_key["云顶新耀"].unit.code == "330421"
    assert by_key["云顶新耀"].profile.stage == "listed"
    assert [p.name for p in by_key["云顶新耀"].projects] == ["云顶新耀创新药生产基地项目"]
    zf = by_key["采埃孚"]
    assert zf.unit is not None
    assert (zf.unit.code, zf.profile.kinds) == ("3304JK", ["reinvest"])
    assert sorted(p.name for p in zf.projects) == ["采埃孚传动系统利润再投资项目", "采埃孚汽车电子利润再投资项目"]
    expected = {
        "隆基": "隆基高效单晶光伏组件项目",
        "阿特斯": "阿特斯高效光伏组件项目",
        "福莱特": "福莱特光伏玻璃扩产项目",
    }
    for key, name in expected.items():
        company = by_key[key]
        assert company.unit is not None
        assert (company.unit.code, company.chains, [p.name for p in company.projects]) == ("330411", ["光伏"], [name])
    assert {c.profile.text for c in intake.companies if not c.profile.known} <= {"达基亚全球公司"}
    assert Project.objects.count() > 300
