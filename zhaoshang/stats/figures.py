"""A unit's (or the city's) figures as one value, with the derived percentages the registry declares."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


def growth_pct(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Year-on-year growth in %, or None on a zero or missing base (shown as '—', never ∞ or 0%)."""
    if current is None or previous is None or previous <= 0:
        return None
    return (Decimal(current) / Decimal(previous) - 1) * 100


@dataclass
class Figures:
    """One unit's (or the city's) figures for a period and the same months a year earlier."""

    actual_use: Decimal = ZERO
    actual_use_prev: Decimal = ZERO
    comparable: Decimal = ZERO
    comparable_prev: Decimal = ZERO
    reinvested: Decimal = ZERO
    reinvested_prev: Decimal = ZERO
    contract: Decimal = ZERO
    contract_prev: Decimal = ZERO
    new_projects: int = 0
    new_projects_prev: int = 0
    over_100m: int = 0
    over_100m_prev: int = 0
    fortune500_projects: int = 0
    fortune500_projects_prev: int = 0
    fortune500_companies: int = 0
    at_risk: int = 0
    growth_on_comparable: bool = False

    @property
    def yoy_pct(self) -> Decimal | None:
        if self.growth_on_comparable:
            return growth_pct(self.comparable, self.comparable_prev)
        return growth_pct(self.actual_use, self.actual_use_prev)

    @property
    def reinvested_share_pct(self) -> Decimal | None:
        return None if not self.actual_use else self.reinvested / self.actual_use * 100

    @property
    def contract_yoy_pct(self) -> Decimal | None:
        return growth_pct(self.contract, self.contract_prev)

    def add(self, other: Figures) -> None:
        for name in (
            "actual_use",
            "actual_use_prev",
            "comparable",
            "comparable_prev",
            "reinvested",
            "reinvested_prev",
            "contract",
            "contract_prev",
            "new_projects",
            "new_projects_prev",
            "over_100m",
            "over_100m_prev",
            "fortune500_projects",
            "fortune500_projects_prev",
            "at_risk",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
