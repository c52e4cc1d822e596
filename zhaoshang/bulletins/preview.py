"""The bulletin as the printer sees it: its .docx converted to PDF by LibreOffice (headless), each page as a PNG.

LibreOffice starts slowly (seconds), so the page asks for a preview as a background job (`bulletins.preview`) and
the result is kept as files under the data directory, by the hash of the .docx it was made from: the job's process
and the site read the same files, and the same draft is converted once. Each conversion runs with a profile
directory of its own, so two at once do not collide.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

CONVERT_TIMEOUT_S = 180
PAGE_DPI = 60  # a page of A4 about 500 px wide: enough to check the layout, small enough for the page


class PreviewUnavailable(RuntimeError):
    """LibreOffice or poppler is missing, or the conversion failed: the message says which, in Chinese."""


@dataclass
class Preview:
    pdf: bytes
    pages: list[bytes] = field(default_factory=list)  # PNG, one a page
    seconds: float = 0.0

    def page_data_uris(self) -> list[str]:
        return ["data:image/png;base64," + base64.b64encode(p).decode() for p in self.pages]


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PreviewUnavailable(
            f"服务器未安装 {name}（Debian 软件包 {package}），无法生成 PDF 和预览；./run setup 会安装"
        )
    return path


def docx_to_pdf(docx: bytes) -> bytes:
    soffice = _tool("soffice", "libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="bulletin-pdf-") as tmp:
        root = Path(tmp)
        src = root / "bulletin.docx"
        src.write_bytes(docx)
        args = [soffice, f"-env:UserInstallation=file://{root / 'profile'}", "--headless", "--convert-to", "pdf"]
        try:
            # A fixed argument list (no shell) of the tool found on PATH and paths in our own temporary directory.
            subprocess.run(  # noqa: S603
                [*args, "--outdir", str(root), str(src)], check=True, capture_output=True, timeout=CONVERT_TIMEOUT_S
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PreviewUnavailable(f"LibreOffice 转换 PDF 失败：{exc}") from exc
        pdf = root / "bulletin.pdf"
        if not pdf.exists():
            raise PreviewUnavailable("LibreOffice 未生成 PDF")
        return pdf.read_bytes()


def pdf_pages(pdf: bytes, *, dpi: int = PAGE_DPI) -> list[bytes]:
    pdftoppm = _tool("pdftoppm", "poppler-utils")
    with tempfile.TemporaryDirectory(prefix="bulletin-png-") as tmp:
        root = Path(tmp)
        (root / "b.pdf").write_bytes(pdf)
        try:
            subprocess.run(  # noqa: S603 — fixed arguments, no shell, files in our temporary directory
                [pdftoppm, "-png", "-r", str(dpi), str(root / "b.pdf"), str(root / "page")],
                check=True,
                capture_output=True,
                timeout=CONVERT_TIMEOUT_S,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PreviewUnavailable(f"PDF 转图片失败：{exc}") from exc
        # page-1.png … page-10.png are zero-padded by pdftoppm to the same width, so names sort in page order.
        return [p.read_bytes() for p in sorted(root.glob("page-*.png"))]


def preview_key(docx: bytes) -> str:
    """The hash of what the .docx says: its parts' names and contents (a .docx is a zip whose entries carry the time
    it was written, so two builds of the same draft differ in bytes but not in content)."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            for name in sorted(archive.namelist()):
                digest.update(name.encode())
                digest.update(archive.read(name))
    except zipfile.BadZipFile:
        digest.update(docx)
    return digest.hexdigest()


def _folder(key: str) -> Path:
    return Path(settings.DATA_DIR) / "previews" / key


def preview_cached(docx: bytes) -> Preview | None:
    """The preview of this exact .docx if one was made, else None (nothing is converted here)."""
    folder = _folder(preview_key(docx))
    pdf = folder / "bulletin.pdf"
    if not (folder / "done").exists() or not pdf.exists():
        return None
    return Preview(pdf=pdf.read_bytes(), pages=[p.read_bytes() for p in sorted(folder.glob("page-*.png"))])


def preview_of(docx: bytes) -> Preview:
    """The PDF and page images of a .docx, converted once per distinct file and kept as files."""
    cached = preview_cached(docx)
    if cached is not None:
        return cached
    started = time.perf_counter()
    pdf = docx_to_pdf(docx)
    preview = Preview(pdf=pdf, pages=pdf_pages(pdf), seconds=time.perf_counter() - started)
    folder = _folder(preview_key(docx))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bulletin.pdf").write_bytes(pdf)
    for i, page in enumerate(preview.pages, start=1):
        (folder / f"page-{i:03d}.png").write_bytes(page)
    (folder / "done").write_text(f"{preview.seconds:.2f}")
    return preview
