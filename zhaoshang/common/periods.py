"""Periods are explicit month ranges: a month, 1-N月, a quarter, a year, or any range of whole months."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class MonthRange:
    """From the first month to the last month, both included; each held as the 1st of its month."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("期间的起止必须是月份")
        if self.last < self.first:
            raise ValueError(f"期间的结束月份 {self.last:%Y-%m} 早于开始月份 {self.first:%Y-%m}")

    @classmethod
    def month(cls, year: int, month: int) -> MonthRange:
        d = date(year, month, 1)
        return cls(d, d)

    @classmethod
    def year_to_month(cls, year: int, month: int) -> MonthRange:
        return cls(date(year, 1, 1), date(year, month, 1))

    @classmethod
    def parse(cls, text: str, *, year: int | None = None) -> MonthRange:
        """Accepts 2020-09, 2020-01..2020-09, 2020Q3, 2020, and as the bureau writes them: 2020年1-9月, 2020年9月,
        2020年三季度 (or 第三季度), 2020年; 1-9月 and 9月 are of `year` (default: the business date's year)."""
        s = unicodedata.normalize("NFKC", text).strip().upper().replace(" ", "")
        if "年" in s or "月" in s or "季" in s:
            return cls._parse_chinese(s, text, year)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})\.\.(\d{4})-(\d{1,2})", s):
            y1, m1, y2, m2 = (int(g) for g in m.groups())
            return cls(_month(y1, m1, text), _month(y2, m2, text))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
            d = _month(int(m[1]), int(m[2]), text)
            return cls(d, d)
        if m := re.fullmatch(r"(\d{4})Q([1-4])", s):
            q = int(m[2])
            return cls(date(int(m[1]), 3 * q - 2, 1), date(int(m[1]), 3 * q, 1))
        if re.fullmatch(r"\d{4}", s):
            return cls(date(int(s), 1, 1), date(int(s), 12, 1))
        raise ValueError(f"无法识别的期间“{text}”：应为 {PERIOD_FORMS}")

    @classmethod
    def _parse_chinese(cls, s: str, text: str, year: int | None) -> MonthRange:
        s = re.sub(r"[—–~～至到]", "-", s).replace("份", "")
        m = re.fullmatch(r"(?:(\d{4})年)?(?:(\d{1,2})(?:月)?-)?(\d{1,2})月", s)
        if m:
            y = int(m[1]) if m[1] else (year or _business_year())
            last = _month(y, int(m[3]), text)
            first = _month(y, int(m[2]), text) if m[2] else last
            return cls(first, last)
        m = re.fullmatch(r"(\d{4})年?(?:第)?([一二三四1-4])季度?|(\d{4})年?Q([1-4])", s)
        if m:
            y = int(m[1] or m[3])
            q = "一二三四".find(m[2]) + 1 if m[2] and not m[2].isdigit() else int(m[2] or m[4])
            return cls(date(y, 3 * q - 2, 1), date(y, 3 * q, 1))
        if m := re.fullmatch(r"(\d{4})年(?:全年|度)?", s):
            return cls(date(int(m[1]), 1, 1), date(int(m[1]), 12, 1))
        raise ValueError(f"无法识别的期间“{text}”：应为 {PERIOD_FORMS}")

    def refuse_after(self, as_of: date) -> None:
        """A period that ends after the business date has no figures yet: refused, saying why."""
        if self.last > month_start(as_of):
            raise ValueError(
                f"期间“{self.label()}”晚于业务日期 {as_of.isoformat()}（数据截至{as_of.year}年{as_of.month}月），"
                "尚无数据；请选择截至该月的期间"
            )

    @property
    def start_date(self) -> date:
        return self.first

    @property
    def end_date(self) -> date:
        """The last day of the last month."""
        return self.last.replace(day=calendar.monthrange(self.last.year, self.last.month)[1])

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def shift_years(self, years: int) -> MonthRange:
        return MonthRange(add_months(self.first, 12 * years), add_months(self.last, 12 * years))

    def previous_year(self) -> MonthRange:
        return self.shift_years(-1)

    def contains(self, d: date) -> bool:
        return self.first <= month_start(d) <= self.last

    def iter_months(self) -> list[date]:
        return [add_months(self.first, i) for i in range(self.months)]

    @property
    def is_year_to_date(self) -> bool:
        return self.first.month == 1 and self.first.year == self.last.year

    def label(self) -> str:
        """2020年1-9月, 2020年9月, 2020年, 2019年11月-2020年2月."""
        f, la = self.first, self.last
        if f.year == la.year:
            if f.month == 1 and la.month == 12:
                return f"{f.year}年"
            if f.month == la.month:
                return f"{f.year}年{f.month}月"
            return f"{f.year}年{f.month}-{la.month}月"
        return f"{f.year}年{f.month}月-{la.year}年{la.month}月"

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"


PERIOD_FORMS = "2020-09、2020-01..2020-09、2020Q3、2020，或 2020年1-9月、1-9月、2020年三季度、2020年"


def _business_year() -> int:
    from .clock import today

    return today().year


def _month(year: int, month: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"期间“{text}”中的月份 {month} 不存在")
    return date(year, month, 1)


@dataclass(frozen=True, order=True)
class DayWindow(MonthRange):
    """A window of days (a race, a week): projects count by their dates inside it, arrivals by the months `first` to
    `last` (arrivals are recorded by month): every month the window touches, or with `ended_months` only those that
    have ended by its last day — possibly none (`last` is then the month before `first`)."""

    day_first: date = date.min
    day_last: date = date.min

    def __post_init__(self) -> None:
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("期间的起止必须是月份")
        if self.last < add_months(self.first, -1):
            raise ValueError(f"期间的结束月份 {self.last:%Y-%m} 早于开始月份 {self.first:%Y-%m}")

    @classmethod
    def between(cls, start: date, end: date) -> DayWindow:
        if end < start:
            raise ValueError(f"结束日期 {end} 早于开始日期 {start}")
        return cls(month_start(start), month_start(end), start, end)

    @classmethod
    def ended_months(cls, start: date, end: date, *, through: date | None = None) -> DayWindow:
        """Days `start` to `end` for projects; for arrivals only the months that have ended by `end` (and, when
        `through` is given, no later than that month: the last closed one)."""
        window = cls.between(start, end)
        last = last_ended_month(end)
        if through is not None:
            last = max(min(last, month_start(through)), add_months(window.first, -1))
        return cls(window.first, last, start, end)

    @property
    def has_arrival_months(self) -> bool:
        return self.last >= self.first

    def arrivals_label(self) -> str:
        """到资数据截至8月 / 到资数据为6-8月 style: which months of arrivals the figures hold."""
        if not self.has_arrival_months:
            return "尚无已结束的月份，到资暂不计入"
        through = (
            f"{self.last.year}年{self.last.month}月" if self.last.year != self.day_last.year else f"{self.last.month}月"
        )
        text = f"到资数据截至{through}"
        if self.day_first != self.first:  # the window opens mid-month: that month's arrivals count whole
            text += f"，{self.first.month}月按全月计"
        return text

    @property
    def start_date(self) -> date:
        return self.day_first

    @property
    def end_date(self) -> date:
        return self.day_last

    def shift_years(self, years: int) -> DayWindow:
        def shift(d: date) -> date:
            try:
                return d.replace(year=d.year + years)
            except ValueError:  # 29 February
                return d.replace(year=d.year + years, day=28)

        return DayWindow(
            add_months(self.first, 12 * years), add_months(self.last, 12 * years), shift(self.day_first),
            shift(self.day_last),
        )  # fmt: skip

    def previous_year(self) -> DayWindow:
        return self.shift_years(-1)

    def label(self) -> str:
        return f"{self.day_first:%Y年%-m月%-d日}至{self.day_last:%Y年%-m月%-d日}"

    def __str__(self) -> str:
        return f"{self.day_first.isoformat()}..{self.day_last.isoformat()}"


def last_ended_month(day: date) -> date:
    """The 1st of the last month that has ended by `day` (its last day counts as ended)."""
    if add_months(month_start(day), 1).toordinal() - 1 == day.toordinal():
        return month_start(day)
    return add_months(month_start(day), -1)


# The years the registry holds figures for: growth reads a year back, and nothing a century old is kept.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_in_bounds(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def period_in_bounds(period: MonthRange) -> bool:
    return period.first.year >= FIRST_YEAR and period.last.year <= LAST_YEAR


def out_of_bounds_message(text: str) -> str:
    return f"期间“{text[:40]}”超出范围：应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间"
