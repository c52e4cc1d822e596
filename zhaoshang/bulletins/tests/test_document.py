"""The .docx read back from its XML: GB/T 9704 page, margins, fonts, sizes, line grid, page numbers; and LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from zhaoshang.bulletins import document
from zhaoshang.bulletins.services import bulletin_build
from zhaoshang.projects import services as ps

SOFFICE = shutil.which("soffice")


@pytest.fixture
def docx_bytes(project, users) -> bytes:
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 3, 1), amount=Decimal("5000000"), kind="paid_in", actor=users["staff"]
    )
    return bulletin_build(month=date(2020, 9, 1)).docx


def east_asian(run) -> str | None:
    rfonts = run._element.rPr.rFonts
    return rfonts.get(qn("w:eastAsia"))


def runs_with(doc, text: str):
    return [r for p in doc.paragraphs for r in p.runs if text in r.text]


def test_the_arithmetic_of_22_lines_of_28_characters():
    # 297 − 37 − 35 = 225 mm of text block at 28.95 pt a line; 210 − 28 − 26 = 156 mm at 15.75 pt a character.
    assert int((225 / 25.4 * 72) // document.LINE_PITCH_PT) == 22
    assert round(document.TEXT_WIDTH_PT, 1) == 442.2
    assert int(document.TEXT_WIDTH_PT // (16 + document.CONDENSE_TWIPS / 20)) == 28
    assert int(document.TEXT_WIDTH_PT // 16) == 27  # without condensing, one character short


@pytest.mark.django_db
def test_page_margins_grid_and_body_style(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    s = doc.sections[0]
    # Word keeps lengths in twentieths of a point: A4 is 11906 × 16838, 37 mm is 2098, and so on.
    size = s._sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    lengths = (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert None not in lengths
    page_w, page_h, *margins = [round(m.mm, 1) for m in lengths if m is not None]
    assert (page_w, page_h) == (210.0, 297.0)
    assert margins == [37.0, 35.0, 28.0, 26.0]
    grid = s._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")  # 28.95 pt × 20
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28.95)


@pytest.mark.django_db
def test_title_headings_and_body_fonts(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    title = next(p for p in doc.paragraphs if p.text.startswith("关于"))
    assert title.text == "关于2020年1-9月全市利用外资工作情况的通报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (east_asian(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    (h1,) = runs_with(doc, "一、总体情况")
    assert (east_asian(h1), h1.font.size) == ("黑体", Pt(16))
    (body,) = runs_with(doc, "全市实际使用外资0.05亿美元")
    assert (east_asian(body), body.font.size) == ("仿宋_GB2312", Pt(16))
    first_body = next(p for p in doc.paragraphs if p.text.startswith("2020年1-9月"))
    assert first_body.paragraph_format.first_line_indent == Pt(32)  # two characters
    # 1. items are 仿宋 (the lead) — the notable projects list has none here, the corrections none: check the map.
    assert document.HEADING_FONTS == {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
    tables = doc.tables
    assert len(tables) == 1
    assert tables[0].cell(0, 0).text == "单位"
    assert tables[0].cell(0, 1).text == "实际使用外资（万美元）"
    assert doc.inline_shapes
    assert len(doc.inline_shapes) == 2


@pytest.mark.django_db
def test_page_numbers_odd_right_even_left_in_14pt_songti(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    assert doc.settings.odd_and_even_pages_header_footer is True
    s = doc.sections[0]
    odd, even = s.footer.paragraphs[0], s.even_page_footer.paragraphs[0]
    for p, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        assert p.alignment == align
        assert p.text.replace(" PAGE ", "") in {"- 1 -"}
        xml = p._p.xml
        assert 'w:fldCharType="begin"' in xml
        assert "PAGE" in xml
        assert {east_asian(r) for r in p.runs} == {"宋体"}
        assert {r.font.size for r in p.runs} == {Pt(14)}
    assert odd.paragraph_format.right_indent == Pt(14)
    assert even.paragraph_format.left_indent == Pt(14)


@pytest.mark.django_db
@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: ./run installs libreoffice-writer-nogui"
)
def test_libreoffice_opens_it_and_makes_an_a4_pdf(docx_bytes, tmp_path: Path):
    src = tmp_path / "通报.docx"
    src.write_bytes(docx_bytes)
    pdf = convert_to_pdf(src, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.3" in info
    assert "841.89" in info
    assert "关于2020年1-9月全市利用外资工作情况的通报" in pdf_text(pdf)


def convert_to_pdf(src: Path, out: Path) -> Path:
    assert SOFFICE is not None
    profile = out / "lo-profile"  # a profile of its own, so parallel runs do not collide
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out),
         str(src)],
        check=True,
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    pdf = out / (src.stem + ".pdf")
    assert pdf.exists(), "LibreOffice produced no PDF"
    return pdf


def pdf_text(pdf: Path) -> str:
    """The PDF's text with layout whitespace removed (lines break inside sentences)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())
