"""Reads of the chain map: each link's state and the numbers behind it, the ordered target list, country lists.

State of a link, from its confirmed local enterprises (n) and the total investment (US$) of their signed,
not-dropped projects (I), against the chain's thresholds (the chain's own, else the global ChainConfig):
  blank  (空白，建链)  n = 0
  weak   (薄弱，补链)  n ≥ 1 and (n < min_enterprises or I < min_investment)
  strong (较强，强链)  n ≥ min_enterprises and I ≥ min_investment
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from zhaoshang.projects.models import STAGE_ORDER, Project, Stage

from .matching import match
from .models import Chain, ChainConfig, ChainLeader, ChainLink, ChainPilot, LinkEnterprise, Platform, TargetCompany

BLANK, WEAK, STRONG = "blank", "weak", "strong"
STATE_LABELS = {BLANK: "空白", WEAK: "薄弱", STRONG: "较强"}
STATE_ACTIONS = {BLANK: "建链", WEAK: "补链", STRONG: "强链"}
STATE_ORDER = {BLANK: 0, WEAK: 1, STRONG: 2}
STATE_COLORS = {BLANK: "#d9363e", WEAK: "#f0a020", STRONG: "#2a9d4b"}

TIER_FORTUNE500, TIER_LEADER, TIER_OTHER = 0, 1, 2
TIER_LABELS = {TIER_FORTUNE500: "世界500强", TIER_LEADER: "行业龙头", TIER_OTHER: "其他"}


@dataclass(frozen=True)
class Thresholds:
    min_enterprises: int
    min_investment_usd: Decimal


def thresholds_for(chain: Chain, config: ChainConfig | None = None) -> Thresholds:
    config = config or ChainConfig.get()
    return Thresholds(
        min_enterprises=chain.strong_min_enterprises or config.strong_min_enterprises,
        min_investment_usd=(
            chain.strong_min_investment_usd
            if chain.strong_min_investment_usd is not None
            else config.strong_min_investment_usd
        ),
    )


def link_state(enterprises: int, investment_usd: Decimal, thresholds: Thresholds) -> str:
    if enterprises == 0:
        return BLANK
    if enterprises >= thresholds.min_enterprises and investment_usd >= thresholds.min_investment_usd:
        return STRONG
    return WEAK


def target_tier(target: TargetCompany, leader_max_rank: int) -> int:
    if target.fortune500_rank is not None:
        return TIER_FORTUNE500
    if target.industry_rank is not None and target.industry_rank <= leader_max_rank:
        return TIER_LEADER
    return TIER_OTHER


@dataclass
class ProjectRow:
    code: str
    name: str
    unit: str
    stage: str
    stage_label: str
    total_investment_usd: Decimal
    via: str  # why the project belongs to the link: 本地企业 / 目标企业 / 行业与关键词


@dataclass
class TargetRow:
    target: TargetCompany
    tier: int
    pipeline: list[ProjectRow] = field(default_factory=list)

    @property
    def in_pipeline(self) -> bool:
        return any(p.stage != Stage.DROPPED for p in self.pipeline)

    @property
    def stage_label(self) -> str:
        """The furthest stage any of its live projects has reached; 中止 when all were dropped; '' when none."""
        live = [p for p in self.pipeline if p.stage != Stage.DROPPED]
        if not live:
            return Stage.DROPPED.label if self.pipeline else ""
        best = max(live, key=lambda p: STAGE_ORDER.index(Stage(p.stage)))
        return best.stage_label

    @property
    def pipeline_text(self) -> str:
        if self.in_pipeline:
            return f"已在项目库（{self.stage_label}）"
        return "曾在项目库（已中止）" if self.pipeline else ""


@dataclass
class LinkView:
    link: ChainLink
    state: str
    enterprise_count: int
    investment_usd: Decimal
    thresholds: Thresholds
    codes: list[str]
    upstream_ids: list[int]
    enterprises: list[LinkEnterprise] = field(default_factory=list)
    suggested: list[LinkEnterprise] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)

    @property
    def state_text(self) -> str:
        return f"{STATE_LABELS[self.state]}（{STATE_ACTIONS[self.state]}）"


@dataclass
class ChainMap:
    chain: Chain
    thresholds: Thresholds
    leader_max_rank: int
    links: list[LinkView]
    leaders: list[ChainLeader]
    pilots: list[ChainPilot]
    platforms: list[Platform]

    def ordered_targets(self) -> list[tuple[LinkView, TargetRow]]:
        """The prioritised target list: blank links first, then weak, then strong; links upstream first within
        a state; within a link, Fortune Global 500 (by rank), then industry leaders (by industry rank), then the
        rest; ties by name."""
        rows = [(lv, tr) for lv in self.links for tr in lv.targets]
        return sorted(rows, key=lambda r: target_sort_key(r[0], r[1]))

    def state_counts(self) -> dict[str, int]:
        counts = {BLANK: 0, WEAK: 0, STRONG: 0}
        for lv in self.links:
            counts[lv.state] += 1
        return counts


def in_link_key(tr: TargetRow) -> tuple:
    """Within a link: Fortune Global 500 by rank, then industry leaders by industry rank, then the rest; by name."""
    t = tr.target
    rank = t.fortune500_rank if tr.tier == TIER_FORTUNE500 else t.industry_rank if tr.tier == TIER_LEADER else 0
    return (tr.tier, rank or 0, t.name)


def target_sort_key(lv: LinkView, tr: TargetRow) -> tuple:
    return (STATE_ORDER[lv.state], lv.link.position, lv.link.pk, *in_link_key(tr))


def _project_row(p: Project, via: str) -> ProjectRow:
    return ProjectRow(
        code=p.code,
        name=p.name,
        unit=p.unit.short_name,
        stage=p.stage,
        stage_label=Stage(p.stage).label,
        total_investment_usd=p.total_investment_usd,
        via=via,
    )


def link_investment(chain: Chain) -> dict[int, Decimal]:
    """Σ total investment (US$) of signed, not-dropped projects of each link's confirmed enterprises (one query)."""
    rows = (
        Project.objects.filter(
            enterprise__chain_placements__link__chain=chain,
            enterprise__chain_placements__status=LinkEnterprise.Status.CONFIRMED,
            signed_on__isnull=False,
        )
        .exclude(stage=Stage.DROPPED)
        .values("enterprise__chain_placements__link")
        .annotate(total=Sum("total_investment_usd"))
    )
    return {r["enterprise__chain_placements__link"]: r["total"] or Decimal(0) for r in rows}


def chain_map(chain: Chain) -> ChainMap:
    config = ChainConfig.get()
    thresholds = thresholds_for(chain, config)
    links = list(chain.links.prefetch_related("industries", "upstream").order_by("position", "id"))
    placements = list(
        LinkEnterprise.objects.filter(link__chain=chain)
        .exclude(status=LinkEnterprise.Status.REJECTED)
        .select_related("enterprise__unit", "enterprise__industry")
    )
    # Sorted here, not in SQL, so that every database orders Chinese names alike (by code point).
    placements.sort(key=lambda p: (-p.score, p.enterprise.name, p.pk))
    by_link: dict[int, list[LinkEnterprise]] = defaultdict(list)
    for p in placements:
        by_link[p.link_id].append(p)
    investment = link_investment(chain)
    targets = sorted(
        TargetCompany.objects.filter(link__chain=chain).select_related("country", "investor"), key=lambda t: t.name
    )
    targets_by_link: dict[int, list[TargetCompany]] = defaultdict(list)
    for t in targets:
        targets_by_link[t.link_id].append(t)
    pipeline = _target_pipeline(targets)
    enterprise_projects = _enterprise_projects([p.enterprise_id for p in placements if p.status == "confirmed"])
    # Projects not yet tied to an enterprise (mostly under negotiation) join a link by code and keyword; only those
    # under one of the chain's codes can, so the database narrows them first.
    chain_codes = {i.code for link in links for i in link.industries.all()}
    under_codes = Q(pk__in=[])
    for code in chain_codes:
        under_codes |= Q(industry__section=code) if code.isalpha() else Q(industry__code__startswith=code)
    open_projects = list(
        Project.objects.filter(under_codes, enterprise__isnull=True)
        .exclude(stage=Stage.DROPPED)
        .select_related("unit", "industry")
        .order_by("code")
    )
    views = []
    for link in links:
        confirmed = [p for p in by_link[link.pk] if p.status == LinkEnterprise.Status.CONFIRMED]
        n = len(confirmed)
        amount = investment.get(link.pk, Decimal(0))
        codes = [i.code for i in link.industries.all()]
        view = LinkView(
            link=link,
            state=link_state(n, amount, thresholds),
            enterprise_count=n,
            investment_usd=amount,
            thresholds=thresholds,
            codes=codes,
            upstream_ids=sorted(u.pk for u in link.upstream.all()),
            enterprises=confirmed,
            suggested=[p for p in by_link[link.pk] if p.status == LinkEnterprise.Status.SUGGESTED],
        )
        view.targets = sorted(
            (
                TargetRow(
                    target=t, tier=target_tier(t, config.leader_max_industry_rank), pipeline=pipeline.get(t.pk, [])
                )
                for t in targets_by_link[link.pk]
            ),
            key=in_link_key,
        )
        seen: set[str] = set()
        rows: list[ProjectRow] = []
        for placement in confirmed:
            for project in enterprise_projects.get(placement.enterprise_id, []):
                if project.code not in seen:
                    seen.add(project.code)
                    rows.append(_project_row(project, "本地企业"))
        for tr in view.targets:
            for row in tr.pipeline:
                if row.code not in seen:
                    seen.add(row.code)
                    rows.append(row)
        words = link.keyword_list()
        for project in open_projects:
            if project.code in seen or not words:
                continue
            found = match(
                link_codes=codes,
                keywords=words,
                industry_code=project.industry.code if project.industry else None,
                industry_section=project.industry.section if project.industry else "",
                texts=[project.name],
            )
            if found and found.code and found.keywords:
                seen.add(project.code)
                rows.append(_project_row(project, "行业与关键词"))
        view.projects = rows
        views.append(view)
    return ChainMap(
        chain=chain,
        thresholds=thresholds,
        leader_max_rank=config.leader_max_industry_rank,
        links=views,
        leaders=list(
            chain.leaders.select_related("unit", "platform").order_by(
                F("unit__sort_order").asc(nulls_first=True), "-role", "id"
            )
        ),
        pilots=list(chain.pilots.select_related("platform__unit")),
        platforms=list(chain.platforms.prefetch_related("partner_countries").select_related("unit")),
    )


def _enterprise_projects(enterprise_ids: list[int]) -> dict[int, list[Project]]:
    out: dict[int, list[Project]] = defaultdict(list)
    for p in Project.objects.filter(enterprise_id__in=enterprise_ids).select_related("unit").order_by("code"):
        out[p.enterprise_id].append(p)  # type: ignore[index]
    return out


def _target_pipeline(targets: list[TargetCompany]) -> dict[int, list[ProjectRow]]:
    """Projects whose investor is the target's investor, or one of its subsidiaries."""
    investor_ids = {t.investor_id for t in targets if t.investor_id}
    if not investor_ids:
        return {}
    projects = (
        Project.objects.filter(Q(investors__in=investor_ids) | Q(investors__parent__in=investor_ids))
        .distinct()
        .select_related("unit")
        .prefetch_related("investors")
        .order_by("code")
    )
    by_investor: dict[int, list[Project]] = defaultdict(list)
    for p in projects:
        for inv in p.investors.all():
            for key in (inv.pk, inv.parent_id):
                if key in investor_ids and p not in by_investor[key]:
                    by_investor[key].append(p)
    return {
        t.pk: [_project_row(p, "目标企业") for p in by_investor.get(t.investor_id, [])]  # type: ignore[arg-type]
        for t in targets
        if t.investor_id
    }


def chains() -> QuerySet[Chain]:
    return Chain.objects.all()


def chain_by_slug(slug: str) -> Chain | None:
    return Chain.objects.filter(slug=slug).first()


@dataclass
class CountryList:
    """国别精准招商: for one country, its cooperation parks and the targets from it across every chain."""

    country_code: str
    country_name: str
    parks: list[Platform]
    targets: list[tuple[Chain, LinkView, TargetRow]]


def country_list(country_code: str) -> CountryList | None:
    from zhaoshang.projects.models import Country

    country = Country.objects.filter(code=country_code.upper()).first()
    if country is None:
        return None
    parks = list(
        Platform.objects.filter(kind=Platform.Kind.COOPERATION_PARK, partner_countries=country).select_related("unit")
    )
    rows: list[tuple[Chain, LinkView, TargetRow]] = []
    chain_ids = TargetCompany.objects.filter(country=country).values_list("link__chain", flat=True).distinct()
    for chain in Chain.objects.filter(pk__in=chain_ids):
        cmap = chain_map(chain)
        rows += [(chain, lv, tr) for lv, tr in cmap.ordered_targets() if tr.target.country_id == country.pk]
    return CountryList(country_code=country.code, country_name=country.name, parks=parks, targets=rows)


@dataclass
class PlatformOverview:
    """The city's platforms and its chain-leader pilots, for the map's front page."""

    demonstration: list[ChainPilot]
    pilot: list[ChainPilot]
    zones: list[Platform]
    cooperation_parks: list[Platform]
    others: list[Platform]


def platform_overview() -> PlatformOverview:
    pilots = list(ChainPilot.objects.select_related("chain", "platform__unit").order_by("chain__sort_order"))
    platforms = list(
        Platform.objects.select_related("unit")
        .prefetch_related("partner_countries", "chains")
        .order_by("unit__sort_order", "name")
    )
    return PlatformOverview(
        demonstration=[p for p in pilots if p.level == ChainPilot.Level.DEMONSTRATION],
        pilot=[p for p in pilots if p.level == ChainPilot.Level.PILOT],
        zones=[p for p in platforms if p.kind == Platform.Kind.ZONE],
        cooperation_parks=[p for p in platforms if p.kind == Platform.Kind.COOPERATION_PARK],
        others=[p for p in platforms if p.kind not in (Platform.Kind.ZONE, Platform.Kind.COOPERATION_PARK)],
    )
