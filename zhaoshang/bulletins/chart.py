"""Charts for the bulletin, drawn on the server with matplotlib in a Chinese font (Noto CJK from Debian)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

from django.conf import settings
from matplotlib import font_manager
from matplotlib.figure import Figure

from zhaoshang.common.money import YI

if TYPE_CHECKING:
    from .selectors import BulletinData

# Font files with Chinese glyphs, in order of preference: fonts-noto-cjk (installed by ./run), then WenQuanYi.
CJK_FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
CJK_FONT_DIRS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/wqy", "/usr/share/fonts"]


class ChartFontMissing(RuntimeError):
    """No font with Chinese glyphs: drawing on would print empty boxes in place of every label."""


def _font_file() -> Path:
    configured = getattr(settings, "BULLETIN_CJK_FONT", "")
    candidates = [Path(configured)] if configured else []
    candidates += [Path(p) for p in CJK_FONT_FILES]
    for d in CJK_FONT_DIRS:
        root = Path(d)
        if root.is_dir():
            candidates += sorted(p for p in root.rglob("*CJK*-Regular.tt[cf]"))
            candidates += sorted(p for p in root.rglob("*CJK*-Regular.otf"))
    for path in candidates:
        if path.is_file():
            return path
    raise ChartFontMissing(
        "找不到含中文字形的字体文件，通报图表无法生成：请安装 fonts-noto-cjk（./run setup 会安装），"
        "或在设置 BULLETIN_CJK_FONT 中写明字体文件路径"
    )


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of the CJK font, registered from its file with matplotlib's font manager.

    Registering the file (addfont) works whatever matplotlib's font cache says: a cache written before the fonts were
    installed does not list them, and matplotlib never rescans it, so looking the family up by name is not enough.
    """
    path = _font_file()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _figure(width_in: float, height_in: float) -> Figure:
    matplotlib.rcParams["font.family"] = [cjk_font(), "DejaVu Sans"]
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
