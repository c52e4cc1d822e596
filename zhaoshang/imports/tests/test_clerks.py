"""Workbooks as county clerks make them: a merged title, a unit line, 序号, blank rows, numbers as text with
thousands separators, a 合计 row, Excel date serials, full-width text. Every converted amount is worked out by hand
in the comments; no file may move a figure by 10,000 times."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from stdnum.cn import uscc

from zhaoshang.cli import main
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import load_file
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, Project
from zhaoshang.reference.services import rate_set


def clerk_book(rows: list[list[Any]], *, merge: str | None = None) -> bytes:
    """An .xlsx written by openpyxl the way a clerk's Excel leaves it (merged title, cells as typed)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "到资情况"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def signed(project, users):
    """创新药生产基地项目 (XM2020-0001), US$, contract foreign capital US$180,000,000, signed 2020-02-01."""
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["admin"])


TITLE = "嘉善县2020年实际到资情况表"
HEADER = ["序号", "项目编号", "到资月份", "到资金额", "到资类型", "备注"]


def arrivals_book(*, unit_line: str | None = "单位：万美元", total: Any = "1,781.00") -> bytes:
    rows: list[list[Any]] = [[TITLE], [unit_line] if unit_line else [None], HEADER]
    rows += [
        [1, "XM2020-0001", "2020年3月", "1,581.00", "增资", None],
        [None] * 6,  # the blank row clerks leave
        [2, "ＸＭ2020-0001", 43983, "２００", "增资", "日期是 Excel 序号"],  # full-width code and figure; 2020-06-01
    ]
    if total is not None:
        rows.append(["合计", None, None, total, None, None])
    return clerk_book(rows, merge="A1:F1")


def test_a_clerks_workbook_with_a_unit_line_is_converted_and_its_total_row_skipped(signed, users):
    data = arrivals_book()
    dry = load_file("arrivals", data, actor=users["admin"], dry_run=True)
    lines = dry.lines()
    assert "金额单位：“到资金额”列按第2行的“单位：万美元”读取" in lines
    assert "第7行是“合计”行（合计），已跳过，到资金额与上方各行之和相符" in lines
    # 1,581.00 万美元 = 15,810,000.00 US$; ２００ 万美元 = 2,000,000.00 US$
    assert "第4行 新增：XM2020-0001 2020年3月 增资 1,581.00 万美元 → US$15,810,000.00" in lines
    assert "第6行 新增：XM2020-0001 2020年6月 增资 200.00 万美元 → US$2,000,000.00" in lines
    assert CapitalArrival.objects.count() == 0

    load_file("arrivals", data, actor=users["admin"])
    got = sorted(CapitalArrival.objects.values_list("month", "amount_usd"))
    assert got == [(date(2020, 3, 1), Decimal("15810000.00")), (date(2020, 6, 1), Decimal("2000000.00"))]


@pytest.mark.parametrize(
    ("unit_line", "expected"),
    [
        ("（单位：万美元）", Decimal("15810000.00")),  # in brackets, as in a title
        ("金额单位：亿美元", Decimal("158100000000.00")),  # 1,581 亿美元: absurd, but read as written, not as US$
        ("单位: 美元", Decimal("1581.00")),
    ],
)
def test_unit_lines_in_their_usual_forms(signed, users, unit_line, expected):
    rows: list[list[Any]] = [[unit_line], HEADER[1:5], ["XM2020-0001", "2020-03", "1,581", "增资"]]
    load_file("arrivals", clerk_book(rows), actor=users["admin"], accept_warnings=True)
    assert CapitalArrival.objects.get().amount_usd == expected


def test_a_unit_in_the_title_and_a_note_row_after_the_data(signed, users):
    titled: list[list[Any]] = [[f"{TITLE}（单位：万美元）"], HEADER[1:5], ["XM2020-0001", "2020-03", 12.5, "增资"]]
    load_file("arrivals", clerk_book(titled, merge="A1:D1"), actor=users["admin"])
    assert CapitalArrival.objects.get().amount_usd == Decimal("125000.00")  # 12.5 万美元
    noted: list[list[Any]] = [
        HEADER[1:5],
        ["XM2020-0001", "2020-04", 3, "增资"],
        ["注：金额单位为万美元，月份为到账月份"],
    ]
    result = load_file("arrivals", clerk_book(noted), actor=users["admin"])
    assert CapitalArrival.objects.get(month=date(2020, 4, 1)).amount_usd == Decimal("30000.00")  # 3 万美元
    assert "第3行是说明行“注：金额单位为万美元，月份为到账月份”，已跳过" in result.lines()


def test_without_a_unit_the_import_stops_and_asks(signed, users, tmp_path, capsys):
    data = arrivals_book(unit_line=None)
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", data, actor=users["admin"])
    message = exc.value.summary
    assert "无法确定“到资金额”列的金额单位" in message
    assert "--unit 万美元" in message
    assert "单位" in message
    assert CapitalArrival.objects.count() == 0

    path = tmp_path / "到资.xlsx"
    path.write_bytes(data)
    assert main(["import", "arrivals", str(path), "--user", "admin"]) == 1
    assert "--unit 万美元" in capsys.readouterr().err
    assert main(["import", "arrivals", str(path), "--unit", "万美元", "--user", "admin"]) == 0
    assert sorted(CapitalArrival.objects.values_list("amount_usd", flat=True)) == [
        Decimal("2000000.00"),
        Decimal("15810000.00"),
    ]


def test_a_chosen_unit_that_contradicts_the_files_unit_line_is_refused(signed, users):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrivals_book(), actor=users["admin"], unit="美元")
    assert exc.value.summary == "文件第2行写明“单位：万美元”，与所选的金额单位“美元”不一致；未导入任何数据"


def test_a_total_row_that_does_not_add_up_says_which(signed, users):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrivals_book(total="1,700"), actor=users["admin"])
    assert [str(e) for e in exc.value.errors] == [
        "第7行，“到资金额”列，值“1,700”：是“合计”行，但与上方各行之和（17,810,000.00）不符，"
        "相差 -810,000.00；请核对数据，或删除合计行后再导入"
    ]
    assert CapitalArrival.objects.count() == 0


def test_subtotals_and_breakdown_rows_are_skipped(signed, users):
    rows: list[list[Any]] = [
        ["单位：万美元"],
        HEADER,
        [1, "XM2020-0001", "2020-03", "100", "增资", None],
        [2, "XM2020-0001", "2020-04", "50", "增资", None],
        ["小计", None, None, "150", None, None],
        ["其中：制造业", None, None, "100", None, None],
        [3, "XM2020-0001", "2020-05", "10.5", "增资", None],
        ["小 计", None, None, "10.5", None, None],
        ["总计", None, None, "160.50", None, None],
    ]
    result = load_file("arrivals", clerk_book(rows), actor=users["admin"])
    assert result.rows == 3
    assert CapitalArrival.objects.filter(project=signed).count() == 3
    # 100 + 50 + 10.5 = 160.5 万美元
    assert sum(CapitalArrival.objects.values_list("amount_usd", flat=True)) == Decimal("1605000.00")
    assert "第6行是“其中：制造业”（其中项，属上方数据的一部分），已跳过" in result.lines()
    assert "第9行是“总计”行（合计），已跳过，到资金额与上方各行之和相符" in result.lines()


def test_a_unit_line_that_contradicts_the_currency_column_is_an_error(signed, users):
    rows: list[list[Any]] = [
        ["单位：万美元"],
        ["项目编号", "到资月份", "到资金额", "币种", "折美元汇率", "到资类型"],
        ["XM2020-0001", "2020-03", 100, "欧元", 1.12, "增资"],
    ]
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", clerk_book(rows), actor=users["admin"])
    assert [str(e) for e in exc.value.errors] == [
        "第3行，“币种”列，值“欧元”：与金额的单位“单位：万美元”（美元）不一致；请改正币种或金额单位"
    ]


def test_a_projects_workbook_in_wan_usd_keeps_the_project_over_100m(as_of, units, users, industry):
    rows: list[list[Any]] = [
        ["2020年新签外资项目（单位：万美元）"],
        ["序号", "项目名称", "招商主体", "项目类型", "外方投资者", "国别", "总投资", "合同外资", "阶段", "阶段日期"],
        [1, "光伏组件项目", "嘉善县", "新设", "东洋株式会社", "日本", "12,000", "8,000", "签约", 43905],
        ["合计", None, None, None, None, None, "12,000", "8,000", None, None],
    ]
    result = load_file("projects", clerk_book(rows, merge="A1:J1"), actor=users["admin"])
    p = Project.objects.get(name="光伏组件项目")
    # 12,000 万美元 = US$120,000,000 (≥ US$100m); 8,000 万美元 = US$80,000,000; 43905 = 2020-03-15
    assert (p.total_investment_usd, p.contract_foreign_usd) == (Decimal("120000000.00"), Decimal("80000000.00"))
    assert p.signed_on == date(2020, 3, 15)
    assert any("总投资 12,000.00 万美元 → US$120,000,000.00" in line for line in result.lines())


def test_an_update_that_takes_a_project_across_the_100m_line_warns(signed, users):
    header = ["项目编号", "项目名称", "招商主体", "项目类型", "外方投资者", "总投资", "合同外资", "阶段日期"]
    row = ["XM2020-0001", "创新药生产基地项目", "嘉善县", "新设", "云顶新耀医药科技有限公司", 9000, 5000, "2020-01-10"]
    data = clerk_book([["单位：万美元"], header, row])
    with pytest.raises(ImportRefused) as exc:
        load_file("projects", data, actor=users["admin"])
    assert exc.value.needs_confirmation
    assert exc.value.warning_lines() == [
        "警告：第3行，“总投资”列，值“9000”：项目 XM2020-0001 总投资由 US$300,000,000.00 改为 US$90,000,000.00，"
        "将低于超亿美元项目的标准（US$100,000,000）"
    ]
    assert Project.objects.get(code="XM2020-0001").total_investment_usd == Decimal("300000000.00")
    load_file("projects", data, actor=users["admin"], accept_warnings=True)
    assert Project.objects.get(code="XM2020-0001").total_investment_usd == Decimal("90000000.00")


# ---------------------------------------------------------------- currencies and reference rates


@pytest.fixture
def rates(users):
    admin = users["admin"]
    rate_set(currency="EUR", month=date(2020, 3, 1), rate_to_usd=Decimal("1.10"), source="测试", actor=admin)
    rate_set(currency="JPY", month=date(2020, 3, 1), rate_to_usd=Decimal("0.0093"), source="测试", actor=admin)
    rate_set(currency="HKD", month=date(2020, 3, 1), rate_to_usd=Decimal("0.1290"), source="测试", actor=admin)


def arrival_rows(currency: str, rate: Any, amount: Any = 100, month: str = "2020-03") -> bytes:
    header = ["项目编号", "到资月份", "到资金额（原币万元）", "币种", "折美元汇率", "到资类型"]
    return clerk_book([header, ["XM2020-0001", month, amount, currency, rate, "增资"]])


def test_us_dollars_written_in_chinese_need_no_rate(signed, users):
    load_file("arrivals", arrival_rows("美元", None), actor=users["admin"])
    a = CapitalArrival.objects.get()
    assert (a.currency, a.rate_to_usd, a.amount_usd) == ("USD", Decimal(1), Decimal("1000000.00"))


def test_a_missing_rate_takes_the_months_reference_rate(signed, users, rates):
    result = load_file("arrivals", arrival_rows("港币", None), actor=users["admin"], accept_warnings=True)
    a = CapitalArrival.objects.get()
    # 100 万港元 × 0.1290 = US$129,000.00
    assert (a.currency, a.rate_to_usd, a.amount_usd) == ("HKD", Decimal("0.129"), Decimal("129000.00"))
    assert "100.00 万港元 × 0.129 → US$129,000.00" in result.lines()[-1]


def test_a_rate_far_from_the_reference_is_a_warning(signed, users, rates):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrival_rows("EUR", 7.85), actor=users["admin"])
    assert exc.value.needs_confirmation
    assert not exc.value.errors
    lines = exc.value.warning_lines()
    assert (
        "警告：第2行，“折美元汇率”列，值“7.85”：汇率 7.85 与2020年3月欧元参考汇率 1.1 相差 +613.6%（超过 5%）" in lines
    )
    assert all(line.startswith("警告") for line in lines)
    assert CapitalArrival.objects.count() == 0


def test_a_rate_written_the_other_way_round_is_offered_inverted(signed, users, rates):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrival_rows("日元", 106.5), actor=users["admin"])
    assert (
        "警告：第2行，“折美元汇率”列，值“106.5”：汇率 106.5 似乎写反了（每美元合 106.5 日元）；"
        "将按 1 日元 = 0.00938967 美元折算（2020年3月参考汇率 0.0093）"
    ) in exc.value.warning_lines()
    load_file("arrivals", arrival_rows("日元", 106.5), actor=users["admin"], accept_warnings=True)
    a = CapitalArrival.objects.get()
    # 100 万日元 = 1,000,000 日元 × 0.00938967 = US$9,389.67 (not US$106,500,000)
    assert (a.rate_to_usd, a.amount_usd) == (Decimal("0.00938967"), Decimal("9389.67"))


def test_no_reference_for_the_month_is_a_warning_and_no_rate_at_all_an_error(signed, users):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrival_rows("EUR", 1.1), actor=users["admin"])
    assert exc.value.warning_lines()[0].endswith("：2020年3月没有欧元（EUR）的参考汇率，无法核对所填汇率 1.1")
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrival_rows("EUR", None), actor=users["admin"])
    assert str(exc.value.errors[0]).endswith("未填写折美元汇率，且2020年3月没有欧元（EUR）的参考汇率；请填写汇率")


# ---------------------------------------------------------------- plausibility


def test_an_arrival_larger_than_the_contract_stops_until_confirmed(signed, users, tmp_path, capsys):
    # 20,000 万美元 = US$200,000,000 > the contract's US$180,000,000
    path = tmp_path / "大额.xlsx"
    path.write_bytes(arrival_rows("美元", None, amount=20000))
    assert main(["import", "arrivals", str(path), "--user", "admin"]) == 1
    err = capsys.readouterr().err
    assert (
        "警告：第2行，“到资金额（原币万元）”列，值“20000”：折合 US$200,000,000.00，大于项目 XM2020-0001 的合同外资"
        in err
    )
    assert "--accept-warnings" in err
    assert CapitalArrival.objects.count() == 0
    assert main(["import", "arrivals", str(path), "--accept-warnings", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "警告：第2行" in out
    assert CapitalArrival.objects.get().amount_usd == Decimal("200000000.00")


def test_an_arrival_far_above_the_units_median_and_a_month_far_above_its_average(signed, users):
    for month in (4, 5, 6, 7, 8):  # five arrivals of US$100,000: the median is US$100,000
        ps.arrival_record(
            project=signed, month=date(2020, month, 1), amount=Decimal(100_000), kind="paid_in", actor=users["admin"]
        )
    # 300 万美元 = US$3,000,000 = 30 × the median, and 30 × the average month (US$100,000)
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrival_rows("美元", None, amount=300), actor=users["admin"])
    reasons = [w.reason for w in exc.value.warnings]
    assert reasons == [
        "折合 US$3,000,000.00，超过嘉善县到资中位数（US$100,000.00）的 20 倍",
        "嘉善县2020年3月到资合计将达 US$3,000,000.00，超过该单位月均（US$100,000.00）的 10 倍",
    ]


def test_a_currency_other_than_the_projects_is_a_warning(signed, users, rates):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", arrival_rows("欧元", 1.1), actor=users["admin"])
    assert [w.reason for w in exc.value.warnings] == ["币种（欧元）与项目 XM2020-0001 的币种（美元）不同"]


# ---------------------------------------------------------------- finding the project as clerks do


def code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def test_a_clerks_own_columns_find_the_project_by_credit_code_or_enterprise_name(signed, users):
    credit = code("91330421MA2B00001")
    enterprise = ps.enterprise_create(
        name="云顶新耀（嘉善）有限公司", unit=signed.unit, credit_code=credit, actor=users["admin"]
    )
    signed.enterprise = enterprise
    signed.save()
    header = ["企业名称", "信用代码", "外方投资者", "国别", "到资金额（万美元）", "到资时间"]
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in credit)  # full-width, as some IMEs type it
    rows: list[list[Any]] = [
        header,
        ["云顶新耀（嘉善）有限公司", wide, "云顶新耀", "开曼群岛", 10, 43905],  # by credit code; 2020-03-15
        ["云顶新耀(嘉善)有限公司", None, "云顶新耀", "开曼群岛", 5, "2020-04"],  # by name (half-width brackets)
    ]
    load_file("arrivals", clerk_book(rows), actor=users["admin"])
    got = sorted(CapitalArrival.objects.values_list("month", "kind", "amount_usd"))
    # no 到资类型: a new project's arrivals are paid-in capital
    assert got == [
        (date(2020, 3, 1), "paid_in", Decimal("100000.00")),
        (date(2020, 4, 1), "paid_in", Decimal("50000.00")),
    ]


def test_an_enterprise_with_two_open_projects_lists_them(signed, users, investor):
    credit = code("91330421MA2B00002")
    enterprise = ps.enterprise_create(name="甲公司", unit=signed.unit, credit_code=credit, actor=users["admin"])
    signed.enterprise = enterprise
    signed.save()
    second = ps.project_create(
        unit=signed.unit,
        name="甲公司二期",
        kind="increase",
        investors=[investor],
        stage_on=date(2020, 3, 1),
        total_investment=Decimal(10**7),
        contract_foreign=Decimal(10**6),
        enterprise=enterprise,
        actor=users["admin"],
    )
    rows: list[list[Any]] = [["信用代码", "到资金额（万美元）", "到资时间"], [credit, 1, "2020-04"]]
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", clerk_book(rows), actor=users["admin"])
    assert str(exc.value.errors[0]) == (
        f"第2行，“信用代码”列，值“{credit}”：信用代码为 {credit} 的企业有 2 个在办项目"
        f"（XM2020-0001 创新药生产基地项目、{second.code} 甲公司二期），请填写项目编号"
    )


# ---------------------------------------------------------------- the upload page


def test_the_page_asks_for_a_unit_and_for_confirmation(client, signed, users):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(users["admin"])
    url = reverse("imports:upload")
    bare = arrivals_book(unit_line=None)

    def post(data: bytes, **extra: str):
        upload = SimpleUploadedFile("到资.xlsx", data)
        return client.post(url, {"kind": "arrivals", "file": upload, **extra})

    page = client.get(url).content.decode()
    assert '<option value="万美元">万美元</option>' in page
    assert 'name="accept_warnings"' in page
    asked = post(bare)
    assert asked.status_code == 400
    assert "无法确定“到资金额”列的金额单位" in asked.content.decode()
    assert post(bare, unit="万吨").status_code == 400  # only the offered units
    assert post(bare, unit="万美元").status_code == 200
    assert CapitalArrival.objects.count() == 2

    big = arrival_rows("美元", None, amount=20000, month="2020-04")  # US$200,000,000 > the contract's US$180m
    warned = post(big)
    text = warned.content.decode()
    assert warned.status_code == 400
    assert "警告：第2行" in text
    assert "已核对警告，确认导入" in text
    assert CapitalArrival.objects.get(month=date(2020, 3, 1)).amount_usd == Decimal("15810000.00")
    assert post(big, accept_warnings="1").status_code == 200  # confirmed: April's arrival is recorded
    assert CapitalArrival.objects.get(month=date(2020, 4, 1)).amount_usd == Decimal("200000000.00")
