"""The bulletin as an outline of blocks (headings, paragraphs, tables, charts), generated from its figures.

The .docx renderer lays the blocks out per GB/T 9704; tests read the sentences straight from here or the file.
"""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.common.money import fmt_pct, fmt_wan, fmt_yi

from . import chart, tables
from .blocks import Heading, Image, Outline, Para, TableBlock
from .selectors import LISTED_PROJECTS, BulletinData, correction_totals
from .wording import (
    growth_phrase,
    join_names,
    margin_phrase,
    progress_phrase,
    rank_move_phrase,
    rank_word,
)

HEADING_NUMBERS = "一二三四五六七八九十"


def headline(data: BulletinData) -> str:
    """The opening paragraph: actual use, growth, provincial rank and its move, margin, 超亿美元 and 500强, target."""
    c, s = data.city, data.standing
    home = s.home
    rank = home.rank if home else None
    before = data.previous_standing.home.rank if data.previous_standing and data.previous_standing.home else None
    before_label = data.previous_period.label().removeprefix(f"{data.month.year}年") if data.previous_period else ""
    parts = [f"{data.period.label()}，全市实际使用外资{fmt_yi(c.actual_use)}，{growth_phrase(c.yoy_pct)}"]
    if rank is not None:
        parts.append(f"规模居全省{rank_word(rank)}")
    move = rank_move_phrase(rank, before, before_label)
    if move:
        parts.append(move)
    margin = margin_phrase(s.margin_pp)
    if margin:
        parts.append(margin)
    first = "，".join(parts) + "。"
    second = ""
    if c.reinvested:
        share = c.reinvested_share_pct
        second = f"其中，外商利润再投资{fmt_yi(c.reinvested)}，占{fmt_pct(share, signed=False)}。"
    big_rank = home.rank_over_100m if home else None
    third = f"新引进总投资超亿美元项目{c.over_100m}个" + (f"，居全省{rank_word(big_rank)}" if big_rank else "")
    third += f"；世界500强投资项目{c.fortune500_projects}个"
    if c.fortune500_companies:
        third += f"，涉及世界500强企业{c.fortune500_companies}家"
    third += "。"
    progress = progress_phrase(data.report.city_target.progress_pct, data.report.city_target.time_progress_pct)
    fourth = f"全市{progress}。" if progress else ""
    return first + second + third + fourth


def gap_sentence(data: BulletinData) -> str:
    """The distance to the city ahead and the lead over the city behind."""
    s = data.standing
    bits = []
    if s.ahead is not None and s.gap_to_ahead is not None:
        bits.append(f"与前一位的{s.ahead.name}相差{fmt_yi(s.gap_to_ahead)}")
    if s.behind is not None and s.gap_to_behind is not None:
        bits.append(f"领先后一位的{s.behind.name}{fmt_yi(s.gap_to_behind)}")
    if not bits:
        return ""
    text = "从全省看，" + "，".join(bits) + "。"
    if s.pace_needed_monthly is not None and s.pace_current_monthly is not None:
        target = s.ahead.name if s.ahead else "前一位"
        text += (
            f"按目前进度，年内赶超{target}需月均实际使用外资{fmt_yi(s.pace_needed_monthly)}"
            f"（目前月均{fmt_yi(s.pace_current_monthly)}）。"
        )
    return text


def unit_sentences(data: BulletinData) -> str:
    rows = sorted(data.report.units, key=lambda r: r.rank or 99)
    if not rows:
        return "本期无招商主体数据。"
    top = [f"{r.unit.short_name}（{fmt_yi(r.figures.actual_use)}）" for r in rows[:3]]
    text = f"分单位看，实际使用外资居前三位的是{join_names(top)}。"
    growing = [r for r in rows if r.figures.yoy_pct is not None]
    if growing:
        fastest = max(growing, key=lambda r: r.figures.yoy_pct or Decimal(0))
        text += f"增速最快的是{fastest.unit.short_name}，{growth_phrase(fastest.figures.yoy_pct)}。"
    falling = [r for r in growing if (r.figures.yoy_pct or 0) < 0]
    if falling:
        names = [f"{r.unit.short_name}（{fmt_pct(r.figures.yoy_pct)}）" for r in falling]
        text += f"{len(falling)}个单位同比下降：{join_names(names)}。"
    else:
        text += "各单位均未出现同比下降。" if len(growing) == len(rows) else ""
    behind = [r for r in rows if r.target.behind]
    if behind:
        names = [
            f"{r.unit.short_name}（{fmt_pct(r.target.progress_pct, signed=False)}）"
            for r in sorted(behind, key=lambda r: r.target.progress_pct or 0)
        ]
        text += f"完成进度明显落后于时间进度的有{join_names(names)}，请加快推进。"
    return text


def notable_items(projects: list, label: str) -> list[Para]:
    items = []
    for i, p in enumerate(projects[:LISTED_PROJECTS], start=1):
        extra = f"，世界500强：{'、'.join(p.groups)}" if p.groups else ""
        items.append(
            Para(
                f"{p.name}（{p.unit}，外方投资者{p.investors}，{p.countries}，总投资{fmt_wan(p.total_investment_usd)}{extra}）。",
                lead=f"{i}.",
                lead_level=3,
            )
        )
    if len(projects) > LISTED_PROJECTS:
        items.append(Para(f"另有{len(projects) - LISTED_PROJECTS}个{label}，详见附表。"))
    return items


def correction_paras(data: BulletinData) -> list[Para]:
    if not data.corrections:
        return [Para("上期通报以来，已关账月份的数据未作更正。")]
    totals = correction_totals(data.corrections)
    summary = "；".join(
        f"{m.year}年{m.month}月{'增加' if v >= 0 else '减少'}{fmt_wan(abs(v))}" for m, v in sorted(totals.items())
    )
    out = [Para(f"上期通报以来，已关账月份的到资数据更正{len(data.corrections)}笔，到资金额{summary}。具体如下：")]
    for i, c in enumerate(data.corrections, start=1):
        if c.amount_before_usd is None:
            change = f"补录到资{fmt_wan(c.amount_after_usd)}"
        else:
            change = f"到资由{fmt_wan(c.amount_before_usd)}更正为{fmt_wan(c.amount_after_usd)}"
        who = c.recorded_by.display_name if c.recorded_by else "系统"
        out.append(
            Para(
                f"{c.month.year}年{c.month.month}月，{c.project.unit.short_name}“{c.project.name}”{change}"
                f"（原因：{c.reason}；更正人：{who}，{c.recorded_at:%Y年%m月%d日}）。",
                lead=f"{i}.",
                lead_level=3,
            )
        )
    return out


def addressee(units: list) -> str:
    """主送机关: the county governments and the zones' administrative committees taking part, then the city's bodies."""
    parts = []
    if any(not u.is_zone for u in units):
        parts.append("各县（市、区）人民政府")
    zones = [u.name for u in units if u.is_zone]
    if zones:
        parts.append("、".join(zones) + "管委会")
    parts.append("市级有关单位")
    return "，".join(parts) + "："


def build_outline(data: BulletinData, *, with_charts: bool = True) -> Outline:
    o = Outline(
        title=data.title,
        addressee=addressee([r.unit for r in data.report.units]),
        issuer=data.issuer,
        dated=f"{data.dated.year}年{data.dated.month}月{data.dated.day}日",
    )
    n = iter(HEADING_NUMBERS)
    o.blocks.append(
        Para(
            f"现将{data.period.label()}全市利用外资工作情况通报如下（数据按商务部口径，截至{data.report.as_of:%Y年%m月%d日}）。"
        )
    )
    o.blocks.append(Heading(1, f"{next(n)}、总体情况"))
    o.blocks.append(Para(headline(data)))
    gap = gap_sentence(data)
    if gap:
        o.blocks.append(Para(gap))
    if with_charts:
        o.blocks.append(Image(chart.trend_png(data), f"图1 {data.period.label()}各月实际使用外资（亿美元）"))
    o.blocks.append(Heading(1, f"{next(n)}、各招商主体情况"))
    o.blocks.append(Para(unit_sentences(data)))
    o.blocks.append(TableBlock(tables.unit_table(data)))
    if with_charts:
        o.blocks.append(Image(chart.units_png(data), f"图2 {data.period.label()}各招商主体实际使用外资（亿美元）"))
    if data.race is not None:
        from .race_section import race_blocks

        o.blocks.append(Heading(1, f"{next(n)}、百日竞赛"))
        o.blocks += race_blocks(data.race)
    o.blocks.append(Heading(1, f"{next(n)}、重点项目"))
    f500 = [p for p in data.notable if p.is_fortune500]
    big = [p for p in data.notable if p.is_over_100m]
    o.blocks.append(
        Para(
            f"{data.month_label}，全市新引进世界500强投资项目{len(f500)}个、总投资超亿美元项目{len(big)}个"
            + ("。" if data.notable else "，本月无重点项目。")
        )
    )
    if f500:
        o.blocks.append(Heading(2, "（一）世界500强投资项目"))
        o.blocks += notable_items(f500, "世界500强投资项目")
    if big:
        o.blocks.append(Heading(2, f"（{'二' if f500 else '一'}）总投资超亿美元项目"))
        o.blocks += notable_items(big, "超亿美元项目")
    o.blocks.append(Heading(1, f"{next(n)}、数据更正"))
    o.blocks += correction_paras(data)
    return o
