"""The one reader every import uses: .xlsx, .xls, .ods (python-calamine) and .csv (UTF-8 or GB18030).

A file is recognised by its content, never by its name, and checked before it is parsed: its size, the
uncompressed size of every member of a zip container (read, not trusted from the directory), the rows and
columns its sheets declare, formulas and encryption. Anything hostile is refused with a Chinese message
before calamine builds its in-memory grid, so memory stays bounded whatever is uploaded.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from .errors import ImportRefused

MAX_FILE_BYTES = 64 * 1024 * 1024  # what a person uploads; the bench's 100,000 rows take about 3 MB
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # all members of an .xlsx/.ods together, once inflated
MAX_RATIO = 200  # a member inflating more than 200-fold is a zip bomb (real sheets stay under about 20)
MAX_ROWS = 200_000
MAX_COLS = 200

Cell = Any  # str | int | float | bool | date | datetime | time | timedelta | None


@dataclass
class Table:
    """One sheet's cells as read: rows[i] is the file's row `numbers[i]` (1-based, as Excel shows it)."""

    rows: list[list[Cell]]
    numbers: list[int]
    sheet: str = ""
    source_format: str = ""
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def refuse_file(message: str) -> ImportRefused:
    return ImportRefused([], message)


def sniff(data: bytes) -> str:
    """The format by content: xlsx, ods, xls, encrypted, csv; or refuse."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                    return "xlsb" if "xl/workbook.bin" in names else "xlsx"
                if "mimetype" in names:
                    mime = zf.read("mimetype")[:100]
                    if mime.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                        return "ods"
                if "word/document.xml" in names:
                    raise refuse_file("这是 Word 文档（.docx），不是表格；请上传 .xlsx、.xls、.ods 或 .csv 文件")
        except ImportRefused:
            raise
        except Exception:  # BadZipFile, zlib.error, EOFError …: whatever a damaged container raises
            raise refuse_file("文件不完整或已损坏（压缩结构无法读取），请重新导出后再上传") from None
        raise refuse_file("这是一个压缩包，但不是 Excel（.xlsx）或 .ods 表格")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # An OLE container: an .xls workbook, or an .xlsx protected by a password (its package is encrypted).
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            return "encrypted"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        raise refuse_file("这是 Office 97-2003 格式的文件，但不是 Excel 工作簿")
    if data[:5] == b"%PDF-":
        raise refuse_file("这是 PDF 文件，不是表格；请上传 .xlsx、.xls、.ods 或 .csv 文件")
    if data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        raise refuse_file("这是图片，不是表格；请上传 .xlsx、.xls、.ods 或 .csv 文件")
    if b"\x00" in data[:65536]:
        raise refuse_file("无法识别的文件类型：不是 .xlsx、.xls、.ods，也不是 UTF-8 或 GB18030 编码的 .csv")
    return "csv"


def text_encoding(data: bytes) -> str:
    """utf-8-sig or gb18030, checked by an incremental decoder so no second copy of a large file is made."""
    import codecs

    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            head = ""
            for start in range(0, len(data), 1 << 20):
                part = decoder.decode(data[start : start + (1 << 20)], final=start + (1 << 20) >= len(data))
                if not head:
                    head = part[:65536]
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\r\n\t\x1a")
        if controls > 8:
            break
        return encoding
    raise refuse_file("无法识别的文件类型：不是 .xlsx、.xls、.ods，也不是 UTF-8 或 GB18030 编码的 .csv")


# ---------------------------------------------------------------- guards for zip containers

# Cell references beyond column GR (the 200th: three letters, two from HA on, GS-GZ), and references to rows from
# 100,000 on (checked exactly in Python); each pattern starts with a literal, so the regex engine skims fast.
_WIDE = [re.compile(rb' r="[A-Z]{3}'), re.compile(rb' r="[H-Z][A-Z]'), re.compile(rb' r="G[S-Z]')]
_FAR_ROW = re.compile(rb' r="[A-Z]{0,3}[1-9][0-9]{5}')
_FORMULA_TAG = re.compile(rb"<f[ >/]")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,4})(\d{1,9})"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_letters(index: int) -> str:
    """Column letters for a 0-based index: 0 → A, 27 → AB."""
    return _col_letters(index + 1)


@dataclass
class _SheetScan:
    rows: int = 0
    max_row: int = 0
    max_col: int = 0
    formula_at: str = ""


def check_zip(data: bytes, fmt: str) -> None:
    """Inflate every member in bounded chunks, refusing bombs, oversized sheets and formulas."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 10_000:
                raise refuse_file("文件结构异常（压缩包内文件过多），已拒绝")
            for info in infos:
                is_sheet = (
                    fmt == "xlsx" and info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                )
                is_ods = fmt == "ods" and info.filename == "content.xml"
                scan = _SheetScan()
                seen = 0
                tail = b""
                with zf.open(info) as member:
                    while chunk := member.read(1 << 20):
                        seen += len(chunk)
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES:
                            raise refuse_file(
                                f"文件解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，"
                                "疑似“压缩炸弹”，已拒绝；请拆分后再导入"
                            )
                        if seen > 10 * 1024 * 1024 and seen > MAX_RATIO * max(info.compress_size, 1):
                            raise refuse_file("文件的压缩比异常（疑似“压缩炸弹”），已拒绝")
                        if is_sheet or is_ods:
                            buf = tail + chunk
                            _scan(buf, scan, fmt, len(tail))
                            tail = buf[-64:]
                if is_sheet or is_ods:
                    _judge(scan, info.filename)
    except ImportRefused:
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError, CRC mismatch …
        raise refuse_file("文件不完整或已损坏（解压失败），请重新导出后再上传") from None


def _scan(buf: bytes, scan: _SheetScan, fmt: str, overlap: int) -> None:
    # Byte counts and literal-led searches run at memory speed; Python sees only the rare suspicious reference.
    fresh = buf[overlap:] if overlap else buf
    if fmt == "xlsx":
        scan.rows += fresh.count(b"<row")
        for pattern in _WIDE:
            if m := pattern.search(buf):
                ref = _CELL_REF.match(buf, m.start())
                scan.max_col = max(scan.max_col, _col_number(ref.group(1)) if ref else MAX_COLS + 1)
        pos = 0
        while (m := _FAR_ROW.search(buf, pos)) and scan.max_row <= MAX_ROWS + 1:
            digits = re.match(rb' r="[A-Z]*([0-9]+)"', buf[m.start() : m.start() + 24])
            scan.max_row = max(scan.max_row, int(digits.group(1)) if digits else MAX_ROWS + 2)
            pos = m.end()
        if not scan.formula_at and (f := _FORMULA_TAG.search(buf)):
            start = buf.rfind(b"<c ", 0, f.start())
            ref = _CELL_REF.search(buf, start if start >= 0 else 0, f.start())
            scan.formula_at = (ref.group(1) + ref.group(2)).decode() if ref else "?"
    else:
        scan.rows += fresh.count(b"<table:table-row ") + fresh.count(b"<table:table-row>")
        if not scan.formula_at and b"table:formula=" in buf:
            scan.formula_at = "?"


def _judge(scan: _SheetScan, member: str) -> None:
    rows = max(scan.rows, scan.max_row)
    if rows > MAX_ROWS + 1:
        raise refuse_file(f"表格有 {rows:,} 行，超过每次导入 {MAX_ROWS:,} 行的上限；请拆分为多个文件分批导入")
    if scan.max_col > MAX_COLS:
        raise refuse_file(f"表格有 {scan.max_col} 列，超过 {MAX_COLS} 列的上限；请只保留模板中的列")
    if scan.formula_at:
        where = f"单元格 {scan.formula_at} " if scan.formula_at != "?" else ""
        raise refuse_file(f"表格中{where}含有公式；公式的结果可能未计算或已过期，请先复制后“选择性粘贴为数值”，再导入")


_BIFF_DIMENSIONS = re.compile(rb"\x00\x02\x0e\x00(.{4})(.{4})(.{2})(.{2})", re.DOTALL)


def check_xls(data: bytes) -> None:
    """The DIMENSIONS records of an .xls say how large a grid calamine would build; refuse huge ones."""
    for m in _BIFF_DIMENSIONS.finditer(data):
        last_row = int.from_bytes(m.group(2), "little")
        last_col = int.from_bytes(m.group(4), "little")
        if last_row > MAX_ROWS + 1:
            raise refuse_file(f"表格有 {last_row:,} 行，超过每次导入 {MAX_ROWS:,} 行的上限；请拆分为多个文件分批导入")
        if last_col > MAX_COLS and last_col <= 256:
            raise refuse_file(f"表格有 {last_col} 列，超过 {MAX_COLS} 列的上限；请只保留模板中的列")


# ---------------------------------------------------------------- reading


def read_table(source: bytes | Path | str, *, max_rows: int = MAX_ROWS) -> Table:
    """Read the first non-empty visible sheet (or the CSV) into a Table, or refuse with a Chinese message."""
    data = _read_bytes(source)
    if not data.strip():
        raise refuse_file("文件是空的")
    fmt = sniff(data)
    if fmt == "encrypted":
        raise refuse_file("文件设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存，再导入")
    if fmt == "xlsb":
        raise refuse_file("不支持 Excel 二进制工作簿（.xlsb）；请另存为 .xlsx 后再导入")
    if fmt == "csv":
        return _read_csv(data, text_encoding(data), max_rows=max_rows)
    if fmt in ("xlsx", "ods"):
        check_zip(data, fmt)
    else:
        check_xls(data)
    was_enabled = gc.isenabled()
    gc.disable()  # 100,000 rows of new lists and no cycles: see base.collector_paused
    try:
        return _read_workbook(data, fmt, max_rows=max_rows)
    finally:
        if was_enabled:
            gc.enable()


def _read_bytes(source: bytes | Path | str) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.exists():
            raise refuse_file(f"找不到文件：{path}")
        if path.is_dir():
            raise refuse_file(f"“{path}”是文件夹，不是文件")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise refuse_file(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限，请拆分后分批导入")
        data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise refuse_file(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限，请拆分后分批导入")
    return data


def _read_workbook(data: bytes, fmt: str, *, max_rows: int) -> Table:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise refuse_file("文件设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存，再导入") from None
    except Exception:  # calamine raises its own and Rust panics surface as BaseException subclasses
        raise refuse_file("文件不完整或已损坏，无法读取；请在 Excel 中打开后另存，再导入") from None
    try:
        with wb:
            sheets = [
                m.name
                for m in wb.sheets_metadata
                if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet
            ]
            if not sheets:
                raise refuse_file("工作簿中没有可见的工作表")
            for name in sheets:
                sheet = wb.get_sheet_by_name(name)
                if sheet.height > max_rows + 1:
                    raise refuse_file(
                        f"工作表“{name}”有 {sheet.height:,} 行，超过每次导入 {max_rows:,} 行的上限；"
                        "请拆分为多个文件分批导入"
                    )
                if sheet.width > MAX_COLS:
                    raise refuse_file(f"工作表“{name}”有 {sheet.width} 列，超过 {MAX_COLS} 列的上限")
                grid = sheet.to_python(skip_empty_area=False, nrows=max_rows + 2)
                merged = list(sheet.merged_cell_ranges or [])
                del sheet  # calamine's own copy of the sheet goes now; only the Python rows remain
                if not any(_filled(c) for row in grid for c in row):
                    continue
                for row in grid:  # in place: no second copy of 100,000 rows
                    for i, c in enumerate(row):
                        row[i] = _cell(c)
                return Table(grid, list(range(1, len(grid) + 1)), name, fmt, merged)
    except ImportRefused:
        raise
    except Exception:
        raise refuse_file("文件不完整或已损坏，无法读取；请在 Excel 中打开后另存，再导入") from None
    raise refuse_file(f"工作表“{sheets[0]}”是空的：没有表头，也没有数据")


def _filled(c: Cell) -> bool:
    return c is not None and not (isinstance(c, str) and not c.strip())


def _cell(c: Cell) -> Cell:
    if isinstance(c, str):
        return c if c.strip() else None
    if isinstance(c, float) and c.is_integer() and abs(c) < 2**53:
        return int(c)
    if isinstance(c, (timedelta, time)):
        return str(c)
    return c


def _csv_reader(data: bytes, encoding: str) -> Any:
    first = data[:4096].split(b"\n", 1)[0]
    delimiter = "\t" if first.count(b"\t") > first.count(b",") else ","
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    return csv.reader(stream, delimiter=delimiter)


def _too_many(max_rows: int) -> ImportRefused:
    return refuse_file(f"文件超过每次导入 {max_rows:,} 行的上限；请拆分为多个文件分批导入")


def _read_csv(data: bytes, encoding: str, *, max_rows: int) -> Table:
    if data.count(b"\n") > max_rows + 1:
        # Count records first without keeping them (a quoted cell may span lines), so a huge file costs no rows.
        try:
            records = sum(1 for _ in _csv_reader(data, encoding))
        except csv.Error:
            records = max_rows + 2
        if records > max_rows + 1:
            raise _too_many(max_rows)
    reader = _csv_reader(data, encoding)
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    try:
        for row in reader:
            if len(rows) > max_rows:
                raise _too_many(max_rows)
            if len(row) > MAX_COLS:
                raise refuse_file(f"第{reader.line_num}行有 {len(row)} 列，超过 {MAX_COLS} 列的上限")
            rows.append([c if c.strip() and c.strip() != "\x1a" else None for c in row])
            numbers.append(reader.line_num)
    except csv.Error as exc:
        raise refuse_file(f"CSV 文件格式错误（第{reader.line_num}行）：{exc}") from None
    if not any(_filled(c) for row in rows for c in row):
        raise refuse_file("文件是空的：没有表头，也没有数据")
    return Table(rows, numbers, "", "csv")
