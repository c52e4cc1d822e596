"""The public JSON contracts, pinned on the demo before the registry refactor (commit 132b8e8).

`zhaoshang stats --format json` (and `/api/stats`, the same JSON), `race board --format json` and `chains map
--format json`: every key pinned here must still be there (keys may be added, never renamed or dropped), and every
figure must keep its value. A deliberate change of a value belongs to an issue and is listed in CHANGED with it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from zhaoshang.chains.models import Chain
from zhaoshang.chains.selectors import chain_map
from zhaoshang.chains.serialize import map_json
from zhaoshang.common.periods import MonthRange
from zhaoshang.race.selectors import board, competition_by_slug
from zhaoshang.stats.selectors import stats_report
from zhaoshang.stats.serialize import report_json

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
SNAPSHOTS = Path(__file__).parent / "snapshots"

# Paths whose pinned value may differ ("[]" stands for any list index): the clock's, and each deliberate change of a
# value with the issue that made it.
CHANGED: dict[str, str] = {
    "$.versions[].created_at": "the time the demo was built",
    # Database ids are not figures: PostgreSQL's sequences keep counting across the tests before the demo's.
    **{
        path: "a database id"
        for path in (
            "$.target_list[].id",
            "$.links[].id",
            "$.links[].targets[].id",
            "$.links[].suggested[].id",
            "$.links[].suggested[].placement_id",
            "$.links[].enterprises[].id",
        )
    },
}
# The same, for one snapshot only ("file|path"); a path stands for everything beneath it.
WEEKLY = "weekly boards count arrivals of ended months only (issue 16): the running month leaves the scores"
CAPS = "red flags capped per month, stalled projects capped and ranked, each reason its own (issue 16)"
for _day in ("2020-07-03", "2020-09-25"):
    for _path in ("$.units", "$.city.actual_use_race_usd", "$.city.actual_use_ytd_usd", "$.rival"):
        CHANGED[f"race-{_day}.json|{_path}"] = WEEKLY
for _day in ("2020-07-03", "2020-09-25", "2020-09-30"):
    for _path in ("$.red_flags", "$.snails", "$.proposed_red_flags", "$.proposed_snails"):
        CHANGED[f"race-{_day}.json|{_path}"] = CAPS
CHANGED["race-2020-09-30.json|$.units[].rank_change"] = "against the 9-25 board, which changed (see above)"


def _same(pinned: Any, now: Any, path: str, problems: list[str], name: str = "") -> None:
    if any(_match(path, pattern, name) for pattern in CHANGED):
        return
    if isinstance(pinned, dict):
        if not isinstance(now, dict):
            problems.append(f"{path}: was an object, now {type(now).__name__}")
            return
        for key, value in pinned.items():
            if key not in now:
                problems.append(f"{path}.{key}: key dropped")
            else:
                _same(value, now[key], f"{path}.{key}", problems, name)
    elif isinstance(pinned, list):
        if not isinstance(now, list) or len(now) != len(pinned):
            problems.append(f"{path}: list of {len(pinned)} now {len(now) if isinstance(now, list) else now!r}")
            return
        for i, (a, b) in enumerate(zip(pinned, now, strict=True)):
            _same(a, b, f"{path}[{i}]", problems, name)
    elif pinned != now:
        problems.append(f"{path}: {pinned!r} → {now!r}")


def _match(path: str, pattern: str, name: str = "") -> bool:
    if "|" in pattern:
        only, pattern = pattern.split("|", 1)
        if only != name:
            return False
        general = re.sub(r"\[\d+\]", "[]", path)
        return general == pattern or general.startswith((pattern + ".", pattern + "["))
    return re.sub(r"\[\d+\]", "[]", path) == pattern


def _upstream_by_name(chain_map_json: Any) -> Any:
    """A link's upstream links are database ids; compare them by the links' names (ids differ on PostgreSQL)."""
    if isinstance(chain_map_json, dict) and isinstance(chain_map_json.get("links"), list):
        names = {link["id"]: link["name"] for link in chain_map_json["links"]}
        for link in chain_map_json["links"]:
            link["upstream"] = [names.get(i, f"missing link {i}") for i in link["upstream"]]
    return chain_map_json


def check(name: str, now: Any) -> None:
    pinned = _upstream_by_name(json.loads((SNAPSHOTS / name).read_text(encoding="utf-8")))
    now = _upstream_by_name(json.loads(json.dumps(now, ensure_ascii=False, default=str)))
    problems: list[str] = []
    _same(pinned, now, "$", problems, name)
    assert not problems, f"{name}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize(
    ("name", "period", "unit"),
    [
        ("stats-2020-01..2020-09.json", "2020-01..2020-09", None),
        ("stats-2020-01..2020-06.json", "2020-01..2020-06", None),
        ("stats-2020Q3-330421.json", "2020Q3", "330421"),
    ],
)
def test_stats_json_contract(demo, name, period, unit):
    check(name, report_json(stats_report(MonthRange.parse(period), unit_code=unit)))


@pytest.mark.parametrize("day", ["2020-07-03", "2020-09-25", "2020-09-30"])
def test_race_board_json_contract(demo, day):
    from datetime import date

    check(f"race-{day}.json", board(competition_by_slug("fdi-100-days-2020"), date.fromisoformat(day)).to_json())


def test_chain_map_json_contract(demo):
    check("chains-pv.json", map_json(chain_map(Chain.objects.get(slug="pv"))))
