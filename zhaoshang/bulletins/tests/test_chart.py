"""Charts keep their Chinese glyphs whatever matplotlib's font cache holds: empty, or written before the CJK fonts.

Each case runs in a fresh interpreter with its own MPLCONFIGDIR, since matplotlib reads its cache once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhaoshang.bulletins import chart

DRAW = """
import json, warnings
import matplotlib
from matplotlib import font_manager
before = sorted({f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name or "WenQuanYi" in f.name})
warnings.simplefilter("error")  # a missing glyph is a UserWarning: make it fatal here
from zhaoshang.bulletins import chart
fig = chart._figure(3, 2)
ax = fig.add_subplot()
ax.bar(["嘉善县", "秀洲区"], [1, 2])
ax.set_ylabel("亿美元")
chart._png(fig)
used = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"]))
print(json.dumps({"before": before, "family": chart.cjk_font(), "used": used}))
"""


def draw(config_dir: Path) -> dict:
    env = {**os.environ, "MPLCONFIGDIR": str(config_dir), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", DRAW], env=env, capture_output=True, text=True, timeout=300, cwd=Path.cwd()
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def font_file() -> Path:
    try:
        return chart._font_file()
    except chart.ChartFontMissing:
        pytest.skip("no CJK font installed (./run setup installs fonts-noto-cjk)")


def test_with_an_empty_cache_the_cjk_font_draws_the_labels(tmp_path, font_file):
    result = draw(tmp_path)
    assert result["used"] == str(font_file)
    assert "CJK" in result["family"] or "WenQuanYi" in result["family"]


def test_with_a_stale_cache_that_predates_the_fonts(tmp_path, font_file):
    draw(tmp_path)  # writes the cache
    (cache,) = tmp_path.glob("fontlist-v*.json")
    data = json.loads(cache.read_text())
    data["ttflist"] = [f for f in data["ttflist"] if "CJK" not in f["fname"] and "wqy" not in f["fname"]]
    cache.write_text(json.dumps(data))  # as if matplotlib had first run before fonts-noto-cjk was installed
    result = draw(tmp_path)
    assert result["before"] == []  # the cache indeed knows no CJK font
    assert result["used"] == str(font_file)


def test_no_cjk_font_fails_loudly(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(chart, "CJK_FONT_FILES", [])
    monkeypatch.setattr(chart, "CJK_FONT_DIRS", [str(tmp_path)])
    settings.BULLETIN_CJK_FONT = ""
    chart.cjk_font.cache_clear()
    try:
        with pytest.raises(chart.ChartFontMissing, match="fonts-noto-cjk"):
            chart.cjk_font()
    finally:
        chart.cjk_font.cache_clear()


def test_a_missing_glyph_is_an_error_in_this_test_suite():
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = Figure()
        fig.text(0.5, 0.5, "嘉兴")
        with pytest.raises(UserWarning, match="missing from font"):
            chart._png(fig)
