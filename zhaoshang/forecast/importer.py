"""Project expectations from a spreadsheet (.xlsx, .xls, .ods or .csv): all rows or none, each refusal naming the row,
the column and the value. The forecast sits beside the imports app (neither imports the other), so this small
importer reads the file itself, with the same reader library (python-calamine) and the same service as the page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.common.validation import first_message
from zhaoshang.projects.models import Project

from .services import expectation_set, parse_likelihood, parse_month

COLUMNS = {
    "项目编号": "code",
    "预计签约月份": "expected_signing",
    "预计设立月份": "expected_registration",
    "预计首笔到资月份": "expected_first_arrival",
    "落地可能性": "likelihood",
    "说明": "note",
}


@dataclass
class ExpectationImport:
    rows: int = 0
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _cells(path: Path) -> list[list[Any]]:
    if path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return [list(r) for r in csv.reader(io.StringIO(text))]
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [list(r) for r in book.get_sheet_by_index(0).to_python()]


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def import_expectations(path: Path, *, actor: Any, dry_run: bool = False) -> ExpectationImport:
    """Read the file, check every row, and write all rows (or, with any error, none)."""
    result = ExpectationImport()
    try:
        cells = _cells(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ValidationError({"file": [f"文件“{path.name}”无法读取：{exc}"]}) from None
    if not cells:
        raise ValidationError({"file": [f"文件“{path.name}”是空的"]})
    header = [_text(c) for c in cells[0]]
    if "项目编号" not in header:
        raise ValidationError({"file": ["第1行缺少“项目编号”列；可用的列：" + "、".join(COLUMNS)]})
    index = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
    projects = {p.code: p for p in Project.objects.select_related("unit")}
    planned = []
    for number, raw in enumerate(cells[1:], start=2):
        values = {name: _text(raw[i]) if i < len(raw) else "" for name, i in index.items()}
        if not any(values.values()):
            continue
        result.rows += 1
        project = projects.get(values.get("code", ""))
        if project is None:
            result.errors.append(f"第{number}行“项目编号”列：“{values.get('code', '')}”不存在")
            continue
        try:
            fields = {
                name: parse_month(values.get(name), field=name)
                for name in ("expected_signing", "expected_registration", "expected_first_arrival")
            }
            likelihood = parse_likelihood(values.get("likelihood"))
        except ValidationError as exc:
            result.errors.append(f"第{number}行：{first_message(exc)}")
            continue
        planned.append((number, project, fields, likelihood, values.get("note", "")))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for number, project, fields, likelihood, note in planned:
                try:
                    expectation_set(
                        project=project, actor=actor, likelihood=likelihood, note=note, reason="导入项目预期", **fields
                    )
                except ValidationError as exc:
                    result.errors.append(f"第{number}行：{first_message(exc)}")
                    continue
                result.changed.append(project.code)
            if result.errors or dry_run:
                transaction.set_rollback(True)
    finally:
        if result.errors:
            result.changed = []
    return result
