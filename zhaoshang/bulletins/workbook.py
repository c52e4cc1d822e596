"""The bulletin's tables as an .xlsx: one sheet per table, its title with the period and the data cut-off above a
frozen header that states each column's unit; numbers as numbers with formats; printed landscape on A4, one page
wide, the header repeated on every page — all by the product's one renderer, `zhaoshang.common.exporter`."""

from __future__ import annotations

from zhaoshang.common import exporter

from .race_section import race_tables
from .selectors import BulletinData
from .tables import Table, corrections_table, monthly_table, notable_table, province_table, unit_table


def all_tables(data: BulletinData) -> list[Table]:
    tables = [unit_table(data), province_table(data), monthly_table(data), notable_table(data)]
    tables.append(corrections_table(data))
    if data.race is not None:
        tables += race_tables(data.race)
    return tables


SHEET_NAMES = {
    "units": "各招商主体",
    "province": "全省各市",
    "monthly": "各月",
    "notable": "重点项目",
    "corrections": "数据更正",
    "race": "竞赛榜单",
    "red_flags": "红旗项目",
    "snails": "蜗牛",
}


def render_xlsx(data: BulletinData, tables: list[Table] | None = None) -> bytes:
    """The bulletin's tables through the product's one spreadsheet renderer, each sheet named in Chinese."""
    return exporter.render_xlsx(
        tables if tables is not None else all_tables(data),
        title=data.title,
        author=data.issuer,
        sheet_names=SHEET_NAMES,
        subtitle=f"{data.period.label()}；商务部口径；数据截至{data.cutoff_label}",
        page_header=data.title,
    )
