"""The bulletin as a .docx laid out per GB/T 9704-2012 (党政机关公文格式), with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters;
title 二号 (22 pt) 方正小标宋简体; body 三号 (16 pt) 仿宋_GB2312; headings 一、 黑体,
（一） 楷体_GB2312, 1. and （1） 仿宋_GB2312; page numbers "- 1 -" in 四号 (14 pt) 宋体, right on odd pages and left
on even pages, one character in from the edge. Chinese font names go in w:eastAsia (rFonts), which is where Word
and WPS look for them; the users' machines have these fonts.

22 lines: the section's line grid (w:docGrid type "lines", pitch 28.95 pt) and fixed 28.95 pt line spacing fill the
225 mm text block. 28 characters: body text is condensed by 0.25 pt (w:spacing −5 twips), so 28 characters of
15.75 pt fill the 156 mm line in Word, WPS and LibreOffice alike. A character grid (type "linesAndChars" with
charSpace −848, which is what Word writes for "28 characters per line") gives the same page in Word, but LibreOffice
snaps every character whose glyph is wider than the grid pitch (16 pt > 15.79 pt) to two cells, printing 14
characters a line; the line grid with condensed text reads the same everywhere.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .content import Heading, Image, Outline, Para, TableBlock

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT, TITLE_PT = "方正小标宋简体", 22  # 二号
BODY_FONT, BODY_PT = "仿宋_GB2312", 16  # 三号
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
PAGE_NUMBER_FONT, PAGE_NUMBER_PT = "宋体", 14  # 四号
TABLE_FONT, TABLE_PT = "仿宋_GB2312", 10.5  # 五号: a nine-column table does not fit in 三号
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH_PT = 28.95  # 22 lines in the 225 mm text block
TEXT_WIDTH_PT = (PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72  # 442.2 pt
# Condensing, in twentieths of a point, that makes 28 characters of 三号 fit the line: 16 − 0.25 = 15.75 pt each.
CONDENSE_TWIPS = -5

# OOXML fixes the order of a property element's children; Word refuses a file that breaks it.
PPR_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
RPR_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def set_font(run: Run, name: str, size_pt: float, *, bold: bool = False) -> None:
    """Font for every script: ascii, hAnsi and (what matters for Chinese) eastAsia."""
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:cs"), name)


def _style_font(style: object, name: str, size_pt: float) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = name
    font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _exact(paragraph: Paragraph, pt: float = LINE_PITCH_PT) -> None:
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(pt)
    pf.space_before = pf.space_after = Pt(0)


def _single(paragraph: Paragraph) -> None:
    """Single spacing off the line grid: table cells, the picture, the page number."""
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before = pf.space_after = Pt(0)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *PPR_AFTER_SNAP)


def _doc_grid(section: object) -> None:
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def _page_number(paragraph: Paragraph, *, odd: bool) -> None:
    """- PAGE - in 四号 宋体, at the outer edge (right on odd pages, left on even), one character in."""
    pf = paragraph.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        pf.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        pf.left_indent = Pt(PAGE_NUMBER_PT)
    _single(paragraph)
    set_font(paragraph.add_run("- "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text or ""
    set_font(paragraph.add_run(" -"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def new_document() -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23)  # the number sits about 7 mm below the text block
    _doc_grid(section)
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_PT)
    npf = normal.paragraph_format  # type: ignore[attr-defined]
    npf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    npf.line_spacing = Pt(LINE_PITCH_PT)
    npf.space_before = npf.space_after = Pt(0)
    condense = OxmlElement("w:spacing")
    condense.set(qn("w:val"), str(CONDENSE_TWIPS))
    normal.element.get_or_add_rPr().insert_element_before(condense, *RPR_AFTER_SPACING)  # type: ignore[attr-defined]
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    return doc


def add_title(doc: DocumentObject, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(p, 35)  # 二号 does not fit a 28.95 pt line
    set_font(p.add_run(text), TITLE_FONT, TITLE_PT)
    _exact(doc.add_paragraph())  # one empty line under the title


def add_body(doc: DocumentObject, text: str, *, lead: str = "", lead_level: int = 0, indent: bool = True) -> None:
    p = doc.add_paragraph()
    _exact(p)
    if indent:
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    if lead:
        set_font(p.add_run(lead), HEADING_FONTS.get(lead_level, BODY_FONT), BODY_PT)
    set_font(p.add_run(text), BODY_FONT, BODY_PT)


def add_heading(doc: DocumentObject, level: int, text: str) -> None:
    p = doc.add_paragraph()
    _exact(p)
    p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    p.paragraph_format.keep_with_next = True
    set_font(p.add_run(text), HEADING_FONTS[level], BODY_PT)


def add_table(doc: DocumentObject, table_block: TableBlock) -> None:
    t = table_block.table
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(cap)
    cap.paragraph_format.keep_with_next = True
    set_font(cap.add_run(t.caption), "黑体", BODY_PT)
    note = doc.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _single(note)
    set_font(note.add_run(t.unit_note), TABLE_FONT, TABLE_PT)
    rows = list(t.texts())
    table = doc.add_table(rows=1 + len(rows), cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(c.width for c in t.columns)
    usable_mm = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
    for j, col in enumerate(t.columns):
        width = Mm(usable_mm * col.width / total)
        table.columns[j].width = width
        for cell in table.columns[j].cells:
            cell.width = width
    for j, col in enumerate(t.columns):
        _cell(table.cell(0, j), col.header, bold=True)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            _cell(table.cell(i, j), text, right=t.columns[j].fmt != "text")
    _exact(doc.add_paragraph())


def _cell(cell: object, text: str, *, bold: bool = False, right: bool = False) -> None:
    p = cell.paragraphs[0]  # type: ignore[attr-defined]
    _single(p)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if bold or not right else WD_ALIGN_PARAGRAPH.RIGHT
    set_font(p.add_run(text), "黑体" if bold else TABLE_FONT, TABLE_PT)


def add_image(doc: DocumentObject, image: Image) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _single(p)  # an exact line height would crop the picture
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(image.png), width=Mm(150))
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(cap)
    set_font(cap.add_run(image.caption), BODY_FONT, PAGE_NUMBER_PT)


def render_docx(outline: Outline) -> bytes:
    doc = new_document()
    add_title(doc, outline.title)
    if outline.addressee:
        add_body(doc, outline.addressee, indent=False)
    for block in outline.blocks:
        if isinstance(block, Heading):
            add_heading(doc, block.level, block.text)
        elif isinstance(block, Para):
            add_body(doc, block.text, lead=block.lead, lead_level=block.lead_level)
        elif isinstance(block, TableBlock):
            add_table(doc, block)
        else:
            add_image(doc, block)
    _exact(doc.add_paragraph())
    for text in (outline.issuer, outline.dated):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_PT * 4)  # 成文日期右空四字
        _exact(p)
        set_font(p.add_run(text), BODY_FONT, BODY_PT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
