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
    title: str
    addressee: str
    blocks: list[Heading | Para | TableBlock | Image] = field(default_factory=list)
    issuer: str = ""
    dated: str = ""

    def text(self) -> str:
        """All the words, in order: what a reader sees, without layout."""
        out = [self.title, self.addressee]
        for b in self.blocks:
            if isinstance(b, Heading):
                out.append(b.text)
            elif isinstance(b, Para):
                out.append(b.lead + b.text)
            elif isinstance(b, TableBlock):
                out.append(b.table.caption)
                out += ["  ".join(r) for r in b.table.texts()]
            else:
                out.append(b.caption)
        out += [self.issuer, self.dated]
        return "\n".join(out)
