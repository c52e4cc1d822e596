"""The bulletin as an outline of blocks (headings, paragraphs, tables, charts), generated from its figures.

The .docx renderer lays the blocks out per GB/T 9704; tests read the sentences straight from here or the file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhaoshang.common.money import fmt_pct, fmt_wan, fmt_yi, round_half_up

from . import chart, tables
from .blocks import Heading, Image, Outline, Para, TableBlock
from .selectors import LISTED_PROJECTS, BulletinData, correction_totals
from .wording import (
    cn_number,
    falls_phrase,
    growth_phrase,
    join_names,
    join_pairs,
    margin_phrase,
    money_phrase,
    pace_phrase,
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


# The overtaking sentence is written only when the monthly pace it needs is at most this multiple of the pace so far.
REACHABLE_RATIO = Decimal("1.5")


def gap_sentence(data: BulletinData) -> str:
    """The distance to the city ahead and the lead over the city behind; the overtaking pace only within reach."""
    s = data.standing
    bits = []
    if s.ahead is not None and s.gap_to_ahead is not None:
        bits.append(f"落后于全省{rank_word(s.ahead.rank)}的{s.ahead.name}{fmt_yi(s.gap_to_ahead)}")
    if s.behind is not None and s.gap_to_behind is not None:
        bits.append(f"领先于其后的{s.behind.name}{fmt_yi(s.gap_to_behind)}")
    if not bits:
        return ""
    text = "从全省看，全市" + "，".join(bits)
    home = s.home
    if s.ahead is not None and s.pace_needed_monthly is not None and s.pace_current_monthly is not None:
        text += "。" + pace_phrase(
            ahead=s.ahead.name,
            rank=home.rank if home else None,
            needed=s.pace_needed_monthly,
            current=s.pace_current_monthly,
            months_left=12 - data.month.month,
            reachable_ratio=REACHABLE_RATIO,
        )
    return text + "。"


def forecast_sentence(data: BulletinData) -> str:
    """One restrained paragraph on where the year may end (the forecast app's range), or nothing: in December, when
    the forecast app is not installed, or when the registry cannot support a forecast."""
    from django.apps import apps
    from django.core.exceptions import ValidationError

    if data.month.month == 12 or not apps.is_installed("zhaoshang.forecast"):
        return ""
    from zhaoshang.forecast.selectors import cached_forecast
    from zhaoshang.forecast.wording import bulletin_paragraph

    try:
        return bulletin_paragraph(cached_forecast(data.month))
    except ValidationError:
        return ""


def unit_sentences(data: BulletinData) -> str:
    rows = sorted(data.report.units, key=lambda r: r.rank or 99)
    if not rows:
        return ""
    top = rows[:3]
    text = (
        f"分单位看，{join_names([r.unit.short_name for r in top])}实际使用外资居前{cn_number(len(top))}位，"
        f"分别为{'、'.join(fmt_yi(r.figures.actual_use) for r in top)}。"
    )
    growing = [r for r in rows if r.figures.yoy_pct is not None]
    rising = [r for r in growing if round_half_up(r.figures.yoy_pct or Decimal(0), 1) > 0]
    if rising:
        fastest = max(rising, key=lambda r: r.figures.yoy_pct or Decimal(0))
        text += f"{fastest.unit.short_name}增速最快，{growth_phrase(fastest.figures.yoy_pct)}"
        falls = [
            (r.unit.short_name, r.figures.yoy_pct)
            for r in sorted(growing, key=lambda r: r.figures.yoy_pct or Decimal(0))
            if round_half_up(r.figures.yoy_pct or Decimal(0), 1) < 0
        ]
        text += f"；{falls_phrase(falls)}。" if falls else "。"  # type: ignore[arg-type]
    elif growing:
        falls = [(r.unit.short_name, r.figures.yoy_pct) for r in growing]
        text += f"{falls_phrase(falls)}。"  # type: ignore[arg-type]
    behind = sorted((r for r in rows if r.target.behind), key=lambda r: r.target.progress_pct or 0)
    if behind:
        pairs = [(r.unit.short_name, fmt_pct(r.target.progress_pct, signed=False)) for r in behind]
        time = fmt_pct(behind[0].target.time_progress_pct, signed=False)
        text += f"年度目标完成进度低于时间进度（{time}）的有{join_pairs(pairs)}。"
    return text


def notable_items(projects: list, label: str) -> list[Para]:
    items = []
    for i, p in enumerate(projects[:LISTED_PROJECTS], start=1):
        groups = "、".join(p.groups)
        if groups and groups == p.investors:
            who = f"外方投资者为世界500强企业{p.investors}（{p.countries}）"
        elif groups:
            who = f"外方投资者为{p.investors}（{p.countries}），系世界500强企业{groups}所属"
        else:
            who = f"外方投资者为{p.investors}（{p.countries}）"
        items.append(
            Para(
                f"{p.name}（{p.unit}）：{who}，总投资{money_phrase(p.total_investment_usd)}。",
                lead=f"{i}.",
                lead_level=3,
            )
        )
    if len(projects) > LISTED_PROJECTS:
        items.append(Para(f"另有{len(projects) - LISTED_PROJECTS}个{label}，详见附件。"))
    return items


def correction_paras(data: BulletinData) -> list[Para]:
    """The corrections since the last bulletin; nothing (the section is left out) when there were none."""
    if not data.corrections:
        return []
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


def requirements(data: BulletinData) -> list[Para]:
    """The closing 要求, from the month's situation: the stretch ahead, who lags, the race, the rival, the records."""
    month = data.month.month
    if month == 12:
        return []
    stretch = {True: "四季度是完成全年目标的冲刺阶段", False: "下半年是完成全年目标的关键时期"}[month >= 9]
    if month < 6:
        stretch = "当前正处于全年目标推进的起步阶段"
    target = data.report.city_target
    parts = [stretch]
    if target.progress_pct is not None and target.progress_pct < target.time_progress_pct:
        parts.append(f"全市完成进度仍慢于时间进度{_gap_pp(target.time_progress_pct - target.progress_pct)}")
    first = "，".join(parts) + "。"
    ordered = sorted(data.report.units, key=lambda r: r.target.progress_pct or 0)
    behind = [r.unit.short_name for r in ordered if r.target.behind]
    asks = []
    if behind:
        asks.append(
            f"{join_names(behind)}要对照年度目标查找差距，逐个项目排定到资时间，确保进度尽快赶上"
            if len(behind) <= 3
            else "完成进度落后于时间进度的单位要对照年度目标查找差距，逐个项目排定到资时间"
        )
    asks.append("各地要紧盯已签约项目的注册、到资和开工，推动在谈项目早签约、签约项目早落地")
    race = data.race
    if race is not None and any(r.snails for r in race.results):
        asks.append("本月被评为蜗牛的单位和项目要认真分析原因，明确整改措施和完成时限")
    if data.standing.behind is not None and data.standing.gap_to_behind is not None:
        asks.append(f"全市要巩固全省{_rank_text(data)}的位次，保持对{data.standing.behind.name}的领先优势")
    asks.append("各地要按月如实报送到资数据，确保数据准确、及时")
    return [Para(first + "下一步，" + "；".join(asks) + "。")]


def _gap_pp(pp: Decimal) -> str:
    from zhaoshang.common.money import fmt_pp

    return fmt_pp(pp)


def _rank_text(data: BulletinData) -> str:
    home = data.standing.home
    return rank_word(home.rank if home else None)


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


def date_label(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def build_outline(data: BulletinData, *, with_charts: bool = True) -> Outline:
    layout = data.layout
    dated = date_label(data.dated) if data.dated else ""
    to = (layout.addressee.rstrip("：:") + "：") if layout.addressee else addressee([r.unit for r in data.report.units])
    o = Outline(
        title=data.title,
        addressee=to,
        issuer=data.issuer,
        dated=dated,
        masthead=layout.masthead,
        doc_number=data.doc_number,
        draft=data.is_draft,
        attachments=[f"{data.period.label()}利用外资工作情况附表（电子表格）"],
        copy_to=layout.copy_to.rstrip("。"),
        printer=layout.printer,
        printed=dated,
    )
    n = iter(HEADING_NUMBERS)
    o.blocks.append(
        Para(f"现将{data.period.label()}全市利用外资工作情况通报如下（商务部口径，数据截至{data.cutoff_label}）。")
    )
    o.blocks.append(Heading(1, f"{next(n)}、总体情况"))
    o.blocks.append(Para(headline(data)))
    gap = gap_sentence(data)
    if gap:
        o.blocks.append(Para(gap))
    outlook = forecast_sentence(data)
    if outlook:
        o.blocks.append(Para(outlook))
    if with_charts:
        o.blocks.append(Image(chart.trend_png(data), f"图1 {data.period.label()}各月实际使用外资（亿美元）"))
    units_text = unit_sentences(data)
    if data.report.units:
        o.blocks.append(Heading(1, f"{next(n)}、各招商主体情况"))
        o.blocks.append(Para(units_text))
        o.blocks.append(TableBlock(tables.unit_table(data)))
        if with_charts:
            o.blocks.append(Image(chart.units_png(data), f"图2 {data.period.label()}各招商主体实际使用外资（亿美元）"))
    if data.race is not None:
        from .race_section import race_blocks

        o.blocks.append(Heading(1, f"{next(n)}、百日竞赛"))
        o.blocks += race_blocks(data.race)
    f500 = [p for p in data.notable if p.is_fortune500]
    big = [p for p in data.notable if p.is_over_100m]
    if data.notable:
        o.blocks.append(Heading(1, f"{next(n)}、重点项目"))
        o.blocks.append(
            Para(f"{data.month_label}，全市新引进世界500强投资项目{len(f500)}个、总投资超亿美元项目{len(big)}个。")
        )
        sub = iter(HEADING_NUMBERS)
        if f500:
            o.blocks.append(Heading(2, f"（{next(sub)}）世界500强投资项目"))
            o.blocks += notable_items(f500, "世界500强投资项目")
        big_only = [p for p in big if not p.is_fortune500]
        if big_only:
            o.blocks.append(Heading(2, f"（{next(sub)}）总投资超亿美元项目"))
            both = len(big) - len(big_only)
            if both:
                o.blocks.append(Para(f"除上述{both}个同属超亿美元的世界500强投资项目外，本月新引进的超亿美元项目有："))
            o.blocks += notable_items(big_only, "超亿美元项目")
    corrections = correction_paras(data)
    if corrections:
        o.blocks.append(Heading(1, f"{next(n)}、数据更正"))
        o.blocks += corrections
    asks = requirements(data)
    if asks:
        o.blocks.append(Heading(1, f"{next(n)}、工作要求"))
        o.blocks += asks
    return o
