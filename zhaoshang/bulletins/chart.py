"""Charts for the bulletin, drawn on the server with matplotlib in a Chinese font (Noto CJK from Debian)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

from zhaoshang.common.money import YI

if TYPE_CHECKING:
    from .selectors import BulletinData

# In order of preference; fonts-noto-cjk (installed by ./run) provides the first ones.
CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Droid Sans Fallback"]


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, found through matplotlib's font manager."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    for name in sorted(installed):
        if "CJK" in name or "Hei" in name or "Song" in name:
            return name
    return None


def _figure(width_in: float, height_in: float) -> Figure:
    family = cjk_font()
    if family:
        matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return Figure(figsize=(width_in, height_in), dpi=150, layout="tight")


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def trend_png(data: BulletinData) -> bytes:
    """Monthly actual use this year (bars) against the same month a year earlier (line), in 亿美元."""
    fig = _figure(6.2, 2.9)
    ax = fig.add_subplot()
    labels = [f"{p.month.month}月" for p in data.monthly]
    cur = [float(p.actual_use / YI) for p in data.monthly]
    prev = [float(p.actual_use_prev / YI) for p in data.monthly]
    ax.bar(labels, cur, color="#c0392b", label=f"{data.month.year}年")
    ax.plot(labels, prev, color="#34495e", marker="o", label=f"{data.month.year - 1}年")
    for x, y in enumerate(cur):
        ax.annotate(f"{y:.2f}", (x, y), ha="center", va="bottom", fontsize=7)
    ax.set_ylabel("亿美元")
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def units_png(data: BulletinData) -> bytes:
    """Each unit's actual use in the period, ranked (horizontal bars, largest on top), in 亿美元."""
    rows = sorted(data.report.units, key=lambda r: r.figures.actual_use)
    fig = _figure(6.2, 0.3 * max(len(rows), 3) + 0.8)
    ax = fig.add_subplot()
    names = [r.unit.short_name for r in rows]
    values = [float(r.figures.actual_use / YI) for r in rows]
    ax.barh(names, values, color="#2e86c1")
    for y, v in enumerate(values):
        ax.annotate(f"{v:.2f}", (v, y), ha="left", va="center", fontsize=7, xytext=(2, 0), textcoords="offset points")
    ax.set_xlabel("亿美元")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
