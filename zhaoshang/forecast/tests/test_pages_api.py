"""The forecast where people see it: the API, the dashboard panel, the back-test page, the command line, and a
project's expectations (service, API, page) with their audit and their refusals."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.cli import main
from zhaoshang.forecast.models import ProjectExpectation
from zhaoshang.forecast.services import expectation_set, parse_likelihood, parse_month

pytestmark = pytest.mark.django_db


def test_api_forecast_and_refusals(client, registry, users):
    client.force_login(users["leader"])
    ok = client.get("/api/forecast", {"as_of": "2020-06"})
    assert ok.status_code == 200
    data = ok.json()
    assert data["as_of"] == "2020-06"
    assert set(data["city"]) >= {"mean", "p10", "p90", "ytd", "target", "p_target"}
    for bad, word in (("2021-01", "晚于业务日期"), ("2020-13", "无法识别"), ("abc", "无法识别"), ("2020-12", "12月")):
        r = client.get("/api/forecast", {"as_of": bad})
        assert r.status_code == 400, bad
        assert word in r.json()["detail"]
    r = client.get("/api/forecast", {"as_of": "2020-06", "unit": "NOPE"})
    assert r.status_code == 400
    assert "不存在" in r.json()["detail"]
    assert client.get("/api/forecast/backtest", {"year": 2021}).status_code == 400
    assert client.get("/api/forecast/backtest", {"year": "x"}).status_code == 400


def test_api_needs_a_login(client, registry):
    assert client.get("/api/forecast", {"as_of": "2020-06"}).status_code == 401


def test_panel_and_backtest_pages(client, registry, users):
    client.force_login(users["leader"])
    panel = client.get("/forecast/panel/", {"as_of": "2020-06"})
    assert panel.status_code == 200
    html = panel.content.decode()
    assert "全年预计" in html
    assert "80%区间" in html
    assert 'id="forecast-data"' in html
    assert "/forecast/backtest/" in html
    bad = client.get("/forecast/panel/", {"as_of": "2031-01"})
    assert bad.status_code == 200
    assert "晚于业务日期" in bad.content.decode()
    page = client.get("/forecast/backtest/", {"year": "2020"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "平均绝对百分比误差" in text
    assert "80%区间含实际" in text
    assert text.count("<tr>") >= 12
    assert client.get("/forecast/backtest/", {"year": "二〇二〇"}).status_code == 400
    assert "尚未结束" in client.get("/forecast/backtest/", {"year": "2030"}).content.decode()
    dash = client.get("/")
    assert dash.status_code == 200
    assert "/forecast/panel/" in dash.content.decode()


def test_command_prints_table_json_and_backtest(registry, capsys):
    assert main(["forecast", "--as-of", "2020-06", "--sims", "300"]) == 0
    out = capsys.readouterr().out
    assert "全年预计" in out
    assert "亿美元" in out
    assert main(["forecast", "--as-of", "2020-06", "--sims", "300", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2020-06"
    assert main(["forecast", "backtest", "--year", "2020", "--sims", "300", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["as_of"]) == 11
    assert set(data) == {"as_of", "mape", "coverage_80"}
    assert main(["forecast", "--as-of", "2021-03"]) == 1
    assert "晚于业务日期" in capsys.readouterr().err
    assert main(["forecast", "--as-of", "2020-06", "--unit", "NOPE"]) == 1
    assert "不存在" in capsys.readouterr().err


def test_expectation_service_audits_and_refuses(registry, users):
    project = registry["jiashan-pipe1"]
    exp = expectation_set(
        project=project,
        actor=users["staff"],
        expected_signing=date(2020, 7, 1),
        expected_registration=date(2020, 9, 15),
        expected_first_arrival=date(2020, 10, 1),
        likelihood="high",
        reason="责任人填写",
    )
    assert exp.expected_registration == date(2020, 9, 1)
    row = exp.history.latest()
    assert (row.history_user, row.history_change_reason, row.likelihood) == (users["staff"], "责任人填写", "high")
    before = ProjectExpectation.history.count()
    with pytest.raises(PermissionDenied):
        expectation_set(project=project, actor=users["zone_staff"], likelihood="low")
    with pytest.raises(ValidationError, match="预计首笔到资月份“2020-08”早于预计设立月份 2020-09"):
        expectation_set(
            project=project,
            actor=users["admin"],
            expected_registration=date(2020, 9, 1),
            expected_first_arrival=date(2020, 8, 1),
        )
    assert ProjectExpectation.history.count() == before
    assert parse_likelihood("中") == "medium"
    with pytest.raises(ValidationError, match="落地可能性“很高”无法识别"):
        parse_likelihood("很高")
    with pytest.raises(ValidationError, match="预计设立月份“2020-13”不是有效的月份"):
        parse_month("2020-13", field="expected_registration")


def test_expectation_api_and_page(client, registry, users):
    project = registry["zone-pipe2"]
    client.force_login(users["zone_staff"])
    url = f"/api/projects/{project.code}/expectation"
    put = client.put(
        url,
        {"expected_registration": "2020-10", "likelihood": "高", "note": "董事会已审议"},
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    assert put.json()["likelihood_label"] == "高"
    bad = client.put(url, {"expected_registration": "明年"}, content_type="application/json")
    assert bad.status_code == 400
    assert "不是有效的月份" in bad.json()["detail"]
    page = client.get(f"/forecast/projects/{project.code}/expectation/")
    assert page.status_code == 200
    assert "按项目库推算" in page.content.decode()
    posted = client.post(
        f"/forecast/projects/{project.code}/expectation/", {"expected_registration": "2020-11", "likelihood": "medium"}
    )
    assert posted.status_code == 200
    assert "已保存" in posted.content.decode()
    assert ProjectExpectation.objects.get(project=project).likelihood == "medium"
    refused = client.post(f"/forecast/projects/{project.code}/expectation/", {"expected_registration": "2020-99"})
    assert refused.status_code == 400
    assert "不是有效的月份" in refused.content.decode()
    client.force_login(users["staff"])  # 嘉善's staff may read but not change 经开区's project
    assert client.get(f"/forecast/projects/{project.code}/expectation/").status_code == 200
    assert client.post(f"/forecast/projects/{project.code}/expectation/", {"likelihood": "low"}).status_code == 403
    assert client.put(url, {"likelihood": "低"}, content_type="application/json").status_code == 403
    assert ProjectExpectation.objects.get(project=project).likelihood == "medium"
    detail = client.get(f"/projects/{project.code}/")
    assert f"/forecast/projects/{project.code}/expectation/" in detail.content.decode()


def test_import_expectations_all_or_nothing(registry, users, tmp_path, capsys):
    good = tmp_path / "预期.csv"
    a, b = registry["jiashan-pipe0"].code, registry["zone-pipe1"].code
    good.write_text(
        f"项目编号,预计签约月份,预计设立月份,预计首笔到资月份,落地可能性,说明\n{a},2020-08,2020-10,2020-11,高,\n{b},,2020-11,,中,待批复\n",
        encoding="utf-8",
    )
    assert main(["forecast", "import", str(good), "--user", "admin", "--dry-run"]) == 0
    assert "将导入2个项目" in capsys.readouterr().out
    assert not ProjectExpectation.objects.exists()
    assert main(["forecast", "import", str(good), "--user", "admin"]) == 0
    assert ProjectExpectation.objects.get(project__code=a).likelihood == "high"
    assert ProjectExpectation.objects.get(project__code=b).history.latest().history_change_reason == "导入项目预期"
    bad = tmp_path / "错.csv"
    bad.write_text(f"项目编号,落地可能性\n{a},低\nXM-NONE,高\n{b},很高\n", encoding="utf-8")
    assert main(["forecast", "import", str(bad), "--user", "admin"]) == 1
    err = capsys.readouterr().err
    assert "第3行“项目编号”列：“XM-NONE”不存在" in err
    assert "第4行：落地可能性“很高”无法识别" in err
    assert ProjectExpectation.objects.get(project__code=a).likelihood == "high"  # nothing written
    # 嘉善's staff may not import 经开区's projects: refused, nothing written.
    only_b = tmp_path / "b.csv"
    only_b.write_text(f"项目编号,落地可能性\n{b},低\n", encoding="utf-8")
    assert main(["forecast", "import", str(only_b), "--user", "js"]) == 1
    assert "没有执行此操作的权限" in capsys.readouterr().err
    assert ProjectExpectation.objects.get(project__code=b).likelihood == "medium"


def test_deciders_show_the_officers_expectation(registry, users):
    from zhaoshang.forecast.selectors import forecast

    first = forecast(date(2020, 6, 1), sims=300).deciders[0]
    project = next(p for p in registry.values() if p.code == first.code)
    expectation_set(project=project, actor=users["admin"], expected_first_arrival=date(2020, 10, 1), likelihood="high")
    again = forecast(date(2020, 6, 1), sims=300).deciders[0]
    assert again.officer == "责任人预计2020年10月首笔到资、落地可能性高"
    assert again.expected == first.expected  # shown beside the model, not used in it
