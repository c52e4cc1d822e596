"""Sentences generated from figures: rank words (第一、第二…), rises and falls, margins and progress.

Nothing here holds a number of its own: every function turns figures it is given into the bureau's wording.
"""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.common.money import round_half_up

DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """0–99 in Chinese numerals as used for ranks: 1 一, 10 十, 12 十二, 20 二十, 21 二十一."""
    if not 0 <= n <= 99:
        return str(n)
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def rank_word(rank: int | None) -> str:
    """第一, 第二, …; '—' when there is no rank."""
    return "—" if rank is None else f"第{cn_number(rank)}"


def _pct(value: Decimal) -> str:
    return f"{round_half_up(abs(Decimal(value)), 1)}%"


def _pp(value: Decimal) -> str:
    return f"{round_half_up(abs(Decimal(value)), 1)}个百分点"


def growth_phrase(pct: Decimal | None) -> str:
    """同比增长44.4% / 同比下降3.2% / 与上年同期持平 / 上年同期无数据."""
    if pct is None:
        return "上年同期无可比数据"
    rounded = round_half_up(Decimal(pct), 1)
    if rounded > 0:
        return f"同比增长{_pct(pct)}"
    if rounded < 0:
        return f"同比下降{_pct(pct)}"
    return "与上年同期持平"


def margin_phrase(pp: Decimal | None, against: str = "全省平均") -> str:
    """增速高于全省平均35.1个百分点 / 低于… / 与…持平; empty when the province's growth is unknown."""
    if pp is None:
        return ""
    rounded = round_half_up(Decimal(pp), 1)
    if rounded > 0:
        return f"增速高于{against}{_pp(pp)}"
    if rounded < 0:
        return f"增速低于{against}{_pp(pp)}"
    return f"增速与{against}持平"


def rank_move_phrase(now: int | None, before: int | None, before_label: str) -> str:
    """位次较1-8月上升1位 / 下降2位 / 与1-8月持平; empty when either rank is unknown."""
    if now is None or before is None:
        return ""
    if now < before:
        return f"位次较{before_label}上升{before - now}位"
    if now > before:
        return f"位次较{before_label}下降{now - before}位"
    return f"位次与{before_label}持平"


def progress_phrase(done_pct: Decimal | None, time_pct: Decimal) -> str:
    """完成年度目标的78.2%，快于时间进度3.2个百分点 / 慢于… / 与时间进度持平; empty without a target."""
    if done_pct is None:
        return ""
    gap = round_half_up(Decimal(done_pct) - Decimal(time_pct), 1)
    head = f"完成年度目标的{round_half_up(Decimal(done_pct), 1)}%"
    if gap > 0:
        return f"{head}，快于时间进度{_pp(gap)}"
    if gap < 0:
        return f"{head}，慢于时间进度{_pp(gap)}"
    return f"{head}，与时间进度持平"


def join_names(names: list[str]) -> str:
    """A、B和C."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return "、".join(names[:-1]) + "和" + names[-1]


def join_pairs(pairs: list[tuple[str, str]]) -> str:
    """Each name with its figure in one clause: 桐乡市51.8%、平湖市58.6%和嘉兴港区59.3%."""
    return join_names([f"{name}{figure}" for name, figure in pairs])


def falls_phrase(falls: list[tuple[str, Decimal]]) -> str:
    """桐乡市同比下降7.1% / 桐乡市、南湖区同比分别下降7.1%、3.2%; empty when nothing fell."""
    if not falls:
        return ""
    if len(falls) == 1:
        name, pct = falls[0]
        return f"{name}{growth_phrase(pct)}"
    names = "、".join(n for n, _ in falls)
    return f"{names}同比分别下降" + "、".join(_pct(p) for _, p in falls)


def money_phrase(usd: Decimal) -> str:
    """An amount as the bureau writes it in prose: 3.16亿美元 from one 亿 up, 7001万美元 below."""
    from zhaoshang.common.money import YI, fmt_wan, fmt_yi

    return fmt_yi(usd) if abs(Decimal(usd)) >= YI else fmt_wan(usd)


def pace_phrase(
    *, ahead: str, rank: int | None, needed: Decimal, current: Decimal, months_left: int, reachable_ratio: Decimal
) -> str:
    """The overtaking sentence when the pace it needs is within reach of the pace so far; otherwise the rank held.

    Within reach: the monthly arrivals needed for the rest of the year are at most `reachable_ratio` times the monthly
    average so far."""
    from zhaoshang.common.money import fmt_yi

    rest = "余下月份" if months_left > 1 else "最后一个月"
    if current > 0 and needed <= current:
        return f"{rest}保持前期月均{fmt_yi(current)}的到资水平，年内可望赶超{ahead}"
    if current > 0 and needed <= current * reachable_ratio:
        return f"{rest}月均到资提高到{fmt_yi(needed)}（前期月均{fmt_yi(current)}），年内可望赶超{ahead}"
    held = f"，年内重在稳住全省{rank_word(rank)}位次" if rank else ""
    return f"与{ahead}差距较大{held}"
