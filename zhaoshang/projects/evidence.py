"""Evidence files (证明材料): checked by their content before anything is stored, kept through Django's storage API.

A file is accepted only when its bytes are what its name says — PDF, JPEG, PNG, OFD, or Word/Excel in their
Office Open XML form (.docx/.xlsx: a zip holding the parts of that format) — within the size limit, not encrypted,
not a zip bomb and not two formats at once (an image or a PDF with an archive or a web page inside). Its stored name
is made here (the project's code and a random name), never taken from the upload; the user's file name is kept,
cleaned, for display only. Downloads go through `evidence_open` (the right checked, the download logged) and the
view sends every file as an attachment with `nosniff` and a sandboxing Content-Security-Policy.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.permissions import can, ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.validation import refuse

from .models import (
    CapitalArrival,
    Claim,
    Evidence,
    EvidenceDownload,
    EvidenceKind,
    Project,
    ProjectStageEvent,
    Stage,
)

# Detected type → (extensions it may carry, MIME type sent back, label).
TYPES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "pdf": ((".pdf",), "application/pdf", "PDF"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg", "JPEG 图片"),
    "png": ((".png",), "image/png", "PNG 图片"),
    "ofd": ((".ofd",), "application/ofd", "OFD 版式文件"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word（.docx）"),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel（.xlsx）"),
}
ALLOWED_EXTENSIONS = {ext: kind for kind, (exts, _, _) in TYPES.items() for ext in exts}
ACCEPT_ATTR = ",".join(sorted(ALLOWED_EXTENSIONS))

# A zip's parts may expand to this much in all (bytes), and no part beyond this ratio to its compressed size.
MB = 1024 * 1024
ZIP_MAX_EXPANDED = 200 * MB
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 5000
NAME_MAX = 100


def max_bytes() -> int:
    return int(getattr(settings, "ZHAOSHANG_EVIDENCE_MAX_MB", 20)) * 1024 * 1024


@dataclass(frozen=True)
class Inspected:
    kind: str
    content_type: str
    name: str
    size: int
    sha256: str


def clean_name(raw: str) -> str:
    """The user's file name for display: refused when it carries a path, a control character or no extension."""
    name = unicodedata.normalize("NFC", str(raw or "")).strip()
    if not name:
        raise refuse("file", "文件名", None, "不能为空")
    shown = name[:60]
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise refuse("file", "文件名", shown, "含有路径（/、\\ 或 ..），请只上传文件本身")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise refuse("file", "文件名", shown.encode("unicode_escape").decode(), "含有控制字符")
    if re.search(r'[<>:"|?*]', name):
        raise refuse("file", "文件名", shown, '含有不允许的字符（< > : " | ? *）')
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        raise refuse("file", "文件名", shown, "没有扩展名")
    ext = "." + ext.lower()
    return stem[: NAME_MAX - len(ext)] + ext


def _refuse(name: str, reason: str) -> ValidationError:
    return refuse("file", "文件", name[:60], reason)


# Markup that makes a file something a browser would run or render as a page.
_MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body|!doctype)\b", re.IGNORECASE)


def _zip_check(name: str, data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(name, "不是完整的 Office/OFD 文件（压缩结构损坏）") from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise _refuse(name, f"包含的部件过多（{len(members)} 个），疑为压缩炸弹，未保存")
    expanded = 0
    for m in members:
        if m.flag_bits & 0x1:
            raise _refuse(name, "已加密（设有密码），请去除密码后再上传")
        expanded += m.file_size
        if m.file_size > 1024 * 1024 and m.file_size > ZIP_MAX_RATIO * max(m.compress_size, 1):
            raise _refuse(
                name,
                f"的部件“{m.filename[:40]}”解压后放大{m.file_size // max(m.compress_size, 1)}倍，疑为压缩炸弹，未保存",
            )
    if expanded > ZIP_MAX_EXPANDED:
        raise _refuse(
            name,
            f"解压后共 {expanded // MB} MB，超过 {ZIP_MAX_EXPANDED // MB} MB，疑为压缩炸弹，未保存",
        )
    return archive


def _zip_kind(name: str, data: bytes) -> str:
    archive = _zip_check(name, data)
    names = set(archive.namelist())
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        raise _refuse(name, "已加密（设有密码），请去除密码后再上传")
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" not in names:
        raise _refuse(name, "是压缩包，不是 Word/Excel/OFD 文件")
    with archive.open("[Content_Types].xml") as fh:
        types = fh.read(256 * 1024)
    if "word/document.xml" in names and b"wordprocessingml.document" in types:
        return "docx"
    if "xl/workbook.xml" in names and b"spreadsheetml.sheet" in types:
        return "xlsx"
    if b"macroEnabled" in types or "word/vbaProject.bin" in names or "xl/vbaProject.bin" in names:
        raise _refuse(name, "含有宏，不接受；请另存为不含宏的 .docx/.xlsx 或 PDF")
    raise _refuse(name, "是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件")


def _image_check(name: str, data: bytes, kind: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            if (img.format or "").lower() not in ({"jpeg", "mpo"} if kind == "jpeg" else {"png"}):
                raise _refuse(name, "的图片内容与格式不符")
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(name, "不是完整的图片（无法解码或尺寸异常）") from None


def sniff(name: str, data: bytes) -> str:
    """The file's real type from its content, or a refusal saying what is wrong with it."""
    if not data:
        raise _refuse(name, "为空（0 字节）")
    head = data[:8]
    if data.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head == b"\x89PNG\r\n\x1a\n":
        kind = "png"
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(name, data)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(name, "是旧版 Word/Excel（.doc/.xls）或加密的 Office 文件；请另存为 .docx/.xlsx 或 PDF 后上传")
    elif head.startswith(b"MZ") or head.startswith(b"\x7fELF") or head.startswith(b"#!"):
        raise _refuse(name, "是可执行程序，不接受")
    elif _MARKUP.search(data[:4096]) or data.lstrip()[:1] == b"<":
        raise _refuse(name, "是网页或 SVG 等标记文件，不接受")
    else:
        raise _refuse(name, "的内容不是 PDF、JPEG、PNG、OFD、Word（.docx）或 Excel（.xlsx）")
    if kind in ("pdf", "jpeg", "png"):
        # Two formats in one file (an archive or a web page hidden in an image or a PDF) are refused.
        if zipfile.is_zipfile(io.BytesIO(data)):
            raise _refuse(name, f"是{TYPES[kind][2]}，但其中还藏有压缩包（多重格式文件），不接受")
        if kind != "pdf" and _MARKUP.search(data):
            raise _refuse(name, f"是{TYPES[kind][2]}，但其中还含有网页脚本（多重格式文件），不接受")
    if kind == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise _refuse(name, "不是完整的 PDF（缺少文件结尾）")
        if re.search(rb"/Encrypt\b", data):
            raise _refuse(name, "已加密（设有密码），请去除密码后再上传")
        if _MARKUP.search(data[:1024]):
            raise _refuse(name, "是 PDF，但开头含有网页标记（多重格式文件），不接受")
    elif kind in ("jpeg", "png"):
        _image_check(name, data, kind)
    return kind


def inspect_upload(name: str, stream: IO[bytes], size: int | None = None) -> tuple[Inspected, bytes]:
    """Check an upload before anything is stored: name, size, then content against the name's extension."""
    cleaned = clean_name(name)
    ext = "." + cleaned.rsplit(".", 1)[1].lower()
    limit = max_bytes()
    if size is not None and size > limit:
        raise _refuse(cleaned, f"大小为 {size / 1024 / 1024:.1f} MB，超过上限 {limit // (1024 * 1024)} MB")
    if ext not in ALLOWED_EXTENSIONS:
        raise _refuse(cleaned, f"的类型“{ext}”不接受；可上传 PDF、JPEG、PNG、OFD、Word（.docx）、Excel（.xlsx）")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _refuse(cleaned, f"超过大小上限 {limit // (1024 * 1024)} MB")
    kind = sniff(cleaned, data)
    if ALLOWED_EXTENSIONS[ext] != kind:
        raise _refuse(cleaned, f"的内容是{TYPES[kind][2]}，与扩展名“{ext}”不符")
    return Inspected(kind, TYPES[kind][1], cleaned, len(data), hashlib.sha256(data).hexdigest()), data


# ---------------------------------------------------------------------------------------------------- services


@transaction.atomic
def evidence_upload(
    *,
    project: Project,
    kind: str,
    name: str,
    stream: IO[bytes],
    actor: Any,
    size: int | None = None,
    stage: str = "",
    arrival: CapitalArrival | None = None,
    claim: Claim | None = None,
    note: str = "",
) -> Evidence:
    """Attach a file to a project's stage (to come or reached), arrival or claim. Nothing is stored on a refusal."""
    ensure_can(actor, "evidence.upload", project.unit)
    if kind not in EvidenceKind.values:
        raise refuse("kind", "材料类型", kind, f"不存在；可选：{'、'.join(EvidenceKind.labels)}")
    if stage and (stage not in Stage.values or stage == Stage.NEGOTIATING):
        raise refuse("stage", "证明阶段", stage, "不是可证明的阶段")
    if arrival is not None and arrival.project_id != project.pk:
        raise refuse("arrival", "到资记录", f"#{arrival.pk}", f"不属于项目 {project.code}")
    if claim is not None and claim.project_id != project.pk:
        raise refuse("claim", "认定事项", f"#{claim.pk}", f"不属于项目 {project.code}")
    if claim is not None:
        arrival = arrival or claim.arrival
        if claim.stage_event is not None:
            stage = stage or claim.stage_event.stage
    if not stage and arrival is None:
        raise refuse("stage", "证明阶段", None, "请选择材料证明的阶段或到资")
    inspected, data = inspect_upload(name, stream, size)
    event = ProjectStageEvent.objects.filter(project=project, stage=stage).first() if stage else None
    evidence = Evidence(
        project=project,
        kind=kind,
        stage=stage or (Stage.ARRIVING if arrival is not None else ""),
        stage_event=event,
        arrival=arrival,
        claim=claim,
        original_name=inspected.name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        note=(note or "").strip()[:200],
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    ext = TYPES[inspected.kind][0][0]
    stored = f"{project.code}/{uuid.uuid4().hex}{ext}"
    # The storage writes the file; if the row then fails, the transaction rolls back and the file is removed.
    evidence.file.save(stored, ContentFile(data), save=False)
    try:
        save_with_audit(evidence, actor=actor, reason=f"上传证明材料：{EvidenceKind(kind).label}")
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


def evidence_link_event(event: ProjectStageEvent) -> None:
    """A stage reached takes the files uploaded for it beforehand."""
    Evidence.objects.filter(project_id=event.project_id, stage=event.stage, stage_event=None).update(stage_event=event)


def may_read(user: Any, evidence: Evidence) -> bool:
    return can(user, "evidence.read", evidence.project.unit)


@transaction.atomic
def evidence_open(*, evidence: Evidence, actor: Any) -> IO[bytes]:
    """The file to send, after the right is checked; every download is logged (who, when)."""
    if not may_read(actor, evidence):
        raise PermissionDenied("您没有权限下载该项目的证明材料")
    EvidenceDownload.objects.create(evidence=evidence, user=actor, at=timezone.now())
    return evidence.file.open("rb")


def evidence_for_claims(claims: list[Claim]) -> dict[int, list[Evidence]]:
    """The files beside each claim in the queue: attached to the claim, its arrival or its stage."""
    out: dict[int, list[Evidence]] = {c.pk: [] for c in claims}
    if not claims:
        return out
    projects = {c.project_id for c in claims}
    rows = list(Evidence.objects.filter(project_id__in=projects).order_by("uploaded_at", "id"))
    for c in claims:
        stage = c.stage_event.stage if c.stage_event_id and c.stage_event else None
        out[c.pk] = [
            e
            for e in rows
            if e.project_id == c.project_id
            and (
                e.claim_id == c.pk
                or (c.arrival_id is not None and e.arrival_id == c.arrival_id)
                or (stage is not None and e.stage == stage and e.arrival_id is None)
            )
        ]
    return out
