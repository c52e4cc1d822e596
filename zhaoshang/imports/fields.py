"""Columns of an import: how a header is recognised (variants and units) and how each cell is read."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from .reader import Cell


class CellError(ValueError):
    """A cell that cannot be read; the message is the Chinese reason."""


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the template's header
    kind: str = "text"  # text, int, money, decimal, pct, date, month, choice, bool, code
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""
    choices: tuple[str, ...] = ()  # labels offered in the template's drop-down list
    unit: str = ""  # money: the unit the value is kept in ("美元", or "百万美元" for Fortune revenues)
    max_length: int = 0
    example: str = ""
    positive: bool = False  # money/decimal: the import requires > 0 (the template's validation says the same)


# Money units: a scale word before a currency word. 美元 is the registry's unit; others are recognised so a
# clear message can say why they are refused where only US$ is accepted.
SCALES = {"": 1, "千": 1_000, "万": 10_000, "十万": 100_000, "百万": 1_000_000, "千万": 10_000_000, "亿": 100_000_000}
CURRENCIES = {
    "美元": "USD",
    "美金": "USD",
    "元": "CNY",
    "人民币": "CNY",
    "人民币元": "CNY",
    "欧元": "EUR",
    "日元": "JPY",
    "港元": "HKD",
    "港币": "HKD",
}
CURRENCY_PATTERN = "美元|美金|人民币元|人民币|欧元|日元|港元|港币|元"


@dataclass(frozen=True)
class Unit:
    scale: int
    currency: str  # ISO code, or "" for a bare scale like （万）


def parse_unit(text: str) -> Unit | None:
    t = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
    if t in ("%", "％"):
        return None
    if t.startswith("原币") or t.endswith("(原币)"):
        # 原币万元: 万 of the row's own currency (the 币种 column), not 人民币
        rest = t.removeprefix("原币").removesuffix("(原币)")
        for scale_word, scale in sorted(SCALES.items(), key=lambda kv: -len(kv[0])):
            if rest in (scale_word, f"{scale_word}元", f"{scale_word}单位"):
                return Unit(scale, "")
        return None
    for scale_word, scale in sorted(SCALES.items(), key=lambda kv: -len(kv[0])):
        if t.startswith(scale_word):
            rest = t[len(scale_word) :]
            if rest in CURRENCIES:
                return Unit(scale, CURRENCIES[rest])
            if rest == "" and scale_word:
                return Unit(scale, "")
    # English: ($M), (US$ millions), (USD)
    low = text.strip().lower()
    currency = "USD" if ("$" in low or "usd" in low) else ""
    scale = 1_000_000 if re.search(r"(^|[^a-z])(m|mn|million|millions)([^a-z]|$)", low) else 1
    if currency or scale != 1:
        return Unit(scale, currency)
    return None


def normalise_header(text: str) -> tuple[str, str]:
    """('实际使用外资', '万美元') from '* 实际使用外资（万美元）'; full-width forms and spaces folded."""
    t = unicodedata.normalize("NFKC", str(text)).strip().lstrip("*＊").strip()
    t = t.replace("\n", "").replace("\r", "")
    unit = ""
    m = re.fullmatch(r"(.*?)[\(\[【](.*?)[\)\]】]\s*", t)
    if m:
        t, unit = m.group(1), m.group(2).strip()
    else:
        m = re.fullmatch(r"(.*?)[/：:](\s*[千万亿百]*(?:美元|元|欧元|日元|港元|港币))\s*", t)
        if m:
            t, unit = m.group(1), m.group(2).strip()
    key = re.sub(r"[\s_\-·•]+", "", t).lower()
    return key, unit


@dataclass
class Column:
    """A column of the file mapped to a field, with the unit its header declares."""

    field: Field
    index: int
    header: str
    unit: Unit | None = None
    unit_text: str = ""
    unit_source: str = "header"  # header, file (a unit line above the header or a note row), option (chosen)


@dataclass
class HeaderMatch:
    row_index: int
    columns: dict[str, Column] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    missing: list[Field] = field(default_factory=list)


def field_names(f: Field) -> set[str]:
    names = {normalise_header(f.label)[0], f.key.lower()}
    names.update(normalise_header(a)[0] for a in f.aliases)
    return names


def match_header(row: list[Cell], fields: Iterable[Field]) -> HeaderMatch:
    fields = list(fields)
    lookup: dict[str, Field] = {}
    for f in fields:
        for name in field_names(f):
            lookup.setdefault(name, f)
    hm = HeaderMatch(row_index=-1)
    for i, cell in enumerate(row):
        if cell is None or not str(cell).strip():
            continue
        key, unit_text = normalise_header(str(cell))
        found = lookup.get(key)
        if found is None or found.key in hm.columns:
            hm.ignored.append(str(cell).strip())
            continue
        f = found
        unit = parse_unit(unit_text) if unit_text else None
        hm.columns[f.key] = Column(f, i, str(cell).strip(), unit, unit_text)
    hm.missing = [f for f in fields if f.required and f.key not in hm.columns]
    return hm


def suggest(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    pool = list(dict.fromkeys(c for c in candidates if c))
    found = difflib.get_close_matches(value, pool, n=n, cutoff=0.5)
    if not found:
        found = [c for c in pool if value and (value in c or c in value)][:n]
    return found


def closest_text(value: str, candidates: Iterable[str]) -> str:
    found = suggest(value, candidates)
    return f"；最接近的是：{'、'.join(found)}" if found else ""


# ---------------------------------------------------------------- cells


def text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def parse_text(value: Cell, f: Field) -> str:
    s = value.strip() if isinstance(value, str) else text(value)
    # Text that starts with = + - @ (「+86 …」, 「- 」, even 「=HYPERLINK(…)」) is stored as text: every export writes
    # it as a string cell (.xlsx) or behind a quote (.csv), so it never becomes a formula where it goes.
    if _CONTROL.search(s):
        raise CellError("含有不可见的控制字符")
    if f.max_length and len(s) > f.max_length:
        raise CellError(f"超过 {f.max_length} 个字")
    return s


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_decimal(value: Cell) -> Decimal:
    if isinstance(value, bool):
        raise CellError("不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("不是有效的数字")
        return Decimal(repr(value))
    if isinstance(value, (date, datetime)):
        raise CellError("是日期，不是数字")
    s = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace("$", "").replace(" ", "")
    if not _NUMBER.fullmatch(s):
        raise CellError("不是有效的数字")
    try:
        return Decimal(s)
    except InvalidOperation:
        raise CellError("不是有效的数字") from None


def cell_unit(value: Cell) -> tuple[Cell, Unit | None]:
    """'1.2亿美元' → ('1.2', Unit(1e8, USD)); a unit may be written in the cell instead of the header."""
    if not isinstance(value, str):
        return value, None
    s = unicodedata.normalize("NFKC", value).strip()
    m = re.fullmatch(rf"([+-]?[\d,]*\.?\d+)\s*([千万亿百十]*(?:{CURRENCY_PATTERN})|[千万亿])", s)
    if m:
        return m.group(1), parse_unit(m.group(2))
    return value, None


class UnitUnknown(CellError):
    """An amount whose unit nobody wrote: not in its header, above the header, in the cell or as an option."""


def parse_money(
    value: Cell, column_unit: Unit | None, *, base: str = "美元", unit_required: bool = False
) -> tuple[Decimal, str]:
    """The amount in the field's base unit (US$, or US$ millions), rounded half-up to the cent; and its currency.

    The currency is "USD" when the header or the cell names 美元, "" when no currency is named (the file's own
    currency column applies), and another ISO code when the header names one (元, 欧元 …). When `unit_required`,
    an amount with no unit from anywhere raises UnitUnknown rather than being taken as US$.
    """
    raw, unit_in_cell = cell_unit(value)
    unit = unit_in_cell or column_unit
    if unit is None and unit_required:
        parse_decimal(raw)  # a cell that is no number at all says so first
        raise UnitUnknown("金额单位不明")
    amount = parse_decimal(raw)
    scale = Decimal(unit.scale) if unit else Decimal(1)
    if base == "百万美元" and unit is not None:
        scale = scale / Decimal(1_000_000)
    amount = amount * scale
    if not amount.is_finite() or abs(amount) >= Decimal("1e16"):
        raise CellError("数额过大")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        if unit is None or unit.scale == 1:
            raise CellError("最多保留两位小数")
        amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return amount.quantize(Decimal("0.01")), unit.currency if unit else ""


def parse_int(value: Cell) -> int:
    d = parse_decimal(value)
    if d != d.to_integral_value():
        raise CellError("应为整数")
    if abs(d) > 10**12:
        raise CellError("数额过大")
    return int(d)


def parse_pct(value: Cell) -> Decimal:
    if isinstance(value, str):
        value = value.strip().rstrip("%％")
    d = parse_decimal(value)
    if abs(d) >= 1_000_000:
        raise CellError("数额过大")
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_DATE_PATTERNS = [
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
_MONTH_PATTERNS = [
    re.compile(r"(\d{4})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(?:份)?"),
    re.compile(r"(\d{4})(\d{2})"),
]


EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year quirk makes day 60 the only odd one)
SERIAL_RANGE = (18_264, 73_051)  # 1950-01-01 .. 2099-12-31 as Excel serial numbers


def serial_date(value: Cell) -> date | None:
    """An Excel date serial stored as a plain number (43831 → 2020-01-01), within 1950–2099; else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1] or (isinstance(value, float) and not value.is_integer()):
        return None
    from datetime import timedelta

    return EXCEL_EPOCH + timedelta(days=int(value))


def parse_date(value: Cell) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if (d := serial_date(value)) is not None:
        return d
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not re.fullmatch(r"\d{8}", text(value)):
        raise CellError("是一个数字，不是日期（若是 Excel 日期序号，应在 1950 至 2099 年之间；或写作 2020-09-15）")
    return _date_from_text(text(value))


@lru_cache(maxsize=4096)
def _date_from_text(raw: str) -> date:
    s = unicodedata.normalize("NFKC", raw).strip()
    for pattern in _DATE_PATTERNS:
        if m := pattern.fullmatch(s):
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError("不是存在的日期") from None
    raise CellError("不是有效的日期（应如 2020-09-15 或 2020年9月15日）")


def parse_month(value: Cell) -> date:
    if isinstance(value, (date, datetime)):
        d = value.date() if isinstance(value, datetime) else value
        return d.replace(day=1)
    if (serial := serial_date(value)) is not None:
        return serial.replace(day=1)
    return _month_from_text(text(value))


@lru_cache(maxsize=4096)  # a file repeats the same few months in every row
def _month_from_text(raw: str) -> date:
    s = unicodedata.normalize("NFKC", raw).strip()
    for pattern in _MONTH_PATTERNS:
        if m := pattern.fullmatch(s):
            if not 1 <= int(m[2]) <= 12 or not 1900 < int(m[1]) < 2200:
                raise CellError("不是存在的月份")
            return date(int(m[1]), int(m[2]), 1)
    try:
        return _date_from_text(raw).replace(day=1)
    except CellError:
        raise CellError("不是有效的月份（应如 2020-09 或 2020年9月）") from None


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "", "×", "不是"}


def parse_bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    s = text(value).lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise CellError("应为“是”或“否”")
