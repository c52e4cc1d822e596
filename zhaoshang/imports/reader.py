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
# 100,000 on (checked exactly in Python). The usual spelling ` r="A1"` is searched with literal-led patterns, so the
# regex engine skims at memory speed; only a sheet that spells an attribute otherwise (`r = 'a1'`, a newline before
# `r`, lower-case letters, `$`) is searched again with the patterns that allow every spelling the XML permits.
_WIDE = [re.compile(rb' r="[A-Z]{3}'), re.compile(rb' r="[H-Z][A-Z]'), re.compile(rb' r="G[S-Z]')]
_FAR_ROW = re.compile(rb' r="[A-Z]{0,3}[1-9][0-9]{5}')
_ATTR = rb"""(?<=\s)r\s*=\s*["']\s*"""
_ANY_WIDE = [
    re.compile(_ATTR + rb"\$?[A-Za-z]{3}"),
    re.compile(_ATTR + rb"\$?[H-Zh-z][A-Za-z]"),
    re.compile(_ATTR + rb"\$?[Gg][S-Zs-z]"),
]
_ANY_FAR_ROW = re.compile(_ATTR + rb"\$?[A-Za-z]{0,3}\$?[1-9][0-9]{5}")
_ODD_SPELLING = (b"\tr", b"\nr", b"\rr")  # whitespace other than a space before an attribute named r…
_ODD_ATTR = re.compile(rb""" r(?:\s+=|=\s|='|="[a-z$\s])""")  # …or r spelled with spaces, quotes, $, lower case
_CELL_REF = re.compile(rb"""r\s*=\s*["']\s*\$?([A-Za-z]{1,4})\$?(\d{1,9})""")
_ROW_DIGITS = re.compile(rb"""r\s*=\s*["']\s*\$?[A-Za-z]*\$?([0-9]+)""")
# `<f>`, `<f t="shared" …/>`, `<x:f>`: a formula element under any namespace prefix.
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_TAG = re.compile(rb":f[\s>/]")
# `spans="1:16384"` on a row and `<dimension ref="A1:XFD1048576"/>`: how wide and tall the sheet says it is.
_SPANS = re.compile(rb"""spans\s*=\s*["']\s*\d+\s*:\s*(\d+)""")
_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s[^>]*?ref\s*=\s*["']([^"']*)["']""")
_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_REL_ATTR = re.compile(rb"""(Type|Target|TargetMode)\s*=\s*["']([^"']*)["']""")
_SHEET_TYPES = (b"/worksheet", b"/chartsheet", b"/dialogsheet", b"/macrosheet", b"/xlMacrosheet", b"/xlIntlMacrosheet")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
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


def _member_key(name: str) -> str:
    """How a package part is looked up: no leading slash, forward slashes, any case (readers differ on case)."""
    return name.replace("\\", "/").lstrip("/").lower()


def _resolve(base_dir: str, target: str) -> str:
    target = target.replace("\\", "/")
    path = target.lstrip("/") if target.startswith("/") else f"{base_dir}/{target}" if base_dir else target
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return _member_key("/".join(parts))


def _relationship_targets(zf: zipfile.ZipFile, rels_name: str, base_dir: str, types: tuple[bytes, ...]) -> set[str]:
    info = next((i for i in zf.infolist() if _member_key(i.filename) == _member_key(rels_name)), None)
    if info is None or info.file_size > 4 * 1024 * 1024:
        return set()
    with zf.open(info) as fh:
        body = fh.read(4 * 1024 * 1024 + 1)
    targets = set()
    for rel in _REL.finditer(body):
        attrs = {k: v for k, v in _REL_ATTR.findall(rel.group(0))}
        if attrs.get(b"TargetMode", b"").lower() == b"external" or b"Target" not in attrs:
            continue
        if any(attrs.get(b"Type", b"").endswith(t) for t in types):
            targets.add(_resolve(base_dir, attrs[b"Target"].decode("utf-8", "replace")))
    return targets


def sheet_parts(zf: zipfile.ZipFile) -> set[str]:
    """Every part a reader may take for a sheet: those under xl/worksheets/ and every part the workbook's
    relationships name as a worksheet (or chart, dialog, macro sheet), wherever in the package it is stored."""
    parts = {
        _member_key(i.filename)
        for i in zf.infolist()
        if _member_key(i.filename).startswith(("xl/worksheets/", "xl/chartsheets/", "xl/macrosheets/"))
        and _member_key(i.filename).endswith(".xml")
    }
    workbooks = {"xl/workbook.xml"} | _relationship_targets(zf, "_rels/.rels", "", (b"/officeDocument",))
    for workbook in workbooks:
        folder, _, name = workbook.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        parts |= _relationship_targets(zf, rels, folder, _SHEET_TYPES)
    return parts


def check_zip(data: bytes, fmt: str) -> None:
    """Inflate every member in bounded chunks, refusing bombs, oversized sheets and formulas."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 10_000:
                raise refuse_file("文件结构异常（压缩包内文件过多），已拒绝")
            sheets = sheet_parts(zf) if fmt == "xlsx" else set()
            for info in infos:
                is_sheet = fmt == "xlsx" and _member_key(info.filename) in sheets
                is_ods = fmt == "ods" and _member_key(info.filename) == "content.xml"
                scan = _SheetScan()
                ods = _OdsScan() if is_ods else None
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
                        if is_sheet:
                            buf = tail + chunk
                            _scan(buf, scan, len(tail))
                            tail = buf[-128:]
                        elif ods is not None:
                            ods.feed(chunk)
                            if not scan.formula_at and b":formula" in tail + chunk:
                                scan.formula_at = "?"
                            tail = chunk[-64:]
                if ods is not None:
                    ods.close()
                    scan.rows, scan.max_col = ods.rows, ods.cols
                if is_sheet or is_ods:
                    _judge(scan, info.filename)
    except ImportRefused:
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError, CRC mismatch, malformed XML …
        raise refuse_file("文件不完整或已损坏（解压失败），请重新导出后再上传") from None


def _scan(buf: bytes, scan: _SheetScan, overlap: int) -> None:
    # Byte counts and literal-led searches run at memory speed; Python sees only the rare suspicious reference.
    fresh = buf[overlap:] if overlap else buf
    scan.rows += fresh.count(b"<row") + fresh.count(b":row")
    odd = any(s in buf for s in _ODD_SPELLING) or _ODD_ATTR.search(buf) is not None
    for pattern in _ANY_WIDE if odd else _WIDE:
        if m := pattern.search(buf):
            ref = _CELL_REF.search(buf, m.start())
            scan.max_col = max(scan.max_col, _col_number(ref.group(1)) if ref else MAX_COLS + 1)
    pos = 0
    far_row = _ANY_FAR_ROW if odd else _FAR_ROW
    while (m := far_row.search(buf, pos)) and scan.max_row <= MAX_ROWS + 1:
        digits = _ROW_DIGITS.search(buf, m.start())
        scan.max_row = max(scan.max_row, int(digits.group(1)) if digits else MAX_ROWS + 2)
        pos = m.end()
    for m in _SPANS.finditer(buf):
        scan.max_col = max(scan.max_col, int(m.group(1)))
        if scan.max_col > MAX_COLS:
            break
    if m := _DIMENSION.search(buf):
        for ref in re.finditer(rb"([A-Za-z]{1,4})\$?(\d{1,9})", m.group(1)):
            scan.max_col = max(scan.max_col, _col_number(ref.group(1)))
            scan.max_row = max(scan.max_row, int(ref.group(2)))
    if not scan.formula_at and (f := _FORMULA_TAG.search(buf) or _prefixed_formula(buf)):
        start = max(buf.rfind(b"<c ", 0, f.start()), buf.rfind(b":c ", 0, f.start()))
        ref = _CELL_REF.search(buf, start if start >= 0 else 0, f.start())
        scan.formula_at = (ref.group(1).upper() + ref.group(2)).decode() if ref else "?"


def _prefixed_formula(buf: bytes) -> re.Match[bytes] | None:
    pos = 0
    while m := _PREFIXED_FORMULA_TAG.search(buf, pos):
        start = buf.rfind(b"<", max(m.start() - 64, 0), m.start())
        if start >= 0 and re.fullmatch(rb"<[A-Za-z_][\w.-]*", buf[start : m.start()]):
            return m
        pos = m.end()
    return None


class _OdsScan:
    """The grid an .ods sheet unfolds to, counted as calamine will build it: a row or cell repeated N times
    (`table:number-rows-repeated`, `table:number-columns-repeated`) counts N times wherever content follows it.
    Trailing empty repeats (LibreOffice writes a million of them after the data) cost nothing and are not counted."""

    def __init__(self) -> None:
        from xml.parsers import expat

        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.rows = 0  # rows up to the last one holding content, over all sheets (the tallest sheet)
        self.cols = 0  # columns up to the last cell holding content, over all rows
        self._sheet_rows = 0  # rows so far in this sheet, repeats unfolded
        self._row_repeat = 1
        self._row_cols = 0  # columns so far in this row, repeats unfolded
        self._row_last = 0  # columns up to the last filled cell of this row
        self._cell_repeat = 0  # 0: not in a cell
        self._cell_filled = False
        self._depth_in_cell = 0

    def feed(self, chunk: bytes) -> None:
        self.parser.Parse(chunk, False)
        self._judge_early()

    def close(self) -> None:
        self.parser.Parse(b"", True)

    def _judge_early(self) -> None:
        if self.rows > MAX_ROWS + 1 or self.cols > MAX_COLS:
            raise refuse_file(
                f"表格有 {self.rows:,} 行，超过每次导入 {MAX_ROWS:,} 行的上限；请拆分为多个文件分批导入"
                if self.rows > MAX_ROWS + 1
                else f"表格有 {self.cols:,} 列，超过 {MAX_COLS} 列的上限；请只保留模板中的列"
            )

    @staticmethod
    def _repeat(attrs: dict[str, str], name: str) -> int:
        # By local name, whatever namespace its prefix is bound to: a reader may match the prefix literally.
        repeat = 1
        for key, value in attrs.items():
            if key.rpartition(" ")[2] == name:
                try:
                    repeat = max(repeat, int(value.strip()))
                except ValueError:
                    continue
        return repeat

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition(" ")[2]
        if self._cell_repeat:
            self._depth_in_cell += 1
            if local in ("p", "span", "a", "s", "tab", "line-break", "annotation") or local.endswith("frame"):
                self._cell_filled = True
            return
        if local == "table":
            self._sheet_rows = 0
        elif local == "table-row":
            self._row_repeat = self._repeat(attrs, "number-rows-repeated")
            self._row_cols = self._row_last = 0
        elif local in ("table-cell", "covered-table-cell"):
            self._cell_repeat = self._repeat(attrs, "number-columns-repeated")
            self._cell_filled = any(
                k.endswith((" value-type", " value", " formula", " string-value", " date-value", " time-value"))
                or k.endswith((" boolean-value", " number-columns-spanned", " number-rows-spanned"))
                for k in attrs
            )
            self._depth_in_cell = 0

    def _text(self, data: str) -> None:
        if self._cell_repeat and data.strip():
            self._cell_filled = True

    def _end(self, tag: str) -> None:
        if self._cell_repeat and self._depth_in_cell:
            self._depth_in_cell -= 1
            return
        local = tag.rpartition(" ")[2]
        if local in ("table-cell", "covered-table-cell") and self._cell_repeat:
            self._row_cols += self._cell_repeat
            if self._cell_filled:
                self._row_last = self._row_cols
            self._cell_repeat = 0
        elif local == "table-row":
            self._sheet_rows += self._row_repeat
            if self._row_last:
                self.rows = max(self.rows, self._sheet_rows)
                self.cols = max(self.cols, self._row_last)
            self._row_repeat = 1


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
