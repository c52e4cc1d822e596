"""Files built to crash the reader: refused by the pre-scan, and if one slips past it, read in a limited child
process whose death is reported as 「文件无法安全读取」 while this process goes on answering."""

from __future__ import annotations

import io
import resource
import zipfile
from typing import Any

import pytest

from zhaoshang.imports import reader
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.isolation import ReadLimits, read_isolated
from zhaoshang.imports.kinds import load_file
from zhaoshang.projects.models import CapitalArrival

from .helpers import ods_bytes, xlsx_bytes

ARRIVALS: list[list[Any]] = [["项目编号", "到资月份", "到资金额", "到资类型"], ["XM2020-0001", "2020-03", 100, "增资"]]
FAR_CELL = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def rebuilt(data: bytes, edit: Any) -> bytes:
    """The package with each member passed through edit(name, body) -> [(name, body), ...]."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            for name, body in edit(info.filename, src.read(info)):
                zf.writestr(name, body)
    return out.getvalue()


def sheet_stored_elsewhere(extra: bytes = b"", formula: bool = False) -> bytes:
    """A workbook whose relationships point its one sheet at /xl/s/sheet1.xml, outside xl/worksheets/."""

    def edit(name: str, body: bytes) -> list[tuple[str, bytes]]:
        if name == "xl/worksheets/sheet1.xml":
            if formula:
                body = body.replace(b"<v>100</v>", b"<f>100*2</f><v>200</v>")
            return [("xl/s/sheet1.xml", body.replace(b"</sheetData>", extra + b"</sheetData>"))]
        if name == "xl/_rels/workbook.xml.rels":
            return [(name, body.replace(b'Target="worksheets/sheet1.xml"', b'Target="/xl/s/sheet1.xml"'))]
        if name == "[Content_Types].xml":
            return [(name, body.replace(b"/xl/worksheets/sheet1.xml", b"/xl/s/sheet1.xml"))]
        return [(name, body)]

    data = rebuilt(xlsx_bytes(ARRIVALS), edit)
    assert b"xl/worksheets/" not in data
    return data


def refused_by_prescan(data: bytes, fmt: str) -> str:
    with pytest.raises(ImportRefused) as exc:
        reader.check_zip(data, fmt)
    return exc.value.summary


def test_the_moved_sheet_is_a_sheet_calamine_reads():
    # The attack only works because readers follow the relationship: the plain moved file reads fine.
    assert read_isolated(sheet_stored_elsewhere()).rows == ARRIVALS


def test_a_far_cell_in_a_sheet_stored_outside_xl_worksheets_is_refused():
    data = sheet_stored_elsewhere(FAR_CELL)
    assert len(data) < 6000
    assert refused_by_prescan(data, "xlsx") == (
        "表格有 1,048,576 行，超过每次导入 200,000 行的上限；请拆分为多个文件分批导入"
    )


def test_a_formula_in_a_sheet_stored_elsewhere_is_refused_with_its_cell():
    assert refused_by_prescan(sheet_stored_elsewhere(formula=True), "xlsx") == (
        "表格中单元格 C2 含有公式；公式的结果可能未计算或已过期，请先复制后“选择性粘贴为数值”，再导入"
    )


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        (b"<row r='2'><c r='XFD2'><v>1</v></c></row>", "表格有 16384 列，超过 200 列的上限；请只保留模板中的列"),
        (b'<row r="2"><c\nr = "A900000"><v>1</v></c></row>', "表格有 900,000 行"),
        (b'<row r="3" spans="1:16384"></row>', "表格有 16384 列"),
    ],
)
def test_cell_references_in_any_spelling_are_checked(snippet, message):
    data = rebuilt(
        xlsx_bytes(ARRIVALS),
        lambda name, body: [(name, body.replace(b"</sheetData>", snippet + b"</sheetData>"))],
    )
    assert refused_by_prescan(data, "xlsx").startswith(message)


def test_an_absurd_dimension_is_refused():
    def edit(name: str, body: bytes) -> list[tuple[str, bytes]]:
        if name == "xl/worksheets/sheet1.xml":
            body = body.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:XFD1048576"/>')
            assert b"XFD1048576" in body
        return [(name, body)]

    assert refused_by_prescan(rebuilt(xlsx_bytes(ARRIVALS), edit), "xlsx").startswith("表格有 1,048,576 行")


def repeat_bomb(rows: int, cols: int) -> bytes:
    data = ods_bytes([["项目编号", "到资月份"], ["x", "y"]])

    def edit(name: str, body: bytes) -> list[tuple[str, bytes]]:
        if name == "content.xml":
            bomb = (
                f'<table:table-row table:number-rows-repeated="{rows}">'
                f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="string">'
                "<text:p>x</text:p></table:table-cell></table:table-row>"
            ).encode()
            body = body.replace(b"</table:table>", bomb + b"</table:table>")
        return [(name, body)]

    return rebuilt(data, edit)


def test_an_ods_repeat_bomb_is_refused_before_calamine():
    data = repeat_bomb(1_000_000, 1024)
    assert len(data) < 1024
    assert refused_by_prescan(data, "ods") == (
        "表格有 1,000,002 行，超过每次导入 200,000 行的上限；请拆分为多个文件分批导入"
    )
    wide = refused_by_prescan(repeat_bomb(10, 16384), "ods")
    assert wide == "表格有 16,384 列，超过 200 列的上限；请只保留模板中的列"


def test_trailing_empty_repeats_as_libreoffice_writes_them_are_read():
    data = ods_bytes(ARRIVALS)

    def edit(name: str, body: bytes) -> list[tuple[str, bytes]]:
        if name == "content.xml":
            tail = (
                b'<table:table-row table:number-rows-repeated="1048574">'
                b'<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
            )
            body = body.replace(b"</table:table>", tail + b"</table:table>")
        return [(name, body)]

    assert read_isolated(rebuilt(data, edit)).rows == ARRIVALS


def test_a_hostile_file_past_the_prescan_ends_only_the_child():
    # With the pre-scan switched off, calamine asks for 512 GB: the child dies under its limit, we do not.
    data = sheet_stored_elsewhere(FAR_CELL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with pytest.raises(ImportRefused) as exc:
        read_isolated(data, "arrivals", ReadLimits(memory_bytes=512 * 1024 * 1024, prescan=False))
    assert exc.value.summary.startswith("文件无法安全读取：读取时超过 512 MB 的内存上限或读取程序异常退出")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 512 * 1024 or peak_kb == before


def test_the_time_limit_ends_the_child():
    with pytest.raises(ImportRefused) as exc:
        read_isolated(xlsx_bytes(ARRIVALS), "arrivals", ReadLimits(seconds=0.05))
    assert exc.value.summary.startswith("文件无法安全读取：读取超过")


@pytest.mark.django_db
def test_the_page_refuses_the_hostile_files_and_keeps_answering(client, users):
    client.force_login(users["admin"])
    before = CapitalArrival.objects.count()
    for name, data in (("a.xlsx", sheet_stored_elsewhere(FAR_CELL)), ("b.ods", repeat_bomb(1_000_000, 1024))):
        response = client.post("/imports/", {"kind": "arrivals", "file": _upload(name, data)}, follow=False)
        assert response.status_code == 400
        assert "行，超过每次导入 200,000 行的上限" in response.content.decode()
    assert client.get("/imports/").status_code == 200
    assert CapitalArrival.objects.count() == before


def test_the_command_says_unsafe_and_exits_1(tmp_path, settings, capsys, users):
    from zhaoshang.cli import main

    settings.IMPORT_READ_MEMORY_BYTES = 16 * 1024 * 1024  # too little for calamine to load: the child dies
    path = tmp_path / "arrivals.xlsx"
    path.write_bytes(xlsx_bytes(ARRIVALS))
    assert main(["import", "arrivals", str(path), "--user", "admin"]) == 1
    assert "文件无法安全读取" in capsys.readouterr().err


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_load_file_reads_in_the_child(users, db):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", sheet_stored_elsewhere(formula=True), actor=users["admin"])
    assert "含有公式" in exc.value.summary


@pytest.mark.django_db
def test_the_page_says_unsafe_when_the_child_dies(client, users, settings):
    settings.IMPORT_READ_MEMORY_BYTES = 16 * 1024 * 1024
    client.force_login(users["admin"])
    response = client.post("/imports/", {"kind": "arrivals", "file": _upload("a.xlsx", xlsx_bytes(ARRIVALS))})
    assert response.status_code == 400
    assert "文件无法安全读取" in response.content.decode()
    assert client.get("/imports/").status_code == 200
