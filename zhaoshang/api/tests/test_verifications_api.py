"""The verification queue over the API: who sees what, decisions, refusals (403, 400), and the two calibers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.services import user_create
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification as vf
from zhaoshang.projects.models import Claim, VerificationRule

M = Decimal(1_000_000)


@pytest.fixture
def pending(project, users):
    for item in VerificationRule.Item.values:
        vf.verification_rule_set(item=item, requires_verification=True, actor=users["admin"])
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=users["staff"])
    ps.arrival_record(project=project, month=date(2020, 4, 1), amount=2 * M, kind="paid_in", actor=users["staff"])
    return Claim.objects.get(kind="arrival")


def post(client, claim_id, body):
    return client.post(f"/api/verifications/{claim_id}", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_city_sees_all_and_units_their_own(pending, users, client):
    client.force_login(users["admin"])
    rows = client.get("/api/verifications?status=pending").json()
    assert [(r["kind"], r["amount_usd"], r["unit_code"]) for r in rows] == [
        ("stage", None, "330421"),
        ("arrival", "2000000.00", "330421"),
    ]
    assert rows[0]["stage_label"] == "签约"
    assert rows[1]["month"] == "2020-04-01"
    client.force_login(users["zone_staff"])
    assert client.get("/api/verifications").json() == []
    client.force_login(users["staff"])
    assert len(client.get("/api/verifications?status=pending").json()) == 2
    assert client.get("/api/verifications?status=bogus").status_code == 400


@pytest.mark.django_db
def test_decisions_and_refusals(pending, users, client):
    client.force_login(users["staff"])
    refused = post(client, pending.pk, {"decision": "approve"})
    assert refused.status_code == 403
    verifier = user_create(username="rd", password="x", full_name="认定员", role=Role.VERIFIER)
    client.force_login(verifier)
    no_reason = post(client, pending.pk, {"decision": "return", "reason": ""})
    assert no_reason.status_code == 400
    assert "退回原因" in no_reason.json()["detail"]
    assert post(client, pending.pk, {"decision": "maybe"}).status_code in (400, 422)
    assert post(client, 999999, {"decision": "approve"}).status_code == 404
    stats = client.get("/api/stats?period=2020-04").json()["city"]["actual_use_usd"]
    reported = client.get("/api/stats?period=2020-04&progress=reported").json()["city"]["actual_use_usd"]
    assert (stats, reported) == ("0.00", "2000000.00")
    ok = post(client, pending.pk, {"decision": "approve", "reason": "进账单相符"})
    assert ok.status_code == 200
    assert ok.json()["status"] == "approved"
    assert ok.json()["decided_by"] == "认定员"
    assert client.get("/api/stats?period=2020-04").json()["city"]["actual_use_usd"] == "2000000.00"
    assert client.get("/api/stats?period=2020-04&progress=nope").status_code == 400
