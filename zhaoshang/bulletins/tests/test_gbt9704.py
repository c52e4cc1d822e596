"""The whole 公文 read back from the .docx: 版头, 主送, 附件说明, 署名 and 成文日期, 版记; a draft and an issued one.

Each test reads what Word would read (python-docx on the saved file); the page tests read LibreOffice's PDF page by
page (pdftotext -f N -l N). The README's reviewer's checklist lists what these tests check.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhaoshang.bulletins.models import Bulletin, DocumentSettings
from zhaoshang.bulletins.services import bulletin_build, bulletin_issue
from zhaoshang.bulletins.tests.test_document import SOFFICE, convert_to_pdf
from zhaoshang.projects import services as ps

TITLE = "关于2020年1-3月全市利用外资工作情况的通报"


@pytest.fixture
def signed(project, users, as_of):
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 3, 1), amount=Decimal("5000000"), kind="paid_in", actor=users["staff"]
    )
    return project


def read(docx: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(docx))


def texts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs]


def index_of(doc, text: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith(text))


def border(paragraph, side: str) -> dict[str, str] | None:  # type: ignore[no-untyped-def]
    bdr = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
    line = bdr.find(qn(f"w:{side}")) if bdr is not None else None
    if line is None:
        return None
    return {k: line.get(qn(f"w:{k}")) for k in ("val", "sz", "color")}


@pytest.fixture
def issued(signed, users) -> Bulletin:
    return bulletin_issue(month=date(2020, 3, 1), actor=users["admin"])


@pytest.mark.django_db
def test_the_masthead_number_and_red_line(issued):
    doc = read(bytes(issued.docx))
    mark = doc.paragraphs[0]
    assert mark.text == "嘉兴市商务局文件"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = mark.runs[0]
    assert str(run.font.color.rgb) == "FF0000"  # red
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert round(mark.paragraph_format.space_before.mm) == 35
    i = index_of(doc, "嘉商务〔2020〕1号")
    number = doc.paragraphs[i]
    assert i == 3
    assert texts(doc)[1:3] == ["", ""]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert border(number, "bottom") == {"val": "single", "sz": "12", "color": "FF0000"}  # the red separator
    assert index_of(doc, TITLE) == i + 2  # one empty line, then the title


@pytest.mark.django_db
def test_order_of_the_body_attachment_note_issuer_and_date(issued):
    doc = read(bytes(issued.docx))
    t = index_of(doc, TITLE)
    addressee = index_of(doc, "各县（市、区）人民政府")
    opening = index_of(doc, "现将2020年1-3月全市利用外资工作情况通报如下")
    note = index_of(doc, "附件：")
    issuer = max(i for i, p in enumerate(doc.paragraphs) if p.text == "嘉兴市商务局")
    issued_on = index_of(doc, "2020年12月31日")  # the issue date (the test clock's today), not the data cut-off
    assert t < addressee < opening < note < issuer < issued_on
    assert doc.paragraphs[addressee].paragraph_format.first_line_indent is None  # 主送 flush left
    assert doc.paragraphs[note].text == "附件：2020年1-3月利用外资工作情况附表（电子表格）"
    assert doc.paragraphs[note].paragraph_format.first_line_indent == Pt(32)  # 左空二字
    assert texts(doc)[note - 1] == ""  # 下空一行
    assert texts(doc)[note + 1 : issuer] == ["", ""]  # room for the seal above the issuer
    dated = doc.paragraphs[issued_on]
    assert dated.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert dated.paragraph_format.right_indent == Pt(64)
    # The issuer centred over the date: 11 characters of date, 6 of name → 2.5 characters further in.
    assert doc.paragraphs[issuer].paragraph_format.right_indent == Pt(16 * 6.5)
    # Kept together: the last two body paragraphs, the note and the signature run on with the date.
    body_end = [i for i in range(note) if texts(doc)[i]][-2:]
    for i in [*body_end, *range(note, issued_on)]:
        assert doc.paragraphs[i].paragraph_format.keep_with_next is True, texts(doc)[i]
    assert "数据截至2020年3月31日" in doc.paragraphs[opening].text
    assert "草稿" not in "".join(p.text for p in doc.sections[0].header.paragraphs)


@pytest.mark.django_db
def test_the_record_on_an_even_page_between_its_lines(issued):
    doc = read(bytes(issued.docx))
    record = doc.sections[-1]
    assert len(doc.sections) == 2
    assert record.start_type == WD_SECTION.EVEN_PAGE
    assert record._sectPr.find(qn("w:vAlign")).get(qn("w:val")) == "bottom"
    assert all(p.text == "" for p in record.footer.paragraphs + record.even_page_footer.paragraphs)  # no number
    cc = doc.paragraphs[index_of(doc, "抄送：")]
    printed = doc.paragraphs[index_of(doc, "嘉兴市商务局办公室")]
    assert cc.text == "抄送：市委办公室，市人大常委会办公室，市政府办公室，市政协办公室。"
    assert printed.text == "嘉兴市商务局办公室\t2020年12月31日印发"
    assert index_of(doc, "抄送：") < index_of(doc, "嘉兴市商务局办公室") == len(doc.paragraphs) - 1
    assert border(cc, "top") == {"val": "single", "sz": "8", "color": "000000"}  # first line, thick
    assert border(cc, "bottom") == {"val": "single", "sz": "6", "color": "000000"}  # between, thin
    assert border(printed, "bottom") == {"val": "single", "sz": "8", "color": "000000"}  # last line, thick
    assert {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in cc.runs + printed.runs} == {"仿宋_GB2312"}
    assert {r.font.size for r in cc.runs + printed.runs} == {Pt(14)}


@pytest.mark.django_db
def test_a_draft_is_marked_carries_its_number_and_no_date(signed):
    doc = read(bulletin_build(month=date(2020, 3, 1)).docx)
    header = doc.sections[0].header.paragraphs[0]
    assert header.text == "草稿"
    assert doc.sections[0].even_page_header.paragraphs[0].text == "草稿"
    assert "嘉商务〔2020〕1号" in texts(doc)  # the number it would receive
    body = "\n".join(texts(doc))
    assert "年12月31日" not in body
    assert "印发" not in body
    assert "嘉兴市商务局办公室" in texts(doc)
    assert "嘉兴市商务局" in texts(doc)
    assert "数据截至2020年3月31日" in body


@pytest.mark.django_db
def test_the_settings_change_the_masthead_number_and_record(signed, users):
    from zhaoshang.common.audit import save_with_audit

    layout = DocumentSettings.current()
    layout.masthead, layout.number_pattern = "嘉兴市利用外资工作通报", "第{number}期"
    layout.copy_to, layout.addressee = "", "各县（市、区）商务主管部门"
    save_with_audit(layout, actor=users["admin"], reason="改为简报式")
    doc = read(bulletin_build(month=date(2020, 3, 1)).docx)
    assert texts(doc)[0] == "嘉兴市利用外资工作通报"
    assert "第1期" in texts(doc)
    assert "各县（市、区）商务主管部门：" in texts(doc)
    assert not any(t.startswith("抄送") for t in texts(doc))
    assert layout.history.count() == 1  # audited


@pytest.mark.django_db
def test_a_pattern_without_the_number_is_refused():
    from django.core.exceptions import ValidationError

    layout = DocumentSettings(number_pattern="嘉商务〔{year}〕号")
    with pytest.raises(ValidationError, match="没有"):
        layout.full_clean()


# ---------------------------------------------------------------------------------------------- pages (LibreOffice)


def pdf_pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    n = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    pages = []
    for i in range(1, n + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages.append("".join(out.split()))
    return pages


def signature_page_check(pages: list[str], issuer: str, dated: str) -> int:
    """The page holding the issuer and the date also holds body text (at least two lines' worth); returns it."""
    signed = [i for i, p in enumerate(pages) if issuer + dated in p]
    assert len(signed) == 1, "issuer and date not found together on one page"
    page = pages[signed[0]]
    before = page.split(issuer + dated)[0]
    body = before.replace("附件：", "").replace(issuer, "")
    assert len(body) >= 30, f"the signature stands (almost) alone on page {signed[0] + 1}: {page!r}"
    return signed[0]


@pytest.mark.django_db
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_in_libreoffice_the_signature_keeps_body_lines_and_the_record_is_on_an_even_page(issued, tmp_path):
    src = tmp_path / "通报.docx"
    src.write_bytes(bytes(issued.docx))
    pages = pdf_pages(convert_to_pdf(src, tmp_path))
    assert pages[0].startswith("嘉兴市商务局文件嘉商务〔2020〕1号" + TITLE)
    signature_page_check(pages, "嘉兴市商务局", "2020年12月31日")
    record = next(i for i, p in enumerate(pages) if "抄送：" in p)
    assert (record + 1) % 2 == 0
    assert record == len(pages) - 1
    assert pages[record].endswith("嘉兴市商务局办公室2020年12月31日印发")


@pytest.mark.django_db
def test_tables_repeat_their_header_keep_rows_whole_and_fit_their_columns(issued):
    doc = read(bytes(issued.docx))
    (table,) = doc.tables
    rows = table.rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page the table runs onto
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    widths = {table.cell(0, j).text: table.columns[j].width.mm for j in range(len(table.columns))}
    assert abs(sum(widths.values()) - 156) < 0.5  # the text block's width
    # 排名 in 五号 (10.5 pt = 3.7 mm a character): two characters and the cell's margins fit on one line.
    assert widths["排名"] >= 2 * 10.5 / 72 * 25.4 + 2 * 1.9
    assert not any(p.text.startswith("单位：") for p in doc.paragraphs)  # every column states its own unit


# ---------------------------------------------------------------------------------------------- preview and PDF


@pytest.mark.django_db
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_preview_page_shows_the_pages_offers_the_pdf_and_asks_to_confirm(signed, users, client):
    client.force_login(users["admin"])
    page = client.get("/bulletins/preview/", {"period": "2020-03"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('src="data:image/png;base64,') >= 3  # the draft's pages (body, then the 版记 on an even page)
    assert 'name="confirm" value="1" required' in html
    assert "签发并关账" in html
    assert "草稿（未签发）：发文字号 嘉商务〔2020〕1号，数据截至2020年3月31日" in html
    assert 'href="/bulletins/2020-03.pdf"' in html
    pdf = client.get("/bulletins/2020-03.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"
    assert not Bulletin.objects.exists()  # previewing issues nothing
    bad = client.get("/bulletins/preview/", {"period": "三月"}, follow=True).content.decode()
    assert "无法识别的通报月份“三月”" in bad


@pytest.mark.django_db
def test_without_libreoffice_the_pdf_is_refused_clearly(signed, users, client, monkeypatch):
    from zhaoshang.bulletins import preview

    monkeypatch.setattr(preview.shutil, "which", lambda name: None)
    client.force_login(users["admin"])
    response = client.get("/bulletins/2020-01.pdf")
    # The PDF is made by the preview's background job, never in the request: the download goes to that page,
    # where the job's failure is said in words.
    assert response.status_code == 302
    assert response["Location"] == "/bulletins/preview/?period=2020-01"
    page = client.get(response["Location"]).content.decode()
    assert "PDF 正在由后台任务生成" in page
    assert "服务器未安装 soffice" in page
    page = client.get("/bulletins/preview/", {"period": "2020-01"}).content.decode()
    assert "服务器未安装 soffice" in page
    assert "签发并关账" in page


@pytest.mark.django_db
def test_the_settings_are_edited_in_the_admin_with_their_history(users, client):
    client.force_login(users["admin"])
    form = {
        "masthead": "嘉兴市利用外资工作通报",
        "number_pattern": "第{number}期",
        "issuer": "嘉兴市商务局",
        "addressee": "",
        "copy_to": "市政府办公室",
        "printer": "嘉兴市商务局办公室",
    }
    assert client.get("/admin/bulletins/documentsettings/add/").status_code == 200
    refused = client.post("/admin/bulletins/documentsettings/add/", {**form, "number_pattern": "第期"})
    assert refused.status_code == 200
    assert "没有 {number}" in refused.content.decode()
    assert not DocumentSettings.objects.exists()
    assert client.post("/admin/bulletins/documentsettings/add/", form).status_code == 302
    saved = DocumentSettings.objects.get()
    assert saved.pk == 1
    assert saved.doc_number(2020, 9) == "第9期"
    assert saved.history.get().history_user == users["admin"]
    assert client.get("/admin/bulletins/documentsettings/add/").status_code == 403  # one row only


@pytest.mark.django_db
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_preview_is_made_by_a_background_job_the_page_follows(signed, users, client, settings, tmp_path):
    """With a real queue the page answers at once, says the preview is being made, and shows it once the worker
    has converted the draft; the pages are kept as files, so the site reads what the job's process wrote."""
    from django.core.management import call_command

    from zhaoshang.jobs.models import Job

    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(users["admin"])
    waiting = client.get("/bulletins/preview/", {"period": "2020-03"}).content.decode()
    assert "正在后台生成预览" in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert "data:image/png;base64," not in waiting
    job = Job.objects.get(kind="bulletins.preview")
    assert job.params == {"month": "2020-03-01"}
    again = client.get("/bulletins/preview/", {"period": "2020-03"}).content.decode()
    assert "正在后台生成预览" in again
    assert Job.objects.filter(kind="bulletins.preview").count() == 1  # a reload follows the same job
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.errors) == ("succeeded", [])
    done = client.get("/bulletins/preview/", {"period": "2020-03"}).content.decode()
    assert done.count('src="data:image/png;base64,') >= 3
    assert "正在后台生成预览" not in done
    assert list((tmp_path / "previews").glob("*/page-*.png"))
