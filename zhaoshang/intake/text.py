"""Text out of what the bureau reads: pasted text, .txt, .html, .docx and .pdf; and the repair of damaged text
(HTML entity residue such as `ldquo`, real entities, full-width spaces) before the findings are looked for."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from django.core.exceptions import ValidationError

MAX_BYTES = 20 * 1024 * 1024
ACCEPTED = (".txt", ".html", ".htm", ".docx", ".pdf")


class _TextOfHtml(HTMLParser):
    """The visible text of a page: scripts and styles dropped, a line break after each block."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript") and self.skip:
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """pypdf's text of every page (plain reading order is enough for finding names and amounts)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def file_text(name: str, data: bytes) -> str:
    """The text of an uploaded file; a Chinese refusal naming the file when it cannot be read."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError(
            {"file": [f"文件“{name}”的类型{suffix or '（无扩展名）'}不支持；请上传 .txt、.html、.docx 或 .pdf"]}
        )
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [f"文件“{name}”超过 20 MB"]})
    try:
        if suffix == ".txt":
            return _decode(data)
        if suffix in (".html", ".htm"):
            return html_text(_decode(data))
        if suffix == ".docx":
            return docx_text(data)
        return pdf_text(data)
    except ValidationError:
        raise
    except Exception as exc:  # a damaged upload is the user's problem to fix, never a 500
        raise ValidationError({"file": [f"文件“{name}”无法读取（{type(exc).__name__}），请确认文件未损坏"]}) from None


# Entity names whose '&' and ';' were lost in copying (跑步式ldquo稳外资rdquo).
_RESIDUE = {
    "ldquo": "“",
    "rdquo": "”",
    "lsquo": "‘",
    "rsquo": "’",
    "mdash": "—",
    "ndash": "–",
    "hellip": "…",
    "middot": "·",
    "nbsp": " ",
    "quot": '"',
    "amp": "&",
}
_RESIDUE_RE = re.compile(r"(?<![A-Za-z])&?(" + "|".join(_RESIDUE) + r");?(?![A-Za-z])")


def repair(text: str) -> str:
    """Undo what copying did to a text, keeping its length per character where it can: real entities decoded,
    entity residue turned back into the punctuation it was, full-width spaces and CRLF made plain."""
    text = html.unescape(text)
    text = _RESIDUE_RE.sub(lambda m: _RESIDUE[m.group(1)], text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
