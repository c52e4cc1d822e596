"""Verified progress: a claim's life (claim → return → fix → approve) with the figures on both calibers at each step,
computed by hand; the rules table; nobody decides their own claim."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.services import user_create
from zhaoshang.common.periods import MonthRange
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification as vf
from zhaoshang.projects.models import CapitalArrival, Claim, Country, Project, Stage, VerificationRule
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import stats_report

M = Decimal(1_000_000)
Q3 = MonthRange.parse("2020-07..2020-09")


def city(progress: str):
    return stats_report(Q3, caliber=Caliber.current(progress)).city


@pytest.fixture
def every_claim_verified(users):
    for item in VerificationRule.Item.values:
        vf.verification_rule_set(item=item, requires_verification=True, actor=users["admin"])


@pytest.fixture
def verifier(units):
    return user_create(username="rd", password="x", full_name="认定员", role=Role.VERIFIER)


@pytest.fixture
def signed(as_of, units, users):
    """A project of 嘉善 signed 2020-07-08 (total US$150m), entered before the rules existed: self-certified."""
    inv = ps.investor_create(
        name="某外资", name_en="Someone", country=Country.objects.get(code="DE"), actor=users["admin"]
    )
    return ps.project_create(
        unit=units["jiashan"],
        name="P1",
        kind="new",
        investors=[inv],
        stage=Stage.SIGNED,
        stage_on=date(2020, 7, 8),
        total_investment=150 * M,
        contract_foreign=60 * M,
        actor=users["staff"],
    )


@pytest.mark.django_db
def test_a_claims_life_on_both_calibers(signed, users, verifier, every_claim_verified):
    staff = users["staff"]
    # 1. 嘉善 enters a US$5m arrival for August: reported 5, verified 0; one claim waiting.
    arrival = ps.arrival_record(project=signed, month=date(2020, 8, 1), amount=5 * M, kind="paid_in", actor=staff)
    assert (city("reported").actual_use, city("verified").actual_use) == (5 * M, 0)
    claim = Claim.objects.get(arrival=arrival)
    assert (claim.status, claim.amount_usd, claim.submitted_by) == ("pending", 5 * M, staff)

    # 2. The verifier returns it: still reported 5, verified 0.
    vf.claim_return(claim=claim, actor=verifier, reason="缺银行进账单")
    claim.refresh_from_db()
    assert claim.status == "returned"
    assert claim.reason == "缺银行进账单"
    assert (city("reported").actual_use, city("verified").actual_use) == (5 * M, 0)

    # 3. The unit fixes the amount (the bank slip says 4.5m) and resubmits: reported 4.5, verified 0.
    ps.arrival_update(arrival=arrival, amount=Decimal("4500000"), reason="按进账单更正", actor=staff)
    vf.claim_resubmit(claim=claim, actor=staff)
    claim.refresh_from_db()
    assert (claim.status, claim.amount_usd) == ("pending", Decimal("4500000.00"))
    assert (city("reported").actual_use, city("verified").actual_use) == (Decimal("4500000"), 0)

    # 4. Approved: 4.5 on both.
    vf.claim_approve(claim=claim, actor=verifier, reason="进账单相符")
    assert (city("reported").actual_use, city("verified").actual_use) == (Decimal("4500000"), Decimal("4500000"))

    # 5. An upward correction to 6m is a claim for the difference 1.5m: reported 6, verified stays 4.5.
    ps.arrival_update(arrival=arrival, amount=6 * M, reason="补充第二笔", actor=staff)
    extra = Claim.objects.filter(arrival=arrival, status="pending").get()
    assert extra.amount_usd == Decimal("1500000.00")
    assert (city("reported").actual_use, city("verified").actual_use) == (6 * M, Decimal("4500000"))

    # 6. A downward correction to 4m takes effect on both at once: reported 4, verified 4.
    ps.arrival_update(arrival=arrival, amount=4 * M, reason="录入有误", actor=staff)
    assert (city("reported").actual_use, city("verified").actual_use) == (4 * M, 4 * M)
    arrival.refresh_from_db()
    assert arrival.verified_amount_usd == 4 * M


@pytest.mark.django_db
def test_a_stage_counts_on_the_verified_caliber_only_once_approved(as_of, units, users, verifier, every_claim_verified):
    inv = ps.investor_create(name="乙", name_en="B", country=Country.objects.get(code="JP"), actor=users["admin"])
    p = ps.project_create(
        unit=units["jiashan"],
        name="P2",
        kind="new",
        investors=[inv],
        stage=Stage.SIGNED,
        stage_on=date(2020, 8, 3),
        total_investment=120 * M,
        contract_foreign=80 * M,
        actor=users["staff"],
    )
    # By hand: one ≥ US$100m project signed in Q3, contract 80m — reported only until the signing is verified.
    assert (city("reported").over_100m, city("verified").over_100m) == (1, 0)
    assert (city("reported").contract, city("verified").contract) == (80 * M, 0)
    claim = Claim.objects.get(project=p, kind="stage")
    vf.claim_approve(claim=claim, actor=verifier)
    assert (city("reported").over_100m, city("verified").over_100m) == (1, 1)
    assert Project.objects.get(pk=p.pk).signing_verified


@pytest.mark.django_db
def test_nobody_decides_their_own_claim(signed, users, every_claim_verified):
    admin = users["admin"]
    arrival = ps.arrival_record(project=signed, month=date(2020, 8, 1), amount=M, kind="paid_in", actor=admin)
    claim = Claim.objects.get(arrival=arrival)
    with pytest.raises(PermissionDenied, match="不能认定本人填报的事项"):
        vf.claim_approve(claim=claim, actor=admin)
    claim.refresh_from_db()
    assert claim.status == "pending"
    assert claim.history.count() == 1
    # Unit staff, a leader and an auditor may not decide at all.
    for who in ("staff", "leader", "auditor"):
        with pytest.raises(PermissionDenied):
            vf.claim_approve(claim=claim, actor=users[who])
    # A return needs a reason; nothing changes on a refusal.
    other_admin = user_create(username="a2", password="x", full_name="另一管理员", role=Role.CITY_ADMIN)
    with pytest.raises(ValidationError, match="退回原因"):
        vf.claim_return(claim=claim, actor=other_admin, reason=" ")
    claim.refresh_from_db()
    assert claim.status == "pending"
    assert claim.history.count() == 1


@pytest.mark.django_db
def test_rules_are_data_self_certified_amounts_count_at_once(signed, users):
    staff = users["staff"]
    vf.verification_rule_set(
        item="arrival", requires_verification=True, self_certify_max_usd=Decimal("2000000"), actor=users["admin"]
    )
    small = ps.arrival_record(project=signed, month=date(2020, 8, 1), amount=2 * M, kind="paid_in", actor=staff)
    big = ps.arrival_record(project=signed, month=date(2020, 9, 1), amount=3 * M, kind="paid_in", actor=staff)
    assert not small.claims.exists()
    assert big.claims.get().status == "pending"
    assert (city("reported").actual_use, city("verified").actual_use) == (5 * M, 2 * M)
    # Without a rule a claim is self-certified, as before verification existed.
    assert VerificationRule.objects.filter(item="stage:construction").count() == 0
    ps.project_advance_stage(project=signed, to_stage=Stage.CONSTRUCTION, on=date(2020, 9, 20), actor=staff)
    assert not Claim.objects.filter(kind="stage").exists()
    # Only the city administrator changes the rules; the change is audited.
    with pytest.raises(PermissionDenied):
        vf.verification_rule_set(item="arrival", requires_verification=False, actor=staff)
    rule = VerificationRule.objects.get(item="arrival")
    assert rule.history.count() == 1
    assert rule.history.first().history_user == users["admin"]


@pytest.mark.django_db
def test_approving_in_a_closed_month_is_a_recorded_correction(signed, users, verifier, every_claim_verified):
    from zhaoshang.projects.closing import closure_of
    from zhaoshang.projects.models import Correction

    arrival = ps.arrival_record(project=signed, month=date(2020, 8, 1), amount=M, kind="paid_in", actor=users["staff"])
    claim = Claim.objects.get(arrival=arrival)
    from zhaoshang.bulletins.services import bulletin_issue

    bulletin_issue(month=date(2020, 8, 1), actor=users["admin"])  # closes January to August with the claim pending
    assert closure_of(date(2020, 8, 1)) is not None
    vf.claim_approve(claim=claim, actor=verifier, reason="补认定")
    correction = Correction.objects.get(arrival=arrival)
    assert (correction.action, correction.amount_before_usd, correction.amount_after_usd) == ("verified", 0, M)
    assert CapitalArrival.objects.get(pk=arrival.pk).verified_amount_usd == M
