"""The indicator registry: each figure the bureau reports, with its definition written out once.

The README's table of definitions is generated from this list (and a test checks that it is), so the words a
reader sees and the code that computes the figure are kept side by side.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str  # "usd", "count", "pct", "days"
    definition: str


INDICATORS: list[Indicator] = [
    Indicator(
        "actual_use_usd",
        "实际使用外资",
        "usd",
        "Sum of capital arrivals whose month falls in the period, in US$: paid-in capital of new enterprises, capital "
        "increases, M&A consideration and other arrivals; reinvested profits when `count_reinvested_profit` is on "
        "(default on); shareholder loans when `count_shareholder_loans` is on (default off). Full caliber: "
        "financial-sector arrivals (banking, securities, insurance) included.",
    ),
    Indicator(
        "yoy_pct",
        "实际使用外资同比增长",
        "pct",
        "(this period ÷ the same months a year earlier − 1) × 100, rounded half-up to one decimal. On the comparable "
        "caliber (financial sector left out of both sides) when `growth_caliber` is `comparable`, or `auto` and the "
        "period ends in 2022 or later; otherwise on the full caliber. '—' (null) when the earlier figure is zero or "
        "missing.",
    ),
    Indicator(
        "reinvested_profit_usd",
        "外商利润再投资",
        "usd",
        "Sum of arrivals of type 利润再投资 in the period. Its share is reinvested ÷ actual use × 100.",
    ),
    Indicator(
        "contract_usd",
        "合同外资",
        "usd",
        "Sum of the contracted foreign capital (US$) of projects introduced in the period — counted on the date of "
        "first signing, or of registration when `project_basis` is `registered`. A capital increase contributes its "
        "amount like any project.",
    ),
    Indicator(
        "new_projects",
        "新设外资项目",
        "count",
        "Projects of kind 新设 or 并购 introduced in the period (a project counts once, on its first signing or its "
        "registration as configured). Capital increases and profit reinvestments add their amounts, not a project.",
    ),
    Indicator(
        "projects_over_100m",
        "超亿美元项目",
        "count",
        "Projects of kind 新设, 增资 or 利润再投资 (a capital increase funded by profits) introduced in the period "
        "whose total investment is at least `over_100m_threshold_usd` (default US$100,000,000).",
    ),
    Indicator(
        "fortune500_projects",
        "世界500强投资项目",
        "count",
        "Projects introduced in the period one of whose investors, or that investor's ultimate parent, is on the "
        "Fortune Global 500 list in force on the project's date: the latest list published on or before it.",
    ),
    Indicator(
        "fortune500_companies",
        "世界500强企业（家）",
        "count",
        "Distinct Fortune Global 500 companies behind those projects (the listed group, whether it invests directly "
        "or through a subsidiary).",
    ),
    Indicator(
        "at_risk",
        "失联风险项目",
        "count",
        "Projects now under negotiation whose latest follow-up's next date is before today (the business date).",
    ),
    Indicator(
        "stage_days",
        "阶段推进天数（中位数）",
        "days",
        "For each stage, the median number of days from reaching it to reaching the next recorded stage, over the "
        "projects that reached the next stage within the period.",
    ),
]

BY_KEY = {i.key: i for i in INDICATORS}

# Indicators on which an annual target can be set.
TARGETABLE = ["actual_use_usd", "contract_usd", "new_projects", "projects_over_100m", "fortune500_projects"]


def definitions_markdown() -> str:
    rows = ["| key | 指标 | definition |", "| --- | --- | --- |"]
    rows += [f"| `{i.key}` | {i.label} | {i.definition} |" for i in INDICATORS]
    return "\n".join(rows)
