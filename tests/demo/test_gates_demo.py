"""The demo's gates, statuses and evidence: in force from its business date, added in its last quarter only."""

from __future__ import annotations

from datetime import date

import pytest

from zhaoshang.projects import gates
from zhaoshang.projects.models import Claim, Evidence, Project, ProjectStatusEvent, StageGate

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_gates_are_in_force_from_the_business_date(demo):
    assert set(StageGate.objects.values_list("in_force_from", flat=True)) == {date(2020, 12, 31)}
    assert [r["stage"] for r in gates.gate_table()] == [s for s, *_ in gates.SEED]


def test_statuses_and_evidence_only_in_the_last_quarter(demo):
    rows = list(
        ProjectStatusEvent.objects.exclude(status="terminated")
        .order_by("on")
        .values_list("project__unit__code", "status", "on", "destination")
    )
    assert rows == [
        ("330402", "delayed", date(2020, 10, 20), ""),
        ("330411", "stalled", date(2020, 11, 5), ""),
        ("330481", "lost", date(2020, 12, 8), "江苏苏州"),
    ]
    # Every dropped project carries the status 中止 with its stage's date and reason.
    for p in Project.objects.filter(stage="dropped"):
        assert (p.status, p.status_on, p.status_note) == ("terminated", p.stage_on, p.dropped_reason[:200])
    receipts = Evidence.objects.select_related("claim").order_by("id")
    assert [(e.kind, e.claim.status, e.claim.arrival.month) for e in receipts] == [
        ("bank_receipt", "pending", date(2020, 10, 1)),
        ("bank_receipt", "pending", date(2020, 11, 1)),
        ("bank_receipt", "returned", date(2020, 11, 1)),
    ]
    assert not Claim.objects.filter(status="returned", reason="缺少银行进账单", evidence__isnull=False).exists()
