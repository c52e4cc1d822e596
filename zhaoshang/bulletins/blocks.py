"""The blocks a bulletin's outline is made of (headings, paragraphs, tables, charts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import tables


@dataclass
class Heading:
    level: int  # 1 一、 2 （一） 3 1. 4 （1）
    text: str


@dataclass
class Para:
    text: str
    lead: str = ""  # a run-in heading at the start of the paragraph (e.g. "（一）世界500强项目。")
    lead_level: int = 0


@dataclass
class TableBlock:
    table: tables.Table


@dataclass
class Image:
    png: bytes
    caption: str


@dataclass
class Outline:
    """The 公文's parts in GB/T 9704's order: 版头 (masthead, number), 主体 (title, addressee, body, attachment note,
    issuer and date), 版记 (copied to, printed by and on)."""

    title: str
    addressee: str
    blocks: list[Heading | Para | TableBlock | Image] = field(default_factory=list)
    issuer: str = ""
    dated: str = ""  # 成文日期; empty on a draft
    masthead: str = ""  # 发文机关标志, printed red
    doc_number: str = ""  # 发文字号 or 期号
    draft: bool = False
    attachments: list[str] = field(default_factory=list)  # 附件说明
    copy_to: str = ""  # 抄送
    printer: str = ""  # 印发机关
    printed: str = ""  # 印发日期; empty on a draft

    def text(self) -> str:
        """All the words, in order: what a reader sees, without layout."""
        out = [self.masthead, self.doc_number, self.title, self.addressee]
        for b in self.blocks:
            if isinstance(b, Heading):
                out.append(b.text)
            elif isinstance(b, Para):
                out.append(b.lead + b.text)
            elif isinstance(b, TableBlock):
                out.append(b.table.title)
                out += ["  ".join(r) for r in b.table.texts()]
            else:
                out.append(b.caption)
        out += [attachment_note(self.attachments), self.issuer, self.dated]
        if self.copy_to:
            out.append(f"抄送：{self.copy_to}。")
        out.append(f"{self.printer}  {self.printed}印发" if self.printed else self.printer)
        return "\n".join(x for x in out if x)


def attachment_note(names: list[str]) -> str:
    """附件：名称 (one) or 附件：1．名称 … (several)."""
    if not names:
        return ""
    if len(names) == 1:
        return f"附件：{names[0]}"
    return "附件：" + "\n".join(f"{i}．{n}" for i, n in enumerate(names, start=1))
