"""Issuing a bulletin warns of the period's claims the city has not verified yet (they are out of its figures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.bulletins.models import Bulletin
from zhaoshang.bulletins.selectors import waiting_warning_for
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification as vf
from zhaoshang.projects.models import Claim, VerificationRule

WARNING = (
    "注意：2020年1-3月尚有2项认定事项未认定（待认定1项、已退回1项，其中到资合计500万美元），"
    "本期通报按认定口径不计入这些事项；签发后再认定的，将作为关账后更正列入下一期通报。"
)


@pytest.fixture
def waiting(project, users, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for item in (VerificationRule.Item.ARRIVAL, VerificationRule.Item.SIGNED):
        vf.verification_rule_set(item=item, requires_verification=True, actor=users["admin"])
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 3, 1), amount=Decimal("5000000"), kind="paid_in", actor=users["staff"]
    )
    stage_claim = Claim.objects.get(kind="stage")
    vf.claim_return(claim=stage_claim, actor=users["admin"], reason="缺签约合同")


@pytest.mark.django_db
def test_the_warning_counts_the_periods_unverified_claims(waiting):
    assert waiting_warning_for(date(2020, 3, 1)) == WARNING
    assert waiting_warning_for(date(2020, 1, 1)) == ""  # nothing of January waits


@pytest.mark.django_db
def test_issuing_warns_on_the_preview_the_job_and_the_command(waiting, users, client, monkeypatch, capsys):
    class Cached:
        def page_data_uris(self) -> list[str]:
            return []

    monkeypatch.setattr("zhaoshang.bulletins.views.preview_cached", lambda docx: Cached())
    client.force_login(users["admin"])
    preview = client.get("/bulletins/preview/?period=2020-03").content.decode()
    assert f'<p class="warning" role="alert" id="waiting-claims">{WARNING}' in preview
    page = client.post("/bulletins/issue/", {"period": "2020-03", "confirm": "1"}, follow=True).content.decode()
    assert WARNING in page  # the issuing job's summary, shown as the result
    assert Bulletin.objects.get().month == date(2020, 3, 1)


@pytest.mark.django_db
def test_the_command_warns_before_it_issues(waiting, tmp_path, capsys):
    from zhaoshang.cli import main

    assert main(["bulletin", "--period", "2020-03", "--issue", "--out", str(tmp_path), "--user", "admin"]) == 0
    assert capsys.readouterr().err.strip() == WARNING
