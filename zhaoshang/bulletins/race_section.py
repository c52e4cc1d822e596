"""The race (百日竞赛) in the bulletin and in the weekly group push, read through the race app's selectors.

For every competition running in the bulletin's month: the board at the month's end (the published monthly
evaluation when there is one, else the published weekly board or the live computation), the month's awards, the
red-flag projects and snails named in the month, and the units' practices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhaoshang.common.money import fmt_pct, fmt_yi
from zhaoshang.common.periods import MonthRange
from zhaoshang.race import selectors as race_selectors
from zhaoshang.race.board import Board, BoardUnit
from zhaoshang.race.models import Award, Competition, MonthlyEvaluation, RedFlag, Snail, UnitPractice
from zhaoshang.race.serialize import arrow, rival_sentence

from .blocks import Heading, Para, TableBlock
from .push.markdown import md_text
from .tables import Column, Table
from .wording import cn_number, rank_word


@dataclass
class RaceResult:
    competition: Competition
    day: date
    board: Board
    official: bool  # the board of a published monthly evaluation or weekly board, not a live computation
    awards: list[Award] = field(default_factory=list)
    practices: list[UnitPractice] = field(default_factory=list)
    red_flags: list[RedFlag] = field(default_factory=list)
    snails: list[Snail] = field(default_factory=list)
    red_flags_total: int = 0


@dataclass
class RaceSection:
    month: date
    results: list[RaceResult]


def race_section(data: Any) -> RaceSection | None:
    """The competitions that ran during the bulletin's month, or None when none did."""
    month = MonthRange(data.month, data.month)
    comps = Competition.objects.filter(start__lte=month.end_date, end__gte=month.start_date).order_by("start", "slug")
    results = []
    for comp in comps:
        day = min(month.end_date, comp.end)
        evaluation = MonthlyEvaluation.objects.filter(competition=comp, month=month.first).first()
        if evaluation is not None:
            board, official = Board.from_json(evaluation.data), True
        else:
            board = race_selectors.board(comp, day)
            official = board.published
        in_month = {"competition": comp, "on__gte": max(month.start_date, comp.start), "on__lte": day}
        results.append(
            RaceResult(
                competition=comp,
                day=day,
                board=board,
                official=official,
                awards=list(evaluation.awards.select_related("unit").order_by("title", "unit__sort_order"))
                if evaluation
                else [],
                practices=list(evaluation.practices.select_related("unit").order_by("unit__sort_order"))
                if evaluation
                else [],
                red_flags=list(RedFlag.objects.filter(**in_month).select_related("project__unit").order_by("on", "id")),
                snails=list(
                    Snail.objects.filter(**in_month).select_related("unit", "project").order_by("on", "kind", "id")
                ),
                red_flags_total=RedFlag.objects.filter(competition=comp, on__lte=day).count(),
            )
        )
    return RaceSection(month.first, results) if results else None


def _day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def results_sentence(r: RaceResult) -> str:
    b = r.board
    comp = r.competition
    units = b.units
    if r.day >= comp.end:
        text = f"{comp.name}（{_day(comp.start)}至{_day(comp.end)}）已于{_day(comp.end)}结束。"
    else:
        text = f"{comp.name}于{_day(comp.start)}开赛，至{_day(r.day)}时间进度{b.time_progress_pct}%。"
    if units:
        top = units[:3]
        scores = "、".join(f"{u.score:.2f}分" for u in top)
        text += f"按综合得分，{'、'.join(u.name for u in top)}居前{cn_number(len(top))}位，分别为{scores}"
        last = units[-1]
        if len(units) > 3:
            text += f"；{last.name}居末位，{last.score:.2f}分"
        text += "。"
    city = b.city
    text += (
        f"竞赛以来全市实际使用外资{fmt_yi(city.actual_use_race_usd)}{arrivals_note(b)}，"
        f"引进超亿美元项目{city.projects_over_100m_race}个、世界500强投资项目{city.fortune500_projects_race}个。"
    )
    rival = rival_sentence(b.rival)
    if not rival.startswith("对标城市：暂无"):
        text += rival + "。"
    if r.awards:
        text += "本月评比：" + "；".join(f"{a.unit.short_name}获“{a.title}”（{a.reason}）" for a in r.awards) + "。"
    if not r.red_flags:
        text += f"本月未新评红旗项目（竞赛以来累计{r.red_flags_total}个）。"
    if not r.snails:
        text += "本月无单位和项目被评为蜗牛。"
    if not r.official:
        text += "（本榜单尚未发布，为实时计算结果。）"
    return text


def _completion(key: str) -> Callable[[BoardUnit], Decimal | None]:
    def read(u: BoardUnit) -> Decimal | None:
        pct = u.figures[key].completion_pct
        return None if pct is None else Decimal(str(pct))

    return read


def race_table(r: RaceResult) -> Table:
    indicators = r.board.indicators
    columns = [
        Column("名次", lambda u: u.rank, kind="int", width=6),
        Column("单位", lambda u: u.name, kind="text", width=12),
        Column("得分", lambda u: Decimal(str(u.score)), text=lambda v: f"{v:.2f}", kind="yi", width=10),
    ]
    for ind in indicators:
        key = ind.key
        columns.append(
            Column(
                f"{ind.label}完成率（%）",
                _completion(key),
                text=lambda v: fmt_pct(v, signed=False),
                kind="pct",
                width=12,
            )
        )
    columns.append(Column("较上周", lambda u: arrow(u.rank_change), kind="text", width=7))
    return Table(
        "race",
        f"{r.competition.name}得分与排名（截至{r.day.year}年{_day(r.day)}）",
        columns,
        r.board.units,
        note=f"得分：各指标完成率（单项最高按{round(r.competition.score_cap * 100)}%计）按权重加总",
        frozen_columns=2,
    )


def race_blocks(section: RaceSection) -> list[Any]:
    """（一）the standings, then red flags, snails and practices, each only when the month has some."""
    blocks: list[Any] = []
    numbers = iter("一二三四五六七八九十")
    for r in section.results:
        blocks.append(Heading(2, f"（{next(numbers)}）竞赛排名"))
        blocks.append(Para(results_sentence(r)))
        blocks.append(TableBlock(race_table(r)))
        if r.red_flags:
            blocks.append(Heading(2, f"（{next(numbers)}）红旗项目"))
            blocks.append(Para(f"本月新评红旗项目{len(r.red_flags)}个（竞赛以来累计{r.red_flags_total}个）："))
            for i, f in enumerate(r.red_flags, start=1):
                blocks.append(
                    Para(
                        f"{f.project.unit.short_name}“{f.project.name}”：{f.reason}（{_day(f.on)}评定）。",
                        lead=f"{i}.",
                        lead_level=3,
                    )
                )
        groups = snail_groups(r.snails)
        if groups:
            blocks.append(Heading(2, f"（{next(numbers)}）蜗牛"))
            n_units = sum(1 for g in groups if g[0].project is None)
            blocks.append(
                Para(
                    f"本月共{len(r.snails)}次评出蜗牛，涉及进度滞后单位{n_units}个、停滞项目{len(groups) - n_units}个"
                    "（按本月被评次数排列，理由为最近一次评定）："
                )
            )
            for i, group in enumerate(groups, start=1):
                last = group[-1]
                who = last.unit.short_name if last.project is None else f"{last.unit.short_name}“{last.project.name}”"
                times = f"本月{len(group)}次被评为蜗牛" if len(group) > 1 else f"{_day(last.on)}被评为蜗牛"
                blocks.append(Para(f"{who}：{times}，{last.reason}。", lead=f"{i}.", lead_level=3))
        if r.practices:
            blocks.append(Heading(2, f"（{next(numbers)}）各地做法"))
            for i, p in enumerate(r.practices, start=1):
                blocks.append(Para(f"{p.unit.short_name}：{p.text}", lead=f"{i}.", lead_level=3))
    return blocks


def snail_groups(snails: list[Snail]) -> list[list[Snail]]:
    """The month's snails by unit or project: units first, then the most often named, each group in date order."""
    groups: dict[tuple[int, int | None], list[Snail]] = {}
    for s in sorted(snails, key=lambda s: (s.on, s.id)):
        groups.setdefault((s.unit_id, s.project_id), []).append(s)
    return sorted(
        groups.values(),
        key=lambda g: (g[0].project_id is not None, -len(g), g[0].unit.sort_order, g[0].project_id or 0),
    )


def race_tables(section: RaceSection) -> list[Table]:
    tables = []
    for r in section.results:
        tables.append(race_table(r))
        tables.append(
            Table(
                "red_flags",
                f"{r.competition.name}本月红旗项目",
                [
                    Column("评定日期", lambda f: f.on.isoformat(), kind="text", width=12),
                    Column("单位", lambda f: f.project.unit.short_name, kind="text", width=12),
                    Column("项目", lambda f: f.project.name, kind="text", width=30),
                    Column("理由", lambda f: f.reason, kind="text", width=50),
                ],
                r.red_flags,
            )
        )
        tables.append(
            Table(
                "snails",
                f"{r.competition.name}本月蜗牛",
                [
                    Column("评定日期", lambda s: s.on.isoformat(), kind="text", width=12),
                    Column("单位", lambda s: s.unit.short_name, kind="text", width=12),
                    Column("项目", lambda s: s.project.name if s.project else "（单位）", kind="text", width=30),
                    Column("理由", lambda s: s.reason, kind="text", width=50),
                ],
                r.snails,
            )
        )
    return tables


# ---------------------------------------------------------------------------------------------- weekly push


def md_escape(text: str) -> str:
    """User text (project and unit names, reasons) as literal text in the robots' markdown: neither robot documents
    backslash escapes, so the marks become their full-width forms (push.markdown.md_text), @ and links included."""
    return md_text(text)


def arrivals_note(board: Board) -> str:
    """（到资数据截至8月，6月按全月计）: which months the money figures hold; empty for boards published before."""
    return f"（{board.arrivals.label}）" if board.arrivals and board.arrivals.label else ""


def weekly_markdown(board: Board) -> tuple[str, str]:
    """(title, text) of the weekly push: the board's ranking, the city's totals, the rival, red flags and snails."""
    title = f"{board.competition.name}周比（{_day(board.date)}）"
    status = "" if board.published else "（未发布，实时计算）"
    lines = [f"### {md_escape(title)}{status}", "", f"时间进度 **{board.time_progress_pct}%**", ""]
    for u in board.units:
        lines.append(f"{u.rank}. {md_escape(u.name)} {u.score:.2f}分 {arrow(u.rank_change)}")
    city = board.city
    lines += [
        "",
        f"竞赛以来全市实际使用外资**{fmt_yi(city.actual_use_race_usd)}**{arrivals_note(board)}，"
        f"超亿美元项目{city.projects_over_100m_race}个，世界500强投资项目{city.fortune500_projects_race}个",
        "",
        md_escape(rival_sentence(board.rival)),
    ]
    new_flags = [f for f in board.red_flags if f.new]
    lines += ["", f"**本周红旗项目**（{len(new_flags)}个，累计{len(board.red_flags)}个）"]
    lines += [f"- {md_escape(f.unit_name)} {md_escape(f.project_name)}：{md_escape(f.reason)}" for f in new_flags] or [
        "- 无"
    ]
    lines += ["", f"**本周蜗牛**（{len(board.snails)}个）"]
    lines += [
        f"- {md_escape(s.unit_name)}{'' if s.kind == 'unit' else ' ' + md_escape(s.project_name or '')}："
        f"{md_escape(s.reason)}"
        for s in board.snails
    ] or ["- 无"]
    if board.dormant_projects:
        counts = "、".join(f"{md_escape(d.unit_name)}{d.projects}个" for d in board.dormant_projects)
        lines += ["", f"长期无推进的项目（请各单位中止或说明状态）：{counts}"]
    if board.units:
        last = rank_word(len(board.units))
        lines += ["", f"> 第一名：{md_escape(board.units[0].name)}；排名{rank_word(1)}至{last}见上表"]
    return title, "\n".join(lines)
