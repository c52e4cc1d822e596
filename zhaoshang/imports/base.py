"""The import pipeline every kind shares: find the header, read each cell, plan each row, then apply all or nothing.

A kind (`Importer` subclass) declares its columns and says, row by row, what it would change; it never writes
while planning. Only when no row has an error are the changes applied, in one transaction, through the same
services the site uses — so a service's own refusal also becomes a row error and rolls everything back.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhaoshang.accounts.permissions import can, ensure_can
from zhaoshang.common.locks import LockBusy, import_lock
from zhaoshang.common.validation import first_message
from zhaoshang.jobs.progress import current as current_progress

from . import clerk
from .errors import ImportRefused, RowError, warning_line
from .fields import (
    CellError,
    Column,
    Field,
    HeaderMatch,
    UnitUnknown,
    closest_text,
    match_header,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money,
    parse_month,
    parse_pct,
    parse_text,
    parse_unit,
    text,
)
from .isolation import read_isolated
from .reader import Cell, Table, col_letters

HEADER_SEARCH_ROWS = 10
MAX_ERRORS = 1000

NEW, UPDATE, SAME = "新增", "更新", "不变"


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    raw: dict[str, Cell]
    bad: bool = False  # a cell could not be read (already reported)


@dataclass
class SkippedRow:
    """A total, subtotal, breakdown or note row: read, checked where it can be, never imported."""

    number: int
    kind: str  # clerk.TOTAL / SUBTOTAL / PART / NOTE
    label: str
    cells: list[Cell]
    before: int  # how many data rows precede it


@dataclass
class Change:
    row: int
    action: str  # 新增 / 更新 / 不变
    what: str
    apply: Callable[[Any], object] | None = None


@dataclass
class ImportResult:
    kind: str
    title: str
    rows: int
    changes: list[Change]
    dry_run: bool
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # confirmed (or shown by a dry run)
    notes: list[str] = field(default_factory=list)  # units read, total and note rows skipped

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> str:
        head = "试导入（未写入任何数据）" if self.dry_run else "已导入"
        return (
            f"{head}：{self.title} {self.rows} 行 —— 新增 {self.count(NEW)}，更新 {self.count(UPDATE)}，"
            f"不变 {self.count(SAME)}"
        )

    def lines(self, limit: int = 200) -> list[str]:
        shown = [c for c in self.changes if c.action != SAME]
        out = list(self.notes)
        out.extend(warning_line(w) for w in self.warnings[:limit])
        out.extend(f"第{c.row}行 {c.action}：{c.what}" for c in shown[:limit])
        if len(shown) > limit:
            out.append(f"……另有 {len(shown) - limit} 处变化")
        if self.ignored_columns:
            out.append(f"未使用的列：{'、'.join(self.ignored_columns)}")
        return out


class Importer:
    """One kind of file. Subclasses set the class attributes and implement `plan_row`."""

    kind = ""
    title = ""
    fields: list[Field] = []
    permission = ""  # each kind names its action; checked once, unit-scoped kinds check each row's unit instead
    unit_scoped = False
    # Every money column is an amount whose unit must be known (header, a line above it, the cell, or --unit);
    # kinds that mix amounts and counts in one column (targets, province figures) check row by row instead.
    money_needs_unit = False
    detect_total_rows = True  # 合计/小计/其中/注 rows are recognised and skipped

    def __init__(self, *, actor: Any = None, **options: Any) -> None:
        self.actor = actor
        self.options = options
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.notes: list[str] = []
        self.columns: dict[str, Column] = {}
        self.unknown_units: dict[str, int] = {}  # money column key → first row whose amount has no unit
        self.skipped: list[SkippedRow] = []

    # -- hooks
    def check_options(self) -> None:
        """Refuse missing command options (e.g. fortune500's year) before reading the file."""

    def check_permission(self) -> None:
        if self.unit_scoped:
            # Unit staff are checked on their own unit here and on each row's unit while planning.
            ensure_can(self.actor, self.permission, getattr(self.actor, "unit", None))
        else:
            ensure_can(self.actor, self.permission)

    def check_columns(self) -> None:
        """File-level checks on the mapped columns (units of money headers …)."""

    def prepare(self, rows: list[Row]) -> None:
        """Load in bulk what planning looks up, so planning runs no query per row."""

    def plan_row(self, row: Row) -> Change | None:
        raise NotImplementedError

    def finish(self, changes: list[Change]) -> list[Change]:
        return changes

    # -- helpers for subclasses
    def error(self, row: int, key: str, value: object, reason: str) -> None:
        column = self.columns.get(key)
        label = column.header if column else next((f.label for f in self.fields if f.key == key), key)
        self.errors.append(RowError(row, label, text(value), reason, column.index if column else None))

    def warn(self, row: int, key: str, value: object, reason: str) -> None:
        """A plausibility warning: the file is imported only once the person confirms."""
        column = self.columns.get(key)
        label = column.header if column else next((f.label for f in self.fields if f.key == key), key)
        self.warnings.append(RowError(row, label, text(value), reason, column.index if column else None))

    def failed(self, row: Row, errors_before: int) -> bool:
        """Whether the row has an error, from reading its cells or found since `errors_before`."""
        return row.bad or len(self.errors) > errors_before

    def unit_allowed(self, unit: Any) -> bool:
        return can(self.actor, self.permission, unit)

    def check_unit(self, row: Row, key: str, unit: Any) -> bool:
        if not self.unit_allowed(unit):
            self.error(row.number, key, row.raw.get(key), f"无权导入“{unit.name}”的数据（只能导入本单位的数据）")
            return False
        return True

    def lookup(self, row: Row, key: str, table: dict[str, Any], what: str, names: Any = None) -> Any:
        """Find a named thing, or record an error with the closest valid names."""
        value = row.values.get(key)
        if value in (None, ""):
            return None
        found = table.get(str(value).strip()) or table.get(str(value).strip().upper())
        if found is None:
            pool = names if names is not None else table.keys()
            self.error(row.number, key, value, f"不是已知的{what}{closest_text(str(value), pool)}")
        return found


def locate_header(table: Table, fields: list[Field]) -> HeaderMatch:
    best: HeaderMatch | None = None
    for i, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        hm = match_header(row, fields)
        hm.row_index = i
        if best is None or len(hm.columns) > len(best.columns):
            best = hm
    if best is None:  # no row at all to look for a header in
        raise ImportRefused([], "文件是空的：没有表头，也没有数据")
    if best.columns:
        number = table.numbers[best.row_index]
        for (r1, c1), (r2, c2) in table.merged:
            if r1 <= best.row_index <= r2 and c2 > c1:
                raise ImportRefused(
                    [],
                    f"表头第{number}行的 {col_letters(c1)}{r1 + 1}:{col_letters(c2)}{r2 + 1} 是合并单元格；"
                    "请取消合并，让每一列都有自己的表头",
                )
    if not best.columns or best.missing:
        found = [str(c).strip() for c in table.rows[best.row_index] if c is not None] if best.columns else []
        if not found:
            found = [str(c).strip() for c in (table.rows[0] if table.rows else []) if c is not None]
        missing = "、".join(f.label for f in best.missing or [f for f in fields if f.required])
        hint = ""
        for f in best.missing:
            close = difflib.get_close_matches(f.label, found, n=1, cutoff=0.6)
            if close:
                hint = f"（“{close[0]}”是否应为“{f.label}”？）"
                break
        raise ImportRefused(
            [],
            f"表头缺少必需的列：{missing}{hint}；文件的表头为：{'、'.join(found[:30]) or '（空）'}。"
            "请使用导入模板（zhaoshang import template）",
        )
    dupes: dict[str, list[int]] = {}
    for i, cell in enumerate(table.rows[best.row_index]):
        hm = match_header([None] * i + [cell], fields)
        for key in hm.columns:
            dupes.setdefault(key, []).append(i)
    for key, where in dupes.items():
        if len(where) > 1:
            label = next(f.label for f in fields if f.key == key)
            letters = "、".join(col_letters(i) for i in where)
            raise ImportRefused([], f"“{label}”列出现了 {len(where)} 次（第 {letters} 列），请只保留一列")
    return best


PARSERS: dict[str, Callable[[Cell], Any]] = {
    "int": parse_int,
    "decimal": parse_decimal,
    "pct": parse_pct,
    "date": parse_date,
    "month": parse_month,
    "bool": parse_bool,
}


def _column_parser(c: Column, *, unit_required: bool = False) -> Callable[[Cell], Any]:
    f = c.field
    if f.kind == "money":
        unit, base = c.unit, f.unit or "美元"
        required = unit_required and not f.unit
        return lambda value: parse_money(value, unit, base=base, unit_required=required)
    if f.kind in PARSERS:
        return PARSERS[f.kind]
    return lambda value: parse_text(value, f)


_MISS = object()
MEMO_SIZE = 20_000


def parse_rows(table: Table, header: HeaderMatch, importer: Importer) -> list[Row]:
    """Every cell of every non-blank row read by its column's parser; errors recorded, the row marked bad.

    Parsers are pure, and most columns repeat a few values (project codes, months, types, currencies), so each
    column remembers what it has parsed; a column whose values hardly repeat (amounts, notes) stops remembering
    after its first thousand cells.
    """
    needs_unit = importer.money_needs_unit
    specs: list[tuple[str, int, bool, bool, Callable[[Cell], Any], dict[tuple[type, Any], Any]]] = [
        (
            c.field.key,
            c.index,
            c.field.required,
            c.field.kind == "money",
            _column_parser(c, unit_required=needs_unit),
            {},
        )
        for c in header.columns.values()
    ]
    # A total or note row is labelled in the first columns (序号, 名称 …) or the first text columns, never among
    # the figures.
    text_columns = sorted(c.index for c in header.columns.values() if c.field.kind in ("text", "code", "choice"))
    money_columns = {c.index for c in header.columns.values() if c.field.kind == "money"}
    label_columns = sorted((set(range(clerk.LABEL_COLUMNS)) | set(text_columns[:2])) - money_columns)
    first_characters = clerk.FIRST_CHARACTERS
    importer.skipped = []
    detect = importer.detect_total_rows
    memo_on = [True] * len(specs)
    absent = [f.key for f in importer.fields if f.key not in header.columns]
    rows: list[Row] = []
    first = header.row_index + 1
    errors = importer.errors
    seen_cells = 0
    for cells, number in zip(table.rows[first:], table.numbers[first:], strict=True):
        width = len(cells)
        if detect:
            # Most rows are data: only a string cell starting like 合计/小计/其中/注 is worth a closer look.
            for i in label_columns:
                cell = cells[i] if i < width else None
                if cell.__class__ is str and cell.lstrip(" \u3000")[:1] in first_characters:
                    label = clerk.row_label(cells, label_columns)
                    break
            else:
                label = None
            if label is not None:
                importer.skipped.append(SkippedRow(number, label[0], label[1], cells, len(rows)))
                continue
        values: dict[str, Any] = dict.fromkeys(absent)
        raw: dict[str, Cell] = {}
        blank_required: list[str] = []
        errors_before = len(errors)
        empty = True
        for j, (key, index, required, is_money, parse, memo) in enumerate(specs):
            value = cells[index] if index < width else None
            if value.__class__ is str and not value.strip():
                value = None
            raw[key] = value
            if value is None:
                values[key] = None
                if required:
                    blank_required.append(key)
                continue
            empty = False
            memo_key = (value.__class__, value)
            parsed: Any = memo.get(memo_key, _MISS) if memo_on[j] else _MISS
            if parsed is _MISS:
                try:
                    parsed = parse(value)
                except UnitUnknown:
                    importer.unknown_units.setdefault(key, number)
                    values[key] = None
                    continue
                except CellError as exc:
                    importer.error(number, key, value, str(exc))
                    values[key] = None
                    continue
                if memo_on[j] and len(memo) < MEMO_SIZE:
                    memo[memo_key] = parsed
            if is_money:
                values[key], values[f"{key}__currency"] = parsed
            else:
                values[key] = parsed
        if empty:
            continue
        seen_cells += 1
        if seen_cells == 1000:
            memo_on = [len(spec[5]) < 500 for spec in specs]
        for key in blank_required:
            importer.error(number, key, "", "不能为空")
        rows.append(Row(number, values, raw, bad=len(errors) > errors_before))
        if len(errors) >= MAX_ERRORS:
            break
    return rows


def run_import(
    importer: Importer,
    source: bytes | str | Any = None,
    *,
    dry_run: bool = False,
    table: Table | None = None,
    plan_only: bool = False,
    reader: Callable[[Any], Table] | None = None,
) -> ImportResult:
    """Read, validate and plan every row; on no error apply all changes in one transaction (rolled back if dry).

    Inside a background job the job's counters follow along: total rows, rows checked, rows written."""
    importer.check_options()
    importer.check_permission()
    if table is None:
        # By default the file is read in a child process with memory and time limits (imports.isolation).
        table = reader(source) if reader is not None else read_isolated(source, importer.kind)
    header = locate_header(table, importer.fields)
    progress = current_progress()
    if progress is not None:
        progress.set_total(max(len(table.rows) - header.row_index - 1, 0))
    importer.columns = header.columns
    apply_file_units(importer, table, header)
    # Planning reads what is already there and applying writes against it: both in one transaction under the
    # kind's lock, so a second import of the same kind waits for the first and then finds its rows "不变".
    with transaction.atomic():
        if not plan_only:  # plan_only: checked and planned without running the services (benchmarks, previews)
            try:
                import_lock(importer.kind, importer.title)
            except LockBusy as exc:
                raise ImportRefused([], first_message(exc)) from None
        with collector_paused():
            rows, changes = _plan(importer, table, header)
        confirmed = dry_run or plan_only or bool(importer.options.get("accept_warnings"))
        if importer.warnings and not confirmed:
            raise ImportRefused([], table=table, warnings=importer.warnings, notes=importer.notes)
        if not plan_only:
            apply_changes(importer, changes, dry_run=dry_run, table=table)
            if importer.kind == "projects" and not dry_run:
                # Two units courting one investor (撞单) are flagged however the second project arrived.
                from zhaoshang.leads.services import conflicts_scan

                conflicts_scan(actor=importer.actor)
    return ImportResult(
        importer.kind,
        importer.title,
        len(rows),
        changes,
        dry_run or plan_only,
        header.ignored,
        importer.warnings,
        importer.notes,
    )


NOTE_ROWS_SCANNED = 30
UNIT_HELP = (
    "请在表头注明单位，如“到资金额（万美元）”“总投资（原币万元）”，或在表头上方写“单位：万美元”；"
    "也可在导入时选择金额单位（页面“金额单位”，命令行 --unit 万美元）"
)


def apply_file_units(importer: Importer, table: Table, header: HeaderMatch) -> None:
    """Money columns whose header names no unit take the unit written above the header (or in a note row), else
    the one the person chose (`unit` option); a unit from the file and a different chosen one is an error."""
    money = [c for c in header.columns.values() if c.field.kind == "money" and not c.field.unit]
    if not money:
        return
    first_columns = list(range(clerk.LABEL_COLUMNS))
    # A note row stating the unit sits under the data: the last rows are enough to look at.
    notes_after = [
        i
        for i in range(max(header.row_index + 1, len(table.rows) - NOTE_ROWS_SCANNED), len(table.rows))
        if clerk.row_label(table.rows[i], first_columns) is not None
        and any(isinstance(c, str) and "单位" in c for c in table.rows[i][: clerk.LABEL_COLUMNS])
    ]
    try:
        found = clerk.file_unit(table, header.row_index, notes_after)
    except ValueError as exc:
        raise ImportRefused([], f"{exc}；请只保留一个，或在每个金额列的表头注明单位", table=table) from None
    chosen_text = str(importer.options.get("unit") or "").strip()
    chosen = parse_unit(chosen_text) if chosen_text else None
    if chosen_text and chosen is None:
        raise ImportRefused([], f"金额单位“{chosen_text}”无法识别：应如 美元、万美元、亿美元、原币万元、万欧元")
    for c in money:
        if c.unit is not None:
            continue
        if found is not None:
            if chosen is not None and chosen != found.unit:
                raise ImportRefused(
                    [],
                    f"文件第{found.row}行写明“{found.text}”，与所选的金额单位“{chosen_text}”不一致；未导入任何数据",
                    table=table,
                )
            c.unit, c.unit_text, c.unit_source = found.unit, found.text, "file"
            importer.notes.append(f"金额单位：“{c.header}”列按第{found.row}行的“{found.text}”读取")
        elif chosen is not None:
            c.unit, c.unit_text, c.unit_source = chosen, chosen_text, "option"
            importer.notes.append(f"金额单位：“{c.header}”列按所选单位“{chosen_text}”读取")


def check_skipped_rows(importer: Importer, rows: list[Row], header: HeaderMatch) -> None:
    """Total rows must equal the rows above them (a subtotal: those since the last subtotal); every skipped row
    is reported."""
    money = [c for c in header.columns.values() if c.field.kind in ("money", "decimal", "int")]
    parsers = {c.field.key: _column_parser(c) for c in money}
    since = 0
    for skip in importer.skipped:
        if skip.kind in (clerk.TOTAL, clerk.SUBTOTAL):
            part = rows[: skip.before] if skip.kind == clerk.TOTAL else rows[since : skip.before]
            since = skip.before if skip.kind == clerk.SUBTOTAL else since
            checked, bad = [], False
            for c in money:
                raw = skip.cells[c.index] if c.index < len(skip.cells) else None
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    continue
                try:
                    parsed = parsers[c.field.key](raw)
                except CellError as exc:
                    importer.error(skip.number, c.field.key, raw, f"{skip.kind}行的金额{exc}")
                    bad = True
                    continue
                total = parsed[0] if isinstance(parsed, tuple) else Decimal(parsed)
                currencies = {r.values.get("currency") for r in part}
                if len(currencies) > 1:
                    checked.append(f"{c.header}（多种币种，未核对）")
                    continue
                values = [r.values.get(c.field.key) for r in part]
                got = sum((v for v in values if v is not None), Decimal(0))
                scale = Decimal(c.unit.scale) if c.unit else Decimal(1)
                if c.field.unit == "百万美元":
                    scale = scale / Decimal(1_000_000)
                tolerance = clerk.written_half_unit(raw) * scale + Decimal("0.01") * len(part)
                if abs(total - got) > tolerance:
                    what = "上方各行" if skip.kind == clerk.TOTAL else "本组各行"
                    importer.error(
                        skip.number,
                        c.field.key,
                        raw,
                        f"是“{skip.label[:12]}”行，但与{what}之和（{got:,.2f}）不符，相差 {total - got:,.2f}；"
                        "请核对数据，或删除合计行后再导入",
                    )
                    bad = True
                else:
                    checked.append(c.header)
            if not bad:
                sums = (
                    f"，{'、'.join(checked)}与{'上方各行' if skip.kind == clerk.TOTAL else '本组各行'}之和相符"
                    if checked
                    else ""
                )
                importer.notes.append(f"第{skip.number}行是“{skip.label[:12]}”行（{skip.kind}），已跳过{sums}")
        elif skip.kind == clerk.PART:
            importer.notes.append(f"第{skip.number}行是“{skip.label[:12]}”（其中项，属上方数据的一部分），已跳过")
        else:
            importer.notes.append(f"第{skip.number}行是说明行“{skip.label[:20]}”，已跳过")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading and planning make several objects per row and no reference cycles; the cyclic collector would walk
    all of them again and again (a third of the time on 100,000 rows), so it waits until they are done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _plan(importer: Importer, table: Table, header: HeaderMatch) -> tuple[list[Row], list[Change]]:
    importer.check_columns()
    if importer.errors:
        raise ImportRefused(importer.errors, table=table)
    rows = parse_rows(table, header, importer)
    if importer.unknown_units:
        labels = "、".join(f"“{importer.columns[k].header}”" for k in importer.unknown_units)
        first = min(importer.unknown_units.values())
        raise ImportRefused(
            [],
            f"无法确定{labels}列的金额单位（表头、表头上方和单元格中都没有写明单位，如第{first}行），"
            f"为免按美元误读（万美元会差一万倍），未导入任何数据。{UNIT_HELP}",
            table=table,
        )
    check_skipped_rows(importer, rows, header)
    if not rows and not importer.errors:
        raise ImportRefused([], "文件中只有表头，没有数据行", table=table)
    importer.prepare(rows)
    changes: list[Change] = []
    progress = current_progress()
    for checked, row in enumerate(rows, start=1):
        if len(importer.errors) >= MAX_ERRORS:
            break
        change = importer.plan_row(row)
        if change is not None:
            changes.append(change)
        if progress is not None and checked % 500 == 0:
            progress.set_checked(checked)
    if progress is not None:
        progress.set_checked(len(rows))
    if not importer.errors:
        changes = importer.finish(changes)
    if importer.errors:
        raise ImportRefused(_sorted(importer.errors), table=table)
    return rows, changes


class _DryRun(Exception):
    pass


def apply_changes(importer: Importer, changes: list[Change], *, dry_run: bool, table: Table | None) -> None:
    errors: list[RowError] = []
    progress = current_progress()
    written = 0
    try:
        with transaction.atomic():
            for change in changes:
                if change.apply is None:
                    continue
                try:
                    with transaction.atomic():
                        change.apply(importer.actor)
                    written += 1
                    if progress is not None:
                        progress.set_written(written)
                except ValidationError as exc:
                    errors.append(RowError(change.row, "", "", first_message(exc)))
                except PermissionDenied as exc:
                    errors.append(RowError(change.row, "", "", str(exc)))
                except IntegrityError:  # the database's own unique key: someone wrote the same record meanwhile
                    errors.append(RowError(change.row, "", "", "与已有记录重复（同一键值已存在，可能刚被他人录入）"))
                if len(errors) >= MAX_ERRORS:
                    break
            if errors:
                raise ImportRefused(errors, table=table)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row, e.col if e.col is not None else -1))


def duplicate_key(seen: dict[Any, int], key: Any, row: Row) -> int | None:
    """The earlier row with the same natural key, if any."""
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = row.number
    return earlier


def month_label(d: date) -> str:
    return f"{d.year}年{d.month}月"
