"""The README's indicator table is the registry's own words."""

from pathlib import Path

from zhaoshang.stats.indicators import definitions_markdown


def test_readme_carries_the_indicator_definitions():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert definitions_markdown().strip() in readme
