"""The Fortune Global 500 list (columns Rank, Company, Country, Revenues), read through the common reader."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .kinds import load_file


def import_fortune500(
    path: Path | str | bytes, *, year: int, published_on: date | None = None, actor: Any = None, dry_run: bool = False
) -> int:
    """Load one year's list; the whole file or nothing. The list is taken as published on 1 August unless told."""
    result = load_file("fortune500", path, actor=actor, dry_run=dry_run, year=year, published_on=published_on)
    return result.rows
