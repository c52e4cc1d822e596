"""The caliber in force: which arrivals count, on which caliber growth is computed, when a project counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from zhaoshang.common.periods import MonthRange
from zhaoshang.projects.models import ArrivalKind

from .models import StatsConfig

PROGRESS = {"verified": "认定口径", "reported": "填报口径"}

# The month from which MOFCOM publishes actual use on the full caliber (financial sector included).
FULL_CALIBER_FROM = date(2022, 5, 1)


@dataclass(frozen=True)
class Caliber:
    count_reinvested_profit: bool = True
    count_shareholder_loans: bool = False
    growth_caliber: str = "auto"
    project_basis: str = "signed"
    over_100m_usd: Decimal = Decimal(100_000_000)
    behind_margin_pp: Decimal = Decimal(5)
    financial_caliber: str = "full"
    # 认定口径 (verified: only what the city has verified counts) or 填报口径 (reported: everything entered).
    progress: str = "verified"

    @classmethod
    def current(cls, progress: str = "verified") -> Caliber:
        if progress not in PROGRESS:
            raise ValueError(f"口径“{progress}”无法识别：应为 verified（认定口径）或 reported（填报口径）")
        c = StatsConfig.get()
        return cls(
            count_reinvested_profit=c.count_reinvested_profit,
            count_shareholder_loans=c.count_shareholder_loans,
            growth_caliber=c.growth_caliber,
            project_basis=c.project_basis,
            over_100m_usd=Decimal(c.over_100m_threshold_usd).quantize(Decimal("0.01")),
            behind_margin_pp=Decimal(c.behind_margin_pp),
            financial_caliber=c.financial_caliber,
            progress=progress,
        )

    def counted_kinds(self) -> list[str]:
        kinds = [ArrivalKind.PAID_IN, ArrivalKind.CAPITAL_INCREASE, ArrivalKind.MNA, ArrivalKind.OTHER]
        if self.count_reinvested_profit:
            kinds.append(ArrivalKind.REINVESTED_PROFIT)
        if self.count_shareholder_loans:
            kinds.append(ArrivalKind.SHAREHOLDER_LOAN)
        return [str(k) for k in kinds]

    @property
    def verified(self) -> bool:
        return self.progress == "verified"

    def money_column(self, column: str) -> str:
        """The arrivals' US$ column a sum reads: on the verified caliber, the part the city has verified."""
        return "verified_amount_usd" if self.verified and column == "amount_usd" else column

    def projects_q(self) -> Q:
        """Which projects count as introduced: on the verified caliber, those whose signing (or registration)
        stage the city has verified."""
        if not self.verified:
            return Q()
        return Q(registration_verified=True) if self.project_basis == "registered" else Q(signing_verified=True)

    def financial_q(self) -> Q:
        """Which financial-sector arrivals count in actual use: all (today's full caliber), or none before May 2022
        (MOFCOM's published caliber until April 2022 left banking, securities and insurance out)."""
        if self.financial_caliber == "mofcom_pre_2022_05":
            return Q(is_financial=False) | Q(month__gte=FULL_CALIBER_FROM)
        return Q()

    def growth_on_comparable(self, period: MonthRange) -> bool:
        """`auto`: growth on the comparable caliber for periods ending in May 2022 or later, when MOFCOM moved
        its published amount to the full caliber and kept growth comparable."""
        if self.growth_caliber == "auto":
            return period.last >= FULL_CALIBER_FROM
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
            "financial_caliber": self.financial_caliber,
            "progress": self.progress,
        }
