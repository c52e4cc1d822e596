"""The forecast in the bureau's words: the command's table and the bulletin's one restrained paragraph."""

from __future__ import annotations

from decimal import Decimal

from zhaoshang.common.money import fmt_yi

from .selectors import Forecast

NUMERALS = "一二三四五六七八九十"


def rank_word(rank: int) -> str:
    return NUMERALS[rank - 1] if 1 <= rank <= 10 else str(rank)


def pct0(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def render_table(f: Forecast) -> str:
    lines = [
        f"{f.as_of:%Y年%-m月}底预测{f.year}年全年实际使用外资"
        f"（{'填报口径' if f.caliber == 'reported' else '认定口径'}，模拟{f.sims}次，种子{f.seed}）",
        f"1-{f.as_of.month}月已完成 {fmt_yi(f.city.ytd)}；全年预计 {fmt_yi(f.city.mean)}，"
        f"80%区间 {fmt_yi(f.city.p10)}至{fmt_yi(f.city.p90)}",
    ]
    if f.city_target is not None:
        lines.append(f"全年任务 {fmt_yi(f.city_target)}，完成任务的概率 {pct0(f.p_city_target)}")
    if f.rank_probabilities:
        ranks = "，".join(f"第{k}位 {pct0(v)}" for k, v in sorted(f.rank_probabilities.items()) if v >= 0.5)
        lines.append(f"全省位次的概率：{ranks}")
    weight = round(f.weight_pipeline * 100)
    lines.append(
        f"推算方法：按在库项目推算占{weight}%，按季节规律推算占{100 - weight}%"
        "（权重由两种方法对上年同期的预测误差确定）"
    )
    lines += ["", f"{'单位':<10}{'1-N月':>10}{'全年预计':>10}{'P10':>10}{'P90':>10}{'完成任务概率':>8}"]
    for u in f.units:
        lines.append(
            f"{u.name:<10}{_yi(u.range.ytd):>10}{_yi(u.range.mean):>10}{_yi(u.range.p10):>10}{_yi(u.range.p90):>10}"
            f"{pct0(u.p_target):>8}"
        )
    if f.stages:
        lines += ["", "各阶段项目到资的概率与时间（按预测时点以前的项目库估计）"]
        for s in f.stages:
            delay = "—" if s.get("median_delay_months") is None else f"{s['median_delay_months']}个月"
            lines.append(
                f"  {s['label']}：{s['projects']}个项目，最终到资概率 {s['reach_arrival_pct']:.0f}%，"
                f"到资时间中位数 {delay}"
            )
    if f.deciders:
        lines += ["", "决定全年的项目（按年内预计到资排序）"]
        for i, d in enumerate(f.deciders, 1):
            lines.append(
                f"  {i}. {d.code} {d.name}（{d.unit}，{d.stage}）"
                f"按项目推算年内预计到资 {_wan(d.expected)}，未到位合同外资 {_wan(d.unpaid)}"
            )
            if d.scenario:
                lines.append(f"     {d.scenario}")
            if d.officer:
                lines.append(f"     {d.officer}")
    return "\n".join(lines)


def _yi(value: Decimal) -> str:
    return fmt_yi(value).replace("亿美元", "亿")


def _wan(value: Decimal) -> str:
    return f"{(value / 10000).quantize(Decimal(1))}万美元"


def bulletin_paragraph(f: Forecast) -> str:
    """One paragraph that never claims more than the range: the expected value only with its 80% range, the target
    and the rank only as probabilities."""
    text = (
        f"按当前在谈和已签约项目推算，全年实际使用外资预计{fmt_yi(f.city.mean)}"
        f"（80%区间{fmt_yi(f.city.p10).replace('亿美元', '')}—{fmt_yi(f.city.p90)}）"
    )
    if f.city_target is not None and f.p_city_target is not None:
        text += f"，完成全年任务{fmt_yi(f.city_target)}的概率约为{pct0(f.p_city_target)}"
    if f.rank_probabilities:
        best_rank, best_p = max(f.rank_probabilities.items(), key=lambda kv: (kv[1], -kv[0]))
        text += f"；全省位次最可能为第{best_rank}位（概率约{pct0(best_p)}）"
    text += "。以上按项目库填报数推算，仅供研判，不作为统计数据发布。"
    return text
