"""The Fortune Global 500 list from a CSV or tab-separated file (columns Rank, Company, Country, Revenues)."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from zhaoshang.projects.services import fortune500_list_load

from .errors import ImportRefused, RowError

HEADERS = {
    "rank": ("rank", "排名", "名次"),
    "name": ("company", "name", "公司名称", "公司", "企业名称"),
    "country": ("country", "国家", "国家/地区", "国家（地区）"),
    "revenue": ("revenues", "revenue", "营业收入", "营业收入（百万美元）"),
}


def _blank(cell: str) -> bool:
    return all(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in cell)


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([], "文件既不是 UTF-8 也不是 GB18030 编码的文本，无法读取")


def parse_fortune500(path: Path) -> list[dict[str, Any]]:
    text = decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="\t" if "\t" in first_line else ",")
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused([], "文件是空的") from None
    lookup = {h.strip().lower(): i for i, h in enumerate(header)}
    index: dict[str, int] = {}
    for key, names in HEADERS.items():
        for name in names:
            if name.lower() in lookup:
                index[key] = lookup[name.lower()]
                break
    missing = [HEADERS[k][0] for k in ("rank", "name") if k not in index]
    if missing:
        raise ImportRefused([], f"表头缺少必需的列：{'、'.join(missing)}（现有表头：{'、'.join(header)}）")
    entries, errors = [], []
    for row_no, row in enumerate(reader, start=2):
        if all(_blank(cell) for cell in row):
            continue  # blank lines, and the DOS end-of-file mark (Ctrl-Z) some exports leave behind

        def cell(key: str, row: list[str] = row) -> str:
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        rank_text, name = cell("rank"), cell("name")
        if not name:
            errors.append(RowError(row_no, "Company", name, "公司名称不能为空"))
        try:
            rank = int(rank_text)
            if not 1 <= rank <= 500:
                raise ValueError
        except ValueError:
            errors.append(RowError(row_no, "Rank", rank_text, "排名应为1至500的整数"))
            continue
        revenue = None
        if rev := cell("revenue").replace("$", "").replace(",", "").strip():
            try:
                revenue = Decimal(rev)
            except InvalidOperation:
                errors.append(RowError(row_no, "Revenues", cell("revenue"), "营业收入不是有效的数字"))
        entries.append({"row": row_no, "rank": rank, "name": name, "country": cell("country"), "revenue_musd": revenue})
    if errors:
        raise ImportRefused(errors)
    if not entries:
        raise ImportRefused([], "文件中没有数据行")
    return entries


def import_fortune500(path: Path, *, year: int, published_on: date | None = None, actor: Any = None) -> int:
    """Load one year's list; the whole file or nothing. The list is taken as published on 1 August unless told."""
    entries = parse_fortune500(path)
    _, count = fortune500_list_load(
        year=year, published_on=published_on or date(year, 8, 1), entries=entries, actor=actor
    )
    return count
