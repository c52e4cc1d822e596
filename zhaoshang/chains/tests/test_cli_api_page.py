"""The `zhaoshang chains map` command (table, JSON, .xlsx read back), the API and the page, on one known chain."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from zhaoshang.chains import services as cs
from zhaoshang.chains.models import ChainLink, LinkEnterprise
from zhaoshang.cli import main
from zhaoshang.projects.models import Country

from .conftest import make_enterprise, make_project


@pytest.fixture
def mapped(pv, units, users, as_of):
    """组件: 2 enterprises, US$1.5亿 → strong at (2, 1亿); 光伏玻璃: 1 → weak; 逆变器: none → blank."""
    admin, unit = users["admin"], units["jiashan"]
    cs.chain_config_set(strong_min_enterprises=2, strong_min_investment_usd="100000000", actor=admin)
    modules, glass, inverter = (ChainLink.objects.get(chain=pv, name=n) for n in ("组件", "光伏玻璃", "逆变器"))
    a = make_enterprise("嘉兴甲光伏组件有限公司", unit, "3825", admin)
    b = make_enterprise("嘉兴乙光伏组件有限公司", unit, "3825", admin)
    g = make_enterprise("嘉兴丙光伏玻璃有限公司", unit, "3042", admin)
    make_project(a, "甲组件扩产", "100000000", admin)
    make_project(b, "乙组件扩产", "50000000", admin)
    for e, link in ((a, modules), (b, modules), (g, glass)):
        cs.placement_add(link=link, enterprise=e, actor=admin)
    make_enterprise("嘉兴丁逆变器有限公司", unit, "3824", admin)
    cs.chain_suggest(chain=pv, actor=admin)
    de = Country.objects.get(code="DE")
    siemens = cs.target_add(link=inverter, name="西门子股份公司", country=de, fortune500_rank=70, actor=admin)
    # Siemens is in the pipeline: a subsidiary's project under negotiation.
    from zhaoshang.projects import services as ps

    parent = ps.investor_create(name="西门子股份公司", name_en="Siemens", country=de, actor=admin)
    child = ps.investor_create(
        name="西门子（中国）投资有限公司", country=Country.objects.get(code="HK"), parent=parent, actor=admin
    )
    siemens.refresh_from_db()
    cs.target_add(link=inverter, name="西门子股份公司", country=de, fortune500_rank=70, investor=parent, actor=admin)
    e = make_enterprise("嘉兴西门子能源有限公司", unit, None, admin)
    make_project(e, "西门子逆变器项目", "20000000", admin, investor=child, signed=False)
    cs.target_add(link=inverter, name="SMA太阳能技术股份公司", country=de, industry_rank=6, actor=admin)
    cs.target_add(
        link=glass, name="圣戈班集团", country=Country.objects.get(code="FR"), fortune500_rank=226, actor=admin
    )
    cs.target_add(
        link=modules, name="阿特斯阳光电力集团", country=Country.objects.get(code="CA"), industry_rank=5, actor=admin
    )
    return pv


def test_cli_json_lists_links_with_name_state_enterprises_and_targets(mapped, capsys):
    assert main(["chains", "map", "--chain", "pv", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    links = [
        (x["name"], x["state"], [e["name"] for e in x["enterprises"]], [t["name"] for t in x["targets"]])
        for x in data["links"]
    ]
    assert links == [
        # names by code point: 乙 (U+4E59) before 甲 (U+7532)
        ("组件", "strong", ["嘉兴乙光伏组件有限公司", "嘉兴甲光伏组件有限公司"], ["阿特斯阳光电力集团"]),
        ("光伏玻璃", "weak", ["嘉兴丙光伏玻璃有限公司"], ["圣戈班集团"]),
        ("逆变器", "blank", [], ["西门子股份公司", "SMA太阳能技术股份公司"]),
    ]
    modules = data["links"][0]
    assert modules["numbers"] == {
        "enterprises": 2,
        "investment_usd": "150000000.00",
        "investment": "1.50亿美元",
        "strong_min_enterprises": 2,
        "strong_min_investment_usd": "100000000.00",
        "strong_min_investment": "1.00亿美元",
    }
    inverter = data["links"][2]
    # 丁: code 38 (1) + keyword 逆变器 (2); 甲 and 乙 only fall under division 38 (1)
    assert [(s["name"], s["score"]) for s in inverter["suggested"]] == [
        ("嘉兴丁逆变器有限公司", 3),
        ("嘉兴乙光伏组件有限公司", 1),
        ("嘉兴甲光伏组件有限公司", 1),
    ]
    siemens = inverter["targets"][0]
    assert (siemens["in_pipeline"], siemens["pipeline_stage"], siemens["tier"]) == (True, "洽谈", "世界500强")
    assert [p["name"] for p in inverter["projects"]] == ["西门子逆变器项目"]
    assert [(t["order"], t["name"]) for t in data["target_list"]] == [
        (1, "西门子股份公司"),
        (2, "SMA太阳能技术股份公司"),
        (3, "圣戈班集团"),
        (4, "阿特斯阳光电力集团"),
    ]


def test_cli_table_and_unknown_chain(mapped, capsys):
    assert main(["chains", "map", "--chain", "pv"]) == 0
    out = capsys.readouterr().out
    assert "光伏产业链招商地图（pv）：3个环节，空白1、薄弱1、较强1" in out
    assert "强链门槛：本地企业≥2家且总投资≥1.00亿美元" in out
    link_lines = out.split("目标企业\n")[1].split("\n\n")[0].splitlines()[1:]
    assert [line.split()[:4] for line in link_lines] == [
        ["1", "组件", "3825", "较强（强链）"],
        ["2", "光伏玻璃", "3042", "薄弱（补链）"],
        ["3", "逆变器", "38", "空白（建链）"],
    ]
    assert link_lines[2].endswith("西门子股份公司、SMA太阳能技术股份公司")
    target_lines = out.split("招引目标清单")[1].split("\n\n")[0].splitlines()[3:]
    assert [line.split()[:4] for line in target_lines] == [
        ["1", "逆变器", "空白（建链）", "西门子股份公司"],
        ["2", "逆变器", "空白（建链）", "SMA太阳能技术股份公司"],
        ["3", "光伏玻璃", "薄弱（补链）", "圣戈班集团"],
        ["4", "组件", "较强（强链）", "阿特斯阳光电力集团"],
    ]
    assert main(["chains", "map", "--chain", "nope"]) == 1
    assert "产业链“nope”不存在；现有：pv" in capsys.readouterr().err


def test_cli_xlsx_reads_back(mapped, tmp_path, capsys):
    out = tmp_path / "pv.xlsx"
    assert main(["chains", "map", "--chain", "pv", "--format", "xlsx", "--out", str(out)]) == 0
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["招商地图", "招引目标清单", "链长与平台"]
    links = book.get_sheet_by_name("招商地图").to_python()
    assert links[0][:6] == ["次序", "环节", "行业代码", "状态", "本地企业数", "总投资"]
    assert [(r[1], r[3], r[4], r[5]) for r in links[1:]] == [
        ("组件", "较强（强链）", 2, "1.50亿美元"),
        ("光伏玻璃", "薄弱（补链）", 1, "0.00亿美元"),
        ("逆变器", "空白（建链）", 0, "0.00亿美元"),
    ]
    targets = book.get_sheet_by_name("招引目标清单").to_python()
    assert [(r[0], r[3], r[5], r[8]) for r in targets[1:]] == [
        (1, "西门子股份公司", 70, "已在项目库（洽谈）"),
        (2, "SMA太阳能技术股份公司", "", ""),
        (3, "圣戈班集团", 226, ""),
        (4, "阿特斯阳光电力集团", "", ""),
    ]


def test_api_map_link_country_and_errors(mapped, client, users):
    client.force_login(users["leader"])
    data = client.get("/api/chains/pv").json()
    assert [(x["name"], x["state"]) for x in data["links"]] == [
        ("组件", "strong"),
        ("光伏玻璃", "weak"),
        ("逆变器", "blank"),
    ]
    assert client.get("/api/chains").json() == [
        {"slug": "pv", "name": "光伏", "links": 3, "blank": 1, "weak": 1, "strong": 1}
    ]
    link_id = data["links"][2]["id"]
    assert client.get(f"/api/chains/pv/links/{link_id}").json()["name"] == "逆变器"
    assert client.get("/api/chains/pv/links/abc").json() == {"detail": "环节“abc”不在这条产业链中"}
    missing = client.get("/api/chains/nope")
    assert (missing.status_code, missing.json()) == (400, {"detail": "产业链“nope”不存在"})
    de = client.get("/api/chains/countries/DE").json()
    assert [t["name"] for t in de["targets"]] == ["西门子股份公司", "SMA太阳能技术股份公司"]
    xlsx = client.get("/api/chains/pv/xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_decisions_follow_unit_rights(mapped, client, users):
    placement = LinkEnterprise.objects.get(enterprise__name="嘉兴丁逆变器有限公司", link__name="逆变器")
    client.force_login(users["zone_staff"])
    refused = client.post(
        f"/api/chains/placements/{placement.pk}", {"decision": "confirm"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "没有执行此操作的权限" in refused.json()["detail"]
    client.force_login(users["staff"])
    gone = client.post("/api/chains/placements/x1", {"decision": "confirm"}, content_type="application/json")
    assert (gone.status_code, gone.json()) == (400, {"detail": "匹配建议“x1”不存在"})
    bad = client.post(f"/api/chains/placements/{placement.pk}", {"decision": "maybe"}, content_type="application/json")
    assert bad.status_code == 400
    assert "决定“maybe”无效" in bad.json()["detail"]
    placement.refresh_from_db()
    assert placement.status == "suggested"
    ok = client.post(f"/api/chains/placements/{placement.pk}", {"decision": "confirm"}, content_type="application/json")
    assert ok.json() == {"id": placement.pk, "status": "confirmed", "status_label": "已确认"}
    data = client.get("/api/chains/pv").json()
    assert data["links"][2]["state"] == "weak"
    assert data["links"][2]["numbers"]["enterprises"] == 1


def test_pages_render_with_the_chart_and_its_data(mapped, client, users):
    assert client.get("/chains/pv/").status_code == 302  # login first
    client.force_login(users["leader"])
    page = client.get("/chains/")
    assert page.status_code == 200
    assert "光伏" in page.content.decode()
    page = client.get("/chains/pv/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/vendor/echarts.min.js" in html
    assert 'id="chain-chart"' in html
    embedded = html.split('<script id="chain-data" type="application/json">')[1].split("</script>")[0]
    data = json.loads(embedded)
    assert [(x["name"], x["color"]) for x in data["links"]] == [
        ("组件", "#2a9d4b"),
        ("光伏玻璃", "#f0a020"),
        ("逆变器", "#d9363e"),
    ]
    assert data["links"][2]["upstream"] == sorted([data["links"][0]["id"], data["links"][1]["id"]])
    assert "已在项目库（洽谈）" in html
    assert client.get("/chains/nope/").status_code == 404


def test_thresholds_are_shown_with_their_numbers(mapped, client, users):
    client.force_login(users["leader"])
    html = client.get("/chains/pv/").content.decode()
    assert "本地企业不少于 2 家" in html
    assert "总投资不少于 1.00亿美元" in html
    assert Decimal(
        json.loads(html.split('type="application/json">')[1].split("</script>")[0])["links"][0]["numbers"][
            "investment_usd"
        ]
    ) == Decimal("150000000")


def test_the_pages_decision_buttons_pass_the_csrf_check(mapped, users):
    """The side panel posts with the page's CSRF token, as a browser would (checks enforced)."""
    import re

    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["staff"])
    html = browser.get("/chains/pv/").content.decode()
    token_match = re.search(r'"X-CSRFToken": "([^"]+)"', html)
    url_match = re.search(r'fetch\("([^"]+)"\.replace', html)
    assert token_match
    assert url_match
    token, url = token_match.group(1), url_match.group(1)
    placement = LinkEnterprise.objects.get(enterprise__name="嘉兴丁逆变器有限公司", link__name="逆变器")
    target = url[:-1] + str(placement.pk)
    body = {"decision": "reject", "reason": "不属于本环节"}
    assert browser.post(target, body, content_type="application/json").status_code == 403  # no token: refused
    done = browser.post(target, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert done.status_code == 200
    assert done.json()["status"] == "rejected"
