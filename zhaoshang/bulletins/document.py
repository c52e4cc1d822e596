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
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .blocks import Heading, Image, Outline, Para, TableBlock, attachment_note

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT, TITLE_PT = "方正小标宋简体", 22  # 二号
BODY_FONT, BODY_PT = "仿宋_GB2312", 16  # 三号
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
PAGE_NUMBER_FONT, PAGE_NUMBER_PT = "宋体", 14  # 四号
MASTHEAD_FONT, MASTHEAD_MAX_PT = "方正小标宋简体", 48
RED = "FF0000"
MASTHEAD_TOP_MM = 35  # 发文机关标志上边缘至版心上边缘
RECORD_FONT, RECORD_PT = "仿宋_GB2312", 14  # 版记: 四号
# 版记's lines: first and last 0.35 mm (about 1 pt: w:sz 8 eighths), the ones between 0.25 mm (0.75 pt: w:sz 6).
THICK_EIGHTHS, THIN_EIGHTHS = 8, 6
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


CELL_MARGIN_MM = 1.9  # Word's default left and right cell margin (0.19 cm)


def _display_em(text: str) -> float:
    """Width of a text in ems: a Chinese character one, a digit or Latin letter a little over half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def column_widths_mm(table: Any, usable_mm: float) -> list[float]:
    """Each column as wide as its longest cell (headers may wrap), at least two characters, then fitted to the text
    block: when the sum is too wide, only the text columns give way; when narrower, every column grows in proportion.
    """
    em_mm = TABLE_PT / 72 * 25.4
    rows = list(table.texts())
    need = []
    for j, col in enumerate(table.columns):
        # A header may wrap: its words before the unit, and the unit in brackets, each over up to two lines.
        parts = [part for part in col.header.replace("（", "\n（").split("\n") if part]
        header = max((_display_em(part) / 2 for part in parts), default=0)
        body = max((_display_em(r[j]) for r in rows), default=0)
        need.append(max(header, body, 2) * em_mm + 2 * CELL_MARGIN_MM + 0.5)
    total = sum(need)
    if total <= usable_mm:
        return [w * usable_mm / total for w in need]
    fixed = sum(w for w, c in zip(need, table.columns, strict=True) if c.kind != "text")
    flexible = [w for w, c in zip(need, table.columns, strict=True) if c.kind == "text"]
    room = usable_mm - fixed
    if room <= 0 or not flexible:
        return [w * usable_mm / total for w in need]
    scale = room / sum(flexible)
    return [w * scale if c.kind == "text" else w for w, c in zip(need, table.columns, strict=True)]


def _repeat_header(row: Any) -> None:
    """The header row repeats at the top of every page the table runs onto (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _keep_row_whole(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.insert(0, cant)


def add_table(doc: DocumentObject, table_block: TableBlock) -> None:
    t = table_block.table
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(cap)
    cap.paragraph_format.keep_with_next = True
    set_font(cap.add_run(t.title), "黑体", BODY_PT)
    if t.note:
        note = doc.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _single(note)
        note.paragraph_format.keep_with_next = True
        set_font(note.add_run(t.note), TABLE_FONT, TABLE_PT)
    rows = list(t.texts())
    table = doc.add_table(rows=1 + len(rows), cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    usable_mm = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
    for j, width_mm in enumerate(column_widths_mm(t, usable_mm)):
        width = Mm(width_mm)
        table.columns[j].width = width
        for cell in table.columns[j].cells:
            cell.width = width
    _repeat_header(table.rows[0])
    for row in table.rows:
        _keep_row_whole(row)
    for j, col in enumerate(t.columns):
        _cell(table.cell(0, j), col.header, bold=True)
    for i, row_texts in enumerate(rows, start=1):
        for j, text in enumerate(row_texts):
            _cell(table.cell(i, j), text, right=t.columns[j].kind != "text")
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


def _border(paragraph: Paragraph, side: str, *, color: str, eighths: int, space_pt: int = 1) -> None:
    """A line along one side of the paragraph (w:pBdr): how Word draws 9704's 分隔线 across the text block."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.insert_element_before(
            bdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
            "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
            *PPR_AFTER_SNAP,
        )  # fmt: skip
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), color)
    order = ["top", "left", "bottom", "right", "between"]
    later = [c for c in bdr if c.tag.split("}")[1] in order[order.index(side) + 1 :]]
    if later:
        later[0].addprevious(line)
    else:
        bdr.append(line)


def add_masthead(doc: DocumentObject, masthead: str, doc_number: str) -> None:
    """版头: the issuer's mark in red, centred, 35 mm below the text block's top; two lines down the 发文字号; 4 mm
    under it the red separator line as wide as the text block."""
    size = min(MASTHEAD_MAX_PT, int(TEXT_WIDTH_PT * 0.95 / max(len(masthead), 1)))
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _single(p)
    p.paragraph_format.space_before = Mm(MASTHEAD_TOP_MM)
    run = p.add_run(masthead)
    set_font(run, MASTHEAD_FONT, size)
    run.font.color.rgb = RGBColor.from_string(RED)
    for _ in range(2):
        _exact(doc.add_paragraph())
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(number)
    set_font(number.add_run(doc_number), BODY_FONT, BODY_PT)
    _border(number, "bottom", color=RED, eighths=12, space_pt=11)  # 4 mm ≈ 11 pt under the number
    _exact(doc.add_paragraph())


def add_draft_mark(doc: DocumentObject) -> None:
    """「草稿」 at the top right of every page of an unissued bulletin (header, odd and even pages)."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _single(p)
        set_font(p.add_run("草稿"), "黑体", BODY_PT, bold=True)


def add_closing(doc: DocumentObject, outline: Outline) -> None:
    """附件说明, then 发文机关署名 centred over 成文日期 (右空四字), room above them for the seal.

    Kept together with the last two paragraphs of the body (keep with next), so the signature never stands alone on a
    page. The seal (about 42 mm) sits over issuer and date, its top within a line of the text above.
    """
    last_body = [p for p in doc.paragraphs if p.text.strip()][-2:]
    for p in last_body:
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.widow_control = True
    chain: list[Paragraph] = []
    note = attachment_note(outline.attachments)
    if note:
        chain.append(_blank(doc))
        head, *rest = note.split("\n")
        p = doc.add_paragraph()
        _exact(p)
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        set_font(p.add_run(head), BODY_FONT, BODY_PT)
        chain.append(p)
        for line in rest:  # 2．… aligned under the first name
            q = doc.add_paragraph()
            _exact(q)
            q.paragraph_format.left_indent = Pt(BODY_PT * 5)
            set_font(q.add_run(line), BODY_FONT, BODY_PT)
            chain.append(q)
    chain += [_blank(doc), _blank(doc)]  # the seal's upper half
    date_chars = len(outline.dated) if outline.dated else len("2020年10月10日")
    shift = max(date_chars - len(outline.issuer), 0) / 2
    issuer = doc.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    issuer.paragraph_format.right_indent = Pt(BODY_PT * (4 + shift))
    _exact(issuer)
    set_font(issuer.add_run(outline.issuer), BODY_FONT, BODY_PT)
    chain.append(issuer)
    if outline.dated:
        dated = doc.add_paragraph()
        dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        dated.paragraph_format.right_indent = Pt(BODY_PT * 4)  # 成文日期右空四字
        _exact(dated)
        set_font(dated.add_run(outline.dated), BODY_FONT, BODY_PT)
        chain.append(dated)
    for p in chain[:-1]:
        p.paragraph_format.keep_with_next = True


def _blank(doc: DocumentObject) -> Paragraph:
    p = doc.add_paragraph()
    _exact(p)
    return p


def add_record(doc: DocumentObject, outline: Outline) -> None:
    """版记 on an even page (the back of the last sheet), at the foot of the text block, without a page number:
    抄送 between the thick first line and a thin line, then 印发机关 (left, one character in) and 印发日期 (right, one
    character in), closed by the thick last line."""
    section = doc.add_section(WD_SECTION.EVEN_PAGE)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for p in footer.paragraphs:
            for r in list(p.runs):
                r._element.getparent().remove(r._element)
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "bottom")
    sect_pr = section._sectPr
    sect_pr.insert_element_before(
        valign, "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
        "w:printerSettings", "w:sectPrChange",
    )  # fmt: skip
    paragraphs = []
    if outline.copy_to:
        cc = doc.add_paragraph()
        _exact(cc)
        pf = cc.paragraph_format
        pf.left_indent = Pt(RECORD_PT * 4)  # a wrapped line starts under the first name, after "抄送："
        pf.first_line_indent = Pt(-RECORD_PT * 3)
        pf.right_indent = Pt(RECORD_PT)
        set_font(cc.add_run(f"抄送：{outline.copy_to}。"), RECORD_FONT, RECORD_PT)
        paragraphs.append(cc)
    printed = doc.add_paragraph()
    _exact(printed)
    pf = printed.paragraph_format
    pf.left_indent = pf.right_indent = Pt(RECORD_PT)
    pf.tab_stops.add_tab_stop(Pt(TEXT_WIDTH_PT - RECORD_PT), WD_TAB_ALIGNMENT.RIGHT)
    text = f"{outline.printer}\t{outline.printed}印发" if outline.printed else outline.printer
    set_font(printed.add_run(text), RECORD_FONT, RECORD_PT)
    paragraphs.append(printed)
    _border(paragraphs[0], "top", color="000000", eighths=THICK_EIGHTHS)
    if len(paragraphs) > 1:
        _border(paragraphs[0], "bottom", color="000000", eighths=THIN_EIGHTHS)
    _border(printed, "bottom", color="000000", eighths=THICK_EIGHTHS)
    for p in paragraphs[:-1]:
        p.paragraph_format.keep_with_next = True


def render_docx(outline: Outline) -> bytes:
    doc = new_document()
    if outline.draft:
        add_draft_mark(doc)
    if outline.masthead:
        add_masthead(doc, outline.masthead, outline.doc_number)
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
    add_closing(doc, outline)
    if outline.printer or outline.copy_to:
        add_record(doc, outline)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
