"""The race board as a typed value: built by the selector, read by the pages and the bulletin, serialised once.

`Board.to_json()` is the JSON of `zhaoshang race board --format json` and `GET /api/race/{slug}/board` (money as
decimal strings in US$, dates as ISO text), and what a published snapshot stores together with its schema version.
`Board.from_json()` reads every stored version back: version 1 is the untyped dict stored before this type existed
(the same keys), so old snapshots stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhaoshang.stats import indicators as registry

Date = date  # `Board.date` is a field; its type is spelt Date inside the class

SCHEMA_VERSION = 2
CENT = Decimal("0.01")


def money_text(v: Decimal | None) -> str | None:
    return None if v is None else str(Decimal(v).quantize(CENT))


def _money(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def _day(v: Any) -> date | None:
    return None if v in (None, "") else date.fromisoformat(str(v))


@dataclass(frozen=True)
class BoardCompetition:
    slug: str
    name: str
    start: date
    end: date
    rule: str
    score_cap: float


@dataclass(frozen=True)
class BoardIndicator:
    key: str
    label: str
    weight: float

    @property
    def is_money(self) -> bool:
        return self.key in registry.MONEY_KEYS


@dataclass(frozen=True)
class UnitFigure:
    """A unit's achievement on one indicator: money in US$ (Decimal) or a count."""

    achieved: Decimal | None
    target: Decimal | None
    completion_pct: float | None


@dataclass
class BoardUnit:
    code: str
    name: str
    score: float
    rank: int
    rank_change: int | None
    figures: dict[str, UnitFigure]


@dataclass(frozen=True)
class BoardCity:
    actual_use_race_usd: Decimal
    actual_use_ytd_usd: Decimal
    projects_over_100m_race: int
    projects_over_100m_ytd: int
    fortune500_projects_race: int
    fortune500_projects_ytd: int


@dataclass(frozen=True)
class BoardRival:
    code: str
    name: str
    months: str | None = None
    label: str | None = None
    actual_use_usd: Decimal | None = None
    city_actual_use_usd: Decimal | None = None
    lead_usd: Decimal | None = None
    source: str | None = None


@dataclass(frozen=True)
class BoardFlag:
    project_code: str
    project_name: str
    unit_code: str
    unit_name: str
    on: date | None
    rule: str
    reason: str
    new: bool = False


@dataclass(frozen=True)
class BoardSnail:
    kind: str  # "project" or "unit"
    unit_code: str
    unit_name: str
    project_code: str | None
    project_name: str | None
    on: date
    rule: str
    reason: str


@dataclass(frozen=True)
class BoardArrivals:
    """Which months of arrivals the money figures hold (arrivals are recorded by month): "2020-06..2020-08"."""

    race_months: str | None
    ytd_months: str | None
    through: str | None
    label: str  # 到资数据截至8月，6月按全月计


@dataclass(frozen=True)
class BoardDormant:
    """A unit's projects idle beyond the competition's dormant days: to stop (中止) or give a status for."""

    unit_code: str
    unit_name: str
    projects: int


@dataclass(frozen=True)
class BoardVersion:
    version: int
    reason: str
    created_at: str
    created_by: str


@dataclass(frozen=True)
class BoardWeek:
    start: date
    end: date


@dataclass
class Board:
    competition: BoardCompetition
    date: Date
    week: BoardWeek
    time_progress_pct: float | None
    previous_date: Date | None
    indicators: list[BoardIndicator]
    units: list[BoardUnit]
    city: BoardCity
    rival: BoardRival | None
    red_flags: list[BoardFlag]
    snails: list[BoardSnail]
    proposed_red_flags: list[BoardFlag]
    proposed_snails: list[BoardSnail]
    # Added by issue 16; absent (None, empty) on boards stored before it.
    arrivals: BoardArrivals | None = None
    dormant_projects: list[BoardDormant] = field(default_factory=list)
    # How this board was read: a published snapshot (its version and reason) or a live computation.
    published: bool = False
    version: int | None = None
    reason: str | None = None
    versions: list[BoardVersion] = field(default_factory=list)

    def ranks(self) -> dict[str, int]:
        return {u.code: u.rank for u in self.units}

    def scores(self) -> dict[str, float]:
        return {u.code: u.score for u in self.units}

    # ------------------------------------------------------------------------------------------- serialisation

    def _value(self, key: str, v: Decimal | None) -> str | int | None:
        if v is None:
            return None
        return money_text(v) if key in registry.MONEY_KEYS else int(v)

    def stored_json(self) -> dict[str, Any]:
        """What a published snapshot keeps: the board itself, without how it was read."""
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "competition": {
                "slug": self.competition.slug,
                "name": self.competition.name,
                "start": self.competition.start.isoformat(),
                "end": self.competition.end.isoformat(),
                "rule": self.competition.rule,
                "score_cap": self.competition.score_cap,
            },
            "date": self.date.isoformat(),
            "week": {"start": self.week.start.isoformat(), "end": self.week.end.isoformat()},
            "time_progress_pct": self.time_progress_pct,
            "previous_date": self.previous_date.isoformat() if self.previous_date else None,
            "indicators": [{"key": i.key, "label": i.label, "weight": i.weight} for i in self.indicators],
            "units": [
                {
                    "code": u.code,
                    "name": u.name,
                    "score": u.score,
                    "rank": u.rank,
                    "rank_change": u.rank_change,
                    "figures": {
                        k: {
                            "achieved": self._value(k, f.achieved),
                            "target": self._value(k, f.target),
                            "completion_pct": f.completion_pct,
                        }
                        for k, f in u.figures.items()
                    },
                }
                for u in self.units
            ],
            "city": {
                "actual_use_race_usd": money_text(self.city.actual_use_race_usd),
                "actual_use_ytd_usd": money_text(self.city.actual_use_ytd_usd),
                "projects_over_100m_race": self.city.projects_over_100m_race,
                "projects_over_100m_ytd": self.city.projects_over_100m_ytd,
                "fortune500_projects_race": self.city.fortune500_projects_race,
                "fortune500_projects_ytd": self.city.fortune500_projects_ytd,
            },
            "rival": None if self.rival is None else _rival_json(self.rival),
            "red_flags": [_flag_json(f) for f in self.red_flags],
            "snails": [_snail_json(s) for s in self.snails],
            "proposed_red_flags": [_flag_json(f) for f in self.proposed_red_flags],
            "proposed_snails": [_snail_json(s) for s in self.proposed_snails],
        }
        if self.arrivals is not None:  # boards built since issue 16; older stored boards read back without them
            out["arrivals"] = {
                "race_months": self.arrivals.race_months,
                "ytd_months": self.arrivals.ytd_months,
                "through": self.arrivals.through,
                "label": self.arrivals.label,
            }
            out["dormant_projects"] = [
                {"unit_code": d.unit_code, "unit_name": d.unit_name, "projects": d.projects}
                for d in self.dormant_projects
            ]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            **self.stored_json(),
            "published": self.published,
            "version": self.version,
            "reason": self.reason,
            "versions": [
                {"version": v.version, "reason": v.reason, "created_at": v.created_at, "created_by": v.created_by}
                for v in self.versions
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Board:
        """A board from any stored version (1: the dict kept before the type; 2: `stored_json`)."""
        version = int(data.get("schema_version") or 1)
        if version > SCHEMA_VERSION:
            raise ValueError(f"榜单数据版本 {version} 高于本系统支持的 {SCHEMA_VERSION}")
        comp = data["competition"]
        indicators = [BoardIndicator(i["key"], i["label"], float(i["weight"])) for i in data["indicators"]]
        money = {i.key for i in indicators if i.is_money}

        def amount(key: str, v: Any) -> Decimal | None:
            return _money(v) if key in money else (None if v is None else Decimal(int(v)))

        city = data.get("city") or {}
        rival = data.get("rival")
        return cls(
            competition=BoardCompetition(
                comp["slug"],
                comp["name"],
                date.fromisoformat(comp["start"]),
                date.fromisoformat(comp["end"]),
                comp.get("rule", ""),
                float(comp.get("score_cap") or 0),
            ),
            date=date.fromisoformat(data["date"]),
            week=BoardWeek(date.fromisoformat(data["week"]["start"]), date.fromisoformat(data["week"]["end"])),
            time_progress_pct=data.get("time_progress_pct"),
            previous_date=_day(data.get("previous_date")),
            indicators=indicators,
            units=[
                BoardUnit(
                    u["code"],
                    u["name"],
                    float(u["score"]),
                    int(u["rank"]),
                    u.get("rank_change"),
                    {
                        k: UnitFigure(amount(k, f.get("achieved")), amount(k, f.get("target")), f.get("completion_pct"))
                        for k, f in u["figures"].items()
                    },
                )
                for u in data["units"]
            ],
            city=BoardCity(
                _money(city.get("actual_use_race_usd")) or Decimal(0),
                _money(city.get("actual_use_ytd_usd")) or Decimal(0),
                int(city.get("projects_over_100m_race") or 0),
                int(city.get("projects_over_100m_ytd") or 0),
                int(city.get("fortune500_projects_race") or 0),
                int(city.get("fortune500_projects_ytd") or 0),
            ),
            rival=None
            if not rival
            else BoardRival(
                rival["code"],
                rival["name"],
                rival.get("months"),
                rival.get("label"),
                _money(rival.get("actual_use_usd")),
                _money(rival.get("city_actual_use_usd")),
                _money(rival.get("lead_usd")),
                rival.get("source"),
            ),
            red_flags=[_flag(f) for f in data.get("red_flags", [])],
            snails=[_snail(s) for s in data.get("snails", [])],
            proposed_red_flags=[_flag(f) for f in data.get("proposed_red_flags", [])],
            proposed_snails=[_snail(s) for s in data.get("proposed_snails", [])],
            arrivals=None
            if not data.get("arrivals")
            else BoardArrivals(
                data["arrivals"].get("race_months"),
                data["arrivals"].get("ytd_months"),
                data["arrivals"].get("through"),
                data["arrivals"].get("label") or "",
            ),
            dormant_projects=[
                BoardDormant(d["unit_code"], d["unit_name"], int(d["projects"]))
                for d in data.get("dormant_projects", [])
            ],
        )


def _rival_json(r: BoardRival) -> dict[str, Any]:
    out: dict[str, Any] = {"code": r.code, "name": r.name, "months": r.months}
    if r.label is not None:
        out["label"] = r.label
    out.update(
        actual_use_usd=money_text(r.actual_use_usd),
        city_actual_use_usd=money_text(r.city_actual_use_usd),
        lead_usd=money_text(r.lead_usd),
    )
    if r.source is not None:
        out["source"] = r.source
    return out


def _flag_json(f: BoardFlag) -> dict[str, Any]:
    return {
        "project_code": f.project_code,
        "project_name": f.project_name,
        "unit_code": f.unit_code,
        "unit_name": f.unit_name,
        "on": f.on.isoformat() if f.on else None,
        "rule": f.rule,
        "reason": f.reason,
        "new": f.new,
    }


def _flag(d: dict[str, Any]) -> BoardFlag:
    return BoardFlag(
        d["project_code"],
        d["project_name"],
        d["unit_code"],
        d["unit_name"],
        _day(d.get("on")),
        d["rule"],
        d["reason"],
        bool(d.get("new")),
    )


def _snail_json(s: BoardSnail) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "unit_code": s.unit_code,
        "unit_name": s.unit_name,
        "project_code": s.project_code,
        "project_name": s.project_name,
        "on": s.on.isoformat(),
        "rule": s.rule,
        "reason": s.reason,
    }


def _snail(d: dict[str, Any]) -> BoardSnail:
    return BoardSnail(
        d["kind"],
        d["unit_code"],
        d["unit_name"],
        d.get("project_code"),
        d.get("project_name"),
        date.fromisoformat(d["on"]),
        d["rule"],
        d["reason"],
    )
