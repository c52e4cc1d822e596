"""The chain map as JSON, as a text table and as an .xlsx workbook, from one definition of each table's columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from zhaoshang.common.money import fmt_yi

from .selectors import (
    STATE_ACTIONS,
    STATE_COLORS,
    STATE_LABELS,
    TIER_LABELS,
    ChainMap,
    CountryList,
    LinkView,
    ProjectRow,
    TargetRow,
)


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01'))}"


def project_json(p: ProjectRow) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "unit": p.unit,
        "stage": p.stage,
        "stage_label": p.stage_label,
        "total_investment_usd": money(p.total_investment_usd),
        "via": p.via,
    }


def target_json(tr: TargetRow) -> dict[str, Any]:
    t = tr.target
    return {
        "id": t.pk,
        "name": t.name,
        "name_en": t.name_en,
        "country": t.country.name,
        "country_code": t.country.code,
        "fortune500_rank": t.fortune500_rank,
        "industry_rank": t.industry_rank,
        "tier": TIER_LABELS[tr.tier],
        "in_pipeline": tr.in_pipeline,
        "pipeline_stage": tr.stage_label or None,
        "pipeline": [project_json(p) for p in tr.pipeline],
        "note": t.note,
    }


def link_json(lv: LinkView) -> dict[str, Any]:
    return {
        "id": lv.link.pk,
        "name": lv.link.name,
        "position": lv.link.position,
        "upstream": lv.upstream_ids,
        "industries": lv.codes,
        "keywords": lv.link.keyword_list(),
        "state": lv.state,
        "state_label": STATE_LABELS[lv.state],
        "action": STATE_ACTIONS[lv.state],
        "color": STATE_COLORS[lv.state],
        "numbers": {
            "enterprises": lv.enterprise_count,
            "investment_usd": money(lv.investment_usd),
            "investment": fmt_yi(lv.investment_usd),
            "strong_min_enterprises": lv.thresholds.min_enterprises,
            "strong_min_investment_usd": money(lv.thresholds.min_investment_usd),
            "strong_min_investment": fmt_yi(lv.thresholds.min_investment_usd),
        },
        "enterprises": [
            {
                "id": p.enterprise.pk,
                "name": p.enterprise.name,
                "unit": p.enterprise.unit.short_name,
                "industry": p.enterprise.industry.code if p.enterprise.industry else None,
                "reason": p.reason,
            }
            for p in lv.enterprises
        ],
        "suggested": [
            {
                "placement_id": p.pk,
                "id": p.enterprise.pk,
                "name": p.enterprise.name,
                "unit": p.enterprise.unit.short_name,
                "score": p.score,
                "reason": p.reason,
            }
            for p in lv.suggested
        ],
        "targets": [target_json(tr) for tr in lv.targets],
        "projects": [project_json(p) for p in lv.projects],
    }


def map_json(cmap: ChainMap) -> dict[str, Any]:
    return {
        "chain": {"slug": cmap.chain.slug, "name": cmap.chain.name, "description": cmap.chain.description},
        "thresholds": {
            "strong_min_enterprises": cmap.thresholds.min_enterprises,
            "strong_min_investment_usd": money(cmap.thresholds.min_investment_usd),
            "leader_max_industry_rank": cmap.leader_max_rank,
        },
        "state_counts": cmap.state_counts(),
        "links": [link_json(lv) for lv in cmap.links],
        "target_list": [
            {"order": i, "link": lv.link.name, "link_state": lv.state, **target_json(tr)}
            for i, (lv, tr) in enumerate(cmap.ordered_targets(), start=1)
        ],
        "leaders": [
            {"role": ld.get_role_display(), "title": ld.title, "name": ld.name, "scope": ld.scope}
            for ld in cmap.leaders
        ],
        "pilots": [
            {
                "zone": p.platform.name,
                "unit": p.platform.unit.short_name if p.platform.unit else None,
                "level": p.level,
                "level_label": p.get_level_display(),
                "year": p.year,
            }
            for p in cmap.pilots
        ],
        "platforms": [platform_json(p) for p in cmap.platforms],
    }


def platform_json(p: Any) -> dict[str, Any]:
    return {
        "name": p.name,
        "kind": p.kind,
        "kind_label": p.get_kind_display(),
        "unit": p.unit.short_name if p.unit else None,
        "partner_countries": [c.name for c in p.partner_countries.all()],
        "in_provincial_integration": p.in_provincial_integration,
    }


def country_json(cl: CountryList) -> dict[str, Any]:
    return {
        "country": {"code": cl.country_code, "name": cl.country_name},
        "parks": [platform_json(p) for p in cl.parks],
        "targets": [
            {
                "chain": chain.slug,
                "chain_name": chain.name,
                "link": lv.link.name,
                "link_state": lv.state,
                **target_json(tr),
            }
            for chain, lv, tr in cl.targets
        ],
    }


# ---------------------------------------------------------------- tables: one definition feeds text and .xlsx

LINK_HEADER = ["次序", "环节", "行业代码", "状态", "本地企业数", "总投资", "强链门槛", "本地企业", "目标企业"]
TARGET_HEADER = [
    "序号",
    "环节",
    "环节状态",
    "目标企业",
    "国别（地区）",
    "世界500强排名",
    "行业排名",
    "类别",
    "项目库",
    "备注",
]


def link_rows(cmap: ChainMap) -> Iterator[list[Any]]:
    for lv in cmap.links:
        yield [
            lv.link.position,
            lv.link.name,
            " ".join(lv.codes),
            lv.state_text,
            lv.enterprise_count,
            fmt_yi(lv.investment_usd),
            f"≥{lv.thresholds.min_enterprises}家且≥{fmt_yi(lv.thresholds.min_investment_usd)}",
            "、".join(p.enterprise.name for p in lv.enterprises),
            "、".join(tr.target.name for tr in lv.targets),
        ]


def target_rows(cmap: ChainMap) -> Iterator[list[Any]]:
    for i, (lv, tr) in enumerate(cmap.ordered_targets(), start=1):
        t = tr.target
        yield [
            i,
            lv.link.name,
            lv.state_text,
            t.name,
            t.country.name,
            t.fortune500_rank or "",
            t.industry_rank or "",
            TIER_LABELS[tr.tier],
            tr.pipeline_text,
            t.note,
        ]


def leader_rows(cmap: ChainMap) -> Iterator[list[Any]]:
    for ld in cmap.leaders:
        yield ["链长" if ld.role == "leader" else "副链长", ld.scope, f"{ld.title}{ld.name}"]
    for p in cmap.pilots:
        yield [p.get_level_display(), p.platform.name, p.platform.unit.short_name if p.platform.unit else ""]
    for pf in cmap.platforms:
        partners = "、".join(c.name for c in pf.partner_countries.all())
        yield [pf.get_kind_display(), pf.name, partners]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: list[str], rows: list[list[Any]], max_col: int = 40) -> str:
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    cells = [[c if _width(c) <= max_col else c[: max_col // 2 - 1] + "…" for c in r] for r in cells]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_table(cmap: ChainMap) -> str:
    counts = cmap.state_counts()
    head = (
        f"{cmap.chain.name}产业链招商地图（{cmap.chain.slug}）：{len(cmap.links)}个环节，"
        f"空白{counts['blank']}、薄弱{counts['weak']}、较强{counts['strong']}；"
        f"强链门槛：本地企业≥{cmap.thresholds.min_enterprises}家且总投资≥{fmt_yi(cmap.thresholds.min_investment_usd)}"
    )
    parts = [
        head,
        "",
        _table(LINK_HEADER, list(link_rows(cmap))),
        "",
        "招引目标清单（空白环节优先，再薄弱、较强；环节内世界500强、行业龙头优先）",
        _table(TARGET_HEADER, list(target_rows(cmap))),
    ]
    leaders = list(leader_rows(cmap))
    if leaders:
        parts += ["", "链长、试点与平台", _table(["类别", "范围", "内容"], leaders)]
    return "\n".join(parts)


def render_xlsx(cmap: ChainMap) -> bytes:
    """The map, its target list and its leaders as sheets of the one exporter (text stays text: a company name
    that looks like a link or a formula is written as it is); the state column is filled in the state's colour."""
    from zhaoshang.common.exporter import Column, Table
    from zhaoshang.common.exporter import render_xlsx as write

    def table(
        key: str,
        title: str,
        header: list[str],
        rows: list[list[Any]],
        widths: list[int],
        states: list[str] | None = None,
    ) -> Table:
        state_col = next((i for i, h in enumerate(header) if h.endswith("状态")), None)

        def cell(i: int) -> Any:
            return lambda r: r[0][i]

        cols = [Column(h, cell(i), width=w) for i, (h, w) in enumerate(zip(header, widths, strict=False))]
        paired: list[tuple[list[Any], str | None]] = list(
            zip(rows, states if states is not None else [None] * len(rows), strict=True)
        )

        def fill(row: Any, col: Column) -> str | None:
            if row[1] is None or state_col is None or col is not cols[state_col]:
                return None
            return STATE_COLORS.get(row[1])

        return Table(key, "", cols, paired, fill=fill)  # the sheet's name is its title; the header is row 1

    ordered = cmap.ordered_targets()
    return write(
        [
            table(
                "map",
                "招商地图",
                LINK_HEADER,
                list(link_rows(cmap)),
                [6, 16, 14, 14, 10, 12, 22, 50, 50],
                [lv.state for lv in cmap.links],
            ),
            table(
                "targets",
                "招引目标清单",
                TARGET_HEADER,
                list(target_rows(cmap)),
                [6, 16, 14, 36, 12, 12, 10, 10, 22, 40],
                [lv.state for lv, _tr in ordered],
            ),
            table("leaders", "链长与平台", ["类别", "范围", "内容"], list(leader_rows(cmap)), [16, 36, 40]),
        ],
        sheet_names={"map": "招商地图", "targets": "招引目标清单", "leaders": "链长与平台"},
    )
