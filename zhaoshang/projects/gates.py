"""Stage gates (准入条件): what a project needs to enter each stage, declared as data and read by every write path.

The gates themselves are rows (`StageGate`, `GateRequirement`), seeded by a migration and edited by the city
administrator through `stage_gate_set` (audited). What a requirement means is declared once here, in
`REQUIREMENTS`: its Chinese label, how it is judged on a project, and where on the project page it is completed.
Conditions that waive a requirement are declared in `WAIVERS` (a capital increase by an existing enterprise needs no
negotiation on record). A gate applies to advances dated on or after its `in_force_from`; an advance that skips
stages must pass every gate it skips. The project page, `GET /api/projects/{code}/checklist` and the services all
call `checklist`, so what the page lists is exactly what the service refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import delete_with_audit, save_with_audit
from zhaoshang.common.clock import today
from zhaoshang.common.validation import refuse

from .models import (
    STAGE_ORDER,
    EvidenceKind,
    GateRequirement,
    Project,
    ProjectKind,
    Stage,
    StageGate,
    stage_index,
)


@dataclass(frozen=True)
class Facts:
    """What an advance brings with it besides the project's own record (the stage's date, a drop's reason)."""

    on: date | None = None
    reason: str = ""
    destination: str = ""


@dataclass(frozen=True)
class Requirement:
    label: str
    # Judged on the project and the advance's own facts; None means "given in the advance's form" (a date).
    met: Callable[[Project, Facts], bool]
    # Where on the project page the user completes it (an anchor, or "enterprise" for the enterprise's page).
    link: str


def _has_enterprise_value(attr: str) -> Callable[[Project, Facts], bool]:
    return lambda p, f: p.enterprise is not None and bool(getattr(p.enterprise, attr))


REQUIREMENTS: dict[str, Requirement] = {
    "negotiation": Requirement(
        "洽谈记录（先以“洽谈”阶段登记项目）",
        lambda p, f: p.pk is not None and p.stage_events.filter(stage=Stage.NEGOTIATING).exists(),
        "#timeline",
    ),
    "stage_date": Requirement("阶段日期", lambda p, f: f.on is not None, "#form-advance"),
    "total_investment": Requirement("总投资（大于0）", lambda p, f: p.total_investment_usd > 0, "#project-facts"),
    "contract_foreign": Requirement("合同外资（大于0）", lambda p, f: p.contract_foreign_usd > 0, "#project-facts"),
    "investors": Requirement(
        "外方投资者（至少一个）", lambda p, f: p.pk is not None and p.investors.exists(), "#project-facts"
    ),
    "industry": Requirement("行业（GB/T 4754）", lambda p, f: p.industry_id is not None, "#project-facts"),
    "enterprise": Requirement("外资企业", lambda p, f: p.enterprise is not None, "enterprise"),
    "enterprise_credit_code": Requirement(
        "外资企业的统一社会信用代码", _has_enterprise_value("credit_code"), "enterprise"
    ),
    "enterprise_registered_on": Requirement(
        "外资企业的设立登记日期", _has_enterprise_value("established_on"), "enterprise"
    ),
    "arrival": Requirement("至少一笔实际到资", lambda p, f: p.pk is not None and p.arrivals.exists(), "#form-arrival"),
    "dropped_reason": Requirement("中止原因", lambda p, f: bool(f.reason.strip()), "#form-status"),
    "destination": Requirement(
        "去向（流向的城市或国家；未流向他处填“无”）", lambda p, f: bool(f.destination.strip()), "#form-status"
    ),
}


@dataclass(frozen=True)
class Waiver:
    label: str
    holds: Callable[[Project], bool]


WAIVERS: dict[str, Waiver] = {
    "increase_by_existing": Waiver(
        "存量外资企业增资（含利润再投资）",
        lambda p: (
            p.kind in (ProjectKind.INCREASE, ProjectKind.REINVEST)
            and p.enterprise is not None
            and not p.enterprise.is_new
        ),
    ),
    "mna": Waiver("并购项目", lambda p: p.kind == ProjectKind.MNA),
}

# Stage dates are named after their stage.
STAGE_DATE_LABELS = {
    Stage.SIGNED: "签约日期",
    Stage.REGISTERED: "设立日期",
    Stage.ARRIVING: "到资日期",
    Stage.CONSTRUCTION: "开工日期",
    Stage.PRODUCTION: "投产日期",
    Stage.LISTED: "上市日期",
    Stage.DROPPED: "中止日期",
}


@dataclass
class CheckItem:
    key: str
    label: str
    met: bool
    link: str
    stage: str
    waived_by: str = ""


@dataclass
class Checklist:
    """What entering `stage` asks of the project now: every item, met or not, and whether the gate is in force."""

    project_code: str
    stage: str | None
    stage_label: str
    items: list[CheckItem] = field(default_factory=list)
    in_force: bool = True
    in_force_from: date | None = None

    @property
    def missing(self) -> list[CheckItem]:
        return [i for i in self.items if not i.met and not i.waived_by]

    @property
    def complete(self) -> bool:
        return not self.missing


def next_stage(project: Project) -> str | None:
    """The stage after the current one (None when listed or dropped: nothing comes next)."""
    if project.stage == Stage.DROPPED:
        return None
    idx = stage_index(project.stage)
    return STAGE_ORDER[idx + 1] if idx + 1 < len(STAGE_ORDER) else None


def _gates() -> dict[str, StageGate]:
    return {g.stage: g for g in StageGate.objects.prefetch_related("requirements")}


def _passed_stages(project: Project | None, to_stage: str) -> list[str]:
    """The gates an advance to `to_stage` passes: every stage after the current one up to it (a drop: its own)."""
    if to_stage == Stage.DROPPED:
        return [Stage.DROPPED]
    start = 1 if project is None or project.pk is None else stage_index(project.stage) + 1
    return [str(s) for s in STAGE_ORDER[start : stage_index(to_stage) + 1]]


def _evidence_count(project: Project, stage: str, kinds: Iterable[str]) -> int:
    if project.pk is None:
        return 0
    return project.evidence.filter(stage=stage, kind__in=list(kinds)).count()


def evidence_label(kinds: Iterable[str]) -> str:
    return "或".join(EvidenceKind(k).label for k in kinds if k in EvidenceKind.values) or "任一类证明材料"


def checklist(
    project: Project, to_stage: str | None = None, *, facts: Facts | None = None, from_new: bool = False
) -> Checklist:
    """Everything entering `to_stage` (default: the next stage) asks of the project, met or not.

    Without facts (the page, the API) the stage's own date counts as given in the advance form; with facts (a
    service about to advance) the gate is in force when the advance's date is on or after its `in_force_from`."""
    to_stage = to_stage or next_stage(project)
    if to_stage is None:
        return Checklist(project.code, None, "")
    page = facts is None
    facts = facts or Facts(on=today())
    gates = _gates()
    stages = _passed_stages(None if from_new else project, to_stage)
    out = Checklist(project.code, to_stage, Stage(to_stage).label)
    on = facts.on or today()
    dates_from = [gates[s].in_force_from for s in stages if s in gates]
    out.in_force_from = min(dates_from) if dates_from else None
    out.in_force = any(gates[s].in_force_from <= on for s in stages if s in gates)
    for stage in stages:
        gate = gates.get(stage)
        if gate is None or (not page and gate.in_force_from > on):
            continue
        for req in gate.requirements.all():
            spec = REQUIREMENTS.get(req.requirement)
            if spec is None:
                continue
            label = spec.label
            if req.requirement == "stage_date":
                label = STAGE_DATE_LABELS.get(Stage(stage), label)
                met = page or spec.met(project, facts)
            else:
                met = spec.met(project, facts)
            waiver = WAIVERS.get(req.waived_when)
            waived = waiver.label if waiver is not None and not met and waiver.holds(project) else ""
            out.items.append(CheckItem(req.requirement, label, met, spec.link, stage, waived))
        if gate.evidence_min:
            have = _evidence_count(project, stage, gate.evidence_kinds)
            label = f"“{Stage(stage).label}”证明材料（{evidence_label(gate.evidence_kinds)}）至少{gate.evidence_min}份"
            if have:
                label += f"，已上传{have}份"
            out.items.append(CheckItem("evidence", label, have >= gate.evidence_min, "#evidence-upload", stage))
    return out


def ensure_gate(project: Project, to_stage: str, *, facts: Facts, from_new: bool = False) -> None:
    """Refuse, in Chinese and listing every missing item, an advance the gates in force do not let through."""
    result = checklist(project, to_stage, facts=facts, from_new=from_new)
    if result.missing:
        items = "；".join(f"{i}. {m.label}" for i, m in enumerate(result.missing, start=1))
        raise refuse("stage", "进入阶段", Stage(to_stage).label, f"的条件尚未满足，还需：{items}")


# ------------------------------------------------------------------------------------------------- the rules' edits


@transaction.atomic
def stage_gate_set(
    *,
    stage: str,
    requirements: Iterable[tuple[str, str]],
    evidence_kinds: Iterable[str],
    evidence_min: int,
    in_force_from: date,
    actor: Any,
    note: str = "",
) -> StageGate:
    """Set one stage's gate: its requirements (key, waiver key or ""), accepted evidence and when it applies from.

    Audited: the gate's history row names what changed, and each requirement added, changed or removed has its
    own history row. Advances already made are not re-judged."""
    ensure_can(actor, "stage_gate.write")
    if stage not in Stage.values or stage == Stage.NEGOTIATING:
        raise refuse("stage", "阶段", stage, "不能设置准入条件（洽谈是项目的起点）")
    wanted: dict[str, str] = {}
    for key, waiver in requirements:
        if key not in REQUIREMENTS:
            raise refuse("requirements", "准入要求", key, f"不存在；可选：{'、'.join(REQUIREMENTS)}")
        if waiver and waiver not in WAIVERS:
            raise refuse("requirements", "免于情形", waiver, f"不存在；可选：{'、'.join(WAIVERS)}")
        wanted[key] = waiver or ""
    kinds = list(dict.fromkeys(evidence_kinds))
    for kind in kinds:
        if kind not in EvidenceKind.values:
            raise refuse("evidence_kinds", "证明材料类型", kind, "不存在")
    if not isinstance(evidence_min, int) or isinstance(evidence_min, bool) or not 0 <= evidence_min <= 10:
        raise refuse("evidence_min", "至少需要的证明材料份数", evidence_min, "应为0至10的整数")
    if evidence_min and not kinds:
        raise refuse("evidence_kinds", "可接受的证明材料", None, "不能为空：已要求至少一份证明材料")
    if in_force_from is None:
        raise refuse("in_force_from", "生效日期", None, "不能为空")
    gate = StageGate.objects.select_for_update().filter(stage=stage).first() or StageGate(stage=stage)
    changes = []
    for attr, value, label in (
        ("evidence_kinds", kinds, "可接受的证明材料"),
        ("evidence_min", evidence_min, "份数"),
        ("in_force_from", in_force_from, "生效日期"),
        ("note", (note or "").strip()[:200], "说明"),
    ):
        if gate.pk is None or getattr(gate, attr) != value:
            setattr(gate, attr, value)
            changes.append(label)
    label = Stage(stage).label
    if changes:
        save_with_audit(gate, actor=actor, reason=f"修改“{label}”准入条件：{'、'.join(changes)}")
    existing = {r.requirement: r for r in gate.requirements.all()}
    for key, row in existing.items():
        if key not in wanted:
            delete_with_audit(
                row, actor=actor, reason=f"“{label}”不再要求：{REQUIREMENTS[key].label if key in REQUIREMENTS else key}"
            )
    for key, waiver in wanted.items():
        found = existing.get(key)
        if found is not None and found.waived_when == waiver:
            continue
        row = found or GateRequirement(gate=gate, requirement=key)
        row.waived_when = waiver
        save_with_audit(row, actor=actor, reason=f"“{label}”要求：{REQUIREMENTS[key].label}")
    return gate


# The gates as the bureau first declared them: (stage, requirements as (key, waiver), accepted evidence, how many).
# Migration 0006 seeds the same rows (its own frozen copy); `seed_missing_gates` puts back any that are missing.
SEED: list[tuple[str, list[tuple[str, str]], list[str], int]] = [
    (
        "signed",
        [
            ("stage_date", ""),
            ("total_investment", ""),
            ("contract_foreign", ""),
            ("investors", ""),
            ("negotiation", "increase_by_existing"),
        ],
        ["other"],
        0,
    ),
    (
        "registered",
        [("enterprise", ""), ("enterprise_credit_code", ""), ("enterprise_registered_on", "")],
        ["licence"],
        0,
    ),
    ("arriving", [("arrival", "")], ["bank_receipt"], 0),
    ("construction", [("stage_date", "")], ["construction_permit", "site_photo"], 1),
    ("production", [("stage_date", "")], ["production_cert"], 1),
    ("listed", [("stage_date", "")], ["other"], 0),
    ("dropped", [("dropped_reason", ""), ("destination", "")], [], 0),
]


def seed_missing_gates(*, actor: Any, in_force_from: date) -> int:
    """Declare the seeded gate of every stage that has none (a flushed database); returns how many were added."""
    have = set(StageGate.objects.values_list("stage", flat=True))
    added = 0
    for stage, requirements, kinds, minimum in SEED:
        if stage not in have:
            stage_gate_set(
                stage=stage,
                requirements=requirements,
                evidence_kinds=kinds,
                evidence_min=minimum,
                in_force_from=in_force_from,
                actor=actor,
            )
            added += 1
    return added


def gates_in_force_from(*, actor: Any, on: date) -> None:
    """Every gate, as declared now (or as seeded when missing), in force from `on` (the demo, tests)."""
    seed_missing_gates(actor=actor, in_force_from=on)
    for gate in StageGate.objects.prefetch_related("requirements").order_by("id"):
        if gate.in_force_from != on:
            stage_gate_set(
                stage=gate.stage,
                requirements=[(r.requirement, r.waived_when) for r in gate.requirements.all()],
                evidence_kinds=gate.evidence_kinds,
                evidence_min=gate.evidence_min,
                in_force_from=on,
                note=gate.note,
                actor=actor,
            )


def gate_table() -> list[dict[str, Any]]:
    """The gates as the README and the rules page show them: per stage, its requirements and evidence."""
    rows = []
    gates = _gates()
    for stage in [*STAGE_ORDER[1:], Stage.DROPPED]:
        gate = gates.get(stage)
        if gate is None:
            continue
        reqs = []
        for r in gate.requirements.all():
            spec = REQUIREMENTS.get(r.requirement)
            text = (
                STAGE_DATE_LABELS.get(Stage(stage), "")
                if r.requirement == "stage_date"
                else (spec.label if spec else r.requirement)
            )
            if r.waived_when in WAIVERS:
                text += f"（{WAIVERS[r.waived_when].label}免）"
            reqs.append(text)
        rows.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "requirements": reqs,
                "evidence": evidence_label(gate.evidence_kinds) if gate.evidence_kinds else "",
                "evidence_min": gate.evidence_min,
                "in_force_from": gate.in_force_from,
            }
        )
    return rows
