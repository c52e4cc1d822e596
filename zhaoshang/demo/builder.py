"""Builds the demo: reference rows, users, a seeded plan of projects, then every event replayed through the services.

The plan decides each project's dates and each month's arrivals first, so that the month totals are exact
(see facts.py); the replay then writes everything in date order through the same services the site uses,
so the demo's audit trail, stages and validations are those of real use.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from stdnum.cn import uscc

from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import system_actor, user_create
from zhaoshang.common.money import YI, to_usd
from zhaoshang.common.periods import add_months, month_start
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification
from zhaoshang.projects.countries import COUNTRIES
from zhaoshang.projects.models import (
    ArrivalKind,
    Claim,
    Country,
    FocusIndustry,
    FollowUp,
    Industry,
    Investor,
    Project,
    ProjectKind,
    Stage,
    Verification,
    VerificationRule,
)
from zhaoshang.stats.models import ProvinceIndicator
from zhaoshang.stats.services import province_figure_set, site_config_update, target_set
from zhaoshang.units.models import Region, Unit
from zhaoshang.units.services import region_upsert, unit_create

from . import facts as F
from .chains import build_chains
from .codes import org_code_check
from .leads import build_leads
from .race import build_race

WAN = 10_000
ARRIVAL_KIND_FOR: dict[str, str] = {
    ProjectKind.NEW: ArrivalKind.PAID_IN,
    ProjectKind.INCREASE: ArrivalKind.CAPITAL_INCREASE,
    ProjectKind.MNA: ArrivalKind.MNA,
    ProjectKind.REINVEST: ArrivalKind.REINVESTED_PROFIT,
}
TAG_BUSINESS = {
    "new-energy": "新能源科技",
    "semiconductor": "半导体",
    "nev": "汽车零部件",
    "health": "生物医药",
    "materials": "新材料",
    "equipment": "智能装备",
    "aerospace": "航空科技",
    "big-data": "数据科技",
    "ai": "智能科技",
    "food": "食品",
}
TAG_WEIGHTS = {
    "new-energy": 3,
    "semiconductor": 2,
    "nev": 3,
    "health": 2,
    "materials": 3,
    "equipment": 3,
    "aerospace": 1,
    "big-data": 1,
    "ai": 1,
    "food": 1,
}
SUMMARIES = {
    FollowUp.Channel.ONLINE: [
        "视频连线{inv}中国区负责人，介绍{unit}产业配套，商议{product}项目选址",
        "云洽谈：与{inv}确认{product}项目用地、能耗指标和建设节奏",
        "线上推介会后跟进{inv}，提供园区厂房和人才政策资料",
    ],
    FollowUp.Channel.VISIT: [
        "上门拜访{inv}，了解{product}项目投资决策进度",
        "陪同{inv}考察{unit}意向地块，现场对接供电、供水条件",
        "走访{inv}在华企业，协调{product}项目审批手续",
    ],
    FollowUp.Channel.MEETING: [
        "与{inv}举行{product}项目专题洽谈会，就投资协议主要条款达成初步一致",
        "召开{product}项目推进会，梳理{inv}提出的要素保障需求",
    ],
    FollowUp.Channel.CALL: [
        "电话联系{inv}项目负责人，确认下一步会谈安排",
        "电话回访{inv}，跟踪{product}项目董事会审议情况",
    ],
}


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


@dataclass
class Plan:
    key: str
    unit: str
    name: str
    kind: str
    investor: str
    tag: str
    industry: str
    product: str
    total_wan: int
    contract_wan: int
    negotiate_on: date | None
    signed_on: date | None
    registered_on: date | None
    leader: str = ""
    drop: tuple[date, str] | None = None
    at_risk: bool = False
    financial: bool = False
    enterprise_name: str = ""
    stages: list[tuple[str, date]] = field(default_factory=list)
    arrivals: dict[date, int] = field(default_factory=dict)
    loans: dict[date, int] = field(default_factory=dict)

    @property
    def capacity(self) -> int:
        return self.contract_wan - sum(self.arrivals.values())


class DemoBuilder:
    def __init__(self, *, progress: Callable[..., Any] | None = None) -> None:
        self.rng = random.Random(F.SEED)  # noqa: S311  (seeded so the demo is reproducible; nothing secret)
        self.progress: Callable[..., Any] = progress or (lambda it, **kw: it)
        self.plans: list[Plan] = []
        self.investors: dict[str, Investor] = {}
        self.investor_short: dict[str, str] = {}
        self.units: dict[str, Unit] = {}
        self.staff: dict[str, User] = {}
        self.admin: User | None = None
        self.system: User | None = None
        self.verifier: User | None = None
        self.used_enterprise_names: set[str] = set()
        self.used_codes: set[str] = set()
        self.generic_pool: list[str] = []
        self.seq = 0

    # ------------------------------------------------------------------ top level
    @transaction.atomic
    def build(self) -> dict[str, int]:
        self.system = system_actor()
        site_config_update(as_of_date=F.AS_OF, actor=self.system, reason="演示数据：业务日期固定为2020年9月30日")
        self.reference()
        self.users()
        self.rates()
        self.plan_projects()
        self.allocate_arrivals()
        self.plan_later_stages()
        self.verification_rules()
        self.replay()
        self.verify_history()
        self.province_figures()
        self.targets()
        self.race()
        build_chains(actor=self.admin)
        build_leads(actor=self.admin)
        return {
            "units": Unit.objects.count(),
            "projects": Project.objects.count(),
            "investors": Investor.objects.count(),
        }

    # ------------------------------------------------------------------ reference rows
    def reference(self) -> None:
        # The migration loads the countries too; a flushed database (PostgreSQL demo, benchmarks) needs them again.
        for code, name, name_en, is_hmt in COUNTRIES:
            ps.country_upsert(code=code, name=name, name_en=name_en, is_hmt=is_hmt, actor=self.system)
        prov = region_upsert(
            code=F.PROVINCE[0],
            name=F.PROVINCE[1],
            short_name=F.PROVINCE[2],
            level=Region.Level.PROVINCE,
            parent=None,
            actor=self.system,
        )
        cities = {
            c: region_upsert(code=c, name=n, short_name=s, level=Region.Level.CITY, parent=prov, actor=self.system)
            for c, n, s in F.CITIES
        }
        city = cities["330400"]
        counties = {
            c: region_upsert(code=c, name=n, short_name=s, level=Region.Level.COUNTY, parent=city, actor=self.system)
            for c, n, s in F.COUNTIES
        }
        for order, (code, name, short, kind, county, _share) in enumerate(F.UNITS, start=1):
            self.units[code] = unit_create(
                code=code,
                name=name,
                short_name=short,
                kind=kind,
                city=city,
                region=counties[county],
                sort_order=order,
                actor=self.system,
            )
        for code, name in F.INDUSTRIES:
            ps.industry_upsert(code=code, name=name, actor=self.system)
        for order, (slug, name) in enumerate(F.FOCUS_INDUSTRIES, start=1):
            ps.focus_industry_upsert(slug=slug, name=name, sort_order=order, actor=self.system)

    def rates(self) -> None:
        """The demo's monthly reference rates (reference/demo_rates.py), for every currency the demo uses."""
        from zhaoshang.reference.demo_rates import SOURCE, demo_rates
        from zhaoshang.reference.services import rate_set

        for currency, month, rate in demo_rates():
            rate_set(currency=currency, month=month, rate_to_usd=rate, source=SOURCE, actor=self.admin)

    # ------------------------------------------------------------------ verification (认定)
    def verification_rules(self) -> None:
        """The demo's city verifies every claim (no self-certified amounts)."""
        for item in VerificationRule.Item.values:
            verification.verification_rule_set(item=item, requires_verification=True, actor=self.admin)

    def verify_history(self) -> None:
        """The 认定员 verified the whole history; then a handful of late claims wait or come back to their units."""
        pending = Claim.objects.filter(status=Verification.PENDING).order_by("pk")
        for claim in self.progress(list(pending), desc="认定历史填报", unit="项"):
            verification.claim_approve(claim=claim, actor=self.verifier, reason="核对原始凭证，予以认定")
        for investor, month, wan, kind, outcome in F.LATE_CLAIMS:
            project = (
                Project.objects.filter(investors__name_en=investor, signed_on__isnull=False)
                .select_related("unit")
                .order_by("signed_on", "code")
                .first()
            )
            if project is None:
                continue
            arrival = ps.arrival_record(
                project=project,
                month=month,
                amount=Decimal(wan * WAN),
                kind=kind,
                actor=self.staff[project.unit.code],
            )
            if outcome != "pending":
                claim = Claim.objects.get(arrival=arrival, status=Verification.PENDING)
                verification.claim_return(claim=claim, actor=self.verifier, reason=outcome)

    def users(self) -> None:
        for username, full_name, role, unit_code in F.DEMO_USERS:
            user = user_create(
                username=username,
                password=F.DEMO_PASSWORD,
                full_name=full_name,
                role=role,
                unit=self.units[unit_code] if unit_code else None,
                actor=self.system,
            )
            if role == "city_admin":
                self.admin = user
            if role == "verifier":
                self.verifier = user
            if unit_code:
                self.staff[unit_code] = user

    def investor(self, name_en: str, name: str, country: str, parent: str | None = None, short: str = "") -> str:
        if name_en not in self.investors:
            self.investors[name_en] = ps.investor_create(
                name=name,
                name_en=name_en,
                country=Country.objects.get(code=country),
                parent=self.investors[parent] if parent else None,
                actor=self.admin,
            )
            self.investor_short[name_en] = short or name.split("（")[0].replace("株式会社", "")[:6]
        return name_en

    def fortune500(self) -> None:
        for name_en, name, country, _rank in F.FORTUNE500:
            short = name.replace("股份公司", "").replace("株式会社", "").replace("有限公司", "")
            short = short.replace("欧洲公司", "").replace("集团", "").replace("公司", "")
            self.investor(name_en, name, country, short=short)
        for name, name_en, country, parent in F.SUBSIDIARIES:
            self.investor(name_en, name, country, parent=parent, short=name.split("（")[0])
        for year, published in F.FORTUNE500_PUBLISHED.items():
            entries = [{"name": n, "country": c, "rank": r if year == 2019 else None} for n, _zh, c, r in F.FORTUNE500]
            ps.fortune500_list_load(year=year, published_on=published, entries=entries, actor=self.admin)

    def generic_investor(self) -> str:
        """Reuse an earlier synthetic investor now and then (repeat investors), otherwise make a new one."""
        if self.generic_pool and self.rng.random() < 0.18:
            return self.rng.choice(self.generic_pool)
        countries = list(F.COUNTRY_WEIGHTS)
        country = self.rng.choices(countries, weights=[F.COUNTRY_WEIGHTS[c] for c in countries])[0]
        zh_form, en_form = F.COUNTRY_FORMS[country]
        for _ in range(200):
            zh, en = self.rng.choice(F.NAME_WORDS)
            biz_zh, biz_en = self.rng.choice(
                [
                    ("实业", "Industrial"),
                    ("科技", "Technology"),
                    ("投资", "Investment"),
                    ("国际", "International"),
                    ("集团", "Group"),
                    ("控股", "Holdings"),
                ]
            )
            name_en = f"{en} {biz_en}{en_form}"
            if name_en not in self.investors:
                break
        key = self.investor(name_en, f"{zh}{biz_zh}{zh_form}", country, short=zh)
        self.generic_pool.append(key)
        return key

    # ------------------------------------------------------------------ the plan
    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def add_plan(self, **kw: Any) -> Plan:
        self.seq += 1
        plan = Plan(key=f"p{self.seq}", **kw)
        self.plans.append(plan)
        return plan

    def leader_for(self, unit: str, big: bool) -> str:
        if big and self.rng.random() < 0.5:
            return self.rng.choice(F.CITY_LEADERS)
        return self.rng.choice(F.LEADER_TITLES[unit])

    def signed_plan(
        self,
        *,
        unit: str,
        investor: str,
        tag: str,
        kind: str,
        signed: date,
        big: bool,
        name: str = "",
        product: str = "",
        total_wan: int | None = None,
        negotiate_on: date | None = None,
        registered_on: date | None = None,
        industry: str = "",
        financial: bool = False,
    ) -> Plan:
        industries, products = F.SECTORS.get(tag, (["7212"], ["投资"]))
        product = product or self.rng.choice(products)
        if total_wan is None:
            if big:
                total_wan = (
                    self.rng.randint(10500, 45000) if self.rng.random() > 0.12 else self.rng.randint(45000, 90000)
                )
            else:
                total_wan = self.rng.randint(800, 9800)
        contract = total_wan if kind == ProjectKind.REINVEST else int(total_wan * self.rng.uniform(0.45, 0.9))
        if kind in (ProjectKind.NEW, ProjectKind.MNA) and negotiate_on is None:
            negotiate_on = signed - timedelta(days=self.rng.randint(40, 260))
        if registered_on is None:
            lag = self.rng.randint(10, 75) if kind == ProjectKind.NEW else self.rng.randint(5, 25)
            registered_on = signed + timedelta(days=lag)
        if registered_on > F.AS_OF:
            registered_on = None
        short = self.investor_short[investor]
        suffix: str = {
            str(ProjectKind.INCREASE): "增资扩产",
            str(ProjectKind.REINVEST): "利润再投资",
            str(ProjectKind.MNA): "并购",
        }.get(kind, "")
        return self.add_plan(
            unit=unit,
            name=name or f"{short}{product}{suffix}项目",
            kind=kind,
            investor=investor,
            tag=tag,
            industry=industry or self.rng.choice(industries),
            product=product,
            total_wan=total_wan,
            contract_wan=contract,
            negotiate_on=negotiate_on,
            signed_on=signed,
            registered_on=registered_on,
            leader=self.leader_for(unit, big),
            financial=financial,
        )

    def random_unit(self) -> str:
        codes = [u[0] for u in F.UNITS]
        return self.rng.choices(codes, weights=[u[5] for u in F.UNITS])[0]

    def plan_projects(self) -> None:
        self.fortune500()
        # The report's named cases.
        everest = self.investor("Everest Medicines Limited", "云顶新耀医药科技有限公司", "KY", short="云顶新耀")
        p = self.signed_plan(
            unit="330421",
            investor=everest,
            tag="health",
            kind=ProjectKind.NEW,
            signed=date(2020, 3, 26),
            big=True,
            name="云顶新耀创新药生产基地项目",
            product="创新药",
            total_wan=30000,
            negotiate_on=date(2020, 1, 10),
            registered_on=date(2020, 4, 22),
            industry="2761",
        )
        p.leader = "市长"
        p.stages = [(Stage.CONSTRUCTION, date(2020, 7, 16)), (Stage.LISTED, date(2020, 10, 9))]
        p.arrivals = {date(2020, 5, 1): 3000, date(2020, 6, 1): 6000, date(2020, 9, 1): 5000}
        longi = self.investor("LONGi (HK) Trading Limited", "隆基（香港）贸易有限公司", "HK", short="隆基")
        self.signed_plan(
            unit="330411",
            investor=longi,
            tag="new-energy",
            kind=ProjectKind.NEW,
            signed=date(2020, 2, 20),
            big=True,
            name="隆基高效单晶光伏组件项目",
            product="高效光伏组件",
            total_wan=28000,
            negotiate_on=date(2019, 10, 12),
            registered_on=date(2020, 3, 30),
            industry="3825",
        )
        csi = self.investor("Canadian Solar Inc.", "阿特斯阳光电力集团", "CA", short="阿特斯")
        self.signed_plan(
            unit="330411",
            investor=csi,
            tag="new-energy",
            kind=ProjectKind.NEW,
            signed=date(2020, 5, 15),
            big=True,
            name="阿特斯高效光伏组件项目",
            product="光伏组件",
            total_wan=21000,
            negotiate_on=date(2019, 12, 5),
            registered_on=date(2020, 6, 12),
            industry="3825",
        )
        flat = self.investor("Flat (Hong Kong) Co., Limited", "福莱特（香港）有限公司", "HK", short="福莱特")
        self.signed_plan(
            unit="330411",
            investor=flat,
            tag="new-energy",
            kind=ProjectKind.INCREASE,
            signed=date(2020, 8, 12),
            big=True,
            name="福莱特光伏玻璃扩产项目",
            product="光伏玻璃",
            total_wan=19000,
            registered_on=date(2020, 8, 28),
            industry="3042",
        )
        # Fortune Global 500 projects, ZF's two reinvestments among them.
        for name_en, tag, unit, signed, big, kind in F.FORTUNE500_PROJECTS:
            plan = self.signed_plan(unit=unit, investor=name_en, tag=tag, kind=kind, signed=signed, big=big)
            if name_en == "ZF Friedrichshafen":
                plan.name = f"采埃孚{'传动系统' if signed.month == 3 else '汽车电子'}利润再投资项目"
                plan.total_wan = plan.contract_wan = 6000 if signed.month == 3 else 4500
                plan.enterprise_name = f"采埃孚{'传动系统' if signed.month == 3 else '汽车电子'}（嘉兴）有限公司"
        zf = [p for p in self.plans if p.investor == "ZF Friedrichshafen"]
        zf[0].arrivals[date(2020, 6, 1)] = 3000
        zf[1].arrivals[date(2020, 6, 1)] = 2500
        zf[0].arrivals[date(2020, 9, 1)] = 2000
        # Other projects of ≥ US$100m.
        kinds = [ProjectKind.NEW, ProjectKind.INCREASE]
        for (start, end), count in F.BIG_GENERIC.items():
            for _ in range(count):
                self.signed_plan(
                    unit=self.random_unit(),
                    investor=self.generic_investor(),
                    tag=self.rng.choices(list(TAG_WEIGHTS), weights=list(TAG_WEIGHTS.values()))[0],
                    kind=self.rng.choices(kinds, weights=[70, 30])[0],
                    signed=self.day_between(start, end),
                    big=True,
                )
        # Ordinary projects.
        small = {
            (date(2018, 1, 5), date(2018, 12, 20)): 16,
            (date(2019, 1, 3), date(2019, 12, 28)): 70,
            (date(2020, 1, 3), date(2020, 9, 29)): 62,
            (date(2020, 10, 8), date(2020, 12, 22)): 18,
        }
        all_kinds = [ProjectKind.NEW, ProjectKind.INCREASE, ProjectKind.MNA]
        for (start, end), count in small.items():
            for _ in range(count):
                self.signed_plan(
                    unit=self.random_unit(),
                    investor=self.generic_investor(),
                    tag=self.rng.choices(list(TAG_WEIGHTS), weights=list(TAG_WEIGHTS.values()))[0],
                    kind=self.rng.choices(all_kinds, weights=[60, 27, 13])[0],
                    signed=self.day_between(start, end),
                    big=False,
                )
        # Profit reinvestment by existing foreign-invested enterprises.
        for start, end, count in (
            (date(2018, 6, 1), date(2018, 12, 15), 3),
            (date(2019, 1, 10), date(2019, 11, 30), 4),
            (date(2020, 1, 10), date(2020, 8, 31), 4),
        ):
            for _ in range(count):
                self.signed_plan(
                    unit=self.random_unit(),
                    investor=self.generic_investor(),
                    tag=self.rng.choice(["materials", "equipment", "nev", "food"]),
                    kind=ProjectKind.REINVEST,
                    signed=self.day_between(start, end),
                    big=False,
                    total_wan=self.rng.randint(6000, 9800),
                )
        # Financial sector: a bank branch's operating capital and a life insurer, counted in the full caliber.
        bank = self.investor(
            "Pacific Union Bank (Singapore) Limited",
            "新加坡太平洋联合银行有限公司",
            "SG",
            short="太平洋联合银行",
        )
        p = self.signed_plan(
            unit="330402",
            investor=bank,
            tag="",
            kind=ProjectKind.NEW,
            signed=date(2020, 2, 18),
            big=False,
            name="太平洋联合银行嘉兴分行项目",
            product="银行分支机构",
            total_wan=5000,
            industry="6621",
            financial=True,
        )
        p.contract_wan = 5000
        p.arrivals[date(2020, 7, 1)] = 3000
        insurer = self.investor(
            "Harbour Life Assurance (Hong Kong) Limited",
            "港湾人寿保险（香港）有限公司",
            "HK",
            short="港湾人寿",
        )
        p = self.signed_plan(
            unit="330402",
            investor=insurer,
            tag="",
            kind=ProjectKind.NEW,
            signed=date(2019, 8, 20),
            big=False,
            name="港湾人寿浙江分公司项目",
            product="寿险分支机构",
            total_wan=4000,
            industry="6811",
            financial=True,
        )
        p.contract_wan = 4000
        p.arrivals[date(2019, 11, 1)] = 2000
        # The pipeline still under negotiation, some of it out of touch, and projects that were dropped.
        at_risk = set(self.rng.sample(range(55), 9))
        for i in range(55):
            inv = self.generic_investor()
            tag = self.rng.choices(list(TAG_WEIGHTS), weights=list(TAG_WEIGHTS.values()))[0]
            industries, products = F.SECTORS[tag]
            product = self.rng.choice(products)
            total = self.rng.randint(1500, 60000)
            unit = self.random_unit()
            self.add_plan(
                unit=unit,
                name=f"{self.investor_short[inv]}{product}项目",
                kind=ProjectKind.NEW,
                investor=inv,
                tag=tag,
                industry=self.rng.choice(industries),
                product=product,
                total_wan=total,
                contract_wan=int(total * 0.7),
                negotiate_on=self.day_between(date(2020, 3, 1), date(2020, 11, 20)),
                signed_on=None,
                registered_on=None,
                leader=self.leader_for(unit, total >= 10000),
                at_risk=i in at_risk,
            )
        for _ in range(14):
            inv = self.generic_investor()
            tag = self.rng.choices(list(TAG_WEIGHTS), weights=list(TAG_WEIGHTS.values()))[0]
            industries, products = F.SECTORS[tag]
            product = self.rng.choice(products)
            start = self.day_between(date(2019, 3, 1), date(2020, 6, 1))
            total = self.rng.randint(1500, 40000)
            unit = self.random_unit()
            self.add_plan(
                unit=unit,
                name=f"{self.investor_short[inv]}{product}项目",
                kind=ProjectKind.NEW,
                investor=inv,
                tag=tag,
                industry=self.rng.choice(industries),
                product=product,
                total_wan=total,
                contract_wan=int(total * 0.7),
                negotiate_on=start,
                signed_on=None,
                registered_on=None,
                leader=self.leader_for(unit, False),
                drop=(start + timedelta(days=self.rng.randint(60, 200)), self.rng.choice(F.DROP_REASONS)),
            )

    # ------------------------------------------------------------------ arrivals
    def allocate(self, candidates: list[Plan], month: date, amount: int) -> int:
        """Spread `amount` (万美元) over a few of the candidates, bigger capacity first; return what is left."""
        pool = [p for p in candidates if p.capacity > 0]
        if amount <= 0 or not pool:
            return amount
        keyed = sorted(pool, key=lambda p: self.rng.random() ** (1 / p.capacity), reverse=True)
        k = min(len(keyed), self.rng.choice([1, 2, 2, 3, 3, 4]))
        chosen, rest = keyed[:k], keyed[k:]
        weights = [self.rng.uniform(0.3, 1.0) for _ in chosen]
        parts = [int(amount * w / sum(weights)) for w in weights]
        parts[0] += amount - sum(parts)
        left = 0
        for plan, part in zip(chosen, parts, strict=True):
            take = min(part, plan.capacity)
            if take > 0:
                plan.arrivals[month] = plan.arrivals.get(month, 0) + take
            left += part - take
        for plan in rest + chosen:
            if left <= 0:
                break
            take = min(left, plan.capacity)
            if take > 0:
                plan.arrivals[month] = plan.arrivals.get(month, 0) + take
                left -= take
        return left

    def allocate_arrivals(self) -> None:
        month = date(2019, 1, 1)
        while month <= month_start(F.AS_OF):
            total = F.CITY_MONTHLY_WAN[month.year][month.month - 1]
            reinvest = F.REINVESTED_MONTHLY_WAN[month.year][month.month - 1]
            pinned = [p for p in self.plans if month in p.arrivals]
            pinned_reinvest = sum(p.arrivals[month] for p in pinned if p.kind == ProjectKind.REINVEST)
            pinned_other = sum(p.arrivals[month] for p in pinned if p.kind != ProjectKind.REINVEST)
            eligible = [
                p
                for p in self.plans
                if p.registered_on
                and month_start(p.registered_on) <= month
                and not p.drop
                and not p.financial
                and month not in p.arrivals
            ]
            left = self.allocate(
                [p for p in eligible if p.kind == ProjectKind.REINVEST], month, reinvest - pinned_reinvest
            )
            if left:
                raise RuntimeError(f"demo plan: no reinvestment capacity for {month:%Y-%m}")
            others = [p for p in eligible if p.kind != ProjectKind.REINVEST]
            amount = total - reinvest - pinned_other
            weights = {u[0]: u[5] * self.rng.uniform(0.75, 1.25) for u in F.UNITS}
            shares = {u: int(amount * w / sum(weights.values())) for u, w in weights.items()}
            shares[F.UNITS[0][0]] += amount - sum(shares.values())
            left = sum(self.allocate([p for p in others if p.unit == u], month, s) for u, s in shares.items())
            left = self.allocate(others, month, left)
            if left:
                raise RuntimeError(f"demo plan: no capacity for {month:%Y-%m}")
            month = add_months(month, 1)
        # Shareholder loans within total investment: recorded, but outside the default caliber.
        borrowers = [p for p in self.plans if p.total_wan >= 10000 and any(m.year == 2020 for m in p.arrivals)]
        for plan in self.rng.sample(borrowers, 5):
            months = sorted(m for m in plan.arrivals if m.year == 2020)
            plan.loans[self.rng.choice(months)] = self.rng.randint(1000, 3000)

    def plan_later_stages(self) -> None:
        for plan in self.plans:
            if plan.stages or not plan.arrivals or plan.kind in (ProjectKind.MNA, ProjectKind.REINVEST):
                continue
            if plan.industry[:2] in ("65", "66", "68", "72", "73"):
                continue
            start = month_end(min(plan.arrivals)) + timedelta(days=self.rng.randint(15, 90))
            if start > F.AS_OF:
                continue
            plan.stages.append((Stage.CONSTRUCTION, start))
            production = start + timedelta(days=self.rng.randint(120, 420))
            if production <= F.AS_OF:
                plan.stages.append((Stage.PRODUCTION, production))

    def follow_ups(self, plan: Plan) -> list[tuple[date, str, date]]:
        """(date, channel, next date) for the negotiation and, after signing, a few service visits."""
        if plan.negotiate_on is None:
            raise RuntimeError(f"demo plan without a negotiation date: {plan}")
        end = plan.signed_on or (plan.drop[0] if plan.drop else F.AS_OF)
        if plan.at_risk:
            end = max(plan.negotiate_on + timedelta(days=14), F.AS_OF - timedelta(days=self.rng.randint(45, 120)))
        end = min(end, F.AS_OF)
        out = []
        day = plan.negotiate_on + timedelta(days=self.rng.randint(2, 12))
        while day < end:
            out.append((day, self.channel(day), day + timedelta(days=self.rng.randint(14, 35))))
            day += timedelta(days=self.rng.randint(15, 50))
        if not out:
            day = plan.negotiate_on
            out.append((day, self.channel(day), day + timedelta(days=20)))
        if plan.signed_on is None and not plan.drop and not plan.at_risk:
            last_day, channel, _ = out[-1]
            out[-1] = (last_day, channel, F.AS_OF + timedelta(days=self.rng.randint(5, 30)))
        if plan.at_risk:
            last_day, channel, nxt = out[-1]
            out[-1] = (last_day, channel, min(nxt, F.AS_OF - timedelta(days=3)))
        return out

    def channel(self, day: date) -> str:
        c = FollowUp.Channel
        if date(2020, 2, 1) <= day <= date(2020, 5, 31):
            return self.rng.choices([c.ONLINE, c.CALL, c.MEETING, c.VISIT], weights=[6, 2, 1, 1])[0]
        return self.rng.choices([c.VISIT, c.MEETING, c.ONLINE, c.CALL], weights=[4, 3, 2, 2])[0]

    # ------------------------------------------------------------------ replay through the services
    def replay(self) -> None:
        events: list[tuple[date, int, int, str, Plan, Any]] = []
        order = 0

        def add(day: date, rank: int, kind: str, plan: Plan, payload: Any = None) -> None:
            nonlocal order
            order += 1
            events.append((day, rank, order, kind, plan, payload))

        for plan in self.plans:
            add(plan.negotiate_on or plan.signed_on, 0, "create", plan)  # type: ignore[arg-type]
            if plan.negotiate_on:
                for day, channel, nxt in self.follow_ups(plan):
                    add(day, 1, "followup", plan, (channel, nxt))
                if plan.signed_on:
                    add(plan.signed_on, 2, "stage", plan, Stage.SIGNED)
            if plan.registered_on:
                add(plan.registered_on, 2, "register", plan)
            for month, wan in plan.arrivals.items():
                add(month_end(month), 3, "arrival", plan, (month, wan, ARRIVAL_KIND_FOR[plan.kind]))
            for month, wan in plan.loans.items():
                add(month_end(month), 3, "arrival", plan, (month, wan, ArrivalKind.SHAREHOLDER_LOAN))
            for stage, day in plan.stages:
                add(day, 4, "stage", plan, stage)
            if plan.drop:
                add(plan.drop[0], 5, "drop", plan, plan.drop[1])
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        projects: dict[str, Project] = {}
        for day, _rank, _o, kind, plan, payload in self.progress(events, desc="写入演示数据", unit="条"):
            actor = self.staff[plan.unit]
            if kind == "create":
                projects[plan.key] = self.create_project(plan, actor)
            elif kind == "followup":
                channel, nxt = payload
                summary = self.rng.choice(SUMMARIES[channel]).format(
                    inv=self.investor_short[plan.investor],
                    unit=self.units[plan.unit].short_name,
                    product=plan.product,
                )
                ps.followup_log(
                    project=projects[plan.key],
                    on=day,
                    channel=channel,
                    summary=summary,
                    next_on=nxt,
                    actor=actor,
                )
            elif kind == "stage":
                projects[plan.key] = ps.project_advance_stage(
                    project=projects[plan.key], to_stage=payload, on=day, actor=actor
                )
            elif kind == "register":
                project = projects[plan.key]
                if project.enterprise is None:
                    enterprise = self.enterprise(plan, actor, established_on=day, is_new=True)
                    project = ps.project_update(
                        project=project, actor=actor, reason="企业设立登记", enterprise=enterprise
                    )
                projects[plan.key] = ps.project_advance_stage(
                    project=project, to_stage=Stage.REGISTERED, on=day, actor=actor
                )
            elif kind == "arrival":
                month, wan, arrival_kind = payload
                self.arrival(projects[plan.key], month, wan, arrival_kind, plan, actor)
                projects[plan.key].refresh_from_db()
            elif kind == "drop":
                ps.project_drop(project=projects[plan.key], on=day, reason=payload, actor=actor)

    def create_project(self, plan: Plan, actor: User) -> Project:
        investor = self.investors[plan.investor]
        currency = F.COUNTRY_CURRENCY.get(investor.country.code, "USD") if not plan.financial else "USD"
        first = plan.negotiate_on or plan.signed_on
        if first is None:
            raise RuntimeError(f"demo plan without a first date: {plan}")
        rate = Decimal(F.RATES[currency][first.year]) if currency != "USD" else Decimal(1)
        total = (Decimal(plan.total_wan * WAN) / rate).quantize(Decimal("0.01"))
        contract = min(total, (Decimal(plan.contract_wan * WAN) / rate).quantize(Decimal("0.01")))
        enterprise = None
        if plan.kind in (ProjectKind.INCREASE, ProjectKind.REINVEST):
            enterprise = self.enterprise(
                plan,
                actor,
                established_on=self.day_between(date(2004, 1, 1), date(2017, 12, 31)),
                is_new=False,
            )
        stage = Stage.NEGOTIATING if plan.negotiate_on else Stage.SIGNED
        tags = list(FocusIndustry.objects.filter(slug=plan.tag)) if plan.tag else []
        return ps.project_create(
            unit=self.units[plan.unit],
            name=plan.name,
            kind=plan.kind,
            investors=[investor],
            stage=stage,
            stage_on=first,
            currency=currency,
            rate_to_usd=rate,
            total_investment=total,
            contract_foreign=contract,
            enterprise=enterprise,
            industry=Industry.objects.get(code=plan.industry),
            focus_industries=tags,
            leader=plan.leader,
            officer=actor,
            actor=actor,
        )

    def enterprise(self, plan: Plan, actor: User, *, established_on: date, is_new: bool) -> Any:
        name = plan.enterprise_name
        if not name:
            base = f"嘉兴{self.investor_short[plan.investor]}{TAG_BUSINESS.get(plan.tag, '投资')}"
            name = f"{base}有限公司"
            n = 2
            while name in self.used_enterprise_names:
                name = f"{base}{'二三四五六七八九'[n - 2]}有限公司"
                n += 1
        self.used_enterprise_names.add(name)
        region = self.units[plan.unit].region.code
        while True:
            alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
            body = (
                ("MA" + "".join(self.rng.choice(alphabet[:10] + "ABCDEFGH") for _ in range(6)))
                if is_new
                else "".join(self.rng.choice("0123456789") for _ in range(8))
            )
            code17 = f"91{region}{body}{org_code_check(body)}"
            code = code17 + uscc.calc_check_digit(code17)
            if code not in self.used_codes:
                self.used_codes.add(code)
                break
        return ps.enterprise_create(
            name=name,
            unit=self.units[plan.unit],
            credit_code=code,
            industry=Industry.objects.get(code=plan.industry),
            is_new=is_new,
            established_on=established_on,
            actor=actor,
        )

    def arrival(self, project: Project, month: date, wan: int, kind: str, plan: Plan, actor: User) -> None:
        """Record in the project's currency when some amount in cents converts to the planned dollars exactly,
        otherwise in dollars (investors often pay in US$), so that every month's total stays exact."""
        target = Decimal(wan * WAN)
        currency, rate, amount = "USD", Decimal(1), target
        if project.currency != "USD":
            foreign_rate = Decimal(F.RATES[project.currency][month.year])
            base = (target / foreign_rate).quantize(Decimal("0.01"))
            for candidate in (base, base + Decimal("0.01"), base - Decimal("0.01")):
                if to_usd(candidate, foreign_rate) == target:
                    currency, rate, amount = project.currency, foreign_rate, candidate
                    break
        ps.arrival_record(
            project=project,
            month=month,
            amount=amount,
            kind=kind,
            actor=actor,
            currency=currency,
            rate_to_usd=rate,
            is_financial=plan.financial,
        )

    # ------------------------------------------------------------------ the province
    def province_figures(self) -> None:
        cities = {r.code: r for r in Region.objects.filter(level=Region.Level.CITY)}
        province = Region.objects.get(code=F.PROVINCE[0])
        values: dict[str, list[Decimal]] = {}
        growth: dict[str, list[Any]] = {}
        for code, (published, grs) in F.CITY_CUMULATIVE_2020.items():
            values[code] = [Decimal(str(v)) for v in published]
            growth[code] = grs
        for code, (share, gr) in F.OTHER_CITY_SHARES.items():
            values[code] = [
                (Decimal(str(v)) * Decimal(share)).quantize(Decimal("0.01")) for v in F.OTHER_CITIES_CUMULATIVE_2020
            ]
            growth[code] = [gr] * 12
        jiaxing = [sum(F.CITY_MONTHLY_WAN[2020][:m]) for m in range(1, 13)]
        for m in range(1, 13):
            first, last = date(2020, 1, 1), date(2020, m, 1)
            for code, vals in values.items():
                value = vals[m - 1] * YI
                g = Decimal(str(growth[code][m - 1]))
                self.figure(cities[code], first, last, ProvinceIndicator.ACTUAL_USE, value, g)
                prev = (value / (1 + g / 100)).quantize(Decimal("1"))
                self.figure(cities[code], date(2019, 1, 1), date(2019, m, 1), ProvinceIndicator.ACTUAL_USE, prev, None)
            city_sum = sum(v[m - 1] for v in values.values()) + Decimal(jiaxing[m - 1]) / 10_000
            total = Decimal(str(F.PROVINCE_PUBLISHED_2020.get(m, city_sum)))
            self.figure(
                province,
                first,
                last,
                ProvinceIndicator.ACTUAL_USE,
                total * YI,
                Decimal(str(F.PROVINCE_GROWTH_2020[m - 1])),
            )
            for code, count in F.CITY_OVER_100M_2020.get(m, {}).items():
                self.figure(cities[code], first, last, ProvinceIndicator.PROJECTS_OVER_100M, Decimal(count), None)

    def targets(self) -> None:
        for code, wan in F.TARGETS_2020_WAN.items():
            target_set(
                year=2020,
                indicator="actual_use_usd",
                value=Decimal(wan * WAN),
                unit=self.units[code] if code else None,
                actor=self.admin,
            )

    def race(self) -> None:
        build_race(facts=F, admin=self.admin, progress=self.progress)

    def figure(
        self, region: Region, first: date, last: date, indicator: str, value: Decimal, growth: Decimal | None
    ) -> None:
        province_figure_set(
            region=region,
            first_month=first,
            last_month=last,
            indicator=indicator,
            value=value,
            yoy_pct=growth,
            source="省商务厅通报（演示数据）",
            actor=self.admin,
        )


def build_demo(*, progress: Callable[..., Any] | None = None) -> dict[str, int]:
    """Build the demo into the current (empty, migrated) database."""
    return DemoBuilder(progress=progress).build()
