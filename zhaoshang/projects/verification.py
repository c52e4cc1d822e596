"""Verified progress (认定): a unit's stage advance or capital arrival is a claim the city verifies before it counts.

Every claim passes through here. Whether it needs the city's verification is data (`VerificationRule`, per kind of
claim, with the largest arrival a unit may self-certify); without a rule a claim is self-certified, as before
verification existed. A claim is 待认定 until a city administrator or 认定员 approves it, or returns it with a
reason; a returned claim goes back to its unit, which fixes it and resubmits. Nobody decides a claim they
submitted themselves. The verified caliber (认定口径) sums `CapitalArrival.verified_amount_usd` and counts a project
from the verification of the stage that introduced it; the reported caliber (填报口径) counts everything entered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.validation import refuse, required_text

from . import closing
from .models import (
    STAGE_ORDER,
    CapitalArrival,
    Claim,
    Project,
    ProjectStageEvent,
    Stage,
    Verification,
    VerificationRule,
)

ZERO = Decimal(0)


def rule_for(item: str) -> tuple[bool, Decimal | None]:
    """(needs the city's verification, largest amount a unit may self-certify) for a kind of claim."""
    rule = VerificationRule.objects.filter(item=item).first()
    if rule is None:
        return False, None
    return rule.requires_verification, rule.self_certify_max_usd


def _needs_verification(item: str, amount_usd: Decimal | None = None) -> bool:
    return _pending(*rule_for(item), amount_usd)


def _pending(required: bool, ceiling: Decimal | None, amount_usd: Decimal | None) -> bool:
    if not required:
        return False
    return not (ceiling is not None and amount_usd is not None and amount_usd <= ceiling)


def new_arrival_states() -> Callable[[CapitalArrival], bool]:
    """`new_arrival_state` with the rule read once, for a batch of new arrivals (an import)."""
    required, ceiling = rule_for(VerificationRule.Item.ARRIVAL)

    def set_state(arrival: CapitalArrival) -> bool:
        pending = _pending(required, ceiling, arrival.amount_usd)
        arrival.verification = Verification.PENDING if pending else Verification.APPROVED
        arrival.verified_amount_usd = ZERO if pending else arrival.amount_usd
        return pending

    return set_state


def _open_claim(
    *,
    project: Project,
    kind: str,
    actor: Any,
    arrival: CapitalArrival | None = None,
    stage_event: ProjectStageEvent | None = None,
    amount_usd: Decimal | None = None,
) -> Claim:
    claim = Claim(
        project=project,
        kind=kind,
        arrival=arrival,
        stage_event=stage_event,
        amount_usd=amount_usd,
        status=Verification.PENDING,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    save_with_audit(claim, actor=actor, reason="提交认定")
    return claim


# ---------------------------------------------------------------------------------------------- claims made
# A write asks, before it saves, in which state its record starts; only a claim that needs the city's verification
# opens a Claim (a self-certified one is the write itself, audited as always).


def new_arrival_state(arrival: CapitalArrival) -> bool:
    """Set a new arrival's verification state and verified part; True when it waits for the city."""
    pending = _needs_verification(VerificationRule.Item.ARRIVAL, arrival.amount_usd)
    arrival.verification = Verification.PENDING if pending else Verification.APPROVED
    arrival.verified_amount_usd = ZERO if pending else arrival.amount_usd
    return pending


def claim_arrival(*, arrival: CapitalArrival, amount_usd: Decimal, actor: Any) -> Claim:
    """Open the claim for a saved arrival that waits for verification (or for the difference of an upward
    correction)."""
    if arrival.verification != Verification.PENDING:
        arrival.verification = Verification.PENDING
        save_with_audit(arrival, actor=actor, reason="提交认定")
    return _open_claim(
        project=arrival.project, kind=Claim.Kind.ARRIVAL, arrival=arrival, amount_usd=amount_usd, actor=actor
    )


def arrival_raised(*, arrival: CapitalArrival, increase_usd: Decimal, actor: Any) -> None:
    """An upward correction: a claim for the difference when the rules want one, else it counts at once."""
    if _needs_verification(VerificationRule.Item.ARRIVAL, increase_usd):
        claim_arrival(arrival=arrival, amount_usd=increase_usd, actor=actor)
    elif arrival.verification == Verification.APPROVED:
        arrival.verified_amount_usd = arrival.amount_usd
        save_with_audit(arrival, actor=actor, reason="上调金额无需认定，直接计入")


def arrival_lowered(*, arrival: CapitalArrival, actor: Any) -> None:
    """A void or a downward correction takes effect on both calibers at once: the verified part never exceeds the
    amount now recorded."""
    if arrival.verified_amount_usd > arrival.amount_usd:
        arrival.verified_amount_usd = arrival.amount_usd
        save_with_audit(arrival, actor=actor, reason="下调后已认定金额随之下调")


def new_stage_state(event: ProjectStageEvent) -> bool:
    pending = _needs_verification(f"stage:{event.stage}")
    event.verification = Verification.PENDING if pending else Verification.APPROVED
    return pending


def claim_stage(*, event: ProjectStageEvent, actor: Any) -> Claim:
    claim = _open_claim(project=event.project, kind=Claim.Kind.STAGE, stage_event=event, actor=actor)
    _sync_project(event.project, actor=actor)
    return claim


def _sync_project(project: Project, *, actor: Any) -> None:
    """Whether the stages that set the signing and registration dates are verified (the verified caliber counts a
    project from those); updates the instance the calling service holds."""
    events = list(
        ProjectStageEvent.objects.filter(project_id=project.pk).exclude(stage=Stage.DROPPED).order_by("on", "id")
    )
    signing = next((e for e in events if STAGE_ORDER.index(Stage(e.stage)) >= 1), None)
    registration = next((e for e in events if STAGE_ORDER.index(Stage(e.stage)) >= 2), None)
    signed = signing is None or signing.verification == Verification.APPROVED
    registered = registration is None or registration.verification == Verification.APPROVED
    if (project.signing_verified, project.registration_verified) != (signed, registered):
        project.signing_verified, project.registration_verified = signed, registered
        save_with_audit(project, actor=actor, reason="认定状态变化")


# ---------------------------------------------------------------------------------------------- decisions


def _lock(claim: Claim) -> Claim:
    # Lock the claim's own row only: PostgreSQL cannot lock the nullable side of the joins.
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("project__unit", "arrival", "stage_event")
        .get(pk=claim.pk)
    )


def _may_decide(claim: Claim, actor: Any) -> None:
    ensure_can(actor, "claim.decide")
    if claim.submitted_by_id is not None and actor is not None and claim.submitted_by_id == actor.pk:
        raise PermissionDenied("不能认定本人填报的事项：须由其他市局管理员或认定员认定")
    if claim.status != Verification.PENDING:
        raise refuse("status", "认定事项", f"#{claim.pk}", f"当前为“{claim.get_status_display()}”，不是待认定")


@transaction.atomic
def claim_approve(*, claim: Claim, actor: Any, reason: str = "") -> Claim:
    """Approve: the claimed amount or stage counts on the verified caliber from now on. An approval that changes
    a closed month is recorded as a correction and listed in the next bulletin."""
    claim = _lock(claim)
    _may_decide(claim, actor)
    claim.status = Verification.APPROVED
    claim.decided_by, claim.decided_at = actor, timezone.now()
    claim.reason = (reason or "").strip()[:300]
    save_with_audit(claim, actor=actor, reason=f"认定通过{('：' + claim.reason) if claim.reason else ''}")
    if claim.arrival is not None:
        arrival = CapitalArrival.objects.select_for_update().get(pk=claim.arrival.pk)
        before = arrival.verified_amount_usd
        arrival.verified_amount_usd = min(arrival.amount_usd, before + (claim.amount_usd or ZERO))
        if not arrival.claims.filter(status=Verification.PENDING).exclude(pk=claim.pk).exists():
            arrival.verification = Verification.APPROVED
        save_with_audit(arrival, actor=actor, reason="认定通过")
        closure = closing.closure_of(arrival.month)
        if closure is not None and arrival.verified_amount_usd != before:
            closing.correction_record(
                closure=closure,
                arrival=arrival,
                action="verified",
                reason=f"认定通过（关账后认定）{claim.reason}".strip(),
                actor=actor,
                amount_before_usd=before,
                kind_before=arrival.kind,
            )
    if claim.stage_event is not None:
        event = claim.stage_event
        event.verification = Verification.APPROVED
        save_with_audit(event, actor=actor, reason="认定通过")
        _sync_project(claim.project, actor=actor)
    return claim


@transaction.atomic
def claim_return(*, claim: Claim, actor: Any, reason: str) -> Claim:
    """Return a claim to its unit with the reason; it stays out of the verified caliber until resubmitted and
    approved."""
    claim = _lock(claim)
    reason = required_text(reason, field="reason", label="退回原因")
    _may_decide(claim, actor)
    claim.status = Verification.RETURNED
    claim.decided_by, claim.decided_at, claim.reason = actor, timezone.now(), reason[:300]
    save_with_audit(claim, actor=actor, reason=f"退回：{reason}")
    if claim.arrival is not None:
        claim.arrival.verification = Verification.RETURNED
        save_with_audit(claim.arrival, actor=actor, reason=f"退回：{reason}")
    if claim.stage_event is not None:
        claim.stage_event.verification = Verification.RETURNED
        save_with_audit(claim.stage_event, actor=actor, reason=f"退回：{reason}")
        _sync_project(claim.project, actor=actor)
    return claim


@transaction.atomic
def claim_resubmit(*, claim: Claim, actor: Any, note: str = "") -> Claim:
    """The unit has fixed what was returned and submits the claim again."""
    claim = _lock(claim)
    ensure_can(actor, "arrival.write" if claim.kind == Claim.Kind.ARRIVAL else "project.write", claim.project.unit)
    if claim.status != Verification.RETURNED:
        raise refuse(
            "status", "认定事项", f"#{claim.pk}", f"当前为“{claim.get_status_display()}”，只有已退回的事项可重新提交"
        )
    if claim.arrival is not None:
        # The amount may have been corrected since: the claim is for what is still unverified.
        claim.arrival.refresh_from_db()
        if claim.arrival.voided_at is not None:
            raise refuse("status", "认定事项", f"#{claim.pk}", "所属到资记录已作废，不能重新提交")
        claim.amount_usd = claim.arrival.amount_usd - claim.arrival.verified_amount_usd
        claim.arrival.verification = Verification.PENDING
        save_with_audit(claim.arrival, actor=actor, reason="重新提交认定")
    if claim.stage_event is not None:
        claim.stage_event.verification = Verification.PENDING
        save_with_audit(claim.stage_event, actor=actor, reason="重新提交认定")
    claim.status = Verification.PENDING
    claim.submitted_by, claim.submitted_at = actor, timezone.now()
    claim.decided_by = claim.decided_at = None
    claim.reason = (note or "").strip()[:300]
    save_with_audit(claim, actor=actor, reason="重新提交认定")
    return claim


@transaction.atomic
def claims_approve(*, claims: Iterable[Claim], actor: Any, reason: str) -> int:
    """Bulk approval with one reason (the queue page); all or nothing."""
    reason = required_text(reason, field="reason", label="认定意见")
    n = 0
    for claim in claims:
        claim_approve(claim=claim, actor=actor, reason=reason)
        n += 1
    return n


@transaction.atomic
def verification_rule_set(
    *, item: str, requires_verification: bool, actor: Any, self_certify_max_usd: Decimal | None = None
) -> VerificationRule:
    """Set the rule for one kind of claim (audited; claims already made keep their state)."""
    ensure_can(actor, "verification_rule.write")
    if item not in VerificationRule.Item.values:
        raise refuse("item", "认定事项", item, f"不存在；可选：{'、'.join(VerificationRule.Item.values)}")
    if self_certify_max_usd is not None and self_certify_max_usd < 0:
        raise refuse("self_certify_max_usd", "自行认定限额", self_certify_max_usd, "不能为负数")
    rule = VerificationRule.objects.filter(item=item).first() or VerificationRule(item=item)
    rule.requires_verification = requires_verification
    rule.self_certify_max_usd = self_certify_max_usd
    save_with_audit(rule, actor=actor, reason="修改认定规则")
    return rule
