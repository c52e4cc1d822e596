"""What the intake proposes from a text, for a person to confirm one by one: updates to the projects it matches (as
stage claims through the registry's services), new leads for the companies nobody holds, and targets for the chain
maps. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from zhaoshang.chains.models import Chain, ChainLink, TargetCompany
from zhaoshang.leads.models import OPEN_STATUSES, Lead
from zhaoshang.leads.names import core_name
from zhaoshang.leads.services import investor_group_key
from zhaoshang.projects.models import STAGE_ORDER, Investor, Project, Stage
from zhaoshang.units.models import Unit

from .dictionary import Dictionary, from_database
from .extract import CompanyProfile, Finding, find_all, profiles
from .text import repair

STAGE_LABELS = dict(Stage.choices)
KIND_LABELS = {"increase": "增资扩产", "reinvest": "利润再投资"}


@dataclass
class Proposal:
    key: str  # stable for the same text and registry: what a confirmation names
    kind: str  # stage | lead | target | match (match: shown, nothing to write)
    company: str
    title: str  # in Chinese, what confirming would do
    detail: str = ""
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return self.kind != "match"


@dataclass
class CompanyResult:
    profile: CompanyProfile
    unit: Unit | None
    projects: list[Project]
    chains: list[str]
    proposals: list[Proposal]

    def line(self) -> str:
        p = self.profile
        parts = [p.text]
        parts.append(self.unit.name if self.unit else "（地点未明）")
        words = [STAGE_LABELS[p.stage]] if p.stage else []
        words += [KIND_LABELS[k] for k in p.kinds]
        parts.append("、".join(words) or "（阶段未明）")
        if self.chains:
            parts.append("、".join(f"{c}产业链" for c in self.chains))
        return " · ".join(parts)


@dataclass
class Intake:
    text: str
    findings: list[Finding]
    companies: list[CompanyResult]

    @property
    def proposals(self) -> list[Proposal]:
        return [p for c in self.companies for p in c.proposals]


def _investors(profile: CompanyProfile) -> list[Investor]:
    """The registry investors a company is: its records, and every investor of the same group."""
    ids = [n.ref for n in profile.names if n.kind == "investor" and n.ref]
    found = list(Investor.objects.filter(pk__in=ids).select_related("parent"))
    keys = {investor_group_key(i) for i in found} | ({profile.key} if len(profile.key) >= 2 else set())
    for key in keys:
        near = Investor.objects.filter(Q(name__contains=key) | Q(parent__name__contains=key)).select_related("parent")
        for inv in near[:50]:
            if inv not in found and investor_group_key(inv) in keys:
                found.append(inv)
    return found


def _chains_in(text: str, profile: CompanyProfile) -> list[tuple[Chain, ChainLink | None]]:
    """Chains named (光伏产业链) or whose link keywords appear in the sentences about the company."""
    sentences = " ".join(m.sentence for m in profile.mentions)
    out: list[tuple[Chain, ChainLink | None]] = []
    for chain in Chain.objects.prefetch_related("links"):
        named = f"{chain.name}产业链" in sentences or f"{chain.name}产业" in sentences
        link = next((lk for lk in chain.links.all() if any(k in sentences for k in lk.keyword_list())), None)
        if named or link is not None:
            out.append((chain, link))
    return out


def _projects(investors: list[Investor], unit: Unit | None, kinds: list[str]) -> list[Project]:
    if not investors:
        return []
    qs = Project.objects.filter(investors__in=investors).exclude(stage=Stage.DROPPED).distinct().select_related("unit")
    projects = list(qs.order_by("-stage_on", "code"))
    if unit is not None and any(p.unit_id == unit.pk for p in projects):
        projects = [p for p in projects if p.unit_id == unit.pk]
    if "reinvest" in kinds and any(p.kind == "reinvest" for p in projects):
        projects = [p for p in projects if p.kind == "reinvest"]
    return projects[:5]


def analyse(text: str, *, title: str = "", dictionary: Dictionary | None = None) -> Intake:
    """Findings and proposals for a text; reads the registry, writes nothing."""
    text = repair(text)
    d = dictionary or from_database()
    findings = find_all(text, d)
    units = {u.code: u for u in Unit.objects.all()}
    held = [(x, core_name(x.company)) for x in Lead.objects.filter(status__in=OPEN_STATUSES)]
    results = []
    for prof in profiles(text, findings):
        unit = next((units[p.unit_code] for p in prof.places if p.unit_code in units), None)
        investors = _investors(prof)
        projects = _projects(investors, unit, prof.kinds)
        chains = _chains_in(text, prof)
        proposals: list[Proposal] = []
        for p in projects:
            if (
                prof.stage
                and p.stage != Stage.DROPPED
                and STAGE_ORDER.index(Stage(prof.stage)) > STAGE_ORDER.index(Stage(p.stage))
            ):
                proposals.append(
                    Proposal(
                        f"stage:{p.pk}:{prof.stage}",
                        "stage",
                        prof.text,
                        f"项目 {p.code} {p.name}：由“{p.get_stage_display()}”"
                        f"推进至“{STAGE_LABELS[prof.stage]}”（提交认定）",
                        prof.mentions[0].sentence[:120],
                        {"project": p.pk, "stage": prof.stage},
                    )
                )
            else:
                proposals.append(
                    Proposal(
                        f"match:{p.pk}",
                        "match",
                        prof.text,
                        f"已匹配项目 {p.code} {p.name}（{p.unit.short_name}，当前阶段“{p.get_stage_display()}”）",
                    )
                )
        investor_ids = {i.pk for i in investors}
        open_lead = next(
            (x for x, key in held if key == prof.key or (x.investor_id and x.investor_id in investor_ids)), None
        )
        if not projects and open_lead is None:
            amount = next((a for a in prof.amounts if a.amount is not None), None)
            intention = "；".join(m.sentence for m in prof.mentions)[:500]
            proposals.append(
                Proposal(
                    f"lead:{prof.key}",
                    "lead",
                    prof.text,
                    f"新建线索：{prof.text}" + (f"（{unit.short_name}）" if unit else "（待市局分派）"),
                    intention[:120],
                    {
                        "company": prof.text,
                        "unit": unit.code if unit else None,
                        "investor": investors[0].pk if investors else None,
                        "intention": intention,
                        "amount": str(amount.amount) if amount else None,
                        "currency": amount.currency if amount else "",
                        "source_detail": title[:300],
                    },
                )
            )
        elif open_lead is not None and not projects:
            proposals.append(
                Proposal(
                    f"match-lead:{open_lead.pk}",
                    "match",
                    prof.text,
                    f"已有线索 {open_lead.code}（{open_lead.get_status_display()}）",
                )
            )
        chain_names = []
        for chain, link in chains:
            chain_names.append(chain.name)
            existing = TargetCompany.objects.filter(link__chain=chain).select_related("link")
            already = next((t for t in existing if core_name(t.name) == prof.key), None)
            if already is not None:
                proposals.append(
                    Proposal(
                        f"match-target:{already.pk}",
                        "match",
                        prof.text,
                        f"已是{chain.name}产业链“{already.link.name}”环节的目标企业",
                    )
                )
            elif link is not None:
                country = investors[0].country.code if investors else ""
                proposals.append(
                    Proposal(
                        f"target:{link.pk}:{prof.key}",
                        "target",
                        prof.text,
                        f"列为{chain.name}产业链“{link.name}”环节的招引目标",
                        "" if country else "确认时须选择国别（地区）",
                        {"link": link.pk, "name": prof.text, "country": country},
                    )
                )
        results.append(CompanyResult(prof, unit, projects, chain_names, proposals))
    return Intake(text, findings, results)


def dry_run_lines(intake: Intake) -> list[str]:
    """The dry run's report: every finding as written, then each company with what would be proposed."""
    out = ["【识别结果】"]
    kinds = {"company": "企业", "amount": "金额", "place": "地点", "stage": "阶段", "date": "日期"}
    for f in intake.findings:
        note = f"（{f.damaged}）" if f.damaged else ""
        out.append(f"  {kinds[f.kind]}  “{f.text}”  {f.label}{note}")
    out.append("【建议（需逐条人工确认，试运行不写入）】")
    for c in intake.companies:
        out.append(f"  ◆ {c.line()}")
        for p in c.proposals:
            mark = "→" if p.writes else "·"
            out.append(f"      {mark} {p.title}")
    return out
