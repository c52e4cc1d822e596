"""Corrections on the desk and in the API: an arrival's amount, month or type with a reason (it keeps its id), a
second record of the same month and type caught before saving, a closed month's change recorded as a correction,
a project's facts, and the city's own corrections (unit, kind, a mistaken stage record)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from zhaoshang.bulletins.models import Bulletin
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification
from zhaoshang.projects.models import CapitalArrival, Claim, Correction, MonthClosure, Project

pytestmark = pytest.mark.django_db


def close(month: date) -> None:
    """The month closed by an issued bulletin (as bulletin_issue leaves it)."""
    bulletin = Bulletin.objects.create(
        month=month, number=1, title=f"{month.month}月通报", issued_at=timezone.now(), docx=b"", xlsx=b""
    )
    MonthClosure.objects.create(month=month, bulletin=bulletin, closed_at=timezone.now())


def arrival_of(project: Project, month: date, kind: str = "capital_increase") -> CapitalArrival:
    return CapitalArrival.objects.get(project=project, month=month, kind=kind)


ARRIVAL = {"month": "2020-03", "kind": "capital_increase", "amount": "500", "currency": "USD", "confirm": "on"}


class TestDesk:
    def test_a_second_record_of_the_month_and_type_is_caught_and_may_be_merged(self, client, users, figures):
        signed = figures["signed"]
        client.force_login(users["staff"])
        url = f"/projects/{signed.code}/arrival/"
        asked = client.post(url, ARRIVAL)
        assert asked.status_code == 400
        first = arrival_of(signed, date(2020, 3, 1))
        assert (
            f"本月已登记同类到资 15000.00万美元（第{first.pk}号，2020年3月，增资），是否合并或更正？"
            in asked.content.decode()
        )
        assert CapitalArrival.objects.filter(project=signed).count() == 3
        merged = client.post(url, {**ARRIVAL, "merge": "on"})
        assert merged.status_code == 302
        again = arrival_of(signed, date(2020, 3, 1))
        assert (again.pk, again.amount_usd, again.verified_amount_usd) == (
            first.pk,
            Decimal("155000000.00"),
            Decimal("155000000.00"),
        )
        assert CapitalArrival.objects.filter(project=signed).count() == 3

    def test_a_late_entry_into_a_closed_month_asks_the_reason_in_the_same_form(self, client, users, figures):
        signed = figures["signed"]
        close(date(2020, 4, 1))
        client.force_login(users["staff"])
        url = f"/projects/{signed.code}/arrival/"
        form = {**ARRIVAL, "month": "2020-04"}
        refused = client.post(url, form)
        assert refused.status_code == 400
        page = refused.content.decode()
        assert "更正原因（空）不能为空：2020年4月的数据已随《4月通报》关账，修改须说明原因" in page
        assert 'name="reason"' in page
        assert not CapitalArrival.objects.filter(month=date(2020, 4, 1)).exists()
        assert client.post(url, {**form, "reason": "企业补报4月到资"}).status_code == 302
        correction = Correction.objects.get()
        assert (correction.month, correction.action, correction.amount_after_usd, correction.reason) == (
            date(2020, 4, 1),
            "added",
            Decimal("5000000.00"),
            "企业补报4月到资",
        )

    def test_correcting_an_arrival_keeps_its_id_and_a_downward_change_counts_at_once(self, client, users, figures):
        signed = figures["signed"]
        first = arrival_of(signed, date(2020, 3, 1))
        client.force_login(users["staff"])
        url = f"/projects/{signed.code}/correct/"
        no_reason = client.post(url, {"arrival": first.pk, "amount": "12000"})
        assert no_reason.status_code == 400
        assert "这个字段是必填项" in no_reason.content.decode()
        ok = client.post(url, {"arrival": first.pk, "amount": "12000", "reason": "核对银行回单"})
        assert ok.status_code == 302
        after = CapitalArrival.objects.get(pk=first.pk)
        assert (after.amount_usd, after.verified_amount_usd) == (Decimal("120000000.00"), Decimal("120000000.00"))
        moved = client.post(url, {"arrival": first.pk, "month": "2020-05", "reason": "月份登记错误"})
        assert moved.status_code == 302
        assert CapitalArrival.objects.get(pk=first.pk).month == date(2020, 5, 1)

    def test_unit_staff_edit_their_project_but_not_its_unit_or_kind(self, client, users, figures):
        talking = figures["talking"]
        client.force_login(users["staff"])
        page = client.get(f"/projects/{talking.code}/").content.decode()
        assert 'data-form="edit"' in page
        assert 'name="unit"' not in page.split('data-form="edit"')[1].split("</form>")[0]
        form = {
            "name": "创新药生产基地二期项目",
            "leader": "副县长",
            "total_investment": "3000",
            "contract_foreign": "2000",
        }
        assert client.post(f"/projects/{talking.code}/edit/", form).status_code == 400  # no reason
        assert client.post(f"/projects/{talking.code}/edit/", {**form, "reason": "签约前调整"}).status_code == 302
        p = Project.objects.get(pk=talking.pk)
        assert (p.name, p.contract_foreign_usd, p.kind) == ("创新药生产基地二期项目", Decimal("20000000.00"), "new")
        assert client.post(f"/projects/{talking.code}/withdraw/", {"reason": "x"}).status_code == 403

    def test_the_city_withdraws_a_mistaken_stage_and_moves_a_project(self, client, users, units, figures):
        talking = figures["talking"]
        ps.project_advance_stage(project=talking, to_stage="signed", on=date(2020, 12, 1), actor=users["staff"])
        client.force_login(users["admin"])
        refused = client.post(f"/projects/{talking.code}/withdraw/", {"reason": ""})
        assert refused.status_code == 400
        assert client.post(f"/projects/{talking.code}/withdraw/", {"reason": "误点推进"}).status_code == 302
        p = Project.objects.get(pk=talking.pk)
        assert (p.stage, p.stage_on, p.signed_on) == ("negotiating", date(2020, 10, 10), None)
        form = {
            "name": p.name,
            "leader": "",
            "total_investment": "3000",
            "contract_foreign": "1800",
            "kind": "increase",
            "unit": "3304JK",
            "reason": "实际落户经开区",
        }
        assert client.post(f"/projects/{talking.code}/edit/", form).status_code == 302
        p = Project.objects.get(pk=talking.pk)
        assert (p.unit, p.kind) == (units["zone"], "increase")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


class TestApi:
    def test_patch_an_arrival_with_the_same_field_names_and_a_reason(self, client, users, figures):
        first = arrival_of(figures["signed"], date(2020, 3, 1))
        client.force_login(users["staff"])
        missing = patch(client, f"/api/arrivals/{first.pk}", {"amount": "140000000"})
        assert missing.status_code == 400
        response = patch(
            client,
            f"/api/arrivals/{first.pk}",
            {"amount": "140000000", "kind": "paid_in", "month": "2020-03-01", "reason": "核对"},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["id"], body["kind"], body["amount_usd"], body["verified_amount_usd"]) == (
            first.pk,
            "paid_in",
            "140000000.00",
            "140000000.00",
        )

    def test_another_units_arrival_is_a_403_and_nothing_changes(self, client, users, figures):
        first = arrival_of(figures["signed"], date(2020, 3, 1))
        client.force_login(users["zone_staff"])
        response = patch(client, f"/api/arrivals/{first.pk}", {"amount": "1", "reason": "x"})
        assert response.status_code == 403
        assert CapitalArrival.objects.get(pk=first.pk).amount_usd == Decimal("150000000.00")

    def test_an_upward_correction_is_a_claim_for_the_difference(self, client, users, figures):
        verification.verification_rule_set(item="arrival", requires_verification=True, actor=users["admin"])
        first = arrival_of(figures["signed"], date(2020, 3, 1))
        client.force_login(users["staff"])
        assert patch(client, f"/api/arrivals/{first.pk}", {"amount": "160000000", "reason": "补记"}).status_code == 200
        after = CapitalArrival.objects.get(pk=first.pk)
        assert (after.amount_usd, after.verified_amount_usd) == (Decimal("160000000.00"), Decimal("150000000.00"))
        claim = Claim.objects.get(arrival=first, status="pending")
        assert claim.amount_usd == Decimal("10000000.00")

    def test_patch_a_project(self, client, users, units, figures):
        talking = figures["talking"]
        client.force_login(users["staff"])
        ok = patch(client, f"/api/projects/{talking.code}", {"name": "新名称", "officer": "js", "reason": "更名"})
        assert ok.status_code == 200
        assert (ok.json()["name"], ok.json()["officer"]) == ("新名称", "js")
        assert patch(client, f"/api/projects/{talking.code}", {"kind": "mna", "reason": "x"}).status_code == 403
        assert patch(client, f"/api/projects/{talking.code}", {"industry": "0000", "reason": "x"}).status_code == 400
        client.force_login(users["zone_staff"])
        assert patch(client, f"/api/projects/{talking.code}", {"name": "x", "reason": "x"}).status_code == 403
        client.force_login(users["admin"])
        moved = patch(client, f"/api/projects/{talking.code}", {"unit": "3304JK", "kind": "mna", "reason": "更正"})
        assert (moved.status_code, moved.json()["unit"], moved.json()["kind"]) == (200, "3304JK", "mna")
        assert Project.objects.get(pk=talking.pk).name == "新名称"


class TestVoid:
    """Voiding a mistaken arrival: the 2020-03 US$150,000,000 is the only 2020 actual use of the fixture, so after
    the void 2020年1-3月 holds US$0 on both calibers; the record keeps its id, says what it was, and frees its key."""

    def q1(self):
        from zhaoshang.common.periods import MonthRange
        from zhaoshang.stats.selectors import stats_report

        return stats_report(MonthRange.parse("2020-01..2020-03"))

    def test_on_the_desk_a_void_takes_the_amount_out_at_once_and_frees_the_key(self, client, users, figures):
        signed = figures["signed"]
        first = arrival_of(signed, date(2020, 3, 1))
        assert self.q1().city.actual_use == Decimal("150000000.00")
        client.force_login(users["staff"])
        page = client.get(f"/projects/{signed.code}/").content.decode()
        assert "作废到资" in page
        no_reason = client.post(f"/projects/{signed.code}/void/", {"arrival": first.pk})
        assert no_reason.status_code == 400
        assert CapitalArrival.objects.get(pk=first.pk).voided_at is None
        ok = client.post(f"/projects/{signed.code}/void/", {"arrival": first.pk, "reason": "重复登记"})
        assert ok.status_code == 302
        after = CapitalArrival.objects.get(pk=first.pk)
        assert (after.amount_usd, after.verified_amount_usd, after.voided_amount_usd, after.void_reason) == (
            Decimal("0.00"),
            Decimal("0.00"),
            Decimal("150000000.00"),
            "重复登记",
        )
        assert self.q1().city.actual_use == Decimal("0.00")
        assert after.history.first().history_change_reason == "作废：重复登记"
        page = client.get(f"/projects/{signed.code}/").content.decode()
        assert "已作废（原 15000.00万美元）" in page
        # The key is free: the right record of 2020-03 can be entered again.
        again = client.post(f"/projects/{signed.code}/arrival/", {**ARRIVAL, "amount": "12000"})
        assert again.status_code == 302
        assert self.q1().city.actual_use == Decimal("120000000.00")
        assert CapitalArrival.objects.filter(project=signed, month=date(2020, 3, 1)).count() == 2

    def test_a_void_in_a_closed_month_is_a_recorded_correction_and_its_claims_are_withdrawn(
        self, client, users, figures
    ):
        verification.verification_rule_set(item="arrival", requires_verification=True, actor=users["admin"])
        signed = figures["signed"]
        late = ps.arrival_record(
            project=signed, month=date(2020, 4, 1), amount=Decimal(3_000_000), kind="paid_in", actor=users["staff"]
        )
        claim = Claim.objects.get(arrival=late, status="pending")
        close(date(2020, 4, 1))
        client.force_login(users["staff"])
        asked = client.post(f"/api/arrivals/{late.pk}/void", {"reason": ""}, content_type="application/json")
        assert asked.status_code == 400
        response = client.post(f"/api/arrivals/{late.pk}/void", {"reason": "银行退汇"}, content_type="application/json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["id"], body["amount_usd"], body["voided_amount_usd"], body["void_reason"]) == (
            late.pk,
            "0.00",
            "3000000.00",
            "银行退汇",
        )
        correction = Correction.objects.get()
        assert (correction.action, correction.amount_before_usd, correction.amount_after_usd) == (
            "voided",
            Decimal("3000000.00"),
            Decimal("0.00"),
        )
        assert correction.get_action_display() == "作废到资"
        claim.refresh_from_db()
        assert claim.status == "returned"
        assert claim.reason == "到资记录已作废：银行退汇"
        with pytest.raises(Exception, match="已作废"):
            verification.claim_resubmit(claim=claim, actor=users["staff"])
        twice = client.post(f"/api/arrivals/{late.pk}/void", {"reason": "再次"}, content_type="application/json")
        assert twice.status_code == 400
        assert "已于" in twice.json()["detail"]
        assert Correction.objects.count() == 1

    def test_another_units_arrival_cannot_be_voided(self, client, users, figures):
        first = arrival_of(figures["signed"], date(2020, 3, 1))
        client.force_login(users["zone_staff"])
        response = client.post(f"/api/arrivals/{first.pk}/void", {"reason": "x"}, content_type="application/json")
        assert response.status_code == 403
        assert CapitalArrival.objects.get(pk=first.pk).voided_at is None
        assert (
            client.post(f"/projects/{figures['signed'].code}/void/", {"arrival": first.pk, "reason": "x"}).status_code
            == 403
        )
