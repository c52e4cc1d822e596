"""The verification queue on the desk: the city approves and returns, a unit resubmits, the dashboard shows both."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.tests.factories import UserFactory
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification as vf
from zhaoshang.projects.models import Claim, VerificationRule

M = Decimal(1_000_000)


@pytest.fixture
def claims(project, users):
    for item in VerificationRule.Item.values:
        vf.verification_rule_set(item=item, requires_verification=True, actor=users["admin"])
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    ps.arrival_record(project=project, month=date(2020, 4, 1), amount=35 * M, kind="paid_in", actor=users["staff"])
    return list(Claim.objects.order_by("pk"))


@pytest.fixture
def verifier(units):
    return UserFactory.create(username="rd", full_name="认定员", role=Role.VERIFIER)


@pytest.mark.django_db
def test_queue_approve_and_return_on_the_page(claims, users, verifier, client):
    stage, arrival = claims
    client.force_login(verifier)
    page = client.get("/verifications/").content.decode()
    assert f'data-claim="{stage.pk}"' in page
    assert f'data-claim="{arrival.pk}"' in page
    assert "认定（2）" in page  # the count in the navigation
    # The dashboard: 0 verified, 0.35亿 waiting; two claims waiting.
    dash = client.get("/?period=2020-01..2020-04").content.decode()
    assert "另有待认定 0.35亿美元" in dash
    assert 'data-figure="claims_waiting">2 项' in dash
    # Returning without a reason is refused in place and changes nothing.
    refused = client.post("/verifications/", {"claim": [arrival.pk], "action": "return", "reason": ""}, follow=True)
    assert "退回原因" in refused.content.decode()
    arrival.refresh_from_db()
    assert arrival.status == "pending"
    client.post("/verifications/", {"claim": [arrival.pk], "action": "return", "reason": "缺进账单"})
    client.post("/verifications/", {"claim": [stage.pk], "action": "approve", "reason": ""})
    assert [c.status for c in Claim.objects.order_by("pk")] == ["approved", "returned"]

    # The unit sees its returned claim with the reason, and resubmits it.
    client.force_login(users["staff"])
    returned = client.get("/verifications/?status=returned").content.decode()
    assert "缺进账单" in returned
    assert "重新提交" in returned
    client.post("/verifications/?status=returned", {"claim": [arrival.pk], "action": "resubmit", "reason": "已补"})
    arrival.refresh_from_db()
    assert arrival.status == "pending"
    # Another unit's staff see nothing of it.
    client.force_login(users["zone_staff"])
    other_unit = client.get("/verifications/").content.decode()
    assert f'data-claim="{arrival.pk}"' not in other_unit
    assert "没有待认定的事项" in other_unit


@pytest.mark.django_db
def test_one_cannot_approve_ones_own_claim_on_the_page(project, users, client):
    vf.verification_rule_set(item="arrival", requires_verification=True, actor=users["admin"])
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["admin"])
    ps.arrival_record(project=project, month=date(2020, 4, 1), amount=M, kind="paid_in", actor=users["admin"])
    claim = Claim.objects.get()
    client.force_login(users["admin"])
    page = client.post("/verifications/", {"claim": [claim.pk], "action": "approve"}, follow=True).content.decode()
    assert "不能认定本人填报的事项" in page
    claim.refresh_from_db()
    assert claim.status == "pending"


@pytest.mark.django_db
def test_bad_filters_are_400(users, client, as_of):
    client.force_login(users["admin"])
    assert client.get("/verifications/?status=x").status_code == 400
    assert client.get("/verifications/?age=9").status_code == 400
    assert client.post("/verifications/", {"action": "approve"}).status_code == 400
