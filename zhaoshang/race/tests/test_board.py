"""The typed board reads every stored version back and writes the same JSON the contract pins."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zhaoshang.race.board import SCHEMA_VERSION, Board

SNAPSHOTS = Path(__file__).resolve().parents[3] / "tests" / "demo" / "snapshots"


@pytest.mark.parametrize("day", ["2020-07-03", "2020-09-25", "2020-09-30"])
def test_a_version_1_board_reads_back_to_the_same_json(day):
    """The pinned boards were stored before the type existed (no schema_version: version 1)."""
    old = json.loads((SNAPSHOTS / f"race-{day}.json").read_text(encoding="utf-8"))
    assert "schema_version" not in old
    board = Board.from_json(old)
    board.published, board.version, board.reason = old["published"], old["version"], old["reason"]
    again = board.to_json()
    # Versions are read from the snapshots' rows, not from the stored board; everything else round-trips.
    assert {k: v for k, v in again.items() if k not in ("schema_version", "versions")} == {
        k: v for k, v in old.items() if k != "versions"
    }
    assert again["schema_version"] == SCHEMA_VERSION


def test_typed_values():
    old = json.loads((SNAPSHOTS / "race-2020-09-30.json").read_text(encoding="utf-8"))
    board = Board.from_json(old)
    assert board.date == date(2020, 9, 30)
    assert board.competition.start == date(2020, 6, 23)
    assert isinstance(board.city.actual_use_race_usd, Decimal)
    assert board.city.actual_use_race_usd == Decimal(old["city"]["actual_use_race_usd"])
    money = [i for i in board.indicators if i.is_money]
    assert money
    assert all(isinstance(u.figures[money[0].key].achieved, Decimal) for u in board.units)
    assert board.ranks() == {u["code"]: u["rank"] for u in old["units"]}


def test_a_newer_schema_is_refused_with_a_reason():
    old = json.loads((SNAPSHOTS / "race-2020-09-30.json").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="榜单数据版本"):
        Board.from_json({**old, "schema_version": SCHEMA_VERSION + 1})
