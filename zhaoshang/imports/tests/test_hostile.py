"""Hostile and broken files: each refused (or read) with a clear Chinese message, in bounded memory, changing
nothing."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.imports import reader
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.fields import CellError, parse_date, parse_decimal, parse_money, parse_month, parse_unit
from zhaoshang.imports.kinds import load_file
from zhaoshang.imports.reader import read_table
from zhaoshang.projects.models import CapitalArrival, Industry

from .helpers import xlsx_bytes

ARRIVALS: list[list[Any]] = [["项目编号", "到资月份", "到资金额", "到资类型"], ["XM2020-0001", "2020-03", 100, "增资"]]


def refused(data: bytes) -> str:
    with pytest.raises(ImportRefused) as exc:
        read_table(data)
    return exc.value.summary


def test_wrong_types_are_named():
    assert "PDF" in refused(b"%PDF-1.7\n...")
    assert "图片" in refused(b"\x89PNG\r\n\x1a\n" + bytes(100))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word 文档" in refused(buf.getvalue())
    assert refused(bytes(range(256)) * 10).startswith("无法识别的文件类型")
    assert refused(b"") == "文件是空的"


def test_a_renamed_file_is_read_by_its_content(tmp_path):
    csv_as_xlsx = tmp_path / "arrivals.xlsx"
    csv_as_xlsx.write_text("项目编号,到资月份\nXM2020-0001,2020-03\n", encoding="utf-8")
    assert read_table(csv_as_xlsx).rows == [["项目编号", "到资月份"], ["XM2020-0001", "2020-03"]]
    book = xlwt.Workbook()
    sheet = book.add_sheet("到资")
    for r, row in enumerate(ARRIVALS):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    xls_as_csv = tmp_path / "arrivals.csv"
    book.save(str(xls_as_csv))
    table = read_table(xls_as_csv)
    assert (table.source_format, table.rows[1]) == ("xls", ["XM2020-0001", "2020-03", 100, "增资"])


def test_an_encrypted_workbook_is_refused():
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes(ARRIVALS))).encrypt("secret", out)
    assert refused(out.getvalue()).startswith("文件设有打开密码（已加密）")


def test_a_truncated_workbook_is_refused():
    data = xlsx_bytes(ARRIVALS)
    for cut in (len(data) // 2, len(data) - 30, 40):
        assert "损坏" in refused(data[:cut])


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of spaces, about 300 KB compressed
                member.write(block)
    data = buf.getvalue()
    assert len(data) < 2_000_000
    tracemalloc.start()
    message = refused(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "压缩炸弹" in message
    assert peak < 40 * 1024 * 1024


def test_a_million_rows_are_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "million.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("项目编号,到资月份,到资金额,到资类型\n")
        fh.writelines("XM2020-0001,2020-03,1,增资\n" for _ in range(1_000_000))
    tracemalloc.start()
    with pytest.raises(ImportRefused) as exc:
        read_table(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert exc.value.summary == "文件超过每次导入 200,000 行的上限；请拆分为多个文件分批导入"
    assert peak < 80 * 1024 * 1024  # the file itself is 30 MB


def test_a_sparse_sheet_claiming_a_million_rows_is_refused_before_calamine_builds_its_grid():
    data = xlsx_bytes(ARRIVALS)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(
                    b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
                )
            zf.writestr(info, body)
    assert refused(out.getvalue()) == "表格有 1,048,576 行，超过每次导入 200,000 行的上限；请拆分为多个文件分批导入"


def test_formulas_are_refused_with_the_cell():
    data = xlsx_bytes(ARRIVALS, formula=(1, 2, "=100*2"))
    assert refused(data) == (
        "表格中单元格 C2 含有公式；公式的结果可能未计算或已过期，请先复制后“选择性粘贴为数值”，再导入"
    )


def test_formula_looking_text_in_a_csv_cell_is_stored_as_text(project, users, tmp_path):
    from zhaoshang.projects.models import FollowUp

    path = tmp_path / "f.csv"
    path.write_text(
        '项目编号,跟进日期,方式,情况摘要\nXM2020-0001,2020-05-06,电话,"=HYPERLINK(""x"")"\n'
        "XM2020-0001,2020-05-07,电话,+86 573 8888 0000\nXM2020-0001,2020-05-08,电话,- 已回访\n",
        encoding="utf-8",
    )
    assert load_file("followups", path, actor=users["admin"]).count("新增") == 3
    assert list(FollowUp.objects.order_by("on").values_list("summary", flat=True)) == [
        '=HYPERLINK("x")',
        "+86 573 8888 0000",
        "- 已回访",
    ]


def test_csv_cells_that_would_start_a_formula_get_an_apostrophe():
    from zhaoshang.common.exporter import safe_text

    assert [safe_text(v) for v in ("=1+1", "@SUM(1)", "+86 573", "- 已回访", "-12.3", "+5", "44.4", None, "嘉善")] == [
        "'=1+1",
        "'@SUM(1)",
        "'+86 573",
        "'- 已回访",
        "-12.3",
        "+5",
        "44.4",
        "",
        "嘉善",
    ]


def test_merged_header_cells_are_refused_but_a_merged_title_row_is_skipped(project, users):
    merged_header = xlsx_bytes(
        [["项目编号", None, "到资金额", "到资类型"], ["XM2020-0001", "2020-03", 100, "增资"]], merge="A1:B1"
    )
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", merged_header, actor=users["admin"])
    assert exc.value.summary == "表头第1行的 A1:B1 是合并单元格；请取消合并，让每一列都有自己的表头"
    titled = xlsx_bytes([["2020年3月到资情况表", None, None, None], *ARRIVALS], merge="A1:D1")
    table = read_table(titled)
    assert table.rows[1] == ARRIVALS[0]


def test_an_empty_sheet_and_a_header_only_sheet(users):
    assert refused(xlsx_bytes([])) == "工作表“数据”是空的：没有表头，也没有数据"
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", xlsx_bytes(ARRIVALS[:1]), actor=users["admin"])
    assert exc.value.summary == "文件中只有表头，没有数据行"
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", xlsx_bytes([["名称", "金额"], ["x", 1]]), actor=users["admin"])
    assert exc.value.summary.startswith("表头缺少必需的列：到资月份；文件的表头为：名称、金额")


def test_nothing_changes_when_a_hostile_file_is_refused(project, users):
    before = (CapitalArrival.objects.count(), Industry.objects.count())
    for data in (b"%PDF-1.4", xlsx_bytes(ARRIVALS)[:500], xlsx_bytes([])):
        with pytest.raises(ImportRefused):
            load_file("arrivals", data, actor=users["admin"])
    assert (CapitalArrival.objects.count(), Industry.objects.count()) == before


# ---------------------------------------------------------------- fuzzing the readers

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID = xlsx_bytes(ARRIVALS)


def read_or_refuse(data: bytes) -> None:
    try:
        table = reader.read_table(data)
    except ImportRefused as exc:
        summary = exc.summary
    else:
        assert isinstance(table.rows, list)
        return
    assert summary


@FUZZ
@given(st.binary(max_size=4096))
def test_fuzz_random_bytes(data):
    read_or_refuse(data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_fuzz_corrupted_xlsx(edits):
    data = bytearray(VALID)
    for pos, byte in edits:
        data[pos] = byte
    read_or_refuse(bytes(data))


@FUZZ
@given(st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b))
def test_fuzz_zip_headers(data):
    read_or_refuse(data)


@FUZZ
@given(st.text(max_size=2000))
def test_fuzz_csv_text(text):
    for encoding in ("utf-8", "gb18030"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        read_or_refuse(data)


@FUZZ
@given(st.one_of(st.text(max_size=40), st.floats(), st.integers(), st.dates(), st.booleans(), st.none()))
def test_fuzz_cell_parsers(value):
    for parse in (parse_decimal, parse_date, parse_month, lambda v: parse_money(v, None)):
        try:
            result = parse(value)
        except CellError:
            continue
        assert result is not None
    parse_unit(str(value))


def test_parsers_on_known_values():
    assert parse_month("2020年9月") == parse_month("2020-09") == parse_month(date(2020, 9, 17)) == date(2020, 9, 1)
    assert parse_date("2020/9/5") == parse_date("2020年9月5日") == parse_date("20200905") == date(2020, 9, 5)
    with pytest.raises(CellError, match="不是存在的日期"):
        parse_date("2020-02-30")


@pytest.mark.parametrize(
    ("header", "key", "scale", "currency"),
    [
        ("实际使用外资（万美元）", "实际使用外资", 10_000, "USD"),
        ("* 到资金额(亿美元)", "到资金额", 100_000_000, "USD"),
        ("到资金额（美元）", "到资金额", 1, "USD"),
        ("金额/万美元", "金额", 10_000, "USD"),
        ("营业收入（百万美元）", "营业收入", 1_000_000, "USD"),
        ("Revenues ($M)", "revenues", 1_000_000, "USD"),
        ("总投资【万元】", "总投资", 10_000, "CNY"),
        ("合同外资（万欧元）", "合同外资", 10_000, "EUR"),
    ],
)
def test_header_variants_and_units(header, key, scale, currency):
    from zhaoshang.imports.fields import normalise_header

    name, unit_text = normalise_header(header)
    unit = parse_unit(unit_text)
    assert (name, unit.scale if unit else None, unit.currency if unit else None) == (key, scale, currency)
    amount, cur = parse_money("1.5", unit)
    assert (amount, cur) == (Decimal("1.5") * scale, currency)
