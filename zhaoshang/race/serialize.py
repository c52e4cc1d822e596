"""The board for people: a terminal table and a short markdown text (the group push uses the same words)."""

from __future__ import annotations

from zhaoshang.common.money import fmt_pct, fmt_yi

from .board import Board, BoardRival


def arrow(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "→"


def rival_sentence(rival: BoardRival | None) -> str:
    if rival is None or rival.lead_usd is None:
        return "对标城市：暂无可比数据"
    lead = rival.lead_usd
    where = "领先" if lead > 0 else "落后" if lead < 0 else "持平"
    gap = "" if lead == 0 else fmt_yi(abs(lead))
    return (
        f"{rival.label}全市实际使用外资{fmt_yi(rival.city_actual_use_usd)}，"
        f"{rival.name}{fmt_yi(rival.actual_use_usd)}，{where}{gap}"
    )


def render_board(board: Board) -> str:
    comp = board.competition
    status = f"第{board.version}版" if board.published else "未发布（实时计算）"
    lines = [
        f"{comp.name}  {board.date.isoformat()}  {status}  时间进度 {board.time_progress_pct}%",
    ]
    if board.reason:
        lines.append(f"重算原因：{board.reason}")
    inds = board.indicators
    head = ["名次", "升降", "单位", "得分", *[f"{i.label}完成率" for i in inds]]
    rows = [head]
    for u in board.units:
        rows.append(
            [
                str(u.rank),
                arrow(u.rank_change),
                u.name,
                f"{u.score:.2f}",
                *[fmt_pct(u.figures[i.key].completion_pct, signed=False) for i in inds],
            ]
        )
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    for r in rows:
        lines.append("  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(r)).rstrip())
    city = board.city
    lines.append(
        f"竞赛以来：实际使用外资{fmt_yi(city.actual_use_race_usd)}，"
        f"超亿美元项目{city.projects_over_100m_race}个，世界500强项目{city.fortune500_projects_race}个；"
        f"全年累计超亿美元项目{city.projects_over_100m_ytd}个"
    )
    lines.append(rival_sentence(board.rival))
    lines.append(f"红旗项目（{len(board.red_flags)}个）：")
    for f in board.red_flags:
        mark = "【本周】" if f.new else ""
        lines.append(f"  {mark}{f.unit_name} {f.project_name}：{f.reason}")
    lines.append(f"蜗牛（{len(board.snails)}个）：")
    for s in board.snails:
        who = s.unit_name if s.kind == "unit" else f"{s.unit_name} {s.project_name}"
        lines.append(f"  {who}：{s.reason}")
    if board.proposed_red_flags or board.proposed_snails:
        lines.append(f"待确认：红旗项目建议{len(board.proposed_red_flags)}个，蜗牛建议{len(board.proposed_snails)}个")
    return "\n".join(lines)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)
