"""Group messages in markdown (DingTalk and WeCom read the same subset): the monthly headline."""

from __future__ import annotations

from zhaoshang.common.money import fmt_pct, fmt_yi

from .content import headline
from .push.markdown import md_text
from .selectors import BulletinData
from .wording import rank_word


def monthly_markdown(data: BulletinData) -> tuple[str, str]:
    """(title, text) of the monthly push: the bulletin's headline and the units' ranking."""
    title = f"{data.period.label()}利用外资通报"
    lines = [
        f"### {md_text(data.city_name)}{title}",
        "",
        f"（商务部口径，数据截至{data.cutoff_label}）",
        "",
        md_text(headline(data)),
        "",
        "**各招商主体实际使用外资**",
        "",
    ]
    for r in sorted(data.report.units, key=lambda r: r.rank or 99):
        lines.append(
            f"{r.rank}. {md_text(r.unit.short_name)}：{fmt_yi(r.figures.actual_use)}，同比{fmt_pct(r.figures.yoy_pct)}"
            + (f"，完成进度{fmt_pct(r.target.progress_pct, signed=False)}" if r.target.progress_pct is not None else "")
        )
    home = data.standing.home
    lines += ["", f"> 全市规模居全省{rank_word(home.rank if home else None)}。详见{md_text(data.issuer)}通报。"]
    return title, "\n".join(lines)
