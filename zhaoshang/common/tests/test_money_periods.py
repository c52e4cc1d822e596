"""Money conversion and formatting, and month ranges."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.common.money import fmt_pct, fmt_pp, fmt_wan, fmt_yi, to_decimal, to_usd
from zhaoshang.common.periods import MonthRange


def test_to_usd_rounds_half_up_to_the_cent():
    # 107,142,857.14 EUR × 1.12 = 119,999,999.9968 → 120,000,000.00
    assert to_usd(Decimal("107142857.14"), Decimal("1.12")) == Decimal("120000000.00")
    # 1,000,000 JPY × 0.00917 = 9,170.00 exactly
    assert to_usd(Decimal("1000000"), Decimal("0.00917")) == Decimal("9170.00")
    # 0.125 → 0.13 (half up), not banker's 0.12
    assert to_usd(Decimal("0.125"), Decimal("1")) == Decimal("0.13")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    assert to_decimal("1,234.50") == Decimal("1234.50")


def test_figures_written_the_bureau_way():
    assert fmt_yi(Decimal("2374000000")) == "23.74亿美元"
    assert fmt_yi(Decimal("460000000"), 1) == "4.6亿美元"
    assert fmt_wan(Decimal("123456789")) == "12346万美元"
    assert fmt_pct(Decimal("44.4039")) == "+44.4%"
    assert fmt_pct(Decimal("-0.55")) == "-0.6%"
    assert fmt_pct(None) == "—"
    assert fmt_pp(Decimal("35.104")) == "35.1个百分点"


def test_month_ranges_parse_and_label():
    r = MonthRange.parse("2020-01..2020-09")
    assert (r.first, r.last, r.months) == (date(2020, 1, 1), date(2020, 9, 1), 9)
    assert r.label() == "2020年1-9月"
    assert r.end_date == date(2020, 9, 30)
    assert r.previous_year() == MonthRange(date(2019, 1, 1), date(2019, 9, 1))
    assert MonthRange.parse("2020Q3") == MonthRange(date(2020, 7, 1), date(2020, 9, 1))
    assert MonthRange.parse("2020").label() == "2020年"
    assert MonthRange.parse("2020-02").end_date == date(2020, 2, 29)
    assert MonthRange.parse("2019-11..2020-02").label() == "2019年11月-2020年2月"
    assert MonthRange.parse("2020-01..2020-09").contains(date(2020, 9, 30))
    assert not MonthRange.parse("2020-01..2020-09").contains(date(2020, 10, 1))


@pytest.mark.parametrize("text", ["2020-13", "2020-09..2020-01", "last year", "2020Q5"])
def test_bad_periods_are_refused_in_chinese(text):
    with pytest.raises(ValueError, match=r"[\u4e00-\u9fff]") as exc:
        MonthRange.parse(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))


def test_a_day_window_with_ended_months_only():
    from zhaoshang.common.periods import DayWindow, last_ended_month

    assert last_ended_month(date(2020, 9, 25)) == date(2020, 8, 1)
    assert last_ended_month(date(2020, 9, 30)) == date(2020, 9, 1)  # the last day: the month has ended
    assert last_ended_month(date(2020, 2, 29)) == date(2020, 2, 1)
    w = DayWindow.ended_months(date(2020, 6, 23), date(2020, 9, 25))
    assert (w.first, w.last, w.start_date, w.end_date) == (date(2020, 6, 1), date(2020, 8, 1), date(2020, 6, 23),
                                                           date(2020, 9, 25))  # fmt: skip
    assert w.arrivals_label() == "到资数据截至8月，6月按全月计"
    prev = w.previous_year()
    assert (prev.first, prev.last, prev.end_date) == (date(2019, 6, 1), date(2019, 8, 1), date(2019, 9, 25))
    early = DayWindow.ended_months(date(2020, 7, 1), date(2020, 7, 10))
    assert not early.has_arrival_months
    assert early.arrivals_label() == "尚无已结束的月份，到资暂不计入"
    assert DayWindow.ended_months(date(2020, 1, 1), date(2020, 9, 30)).arrivals_label() == "到资数据截至9月"


def test_periods_as_the_bureau_writes_them():
    from zhaoshang.common.periods import MonthRange as M

    assert M.parse("2020年1-9月") == M(date(2020, 1, 1), date(2020, 9, 1))
    assert M.parse("2020年1月-9月") == M(date(2020, 1, 1), date(2020, 9, 1))
    assert M.parse("1-9月", year=2020) == M(date(2020, 1, 1), date(2020, 9, 1))
    assert M.parse("2020年三季度") == M(date(2020, 7, 1), date(2020, 9, 1))
    assert M.parse("2020年第四季度") == M(date(2020, 10, 1), date(2020, 12, 1))
    assert M.parse("２０２０年９月") == M(date(2020, 9, 1), date(2020, 9, 1))
    assert M.parse("2020年") == M(date(2020, 1, 1), date(2020, 12, 1))
    with pytest.raises(ValueError, match="月份 13 不存在"):
        M.parse("2020年1-13月")
    with pytest.raises(ValueError, match="无法识别的期间"):
        M.parse("2020年五季度")


def test_a_period_after_the_business_date_is_refused_with_the_reason():
    from zhaoshang.common.periods import MonthRange as M

    M.parse("2020-01..2020-12").refuse_after(date(2020, 12, 31))
    with pytest.raises(ValueError, match="晚于业务日期") as exc:
        M.parse("2021-01..2021-03").refuse_after(date(2020, 12, 31))
    assert str(exc.value) == (
        "期间“2021年1-3月”晚于业务日期 2020-12-31（数据截至2020年12月），尚无数据；请选择截至该月的期间"
    )


def test_credit_codes_with_letter_authorities_and_full_width_text():
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, InvalidFormat

    from zhaoshang.common import credit_code

    body = "Y1330421MA2B6Y8K1"  # Y: a registration authority other than those numbered (GB 32100)
    code = body + uscc.calc_check_digit(body)
    with pytest.raises(InvalidFormat):
        uscc.validate(code)  # python-stdnum 2.2 wants eight leading digits: why we wrap it
    assert credit_code.validate(code) == code
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)  # ＹＩ３３… as a full-width input method types it
    assert credit_code.validate(f" {wide[:6]}　{wide[6:]} ") == code
    assert credit_code.validate(code.lower()) == code
    with pytest.raises(InvalidChecksum):
        credit_code.validate(code[:-1] + ("0" if code[-1] != "0" else "1"))
    with pytest.raises(InvalidFormat):
        credit_code.validate("B" + code[1:])  # B is no registration authority
    with pytest.raises(InvalidFormat):
        credit_code.validate(code[:9] + "I" + code[10:])  # I is not in the standard's character set


def test_competition_ranks_share_and_skip():
    from zhaoshang.common.ranking import competition_ranks

    assert competition_ranks([5, 9, 5, 1], lambda v: v) == [2, 1, 2, 4]
    assert competition_ranks([], lambda v: v) == []


def test_pct1_rounds_half_up_to_one_decimal():
    from decimal import Decimal

    from zhaoshang.common.money import pct1

    assert pct1(Decimal("44.45")) == 44.5  # half-up, where float rounding would give 44.4
    assert pct1(Decimal("-7.05")) == -7.1
    assert pct1(None) is None


def test_year_bounds():
    from zhaoshang.common.periods import MonthRange, period_in_bounds, year_in_bounds

    assert year_in_bounds(2000)
    assert year_in_bounds(2100)
    assert not year_in_bounds(1999)
    assert not year_in_bounds(2101)
    assert not period_in_bounds(MonthRange.parse("1999-12..2000-02"))
