"""The caliber in force: which arrivals count, on which caliber growth is computed, when a project counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.common.periods import MonthRange
from zhaoshang.projects.models import ArrivalKind

from .models import StatsConfig


@dataclass(frozen=True)
class Caliber:
    count_reinvested_profit: bool = True
    count_shareholder_loans: bool = False
    growth_caliber: str = "auto"
    project_basis: str = "signed"
    over_100m_usd: Decimal = Decimal(100_000_000)
    behind_margin_pp: Decimal = Decimal(5)

    @classmethod
    def current(cls) -> Caliber:
        c = StatsConfig.get()
        return cls(
            count_reinvested_profit=c.count_reinvested_profit,
            count_shareholder_loans=c.count_shareholder_loans,
            growth_caliber=c.growth_caliber,
            project_basis=c.project_basis,
            over_100m_usd=Decimal(c.over_100m_threshold_usd).quantize(Decimal("0.01")),
            behind_margin_pp=Decimal(c.behind_margin_pp),
        )

    def counted_kinds(self) -> list[str]:
        kinds = [ArrivalKind.PAID_IN, ArrivalKind.CAPITAL_INCREASE, ArrivalKind.MNA, ArrivalKind.OTHER]
        if self.count_reinvested_profit:
            kinds.append(ArrivalKind.REINVESTED_PROFIT)
        if self.count_shareholder_loans:
            kinds.append(ArrivalKind.SHAREHOLDER_LOAN)
        return [str(k) for k in kinds]

    def growth_on_comparable(self, period: MonthRange) -> bool:
        if self.growth_caliber == "auto":
            return period.last.year >= 2022
        return self.growth_caliber == "comparable"

    @property
    def basis_field(self) -> str:
        return "registered_on" if self.project_basis == "registered" else "signed_on"

    def describe(self) -> dict[str, object]:
        return {
            "count_reinvested_profit": self.count_reinvested_profit,
            "count_shareholder_loans": self.count_shareholder_loans,
            "growth_caliber": self.growth_caliber,
            "project_basis": self.project_basis,
            "over_100m_threshold_usd": str(self.over_100m_usd),
        }
