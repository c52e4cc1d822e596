"""Writes to the chain map. Each checks the actor's right, validates, saves in one transaction and is audited.

Chains, links, targets, leaders and platforms are reference data of the city bureau (`chain.write`); placing
an enterprise in a link is a decision about that enterprise, so its unit's staff may take it (`chain.placement`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.money import fmt_yi, to_decimal
from zhaoshang.common.validation import refuse, required_text
from zhaoshang.projects.models import Country, Enterprise, FocusIndustry, Industry, Investor, Project
from zhaoshang.projects.services import name_key
from zhaoshang.units.models import Unit

from .matching import match
from .models import (
    Chain,
    ChainConfig,
    ChainLeader,
    ChainLink,
    ChainPilot,
    LinkEnterprise,
    Platform,
    TargetCompany,
)


def _clean_min_investment(value: object, field: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError):
        raise refuse(field, "强链门槛（总投资）", value, "不是有效的金额") from None
    if not amount.is_finite() or amount < 0:
        raise refuse(field, "强链门槛（总投资）", value, "不能为负数")
    return amount


def _clean_min_enterprises(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise refuse(field, "强链门槛（企业数）", value, "应为不小于1的整数")
    return value


@transaction.atomic
def chain_config_set(
    *,
    actor: Any,
    strong_min_enterprises: int | None = None,
    strong_min_investment_usd: object = None,
    leader_max_industry_rank: int | None = None,
) -> ChainConfig:
    ensure_can(actor, "chain.write")
    config = ChainConfig.get()
    before = (
        f"原 企业数{config.strong_min_enterprises}、总投资{fmt_yi(config.strong_min_investment_usd)}、"
        f"龙头名次{config.leader_max_industry_rank}"
    )
    if strong_min_enterprises is not None:
        config.strong_min_enterprises = _clean_min_enterprises(strong_min_enterprises, "strong_min_enterprises")
    if strong_min_investment_usd is not None:
        config.strong_min_investment_usd = _clean_min_investment(strong_min_investment_usd, "strong_min_investment_usd")
    if leader_max_industry_rank is not None:
        if leader_max_industry_rank < 1:
            raise refuse("leader_max_industry_rank", "行业龙头名次", leader_max_industry_rank, "应不小于1")
        config.leader_max_industry_rank = leader_max_industry_rank
    save_with_audit(config, actor=actor, reason=f"调整产业链门槛（{before}）")
    return config


@transaction.atomic
def chain_upsert(
    *,
    slug: str,
    name: str,
    actor: Any,
    description: str = "",
    focus_industry: FocusIndustry | None = None,
    sort_order: int = 0,
    strong_min_enterprises: int | None = None,
    strong_min_investment_usd: object = None,
) -> Chain:
    ensure_can(actor, "chain.write")
    slug = required_text(slug, field="slug", label="产业链标识")
    name = required_text(name, field="name", label="产业链名称")
    chain = Chain.objects.filter(slug=slug).first() or Chain(slug=slug)
    if Chain.objects.filter(name=name).exclude(slug=slug).exists():
        raise refuse("name", "产业链名称", name, "已被另一条产业链使用")
    chain.name = name
    chain.description = description
    chain.focus_industry = focus_industry
    chain.sort_order = sort_order
    chain.strong_min_enterprises = (
        None
        if strong_min_enterprises is None
        else _clean_min_enterprises(strong_min_enterprises, "strong_min_enterprises")
    )
    chain.strong_min_investment_usd = (
        None
        if strong_min_investment_usd is None
        else _clean_min_investment(strong_min_investment_usd, "strong_min_investment_usd")
    )
    chain.full_clean()
    save_with_audit(chain, actor=actor, reason="维护产业链")
    return chain


@transaction.atomic
def link_upsert(
    *,
    chain: Chain,
    name: str,
    position: int,
    actor: Any,
    industry_codes: Iterable[str] = (),
    keywords: str = "",
    upstream: Iterable[ChainLink] = (),
    note: str = "",
) -> ChainLink:
    """Create or change a link (by chain and name); its GB/T 4754 codes must be in the industry table."""
    ensure_can(actor, "chain.write")
    name = required_text(name, field="name", label="环节名称")
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise refuse("position", "上下游次序", position, "应为不小于0的整数")
    codes = [c.strip().upper() for c in industry_codes if c and c.strip()]
    industries = {i.code: i for i in Industry.objects.filter(code__in=codes)}
    for code in codes:
        if code not in industries:
            raise refuse("industries", f"环节“{name}”的行业代码", code, "不在国民经济行业分类（GB/T 4754-2017）表中")
    link = ChainLink.objects.filter(chain=chain, name=name).first() or ChainLink(chain=chain, name=name)
    link.position = position
    link.keywords = keywords.strip()
    link.note = note
    link.full_clean()
    save_with_audit(link, actor=actor, reason="维护产业链环节")
    link.industries.set([industries[c] for c in codes])
    link_set_upstream(link=link, upstream=upstream, actor=actor)
    return link


@transaction.atomic
def link_set_upstream(*, link: ChainLink, upstream: Iterable[ChainLink], actor: Any) -> ChainLink:
    """The links that feed this one (the graph's edges): same chain, never itself, never a cycle."""
    ensure_can(actor, "chain.write")
    ups = list(upstream)
    feeds: dict[int, set[int]] = defaultdict(set)
    for row in ChainLink.upstream.through.objects.filter(from_chainlink__chain_id=link.chain_id).exclude(
        from_chainlink=link
    ):
        feeds[row.from_chainlink_id].add(row.to_chainlink_id)
    for up in ups:
        if up.chain_id != link.chain_id:
            raise refuse("upstream", f"环节“{link.name}”的上游环节", up.name, f"不属于产业链“{link.chain.name}”")
        if up.pk == link.pk:
            raise refuse("upstream", f"环节“{link.name}”的上游环节", up.name, "不能是它自己")
        # Walking upstream from `up` must never come back to `link`.
        stack, seen = [up.pk], set()
        while stack:
            current = stack.pop()
            if current == link.pk:
                raise refuse("upstream", f"环节“{link.name}”的上游环节", up.name, "已在本环节的下游，会形成环路")
            if current not in seen:
                seen.add(current)
                stack.extend(feeds[current])
    link.upstream.set(ups)
    return link


def enterprise_texts(enterprises: Iterable[Enterprise]) -> dict[int, list[str]]:
    """Each enterprise's name and its projects' names: the words the keyword matcher reads."""
    texts: dict[int, list[str]] = {e.pk: [e.name] for e in enterprises}
    rows = Project.objects.filter(enterprise_id__in=list(texts)).values_list("enterprise_id", "name")
    for enterprise_id, project_name in rows:
        texts[enterprise_id].append(project_name)
    return texts


@transaction.atomic
def chain_suggest(*, chain: Chain, actor: Any) -> list[LinkEnterprise]:
    """Suggest every enterprise that matches a link of the chain. Confirmed and rejected placements are left as
    they are (a person decided them); open suggestions are refreshed, and dropped when they no longer match."""
    ensure_can(actor, "chain.write")
    links = list(chain.links.prefetch_related("industries"))
    enterprises = list(Enterprise.objects.select_related("industry"))
    texts = enterprise_texts(enterprises)
    existing = {(p.link_id, p.enterprise_id): p for p in LinkEnterprise.objects.filter(link__chain=chain)}
    out: list[LinkEnterprise] = []
    seen: set[tuple[int, int]] = set()
    for link in links:
        codes = [i.code for i in link.industries.all()]
        words = link.keyword_list()
        for enterprise in enterprises:
            industry = enterprise.industry
            found = match(
                link_codes=codes,
                keywords=words,
                industry_code=industry.code if industry else None,
                industry_section=industry.section if industry else "",
                texts=texts[enterprise.pk],
            )
            if found is None:
                continue
            key = (link.pk, enterprise.pk)
            seen.add(key)
            placement = existing.get(key)
            if placement is not None and placement.status != LinkEnterprise.Status.SUGGESTED:
                continue
            placement = placement or LinkEnterprise(link=link, enterprise=enterprise)
            placement.score = found.score
            placement.reason = found.reason
            save_with_audit(placement, actor=actor, reason="系统匹配建议")
            out.append(placement)
    for key, placement in existing.items():
        if key not in seen and placement.status == LinkEnterprise.Status.SUGGESTED:
            placement._history_user = actor  # type: ignore[attr-defined]
            placement._change_reason = "不再匹配，撤回建议"  # type: ignore[attr-defined]
            placement.delete()
    return out


def _decide(placement: LinkEnterprise, status: str, actor: Any, why: str) -> LinkEnterprise:
    ensure_can(actor, "chain.placement", placement.enterprise.unit)
    placement = LinkEnterprise.objects.select_for_update().select_related("link", "enterprise").get(pk=placement.pk)
    placement.status = status
    placement.decided_by = actor if getattr(actor, "pk", None) else None
    placement.decided_at = timezone.now()
    save_with_audit(placement, actor=actor, reason=why)
    return placement


@transaction.atomic
def placement_confirm(*, placement: LinkEnterprise, actor: Any) -> LinkEnterprise:
    return _decide(placement, LinkEnterprise.Status.CONFIRMED, actor, "确认企业所属环节")


@transaction.atomic
def placement_reject(*, placement: LinkEnterprise, actor: Any, reason: str = "") -> LinkEnterprise:
    return _decide(placement, LinkEnterprise.Status.REJECTED, actor, f"否决匹配建议{'：' + reason if reason else ''}")


@transaction.atomic
def placement_add(*, link: ChainLink, enterprise: Enterprise, actor: Any) -> LinkEnterprise:
    """Place an enterprise in a link by hand (confirmed at once), whatever the matcher said."""
    ensure_can(actor, "chain.placement", enterprise.unit)
    placement = LinkEnterprise.objects.filter(link=link, enterprise=enterprise).first()
    placement = placement or LinkEnterprise(link=link, enterprise=enterprise, reason="人工添加")
    placement.status = LinkEnterprise.Status.CONFIRMED
    placement.decided_by = actor if getattr(actor, "pk", None) else None
    placement.decided_at = timezone.now()
    save_with_audit(placement, actor=actor, reason="人工确认企业所属环节")
    return placement


def _find_investor(name: str, name_en: str) -> Investor | None:
    found = Investor.objects.filter(name=name).first()
    if found or not name_en:
        return found
    key = name_key(name_en)
    for inv in Investor.objects.exclude(name_en="").only("id", "name_en", "parent_id"):
        if name_key(inv.name_en) == key:
            return inv
    return None


@transaction.atomic
def target_add(
    *,
    link: ChainLink,
    name: str,
    country: Country,
    actor: Any,
    name_en: str = "",
    fortune500_rank: int | None = None,
    industry_rank: int | None = None,
    investor: Investor | None = None,
    note: str = "",
) -> TargetCompany:
    """Add (or change) a target company of a link; it is tied to a registry investor of the same name if any."""
    ensure_can(actor, "chain.write")
    name = required_text(name, field="name", label="目标企业名称")
    for field, label, value in (
        ("fortune500_rank", "世界500强排名", fortune500_rank),
        ("industry_rank", "行业排名", industry_rank),
    ):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise refuse(field, f"“{name}”的{label}", value, "应为不小于1的整数")
    if fortune500_rank is not None and fortune500_rank > 500:
        raise refuse("fortune500_rank", f"“{name}”的世界500强排名", fortune500_rank, "超过500")
    target = TargetCompany.objects.filter(link=link, name=name).first() or TargetCompany(link=link, name=name)
    target.name_en = name_en.strip()
    target.country = country
    target.fortune500_rank = fortune500_rank
    target.industry_rank = industry_rank
    target.investor = investor or _find_investor(name, target.name_en)
    target.note = note
    target.full_clean()
    save_with_audit(target, actor=actor, reason="维护招引目标")
    return target


@transaction.atomic
def platform_upsert(
    *,
    name: str,
    kind: str,
    actor: Any,
    unit: Unit | None = None,
    partner_countries: Iterable[Country] = (),
    chains: Iterable[Chain] = (),
    in_provincial_integration: bool = False,
    note: str = "",
) -> Platform:
    ensure_can(actor, "chain.write")
    name = required_text(name, field="name", label="平台名称")
    if kind not in Platform.Kind.values:
        raise refuse("kind", f"平台“{name}”的类型", kind, "不存在")
    countries = list(partner_countries)
    if kind == Platform.Kind.COOPERATION_PARK and not countries:
        raise refuse("partner_countries", f"国际产业合作园“{name}”的合作国别", None, "至少需要一个")
    if kind != Platform.Kind.COOPERATION_PARK and countries:
        raise refuse("partner_countries", f"平台“{name}”的合作国别", countries[0].name, "只适用于国际产业合作园")
    if in_provincial_integration and kind != Platform.Kind.ZONE:
        raise refuse("in_provincial_integration", f"平台“{name}”", name, "不是开发区，不能列入开发区整合提升")
    platform = Platform.objects.filter(name=name).first() or Platform(name=name)
    platform.kind = kind
    platform.unit = unit
    platform.in_provincial_integration = in_provincial_integration
    platform.note = note
    platform.full_clean()
    save_with_audit(platform, actor=actor, reason="维护平台")
    platform.partner_countries.set(countries)
    platform.chains.set(list(chains))
    return platform


@transaction.atomic
def pilot_set(*, chain: Chain, platform: Platform, level: str, actor: Any, year: int | None = None) -> ChainPilot:
    """Record a zone's pilot status for a chain under the chain-leader system (试点示范单位 / 试点单位)."""
    ensure_can(actor, "chain.write")
    if level not in ChainPilot.Level.values:
        raise refuse("level", "试点类别", level, "不存在；应为试点示范单位或试点单位")
    if platform.kind != Platform.Kind.ZONE:
        raise refuse("platform", "链长制试点", platform.name, "不是开发区")
    pilot = ChainPilot.objects.filter(chain=chain, platform=platform).first() or ChainPilot(
        chain=chain, platform=platform
    )
    pilot.level = level
    pilot.year = year
    save_with_audit(pilot, actor=actor, reason="登记链长制试点")
    if not platform.chains.filter(pk=chain.pk).exists():
        platform.chains.add(chain)
    return pilot


@transaction.atomic
def leader_set(
    *,
    chain: Chain,
    title: str,
    actor: Any,
    role: str = ChainLeader.Role.LEADER,
    unit: Unit | None = None,
    platform: Platform | None = None,
    name: str = "",
) -> ChainLeader:
    """Name the chain leader (or a deputy) of a chain for the city, a unit or a zone; one per role and scope."""
    ensure_can(actor, "chain.write")
    title = required_text(title, field="title", label="链长职务")
    if role not in ChainLeader.Role.values:
        raise refuse("role", "链长角色", role, "不存在；应为链长或副链长")
    leader = ChainLeader.objects.filter(chain=chain, unit=unit, platform=platform, role=role, title=title).first()
    leader = leader or ChainLeader(chain=chain, unit=unit, platform=platform, role=role, title=title)
    leader.name = name.strip()
    save_with_audit(leader, actor=actor, reason="任命链长")
    return leader
