"""Monthly reference rates: imported like the other reference data; the demo's table covers what the demo uses."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from zhaoshang.cli import main
from zhaoshang.demo import facts as F
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import load_file, template_for
from zhaoshang.imports.tests.helpers import xlsx_bytes
from zhaoshang.reference.demo_rates import demo_rates
from zhaoshang.reference.models import MonthlyRate


def test_the_rates_template_filled_in_imports_and_reimports_unchanged(users):
    wb = openpyxl.load_workbook(io.BytesIO(template_for("rates")))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers == ["*币种", "*月份", "*折美元汇率", "来源"]
    rows: list[list[Any]] = [
        headers,
        ["欧元", "2020-03", "1.1", "测试"],
        ["JPY", "2020年3月", 0.0093, "测试"],
        ["港币", "2020-03", "0.129", ""],
    ]
    result = load_file("rates", xlsx_bytes(rows), actor=users["admin"])
    assert result.count("新增") == 3
    got = sorted(MonthlyRate.objects.values_list("currency", "month", "rate_to_usd"))
    assert got == [
        ("EUR", date(2020, 3, 1), Decimal("1.1")),
        ("HKD", date(2020, 3, 1), Decimal("0.129")),
        ("JPY", date(2020, 3, 1), Decimal("0.0093")),
    ]
    assert MonthlyRate.history.count() == 3
    assert load_file("rates", xlsx_bytes(rows), actor=users["admin"]).count("不变") == 3


def test_a_rate_written_per_dollar_beside_last_months_is_offered_inverted(users, tmp_path, capsys):
    rows: list[list[Any]] = [["币种", "月份", "折美元汇率"], ["日元", "2020-03", 0.0093], ["日元", "2020-04", 107.5]]
    with pytest.raises(ImportRefused) as exc:
        load_file("rates", xlsx_bytes(rows), actor=users["admin"])
    assert exc.value.warning_lines() == [
        "警告：第3行，“折美元汇率”列，值“107.5”：汇率 107.5 似乎写反了（每美元合 107.5 日元）；"
        "将按 1 日元 = 0.00930233 美元折算（相邻月份的汇率 0.0093）"
    ]
    path = tmp_path / "rates.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    assert main(["import", "rates", str(path), "--accept-warnings", "--user", "admin"]) == 0
    assert MonthlyRate.objects.get(month=date(2020, 4, 1)).rate_to_usd == Decimal("0.00930233")


def test_bad_rate_rows_are_refused(users):
    rows: list[list[Any]] = [
        ["币种", "月份", "折美元汇率"],
        ["美元", "2020-03", 1],
        ["欧元", "2020-03", 0],
        ["比特币", "2020-03", 9],
    ]
    with pytest.raises(ImportRefused) as exc:
        load_file("rates", xlsx_bytes(rows), actor=users["admin"])
    assert [str(e) for e in exc.value.errors] == [
        "第2行，“币种”列，值“美元”：美元无需参考汇率（恒为1）",
        "第3行，“折美元汇率”列，值“0”：必须大于0",
        "第4行，“币种”列，值“比特币”：不是可识别的币种（如 欧元、日元、港币，或 EUR、JPY、HKD）",
    ]
    with pytest.raises(Exception, match="维护月度参考汇率"):
        load_file("rates", xlsx_bytes([*rows[:1], ["欧元", "2020-03", 1.1]]), actor=users["staff"])


def test_the_demo_table_covers_every_currency_the_demo_uses_every_month_within_five_percent():
    table = {(c, m): r for c, m, r in demo_rates()}
    months = [date(y, m, 1) for y in (2019, 2020) for m in range(1, 13)]
    for currency in set(F.COUNTRY_CURRENCY.values()):
        for month in months:
            rate = table[(currency, month)]
            yearly = Decimal(F.RATES[currency][month.year])  # what the demo records its entries at
            assert abs(rate / yearly - 1) <= Decimal("0.05"), (currency, month, rate, yearly)
    assert len(table) == len(months) * len({c for c, _ in table})


def test_a_lone_yen_rate_above_one_is_read_per_dollar(users):
    rows: list[list[Any]] = [["币种", "月份", "折美元汇率"], ["日元", "2019-01", 108]]
    with pytest.raises(ImportRefused) as exc:
        load_file("rates", xlsx_bytes(rows), actor=users["admin"])
    assert exc.value.warnings[0].reason == (
        "1 日元折合 108 美元不合常理，似乎写成了每美元合多少日元；将按 1 日元 = 0.00925926 美元读取"
    )
