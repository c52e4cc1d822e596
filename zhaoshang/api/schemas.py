"""Typed output schemas of the JSON routes that return the serialisers' JSON (stats, race, chains).

Each schema describes, key for key, the JSON the plain serialiser writes (`stats.serialize.report_json`, the race
board, `chains.serialize.map_json` / `country_json`), so the OpenAPI schema documents it. Ninja filters a response
through its schema: a key the serialiser writes and a schema here forgets is dropped from the answer, so the API's
contract tests compare every route's JSON with the serialiser's, value for value and type for type.

Money is US$ as a decimal string with cents ("2374000000.00"), percentages are numbers with one decimal (or null),
dates are ISO text. Objects keyed by names that are data (stage labels, indicator keys, unit codes) are dicts.
Fields are listed in the serialiser's order (ninja writes them in the schema's order), so a schema repeats a group
of fields rather than inheriting it: inherited fields would come first.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, Schema

Money = Annotated[str, Field(description="美元金额：两位小数的十进制字符串", examples=["2374000000.00"])]
Pct = Annotated[float, Field(description="百分数（或百分点），一位小数", examples=[44.4])]
Month = Annotated[str, Field(description="月份 YYYY-MM", examples=["2020-09"])]
Day = date  # for classes with a field called `date`, where the name no longer means the type


# ---------------------------------------------------------------------------------------------- /api/stats


class PeriodOut(Schema):
    first: Month
    last: Month
    label: str = Field(examples=["2020年1-9月"])


class CaliberOut(Schema):
    count_reinvested_profit: bool
    count_shareholder_loans: bool
    growth_caliber: str
    project_basis: str
    over_100m_threshold_usd: Money
    financial_caliber: str
    progress: str = Field(description="认定口径 verified（只计已认定）或填报口径 reported")


class StatsCityOut(Schema):
    code: str
    name: str
    actual_use_usd: Money
    actual_use_prev_usd: Money
    yoy_pct: Pct | None
    growth_caliber: str = Field(description="同比口径：comparable（可比）或 full（全口径）")
    actual_use_comparable_usd: Money
    reinvested_profit_usd: Money
    reinvested_share_pct: Pct | None
    contract_usd: Money
    contract_prev_usd: Money
    contract_yoy_pct: Pct | None
    new_projects: int
    new_projects_prev: int
    projects_over_100m: int
    projects_over_100m_prev: int
    fortune500_projects: int
    fortune500_projects_prev: int
    fortune500_companies: int
    at_risk_projects: int
    # The year's target against the figures (progress_json).
    target_usd: Money | None
    progress_pct: Pct | None
    time_progress_pct: Pct | None
    behind_schedule: bool
    province_rank: int | None
    has_province_data: bool  # false: no other city's figure for the period, so no rank (暂无全省数据)
    province_rank_yoy: int | None
    province_rank_over_100m: int | None
    province_avg_yoy_pct: Pct | None
    yoy_vs_province_pp: Pct | None
    city_ahead: str | None
    gap_to_ahead_usd: Money | None
    city_behind: str | None
    gap_to_behind_usd: Money | None
    pace_current_monthly_usd: Money | None
    pace_ahead_monthly_usd: Money | None
    pace_needed_monthly_usd: Money | None


class StatsUnitOut(Schema):
    code: str
    name: str
    short_name: str
    rank: int | None
    actual_use_usd: Money
    actual_use_prev_usd: Money
    yoy_pct: Pct | None
    growth_caliber: str = Field(description="同比口径：comparable（可比）或 full（全口径）")
    actual_use_comparable_usd: Money
    reinvested_profit_usd: Money
    reinvested_share_pct: Pct | None
    contract_usd: Money
    contract_prev_usd: Money
    contract_yoy_pct: Pct | None
    new_projects: int
    new_projects_prev: int
    projects_over_100m: int
    projects_over_100m_prev: int
    fortune500_projects: int
    fortune500_projects_prev: int
    fortune500_companies: int
    at_risk_projects: int
    # The year's target against the figures (progress_json).
    target_usd: Money | None
    progress_pct: Pct | None
    time_progress_pct: Pct | None
    behind_schedule: bool


class ProvinceCityOut(Schema):
    code: str
    name: str
    actual_use_usd: Money | None
    yoy_pct: Pct | None
    rank: int | None
    rank_yoy: int | None
    projects_over_100m: int | None
    rank_over_100m: int | None
    source: str


class ProvinceOut(Schema):
    code: str
    name: str
    actual_use_usd: Money | None
    yoy_pct: Pct | None
    cities: list[ProvinceCityOut]


class PipelineOut(Schema):
    by_stage: dict[str, int] = Field(description="各阶段项目数，以阶段名（洽谈、签约……）为键")
    median_days_to_next_stage: dict[str, float] = Field(description="各阶段到下一阶段的天数中位数，以阶段名为键")
    at_risk_projects: int


class StatsOut(Schema):
    """Same JSON as `zhaoshang stats --format json`."""

    period: PeriodOut
    as_of: date
    caliber: CaliberOut
    city: StatsCityOut
    units: list[StatsUnitOut]
    province: ProvinceOut
    pipeline: PipelineOut


# ---------------------------------------------------------------------------------------------- /api/race


class CompetitionListOut(Schema):
    slug: str
    name: str
    start: date
    end: date


class BoardCompetitionOut(Schema):
    slug: str
    name: str
    start: date
    end: date
    rule: str
    score_cap: float


class WeekOut(Schema):
    start: date
    end: date


class IndicatorOut(Schema):
    key: str
    label: str
    weight: float


class UnitFigureOut(Schema):
    achieved: Money | int | None = Field(description="金额指标为美元十进制字符串，计数指标为整数")
    target: Money | int | None
    completion_pct: Pct | None


class BoardUnitOut(Schema):
    code: str
    name: str
    score: float
    rank: int
    rank_change: int | None
    figures: dict[str, UnitFigureOut] = Field(description="以指标键为键")


class BoardCityOut(Schema):
    actual_use_race_usd: Money
    actual_use_ytd_usd: Money
    projects_over_100m_race: int
    projects_over_100m_ytd: int
    fortune500_projects_race: int
    fortune500_projects_ytd: int


class RivalOut(Schema):
    """The city against the rival city; `label` and `source` are left out while the rival has published nothing."""

    code: str
    name: str
    months: str | None = Field(examples=["2020-01..2020-09"])
    label: str | None = None
    actual_use_usd: Money | None
    city_actual_use_usd: Money | None
    lead_usd: Money | None
    source: str | None = None


class FlagOut(Schema):
    project_code: str
    project_name: str
    unit_code: str
    unit_name: str
    on: date | None
    rule: str
    reason: str
    new: bool


class SnailOut(Schema):
    kind: str = Field(description="project（项目）或 unit（单位）")
    unit_code: str
    unit_name: str
    project_code: str | None
    project_name: str | None
    on: date
    rule: str
    reason: str


class BoardVersionOut(Schema):
    version: int
    reason: str
    created_at: str = Field(description="发布时间（ISO 8601，精确到秒）")
    created_by: str


class ArrivalsOut(Schema):
    """Which months of arrivals the board's money figures hold (arrivals are recorded by month)."""

    race_months: str | None = Field(examples=["2020-06..2020-08"], description="竞赛以来到资所含月份；无则为 null")
    ytd_months: str | None = Field(examples=["2020-01..2020-08"], description="全年累计到资所含月份")
    through: str | None = Field(examples=["2020-08"], description="到资数据截至的月份")
    label: str = Field(examples=["到资数据截至8月，6月按全月计"])


class DormantOut(Schema):
    unit_code: str
    unit_name: str
    projects: int = Field(description="超过长期停滞天数无推进、无跟进的项目数，请单位中止或说明状态")


class BoardOut(Schema):
    """Same JSON as `zhaoshang race board --format json` (`race.board.Board.to_json()`)."""

    schema_version: int = Field(description="榜单数据版本（发布时随榜单保存）")
    competition: BoardCompetitionOut
    date: Day
    week: WeekOut
    time_progress_pct: Pct | None
    previous_date: Day | None
    indicators: list[IndicatorOut]
    units: list[BoardUnitOut]
    city: BoardCityOut
    rival: RivalOut | None
    red_flags: list[FlagOut]
    snails: list[SnailOut]
    proposed_red_flags: list[FlagOut]
    proposed_snails: list[SnailOut]
    arrivals: ArrivalsOut | None = Field(None, description="到资所含月份；此前发布的旧榜单无此键")
    dormant_projects: list[DormantOut] | None = Field(None, description="各单位长期停滞项目数；旧榜单无此键")
    published: bool
    version: int | None
    reason: str | None = Field(description="本版发布原因；未发布（实时计算）的榜单为 null")
    versions: list[BoardVersionOut]


class RaceWeekOut(Schema):
    date: Day
    version: int
    ranks: dict[str, int] = Field(description="以单位代码为键")
    scores: dict[str, float] = Field(description="以单位代码为键")
    lead_usd: Money | None


# ---------------------------------------------------------------------------------------------- /api/chains


class StateCountsOut(Schema):
    blank: int = Field(description="空白环节数")
    weak: int = Field(description="薄弱环节数")
    strong: int = Field(description="较强环节数")


class ChainListOut(Schema):
    slug: str
    name: str
    links: int = Field(description="环节数")
    blank: int
    weak: int
    strong: int


class ChainOut(Schema):
    slug: str
    name: str
    description: str


class ChainThresholdsOut(Schema):
    strong_min_enterprises: int
    strong_min_investment_usd: Money
    leader_max_industry_rank: int


class LinkNumbersOut(Schema):
    enterprises: int
    investment_usd: Money
    investment: str = Field(examples=["1.00亿美元"])
    strong_min_enterprises: int
    strong_min_investment_usd: Money
    strong_min_investment: str = Field(examples=["1.00亿美元"])


class LinkEnterpriseOut(Schema):
    id: int
    name: str
    unit: str
    industry: str | None
    reason: str


class SuggestedOut(Schema):
    placement_id: int
    id: int
    name: str
    unit: str
    score: int
    reason: str


class ChainProjectOut(Schema):
    code: str
    name: str
    unit: str
    stage: str
    stage_label: str
    total_investment_usd: Money
    via: str


class TargetOut(Schema):
    id: int
    name: str
    name_en: str
    country: str
    country_code: str
    fortune500_rank: int | None
    industry_rank: int | None
    tier: str
    in_pipeline: bool
    pipeline_stage: str | None
    pipeline: list[ChainProjectOut]
    note: str


class LinkOut(Schema):
    id: int
    name: str
    position: int
    upstream: list[int]
    industries: list[str]
    keywords: list[str]
    state: str
    state_label: str
    action: str
    color: str
    numbers: LinkNumbersOut
    enterprises: list[LinkEnterpriseOut]
    suggested: list[SuggestedOut]
    targets: list[TargetOut]
    projects: list[ChainProjectOut]


class ListedTargetOut(Schema):
    order: int
    link: str
    link_state: str
    id: int
    name: str
    name_en: str
    country: str
    country_code: str
    fortune500_rank: int | None
    industry_rank: int | None
    tier: str
    in_pipeline: bool
    pipeline_stage: str | None
    pipeline: list[ChainProjectOut]
    note: str


class LeaderOut(Schema):
    role: str
    title: str
    name: str
    scope: str


class PilotOut(Schema):
    zone: str
    unit: str | None
    level: str
    level_label: str
    year: int | None


class PlatformOut(Schema):
    name: str
    kind: str
    kind_label: str
    unit: str | None
    partner_countries: list[str]
    in_provincial_integration: bool


class ChainMapOut(Schema):
    """Same JSON as `zhaoshang chains map --format json`."""

    chain: ChainOut
    thresholds: ChainThresholdsOut
    state_counts: StateCountsOut
    links: list[LinkOut]
    target_list: list[ListedTargetOut]
    leaders: list[LeaderOut]
    pilots: list[PilotOut]
    platforms: list[PlatformOut]


class CountryOut(Schema):
    code: str
    name: str


class CountryTargetOut(Schema):
    chain: str
    chain_name: str
    link: str
    link_state: str
    id: int
    name: str
    name_en: str
    country: str
    country_code: str
    fortune500_rank: int | None
    industry_rank: int | None
    tier: str
    in_pipeline: bool
    pipeline_stage: str | None
    pipeline: list[ChainProjectOut]
    note: str


class CountryListOut(Schema):
    country: CountryOut
    parks: list[PlatformOut]
    targets: list[CountryTargetOut]


class PlacementOut(Schema):
    id: int
    status: str
    status_label: str
