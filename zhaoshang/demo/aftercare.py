"""The demo's aftercare (存量外资企业), written by us: every enterprise of the registry on the roster, annual-report
figures for 2018 and 2019 (filed in 2019 and 2020; 2020's are filed in 2021, after the demo's as-of date), visits and
requests from 2019 to 2020. A separate step after the rest of the demo: it adds rows to the aftercare tables only.

ZF's 传动系统 enterprise filed its 2019 figures on 2020-01-20 with undistributed profit well above half its registered
capital, so the reinvestment signal stands before its 2020-03-18 reinvestment project; 福莱特 grew fast in 2019."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from zhaoshang.aftercare import services as ac
from zhaoshang.aftercare.models import Intention, RequestCategory, RosterEntry
from zhaoshang.projects.models import Enterprise, Investor, Project

SEED = 20201231
START = date(2018, 1, 1)
AS_OF = date(2020, 12, 31)

# (enterprise name, {year: (filed_on, registered capital, revenue, profit, undistributed profit, tax, export,
# employees)}) in 万元人民币, written for the named cases.
NAMED: dict[str, dict[int, tuple[date, int, int, int, int, int, int, int]]] = {
    "采埃孚传动系统（嘉兴）有限公司": {
        2018: (date(2019, 4, 18), 40000, 380000, 36000, 31000, 21000, 96000, 1850),
        2019: (date(2020, 1, 20), 40000, 426000, 41000, 46000, 23500, 104000, 1920),
    },
    "采埃孚汽车电子（嘉兴）有限公司": {
        2018: (date(2019, 4, 25), 25000, 198000, 21000, 24500, 11800, 52000, 940),
        2019: (date(2020, 2, 26), 25000, 221000, 24000, 33000, 12900, 57000, 1010),
    },
    "嘉兴福莱特新能源科技有限公司": {
        2018: (date(2019, 5, 10), 60000, 156000, 14000, 9000, 7600, 61000, 980),
        2019: (date(2020, 4, 28), 60000, 215000, 23000, 17500, 10400, 88000, 1240),
    },
}
DEPARTMENTS = {
    RequestCategory.LAND: "自然资源和规划局",
    RequestCategory.APPROVAL: "行政审批局",
    RequestCategory.LABOUR: "人力资源和社会保障局",
    RequestCategory.FINANCE: "金融办",
    RequestCategory.ENERGY: "发展和改革局",
    RequestCategory.POLICY: "商务局",
    RequestCategory.OTHER: "经济和信息化局",
}
NEEDS = {
    RequestCategory.LAND: "扩产需新增工业用地约{n}亩",
    RequestCategory.APPROVAL: "新建厂房规划许可审批进度",
    RequestCategory.LABOUR: "招聘一线技术工人约{n}名",
    RequestCategory.FINANCE: "申请流动资金贷款贴息",
    RequestCategory.ENERGY: "新增产线用能指标约{n}吨标煤",
    RequestCategory.POLICY: "上年度外资奖励资金尚未兑现",
    RequestCategory.OTHER: "厂区周边道路与公交线路配套",
}
LEARNED = [
    "生产经营正常，订单饱满，产能利用率较高",
    "受疫情影响一季度订单下滑，二季度起逐步恢复",
    "母公司正在评估在华新增产能的选址",
    "企业反映物流成本上升，出口订单有所减少",
    "企业计划引进新产品线，需要配套用地和用能指标",
]
INTENTION_NOTES = {
    Intention.EXPAND: "拟增资扩产，新增产线",
    Intention.REINVEST: "拟以未分配利润再投资",
    Intention.NEW_PROJECT: "集团有新项目在长三角选址",
    Intention.MOVE: "母公司考虑将部分产能转移至东南亚",
}


def _roster_investors(enterprise: Enterprise) -> list[Investor]:
    ids = Project.investors.through.objects.filter(project__enterprise=enterprise).values("investor_id")
    return list(Investor.objects.filter(pk__in=ids).order_by("pk"))


def build_aftercare(*, staff: dict[str, Any], admin: Any) -> dict[str, int]:
    """Enrol every enterprise, then replay figures, visits and requests in date order through the services."""
    rng = random.Random(SEED)  # noqa: S311  (seeded so the demo is reproducible; nothing secret)
    entries: list[RosterEntry] = []
    leaders = ["区委书记", "区长", "常务副区长", "分管副区长", "管委会主任", "管委会副主任"]
    for enterprise in Enterprise.objects.select_related("unit").order_by("pk"):
        actor = staff.get(enterprise.unit.code, admin)
        established = enterprise.established_on or START
        entries.append(
            ac.roster_enroll(
                enterprise=enterprise,
                investors=_roster_investors(enterprise),
                officer=actor,
                leader=rng.choice(leaders),
                enrolled_on=max(established, START),
                actor=actor,
            )
        )
    events: list[tuple[date, int, Any]] = []
    seq = 0

    def add(day: date, call: Any) -> None:
        nonlocal seq
        seq += 1
        events.append((day, seq, call))

    for entry in entries:
        enterprise = entry.enterprise
        actor = staff.get(enterprise.unit.code, admin)
        established = enterprise.established_on or START
        named = NAMED.get(enterprise.name)
        if named is not None:
            for year, (filed, cap, rev, prof, und, tax, exp, emp) in named.items():
                add(filed, _filing(entry, year, filed, cap, rev, prof, und, tax, exp, emp, actor))
        else:
            _plan_figures(rng, entry, established, actor, add)
        _plan_visits(rng, entry, established, actor, add)
        _plan_requests(rng, entry, established, actor, add)
    events.sort(key=lambda e: (e[0], e[1]))
    for _day, _seq, call in events:
        call()
    return {"roster": len(entries), "events": len(events)}


def _filing(
    entry: RosterEntry,
    year: int,
    filed: date,
    cap: int,
    rev: int,
    prof: int,
    und: int,
    tax: int,
    exp: int,
    emp: int,
    actor: Any,
) -> Any:
    return lambda: ac.annual_figures_file(
        entry=entry,
        year=year,
        filed_on=filed,
        currency="CNY",
        unit_scale=10_000,
        registered_capital=Decimal(cap),
        total_investment=Decimal(cap * 2),
        revenue=Decimal(rev),
        profit=Decimal(prof),
        undistributed_profit=Decimal(und),
        tax_paid=Decimal(tax),
        export_value=Decimal(exp),
        employees=emp,
        source="外商投资信息报告年度报告（演示数据）",
        actor=actor,
    )


def _plan_figures(rng: random.Random, entry: RosterEntry, established: date, actor: Any, add: Any) -> None:
    cap = rng.choice([2000, 3000, 5000, 8000, 12000, 20000, 30000])
    revenue = cap * rng.uniform(1.5, 8)
    employees = rng.randint(60, 900)
    trend = rng.choices(["up", "flat", "down"], weights=[45, 40, 15])[0]
    undistributed = cap * rng.uniform(0.05, 0.7)
    for year in (2018, 2019):
        if established > date(year, 12, 31):
            continue
        step = {"up": rng.uniform(1.08, 1.35), "flat": rng.uniform(0.95, 1.07), "down": rng.uniform(0.78, 0.95)}[trend]
        revenue *= step
        employees = max(20, int(employees * (step if trend != "flat" else 1)))
        margin = rng.uniform(0.02, 0.12) if trend != "down" else rng.uniform(-0.03, 0.03)
        profit = revenue * margin
        undistributed = max(undistributed + profit * 0.6, -cap * 0.2)
        filed = date(year + 1, rng.randint(1, 6), rng.randint(1, 28))
        add(
            filed,
            _filing(
                entry,
                year,
                filed,
                cap,
                round(revenue),
                round(profit),
                round(undistributed),
                round(revenue * 0.05),
                round(revenue * rng.uniform(0, 0.4)),
                employees,
                actor,
            ),
        )


def _plan_visits(rng: random.Random, entry: RosterEntry, established: date, actor: Any, add: Any) -> None:
    name = entry.enterprise.name
    first = max(established, date(2019, 1, 1))
    if first >= AS_OF:
        return
    count = rng.choices([0, 1, 2, 3, 4], weights=[12, 22, 30, 24, 12])[0]
    if name in NAMED:
        count = 3
    days = sorted({first + timedelta(days=rng.randint(0, (AS_OF - first).days)) for _ in range(count)})
    for i, day in enumerate(days):
        intention = rng.choices(
            [Intention.NONE, Intention.EXPAND, Intention.REINVEST, Intention.NEW_PROJECT, Intention.MOVE],
            weights=[70, 10, 6, 6, 8],
        )[0]
        if name.startswith("采埃孚传动系统") and i == 0:
            day, intention = date(2019, 11, 12), Intention.REINVEST
        if name.startswith("嘉兴福莱特") and i == 0:
            day, intention = date(2019, 12, 3), Intention.EXPAND
        nxt = day + timedelta(days=rng.choice([60, 90, 120, 180]))
        note = INTENTION_NOTES.get(intention, "")
        add(
            day,
            lambda day=day, intention=intention, nxt=nxt, note=note: ac.visit_log(
                entry=entry,
                on=day,
                met=rng.choice(["总经理", "财务总监", "行政总监", "董事长"]),
                learned=rng.choice(LEARNED),
                intention=intention,
                intention_note=note,
                next_on=nxt,
                actor=actor,
            ),
        )


def _plan_requests(rng: random.Random, entry: RosterEntry, established: date, actor: Any, add: Any) -> None:
    if rng.random() > 0.3:
        return
    first = max(established, date(2019, 3, 1))
    if first >= AS_OF - timedelta(days=10):
        return
    received = first + timedelta(days=rng.randint(0, (AS_OF - first).days - 1))
    category = rng.choice(list(RequestCategory))
    deadline = received + timedelta(days=rng.choice([15, 30, 45, 60]))
    outcome = rng.choices(["solved", "unsolvable", "in_progress", "received"], weights=[60, 10, 20, 10])[0]
    holder: dict[str, Any] = {}

    def open_it() -> None:
        holder["r"] = ac.request_open(
            entry=entry,
            category=category,
            description=NEEDS[category].format(n=rng.choice([20, 50, 80, 120])),
            department=DEPARTMENTS[category],
            received_on=received,
            deadline=deadline,
            actor=actor,
        )

    add(received, open_it)
    start = received + timedelta(days=rng.randint(1, 7))
    if outcome != "received" and start <= AS_OF:
        add(start, lambda: holder.__setitem__("r", ac.request_start(request=holder["r"], on=start, actor=actor)))
    took = rng.randint(5, 90)
    close = received + timedelta(days=took)
    if outcome in ("solved", "unsolvable") and close <= AS_OF and close > start:
        if outcome == "solved":
            satisfaction = rng.choices(["satisfied", "basic", "unsatisfied"], weights=[70, 22, 8])[0]
            add(
                close,
                lambda: ac.request_close(
                    request=holder["r"], on=close, answer="已协调解决", satisfaction=satisfaction, actor=actor
                ),
            )
        else:
            add(
                close,
                lambda: ac.request_unsolvable(
                    request=holder["r"], on=close, reason="受上级政策限制，暂无法满足", actor=actor
                ),
            )
