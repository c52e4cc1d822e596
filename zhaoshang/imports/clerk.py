"""What clerks put around their data: a unit line above the header, total and note rows below or between rows.

Kept apart from the reader so the reader's pre-scan stays about hostile files, and this module about honest ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .fields import CURRENCY_PATTERN, Unit, parse_unit
from .reader import Cell, Table

# 「单位：万美元」「金额单位：亿元」「（单位：万美元）」「注：金额单位为万美元」「单位: 原币万元」
_UNIT_LINE = re.compile(
    rf"单位[\s\u3000]*(?:[:：]|为|是)[\s\u3000]*((?:原币)?[千万亿百十]*(?:{CURRENCY_PATTERN}|单位)?)"
)

TOTAL, SUBTOTAL, PART, NOTE = "合计", "小计", "其中", "注"
_LABELS = [
    (re.compile(r"^(?:全市|全县|全区|本页|总)?合计"), TOTAL),
    (re.compile(r"^总计"), TOTAL),
    (re.compile(r"^小计"), SUBTOTAL),
    (re.compile(r"^其中"), PART),
    (re.compile(r"^(?:注|备注|说明|附注)\s*[:：\d一二三四五六七八九十、.]"), NOTE),
]
FIRST_CHARACTERS = frozenset("全县区本总合小其注备说附")
LABEL_COLUMNS = 4  # a label sits in the first few columns (序号, 名称 …), never among the figures


@dataclass(frozen=True)
class FileUnit:
    unit: Unit
    text: str  # as written, e.g. 单位：万美元
    row: int  # the file's row number


def unit_in_text(value: str) -> tuple[Unit, str] | None:
    """The unit a line of text states, and the words that state it as written (「单位：万美元」)."""
    m = _UNIT_LINE.search(value)
    if not m or not m.group(1):
        return None
    unit = parse_unit(m.group(1))
    if unit is None:
        return None
    return unit, m.group(0)


def file_unit(table: Table, header_index: int, extra_rows: list[int] | None = None) -> FileUnit | None:
    """The unit written in a row above the header (or in a title), or in a note row after the data."""
    candidates = list(range(header_index)) + list(extra_rows or [])
    found: FileUnit | None = None
    for i in candidates:
        for cell in table.rows[i]:
            if isinstance(cell, str) and "单位" in cell:
                hit = unit_in_text(cell)
                if hit is not None:
                    unit, written = hit
                    if found is not None and found.unit != unit:
                        raise ValueError(
                            f"文件写有两个不同的金额单位：第{found.row}行“{found.text}”与第{table.numbers[i]}行“{written}”"
                        )
                    found = found or FileUnit(unit, written, table.numbers[i])
    return found


def _norm(cell: Cell) -> str:
    if not isinstance(cell, str) or len(cell) > 60:
        return ""
    return unicodedata.normalize("NFKC", cell).replace(" ", "").replace("\u3000", "").strip()


def row_label(cells: list[Cell], label_columns: list[int]) -> tuple[str, str] | None:
    """(kind, label as written) when the row is a total, subtotal, breakdown (其中) or note row; else None."""
    width = len(cells)
    for i in label_columns:
        if i >= width:
            continue
        cell = cells[i]
        # Most cells are data: a look at the first character keeps 100,000 rows cheap.
        if cell.__class__ is not str or cell.lstrip(" \u3000")[:1] not in FIRST_CHARACTERS:
            continue
        s = _norm(cell)
        if not s:
            continue
        for pattern, kind in _LABELS:
            if pattern.match(s):
                return kind, str(cells[i]).strip()
    return None


def written_half_unit(raw: Cell) -> Decimal:
    """Half a unit of the last digit a number was written with ('1,581.0' → 0.05; 1581 → 0.5)."""
    s = repr(raw) if isinstance(raw, float) else unicodedata.normalize("NFKC", str(raw)).strip()
    s = re.sub(r"[^\d.]", "", s)
    places = len(s.split(".", 1)[1]) if "." in s else 0
    return Decimal(5) * Decimal(10) ** -(places + 1)
