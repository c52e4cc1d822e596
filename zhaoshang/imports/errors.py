"""Row errors: every problem in a file is collected and reported together, and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str
    col: int | None = None  # 0-based column of the file, to mark the cell in the error report

    def __str__(self) -> str:
        shown = f"“{self.value}”" if self.value else "（空）"
        if not self.column:
            return f"第{self.row}行：{self.reason}"
        return f"第{self.row}行，“{self.column}”列，值{shown}：{self.reason}"


class ImportRefused(Exception):
    """The file was refused; `errors` say where and why. Nothing has been written."""

    def __init__(self, errors: list[RowError], summary: str = "", *, table: Any = None) -> None:
        self.errors = errors
        self.summary = summary or f"文件有 {len(errors)} 处错误，未导入任何数据"
        self.table = table  # the sheet as read (reader.Table), kept for the .xlsx report with marked cells
        super().__init__(self.summary)

    def report(self, limit: int = 50) -> str:
        lines = [self.summary, *(str(e) for e in self.errors[:limit])]
        if len(self.errors) > limit:
            lines.append(f"……另有 {len(self.errors) - limit} 处错误")
        return "\n".join(lines)
