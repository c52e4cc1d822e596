"""Evidence files: what is accepted (by content, not by name), hostile files refused in Chinese with nothing stored,
and downloads that check the right, log it and never let the browser render or run the file."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.tests.factories import UserFactory
from zhaoshang.accounts.tests.test_permission_table import database_state
from zhaoshang.common.minipdf import one_page_pdf
from zhaoshang.common.validation import first_message
from zhaoshang.projects import evidence
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Evidence, EvidenceDownload

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buf, "JPEG")
    return buf.getvalue()


def docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("施工许可证")
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.add_worksheet().write(0, 0, "进账单")
    book.close()
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def zip_bomb_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"wordprocessingml.document")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(300):  # 300 MB of spaces, about 300 KB compressed
                member.write(block)
    return buf.getvalue()


def encrypted_docx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes())).encrypt("secret", out)
    return out.getvalue()


def stored_files() -> list[Path]:
    root = Path(settings.DATA_DIR) / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def signed(project, users):
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])


def upload(project, user, name: str, data: bytes, kind: str = "other", **kw):
    return evidence.evidence_upload(
        project=project, kind=kind, name=name, stream=io.BytesIO(data), size=len(data), stage="signed", actor=user, **kw
    )


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("合同.pdf", one_page_pdf, "application/pdf"),
        ("现场.JPG", jpeg_bytes, "image/jpeg"),
        ("现场.png", png_bytes, "image/png"),
        ("执照.ofd", ofd_bytes, "application/ofd"),
        ("说明.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("明细.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_each_accepted_type_is_stored_with_its_detected_type(signed, users, name, make, content_type):
    data = make()
    item = upload(signed, users["staff"], name, data)
    assert (item.original_name, item.content_type, item.size, item.stage) == (
        name[: name.rindex(".")] + name[name.rindex(".") :].lower(),
        content_type,
        len(data),
        "signed",
    )
    # Stored under a name of ours, beside the project's code; never the user's.
    assert item.file.name.startswith(f"{signed.code}/")
    assert name not in item.file.name
    with item.file.open("rb") as fh:
        assert fh.read() == data
    history = item.history.get()
    assert (history.history_user, history.history_change_reason) == (users["staff"], "上传证明材料：其他")


def pdf_with(extra: bytes) -> bytes:
    return one_page_pdf() + extra


HOSTILE = [
    ("0 bytes", "空.pdf", b"", "文件“空.pdf”为空（0 字节）"),
    ("renamed executable", "setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "文件“setup.pdf”是可执行程序，不接受"),
    ("ELF renamed", "run.png", b"\x7fELF" + b"\x00" * 100, "文件“run.png”是可执行程序，不接受"),
    ("wrong extension", "合同.png", one_page_pdf(), "文件“合同.png”的内容是PDF，与扩展名“.png”不符"),
    ("docx named xlsx", "表.xlsx", docx_bytes(), "文件“表.xlsx”的内容是Word（.docx），与扩展名“.xlsx”不符"),
    (
        "PNG with a zip appended",
        "图.png",
        png_bytes() + zip_bytes({"a.txt": b"x"}),
        "文件“图.png”是PNG 图片，但其中还藏有压缩包（多重格式文件），不接受",
    ),
    (
        "JPEG with a script",
        "图.jpg",
        jpeg_bytes() + b"<script>alert(1)</script>",
        "文件“图.jpg”是JPEG 图片，但其中还含有网页脚本（多重格式文件），不接受",
    ),
    (
        "PDF with a zip appended",
        "合同.pdf",
        pdf_with(zip_bytes({"evil.html": b"<html></html>"})),
        "文件“合同.pdf”是PDF，但其中还藏有压缩包（多重格式文件），不接受",
    ),
    ("PDF without an end", "半截.pdf", one_page_pdf()[:200], "文件“半截.pdf”不是完整的 PDF（缺少文件结尾）"),
    (
        "encrypted PDF",
        "加密.pdf",
        one_page_pdf().replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 6 0 R"),
        "文件“加密.pdf”已加密（设有密码），请去除密码后再上传",
    ),
    (
        "zip bomb named .docx",
        "炸弹.docx",
        zip_bomb_docx(),
        "文件“炸弹.docx”的部件“word/document.xml”解压后放大",
    ),
    (
        "encrypted docx",
        "加密.docx",
        encrypted_docx(),
        "文件“加密.docx”是旧版 Word/Excel（.doc/.xls）或加密的 Office 文件；请另存为 .docx/.xlsx 或 PDF 后上传",
    ),
    (
        "macro-enabled document named .docx",
        "宏.docx",
        zip_bytes({"[Content_Types].xml": b"macroEnabled", "word/vbaProject.bin": b"x"}),
        "文件“宏.docx”含有宏，不接受；请另存为不含宏的 .docx/.xlsx 或 PDF",
    ),
    ("plain zip named .docx", "包.docx", zip_bytes({"a.txt": b"x"}), "文件“包.docx”是压缩包，不是 Word/Excel/OFD 文件"),
    ("HTML page", "page.html", b"<html><script>alert(1)</script></html>", "文件“page.html”的类型“.html”不接受"),
    ("HTML named .pdf", "page.pdf", b"<!DOCTYPE html><p>hi", "文件“page.pdf”是网页或 SVG 等标记文件，不接受"),
    ("SVG", "logo.svg", b"<svg onload='alert(1)'/>", "文件“logo.svg”的类型“.svg”不接受"),
    ("SVG named .png", "logo.png", b"<?xml version='1.0'?><svg/>", "文件“logo.png”是网页或 SVG 等标记文件，不接受"),
    ("path traversal", "../../etc/passwd.pdf", one_page_pdf(), "文件名“../../etc/passwd.pdf”含有路径（/、\\ 或 ..），"),
    ("windows path", "..\\..\\boot.pdf", one_page_pdf(), "文件名“..\\..\\boot.pdf”含有路径"),
    ("control characters", "a\x00b.pdf", one_page_pdf(), "文件名“a\\x00b.pdf”含有控制字符"),
    ("right-to-left override", "invoice\u202efdp.exe", one_page_pdf(), "文件名“invoice\\u202efdp.exe”含有控制字符"),
    ("no extension", "README", one_page_pdf(), "文件名“README”没有扩展名"),
    ("truncated image", "坏.png", png_bytes()[:30], "文件“坏.png”不是完整的图片（无法解码或尺寸异常）"),
]


@pytest.mark.parametrize(("case", "name", "data", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_in_chinese_and_change_nothing(signed, users, case, name, data, message):
    before, files = database_state(), stored_files()
    with pytest.raises(ValidationError) as exc:
        upload(signed, users["staff"], name, data)
    assert first_message(exc.value).startswith(message)
    assert database_state() == before
    assert stored_files() == files


def test_an_oversize_file_is_refused_before_it_is_read(signed, users, settings):
    settings.ZHAOSHANG_EVIDENCE_MAX_MB = 1
    data = one_page_pdf() + b"%" + b"0" * (1536 * 1024) + b"\n%%EOF\n"
    before = database_state()
    with pytest.raises(ValidationError) as exc:
        upload(signed, users["staff"], "扫描件.pdf", data)
    assert first_message(exc.value) == "文件“扫描件.pdf”大小为 1.5 MB，超过上限 1 MB"
    # A stream that lies about its size is cut at the limit all the same.
    with pytest.raises(ValidationError) as exc:
        evidence.evidence_upload(
            project=signed, kind="other", name="扫描件.pdf", stream=io.BytesIO(data), stage="signed",
            actor=users["staff"],
        )  # fmt: skip
    assert first_message(exc.value) == "文件“扫描件.pdf”超过大小上限 1 MB"
    assert database_state() == before


def test_a_pdf_with_javascript_is_stored_but_only_ever_sent_as_an_attachment(signed, users, client):
    data = one_page_pdf().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    )
    item = upload(signed, users["staff"], "带脚本.pdf", data)
    client.force_login(users["staff"])
    response = client.get(f"/projects/{signed.code}/evidence/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"evidence-{item.pk}\"; filename*=UTF-8''%E5%B8%A6%E8%84%9A%E6%9C%AC.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'none'"
    assert response["Cache-Control"] == "private, no-store"


def test_downloads_check_the_right_and_are_logged(signed, users, client):
    item = upload(signed, users["staff"], "现场.png", png_bytes(), kind="site_photo")
    verifier = UserFactory.create(username="checker", role=Role.VERIFIER)
    url = f"/projects/{signed.code}/evidence/{item.pk}/"
    for user, status in [
        (users["staff"], 200),
        (users["admin"], 200),
        (verifier, 200),
        (users["auditor"], 200),
        (users["zone_staff"], 403),
        (users["leader"], 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert list(EvidenceDownload.objects.order_by("at", "id").values_list("user__username", flat=True)) == [
        "js",
        "admin",
        "checker",
        "audit",
    ]
    client.force_login(users["admin"])
    assert client.get(f"/projects/XM2099-0001/evidence/{item.pk}/").status_code == 404  # another project's path
    assert client.get(f"/projects/{signed.code}/evidence/999999/").status_code == 404


def test_uploads_are_unit_scoped_and_checked_before_the_file(signed, users):
    before = database_state()
    with pytest.raises(PermissionDenied, match="上传证明材料"):
        upload(signed, users["zone_staff"], "合同.pdf", one_page_pdf())
    with pytest.raises(PermissionDenied):
        upload(signed, users["leader"], "合同.pdf", one_page_pdf())
    with pytest.raises(ValidationError, match="材料类型“selfie”不存在"):
        upload(signed, users["staff"], "合同.pdf", one_page_pdf(), kind="selfie")
    assert database_state() == before
    assert not Evidence.objects.exists()


def test_evidence_follows_its_claim_arrival_and_stage_to_the_queue(signed, users):
    from zhaoshang.projects import verification
    from zhaoshang.projects.models import Claim, VerificationRule

    verification.verification_rule_set(
        item=VerificationRule.Item.ARRIVAL, requires_verification=True, actor=users["admin"]
    )
    arrival = ps.arrival_record(
        project=signed, month=date(2020, 4, 1), amount=2_000_000, kind="paid_in", actor=users["staff"]
    )
    claim = Claim.objects.get(arrival=arrival)
    receipt = evidence.evidence_upload(
        project=signed, kind="bank_receipt", name="进账单.pdf", stream=io.BytesIO(one_page_pdf()), claim=claim,
        actor=users["staff"],
    )  # fmt: skip
    other = upload(signed, users["staff"], "合同.pdf", one_page_pdf())
    assert (receipt.arrival, receipt.stage) == (arrival, "arriving")
    assert evidence.evidence_for_claims([claim]) == {claim.pk: [receipt]}
    assert other.stage == "signed"
