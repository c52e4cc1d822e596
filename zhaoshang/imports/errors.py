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


def warning_line(w: RowError) -> str:
    """A plausibility warning as reported: always starting 「警告」."""
    return f"警告：{w}"


class ImportRefused(Exception):
    """The file was refused; `errors` say where and why. Nothing has been written.

    With no errors but `warnings`, the file is plausible-looking but unusual: it is imported only when the person
    confirms (the page's checkbox, `--accept-warnings`, the API's `"confirm": true`).
    """

    def __init__(
        self,
        errors: list[RowError],
        summary: str = "",
        *,
        table: Any = None,
        warnings: list[RowError] | None = None,
        notes: list[str] | None = None,
    ) -> None:
        self.errors = errors
        self.warnings = warnings or []
        self.notes = notes or []
        if not summary and not errors and self.warnings:
            summary = (
                f"文件有 {len(self.warnings)} 处警告，需确认后才能导入，未导入任何数据"
                "（核对无误后：页面勾选“已核对警告，确认导入”；命令行加 --accept-warnings）"
            )
        self.summary = summary or f"文件有 {len(errors)} 处错误，未导入任何数据"
        self.table = table  # the sheet as read (reader.Table), kept for the .xlsx report with marked cells
        super().__init__(self.summary)

    @property
    def needs_confirmation(self) -> bool:
        return not self.errors and bool(self.warnings)

    def warning_lines(self) -> list[str]:
        return [warning_line(w) for w in self.warnings]

    def report(self, limit: int = 50) -> str:
        lines = [self.summary, *(str(e) for e in self.errors[:limit])]
        if len(self.errors) > limit:
            lines.append(f"……另有 {len(self.errors) - limit} 处错误")
        lines.extend(self.warning_lines()[:limit])
        if len(self.warnings) > limit:
            lines.append(f"……另有 {len(self.warnings) - limit} 处警告")
        lines.extend(self.notes[:limit])
        return "\n".join(lines)
