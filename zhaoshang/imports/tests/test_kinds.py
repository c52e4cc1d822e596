"""Each kind of import with hand-made files: header variants and units, validation, all or nothing, idempotence."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from zhaoshang.cli import main
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import load_file
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, Enterprise, FollowUp, Industry, Investor, Project
from zhaoshang.stats.models import ProvinceFigure, Target

from .helpers import write_csv, write_xlsx

GOOD_CODE = "91330421MA2BXXXX0X"  # replaced below by a code with a valid check character


def valid_code() -> str:
    from stdnum.cn import uscc

    body = "91330421MA2B6Y8K1"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def signed(project, users):
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["admin"])


# ---------------------------------------------------------------- projects


PROJECT_HEADER: list[Any] = [
    "项目名称",
    "招商主体",
    "项目类型",
    "外方投资者",
    "国别（地区）",
    "行业",
    "总投资（万美元）",
    "合同外资（万美元）",
    "阶段",
    "阶段日期",
    "统一社会信用代码",
    "外资企业名称",
]


def test_projects_import_creates_then_changes_nothing_then_updates(as_of, units, users, industry, tmp_path):
    code = valid_code()
    rows: list[list[Any]] = [
        PROJECT_HEADER,
        [
            "光伏组件项目",
            "嘉善县",
            "新设",
            "东洋株式会社",
            "日本",
            "2761",
            12000,
            8000.5,
            "签约",
            date(2020, 3, 1),
            code,
            "东洋光伏（嘉善）有限公司",
        ],
    ]
    path = write_xlsx(tmp_path, rows)
    result = load_file("projects", path, actor=users["admin"])
    assert (result.count("新增"), result.count("更新"), result.count("不变")) == (1, 0, 0)
    p = Project.objects.get(name="光伏组件项目")
    # 12000 万美元 = 120,000,000 US$; 8000.5 万美元 = 80,005,000 US$
    assert (p.total_investment_usd, p.contract_foreign_usd) == (Decimal("120000000.00"), Decimal("80005000.00"))
    assert (p.stage, p.signed_on, p.industry_id, p.unit.code) == ("signed", date(2020, 3, 1), industry.pk, "330421")
    assert Enterprise.objects.get(projects=p).credit_code == code
    assert p.investors.get().country.code == "JP"

    again = load_file("projects", path, actor=users["admin"])
    assert (again.count("新增"), again.count("更新"), again.count("不变")) == (0, 0, 1)
    assert Project.objects.count() == 1
    assert Investor.objects.count() == 1
    assert Enterprise.objects.count() == 1

    rows[1][8], rows[1][9] = "设立", date(2020, 4, 2)
    changed = load_file("projects", write_xlsx(tmp_path, rows, "v2.xlsx"), actor=users["admin"])
    assert changed.count("更新") == 1
    p.refresh_from_db()
    assert (p.stage, p.registered_on) == ("registered", date(2020, 4, 2))


def test_projects_bad_rows_are_all_reported_and_nothing_is_written(as_of, units, users, industry, tmp_path):
    bad_code = valid_code()[:-1] + ("0" if valid_code()[-1] != "0" else "1")
    rows: list[list[Any]] = [
        PROJECT_HEADER,
        ["甲项目", "嘉善", "新设", "甲公司", "日本", "2761", 100, 50, "签约", date(2020, 3, 1), None, None],
        ["乙项目", "嘉善县", "新设", "乙公司", "日夲", "2761", 100, 50, "签约", date(2020, 3, 1), None, None],
        ["丙项目", "嘉善县", "合资", "丙公司", "美国", "2761", 100, 150, "签约", date(2020, 3, 1), bad_code, None],
        ["丁项目", "嘉善县", "新设", "丁公司", "美国", "2761", 100, 50, "签约", date(2021, 3, 1), None, None],
        ["戊项目", "嘉善县", "新设", "戊公司", "美国", "2761", 100, 50, "签约", date(2020, 3, 1), None, None],
    ]
    path = write_xlsx(tmp_path, rows)
    with pytest.raises(ImportRefused) as exc:
        load_file("projects", path, actor=users["admin"])
    text = exc.value.report()
    assert "第2行，“招商主体”列，值“嘉善”：不是已知的招商主体；最接近的是：嘉善县" in text
    assert "第3行，“国别（地区）”列，值“日夲”：不是已知的国别（地区）；最接近的是：日本" in text
    assert "第4行，“项目类型”列，值“合资”" in text
    assert "第4行，“合同外资（万美元）”列，值“150”：大于总投资“100”" in text
    assert f"第4行，“统一社会信用代码”列，值“{bad_code}”：校验位不正确（GB 32100）" in text
    assert "第5行，“阶段日期”列，值“2021-03-01”：晚于今天（2020-12-31）" in text
    assert "第6行" not in text
    assert len(exc.value.errors) == 6
    assert Project.objects.count() == 0
    assert Investor.objects.count() == 0


def test_staff_may_import_only_their_own_unit(as_of, units, users, industry, tmp_path):
    rows: list[list[Any]] = [
        PROJECT_HEADER,
        ["甲项目", "嘉兴经济技术开发区", "新设", "甲公司", "日本", "", 100, 50, "", date(2020, 3, 1), None, None],
    ]
    with pytest.raises(ImportRefused) as exc:
        load_file("projects", write_xlsx(tmp_path, rows), actor=users["staff"])
    assert "无权导入“嘉兴经济技术开发区”的数据" in exc.value.report()
    rows[1][1] = "嘉善县"
    assert load_file("projects", write_xlsx(tmp_path, rows, "ok.xlsx"), actor=users["staff"]).count("新增") == 1


# ---------------------------------------------------------------- arrivals


def test_arrivals_from_gb18030_csv_with_units_dry_run_and_reimport(signed, users, tmp_path):
    text = (
        "项目编号,到资月份,实际使用外资（万美元）,到资类型,金融业\nXM2020-0001,2020年3月,1234.5,实缴资本,否\n"
        'XM2020-0001,2020-04,"2,000",增资,\n'
    )
    path = write_csv(tmp_path, text, encoding="gb18030")
    dry = load_file("arrivals", path, actor=users["staff"], dry_run=True)
    assert dry.count("新增") == 2
    assert CapitalArrival.objects.count() == 0
    assert dry.lines()[0] == "第2行 新增：XM2020-0001 2020年3月 新设企业实缴资本 1,234.50 万美元 → US$12,345,000.00"
    load_file("arrivals", path, actor=users["staff"])
    amounts = sorted(CapitalArrival.objects.values_list("month", "amount_usd"))
    assert amounts == [(date(2020, 3, 1), Decimal("12345000.00")), (date(2020, 4, 1), Decimal("20000000.00"))]
    assert Project.objects.get(code="XM2020-0001").stage == "arriving"
    again = load_file("arrivals", path, actor=users["staff"])
    assert again.count("不变") == 2
    assert CapitalArrival.objects.count() == 2

    # The same project, month and type with another amount is refused, naming the record already there; the file
    # never overwrites it (a correction on the desk does) and the identical second row is not written either.
    march = CapitalArrival.objects.get(month=date(2020, 3, 1))
    changed = write_csv(tmp_path, text.replace("1234.5", "1234.6"), "v2.csv", encoding="gb18030")
    for dry_run in (True, False):
        with pytest.raises(ImportRefused) as exc:
            load_file("arrivals", changed, actor=users["staff"], dry_run=dry_run)
        assert [str(e) for e in exc.value.errors] == [
            f"第2行，“实际使用外资（万美元）”列，值“1234.6”：已有到资记录 #{march.pk}（XM2020-0001 2020年3月 "
            "新设企业实缴资本 12345000.00 USD），与本行不同；导入不会覆盖已有记录，请在工作台对该记录做更正"
        ]
    assert CapitalArrival.objects.get(month=date(2020, 3, 1)).amount_usd == Decimal("12345000.00")
    assert CapitalArrival.objects.count() == 2


def test_arrival_rows_are_checked_against_the_project(signed, users, tmp_path):
    text = (
        "项目名称,招商主体,到资月份,到资金额（原币）,币种,汇率,到资类型\n"
        "创新药生产基地项目,嘉善县,2020-01,100,USD,1,增资\n"  # before signing (2020-02)
        "创新药生产基地项目,嘉善县,2020-05,0,USD,1,增资\n"
        "创新药生产基地项目,嘉善县,2020-06,100,EUR,,增资\n"
        "创新药生产基地项目,嘉善县,2020-07,100,USD,1,增值\n"
        "创新药生产基地,嘉善县,2020-07,100,USD,1,增资\n"
        "创新药生产基地项目,嘉善县,2020-08,100,EUR,1.1,利润再投资\n"
        "创新药生产基地项目,嘉善县,2020-08,100,EUR,1.1,利润再投资\n"
    )
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", write_csv(tmp_path, text), actor=users["admin"])
    got = [str(e) for e in exc.value.errors]
    assert got == [
        "第2行，“到资月份”列，值“2020年1月”：早于项目签约月份 2020-02",
        "第3行，“到资金额（原币）”列，值“0”：必须大于0",
        "第4行，“汇率”列，值（空）：未填写折美元汇率，且2020年6月没有欧元（EUR）的参考汇率；请填写汇率",
        "第5行，“到资类型”列，值“增值”：不是已知的到资类型；最接近的是：增资",
        "第6行，“项目名称”列，值“创新药生产基地”：不是嘉善县已登记的项目；最接近的是：创新药生产基地项目",
        "第8行，“到资月份”列，值“2020年8月”：与第7行重复（同一项目、月份和到资类型）",
    ]
    assert CapitalArrival.objects.count() == 0


def test_the_command_prints_errors_writes_the_report_and_exits_non_zero(signed, tmp_path, capsys):
    path = write_xlsx(
        tmp_path, [["项目编号", "到资月份", "到资金额", "到资类型"], ["XM2020-0001", "2020-13", "abc", "增资"]]
    )
    report = tmp_path / "report.xlsx"
    assert main(["import", "arrivals", str(path), "--report", str(report), "--user", "admin"]) == 1
    err = capsys.readouterr().err
    assert "第2行，“到资月份”列，值“2020-13”：不是存在的月份" in err
    assert "第2行，“到资金额”列，值“abc”：不是有效的数字" in err
    wb = openpyxl.load_workbook(io.BytesIO(report.read_bytes()))
    listing, marked = wb["错误清单"], wb["原表（错误已标红）"]
    assert [c.value for c in listing[4]] == [2, "到资月份", "B2", "2020-13", "不是存在的月份"]
    assert marked["B2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert marked["C2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert marked["A2"].fill.fgColor.rgb in (None, "00000000")
    assert "不是存在的月份" in marked["B2"].comment.text
    assert CapitalArrival.objects.count() == 0


# ---------------------------------------------------------------- follow-ups, targets, province figures


def test_followups_import_once(project, users, tmp_path):
    rows: list[list[Any]] = [
        ["项目编号", "跟进日期", "方式", "情况摘要", "下次跟进日期", "跟进人"],
        ["XM2020-0001", date(2020, 5, 6), "上门拜访", "洽谈用地", date(2020, 6, 1), "嘉善专员"],
    ]
    path = write_xlsx(tmp_path, rows)
    assert load_file("followups", path, actor=users["staff"]).count("新增") == 1
    assert load_file("followups", path, actor=users["staff"]).count("不变") == 1
    f = FollowUp.objects.get()
    assert (f.on, f.channel, f.officer, f.next_on) == (date(2020, 5, 6), "visit", users["staff"], date(2020, 6, 1))
    assert Project.objects.get(pk=project.pk).next_follow_up_on == date(2020, 6, 1)


def test_targets_with_units_in_cells_and_headers(units, users, tmp_path):
    rows: list[list[Any]] = [
        ["年度", "招商主体", "指标", "目标值"],
        [2020, "全市", "实际使用外资", "30亿美元"],
        [2020, "嘉善县", "实际使用外资", "4.5亿美元"],
        [2020, "嘉善县", "超亿美元项目", 12],
    ]
    path = write_xlsx(tmp_path, rows)
    assert load_file("targets", path, actor=users["admin"]).count("新增") == 3
    got = {(t.unit_id, t.indicator): t.value for t in Target.objects.all()}
    assert got == {
        (None, "actual_use_usd"): Decimal("3000000000.00"),
        (units["jiashan"].pk, "actual_use_usd"): Decimal("450000000.00"),
        (units["jiashan"].pk, "projects_over_100m"): Decimal("12"),
    }
    assert load_file("targets", path, actor=users["admin"]).count("不变") == 3
    with pytest.raises(ImportRefused) as exc:
        load_file(
            "targets",
            write_xlsx(tmp_path, [rows[0], [2020, "全市", "实际使用外资", "3亿元"]], "b.xlsx"),
            actor=users["admin"],
        )
    assert "单位不是美元（CNY）" in exc.value.report()
    with pytest.raises(Exception, match="设定任务"):
        load_file("targets", path, actor=users["staff"])


def test_province_figures_with_a_unit_in_the_header(places, users, tmp_path):
    rows: list[list[Any]] = [
        ["设区市", "起始月份", "截止月份", "指标", "数值（亿美元）", "同比增长（%）", "来源"],
        ["宁波市", "2020-01", "2020-09", "实际使用外资", 20.56, "10.2%", "省商务厅通报"],
        ["杭洲", "2020-01", "2020-09", "实际使用外资", 50, 1, ""],
    ]
    with pytest.raises(ImportRefused) as exc:
        load_file("province-figures", write_xlsx(tmp_path, rows), actor=users["admin"])
    assert [str(e) for e in exc.value.errors] == ["第3行，“设区市”列，值“杭洲”：不是已知的省或设区市"]
    del rows[2]
    load_file("province-figures", write_xlsx(tmp_path, rows, "ok.xlsx"), actor=users["admin"])
    f = ProvinceFigure.objects.get()
    assert (f.region.code, f.first_month, f.last_month, f.value, f.yoy_pct) == (
        "330200",
        date(2020, 1, 1),
        date(2020, 9, 1),
        Decimal("2056000000.00"),
        Decimal("10.20"),
    )


# ---------------------------------------------------------------- reference data


def test_industries_parents_first_and_codes_kept_as_text(users, tmp_path):
    admin = users["admin"]
    path = write_csv(tmp_path, "code,name\n0111,稻谷种植\n011,谷物种植\n01,农业\nA,农、林、牧、渔业\n")
    result = load_file("industries", path, actor=admin)
    assert result.count("新增") == 4
    assert list(
        Industry.objects.filter(code__in=["0111", "01"]).values_list("code", "parent__code").order_by("code")
    ) == [
        ("01", "A"),
        ("0111", "011"),
    ]
    assert load_file("industries", path, actor=admin).count("不变") == 4
    with pytest.raises(ImportRefused) as exc:
        load_file(
            "industries",
            write_xlsx(tmp_path, [["代码", "名称"], [111, "谷物种植"], ["0112", "小麦种植"], ["0112", "小麦"]]),
            actor=admin,
        )
    assert [str(e) for e in exc.value.errors] == [
        "第2行，“代码”列，值“111”：被存成了数字，前导零可能已丢失；请把代码列设为文本后重新填写",
        "第4行，“代码”列，值“0112”：与第3行重复",
    ]


def test_divisions_keep_the_short_names_already_set(places, users, tmp_path):
    path = write_csv(tmp_path, "code,name,cityCode,provinceCode\n330421,嘉善县,3304,33\n330424,海盐县,3304,33\n")
    places["jiashan"].short_name = "嘉善"
    places["jiashan"].save()
    result = load_file("divisions", path, actor=users["admin"])
    assert (result.count("新增"), result.count("不变")) == (1, 1)
    from zhaoshang.units.models import Region

    haiyan = Region.objects.get(code="330424")
    assert (haiyan.level, Region.objects.get(children=haiyan).code) == ("county", "330400")
    assert Region.objects.get(code="330421").short_name == "嘉善"
    with pytest.raises(ImportRefused) as exc:
        load_file("divisions", write_csv(tmp_path, "code,name\n110101,东城区\n", "b.csv"), actor=users["admin"])
    assert [str(e) for e in exc.value.errors] == [
        "第2行，“code”列，值“110101”：上级行政区 110000 既不在文件中，也未导入；请先导入省、市"
    ]


def test_ods_and_xls_read_like_xlsx(signed, users):
    import io as _io

    import xlwt

    from .helpers import ods_bytes

    rows: list[list[Any]] = [
        ["项目编号", "到资月份", "到资金额（美元）", "到资类型"],
        ["XM2020-0001", "2020-03", 100.5, "增资"],
    ]
    load_file("arrivals", ods_bytes(rows), actor=users["admin"])
    assert CapitalArrival.objects.get().amount_usd == Decimal("100.50")
    book = xlwt.Workbook()
    sheet = book.add_sheet("到资")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    buf = _io.BytesIO()
    book.save(buf)
    assert load_file("arrivals", buf.getvalue(), actor=users["admin"]).count("不变") == 1


def test_the_command_dry_run_lists_changes_and_writes_nothing(signed, tmp_path, capsys):
    path = write_csv(tmp_path, "项目编号,到资月份,到资金额（亿美元）,到资类型\nXM2020-0001,2020-06,0.25,增资\n")
    assert main(["import", "arrivals", str(path), "--dry-run", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "试导入（未写入任何数据）：实际到资 1 行 —— 新增 1，更新 0，不变 0" in out
    assert "第2行 新增：XM2020-0001 2020年6月 增资 0.25 亿美元 → US$25,000,000.00" in out
    assert CapitalArrival.objects.count() == 0


def test_a_stage_never_moves_back(signed, users, tmp_path):
    rows: list[list[Any]] = [
        [
            "项目编号",
            "项目名称",
            "招商主体",
            "项目类型",
            "外方投资者",
            "总投资（美元）",
            "合同外资（美元）",
            "阶段",
            "阶段日期",
        ],
        [
            "XM2020-0001",
            "创新药生产基地项目",
            "嘉善县",
            "新设",
            "云顶新耀医药科技有限公司",
            300000000,
            180000000,
            "洽谈",
            date(2020, 3, 1),
        ],
    ]
    with pytest.raises(ImportRefused) as exc:
        load_file("projects", write_xlsx(tmp_path, rows), actor=users["admin"])
    assert [str(e) for e in exc.value.errors] == [
        "第2行，“阶段”列，值“洽谈”：早于项目 XM2020-0001 的当前阶段“签约”；阶段只能向前推进"
    ]
    rows[1][7] = "签约"
    assert load_file("projects", write_xlsx(tmp_path, rows, "same.xlsx"), actor=users["admin"]).count("不变") == 1
