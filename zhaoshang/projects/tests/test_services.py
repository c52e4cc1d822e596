"""The registry's rules: credit codes, money, stages, arrivals, follow-ups, audit; refusals that save nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.projects import services as ps
from zhaoshang.projects.models import (
    CapitalArrival,
    Country,
    Enterprise,
    FollowUp,
    Project,
    ProjectStageEvent,
    Stage,
)
from zhaoshang.projects.selectors import is_at_risk, project_history, projects_at_risk
from zhaoshang.units.selectors import unit_by_code


def valid_code(prefix17: str) -> str:
    """Check character by the GB 32100 formula, written out here independently of the product's code."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(alphabet.index(c) * w for c, w in zip(prefix17, weights, strict=True))
    return prefix17 + alphabet[(31 - total % 31) % 31]


def history_count() -> int:
    return sum(m.history.count() for m in (Project, ProjectStageEvent, CapitalArrival, FollowUp, Enterprise))


class TestCreditCode:
    def test_a_code_with_a_correct_check_character_is_accepted(self, units, users):
        code = valid_code("91330421MA2BC1234")
        e = ps.enterprise_create(name="嘉善测试有限公司", unit=units["jiashan"], credit_code=code, actor=users["staff"])
        assert e.credit_code == code

    def test_a_wrong_check_character_is_refused_naming_field_and_value(self, units, users):
        good = valid_code("91330421MA2BC1234")
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        before = Enterprise.objects.count()
        with pytest.raises(ValidationError) as exc:
            ps.enterprise_create(name="嘉善测试有限公司", unit=units["jiashan"], credit_code=bad, actor=users["staff"])
        message = exc.value.message_dict["credit_code"][0]
        assert bad in message
        assert "统一社会信用代码" in message
        assert "校验位" in message
        assert Enterprise.objects.count() == before

    @pytest.mark.parametrize("raw", ["9133042", "91330421MA2BC1234IO", "ABCDEFGH1234567890"])
    def test_malformed_codes_are_refused(self, raw):
        with pytest.raises(ValidationError) as exc:
            ps.clean_credit_code(raw)
        assert raw in exc.value.message_dict["credit_code"][0]


class TestProjectMoney:
    def test_euro_amounts_convert_at_the_recorded_rate(self, as_of, units, users, investor):
        p = ps.project_create(
            unit=units["zone"],
            name="欧元项目",
            kind="new",
            investors=[investor],
            stage_on=date(2020, 3, 1),
            currency="eur",
            rate_to_usd="1.12",
            total_investment="1000.00",
            contract_foreign="333.33",
            actor=users["admin"],
        )
        assert (p.currency, p.total_investment_usd, p.contract_foreign_usd) == (
            "EUR",
            Decimal("1120.00"),
            Decimal("373.33"),  # 333.33 × 1.12 = 373.3296 → 373.33
        )
        assert p.code == "XM2020-0001"

    def test_project_codes_count_up_within_a_year(self, project, units, users, investor):
        second = ps.project_create(
            unit=units["jiashan"],
            name="第二个",
            kind="increase",
            investors=[investor],
            stage=Stage.SIGNED,
            stage_on=date(2020, 2, 1),
            actor=users["staff"],
        )
        assert (project.code, second.code) == ("XM2020-0001", "XM2020-0002")
        assert second.signed_on == date(2020, 2, 1)
        assert second.registered_on is None

    @pytest.mark.parametrize(
        ("field", "kwargs", "fragment"),
        [
            ("total_investment", {"total_investment": "-5"}, "不能为负数"),
            ("contract_foreign", {"total_investment": "100", "contract_foreign": "200"}, "大于总投资"),
            ("rate_to_usd", {"currency": "EUR", "rate_to_usd": "0"}, "必须大于0"),
            ("rate_to_usd", {"currency": "USD", "rate_to_usd": "7"}, "必须为1"),
            ("currency", {"currency": "euro", "rate_to_usd": "1.1"}, "ISO 4217"),
            ("total_investment", {"total_investment": "1.234"}, "两位小数"),
            ("kind", {"kind": "joint"}, "不存在"),
        ],
    )
    def test_bad_money_and_kind_are_refused_and_nothing_is_saved(
        self, as_of, units, users, investor, field, kwargs, fragment
    ):
        args = {
            "unit": units["jiashan"],
            "name": "坏项目",
            "kind": "new",
            "investors": [investor],
            "stage_on": date(2020, 3, 1),
            "actor": users["staff"],
            **kwargs,
        }
        with pytest.raises(ValidationError) as exc:
            ps.project_create(**args)
        assert fragment in exc.value.message_dict[field][0]
        assert Project.objects.count() == 0
        assert Project.history.count() == 0


class TestStages:
    def test_stages_advance_and_may_be_skipped(self, project, users):
        p = ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2020, 3, 26), actor=users["staff"])
        p = ps.project_advance_stage(project=p, to_stage=Stage.CONSTRUCTION, on=date(2020, 7, 16), actor=users["staff"])
        assert (p.stage, p.stage_on, p.signed_on, p.registered_on) == (
            Stage.CONSTRUCTION,
            date(2020, 7, 16),
            date(2020, 3, 26),
            date(2020, 7, 16),
        )
        assert list(p.stage_events.values_list("stage", "on")) == [
            (Stage.NEGOTIATING, date(2020, 1, 10)),
            (Stage.SIGNED, date(2020, 3, 26)),
            (Stage.CONSTRUCTION, date(2020, 7, 16)),
        ]

    def test_a_stage_dated_before_the_previous_one_is_refused_and_nothing_changes(self, project, users):
        ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2020, 3, 26), actor=users["staff"])
        before = history_count()
        with pytest.raises(ValidationError) as exc:
            ps.project_advance_stage(
                project=project, to_stage=Stage.REGISTERED, on=date(2020, 3, 25), actor=users["staff"]
            )
        message = exc.value.message_dict["on"][0]
        assert "2020-03-25" in message
        assert "签约" in message
        assert "2020-03-26" in message
        project.refresh_from_db()
        assert (project.stage, project.registered_on) == (Stage.SIGNED, None)
        assert project.stage_events.count() == 2
        assert history_count() == before

    def test_going_backwards_is_refused(self, project, users):
        ps.project_advance_stage(project=project, to_stage=Stage.REGISTERED, on=date(2020, 4, 1), actor=users["staff"])
        with pytest.raises(ValidationError) as exc:
            ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2020, 5, 1), actor=users["staff"])
        assert "只能向前" in exc.value.message_dict["stage"][0]

    def test_a_future_date_is_refused(self, project, users):
        with pytest.raises(ValidationError) as exc:
            ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2021, 1, 1), actor=users["staff"])
        assert "2021-01-01" in exc.value.message_dict["on"][0]

    def test_dropping_needs_a_reason_and_ends_the_project(self, project, users):
        with pytest.raises(ValidationError):
            ps.project_drop(project=project, on=date(2020, 5, 1), reason="  ", actor=users["staff"])
        p = ps.project_drop(project=project, on=date(2020, 5, 1), reason="落户其他城市", actor=users["staff"])
        assert (p.stage, p.dropped_reason) == (Stage.DROPPED, "落户其他城市")
        with pytest.raises(ValidationError) as exc:
            ps.project_advance_stage(project=p, to_stage=Stage.SIGNED, on=date(2020, 6, 1), actor=users["staff"])
        assert "已中止" in exc.value.message_dict["stage"][0]


class TestArrivals:
    def test_the_first_arrival_moves_a_registered_project_to_arriving(self, project, users):
        ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2020, 3, 26), actor=users["staff"])
        ps.project_advance_stage(project=project, to_stage=Stage.REGISTERED, on=date(2020, 4, 22), actor=users["staff"])
        a = ps.arrival_record(
            project=project, month=date(2020, 4, 15), amount="30000000", kind="paid_in", actor=users["staff"]
        )
        assert (a.month, a.amount_usd) == (date(2020, 4, 1), Decimal("30000000.00"))
        project.refresh_from_db()
        # The stage is dated no earlier than registration, though the arrival's month began before it.
        assert (project.stage, project.stage_on) == (Stage.ARRIVING, date(2020, 4, 22))

    def test_japanese_yen_arrival_converts_exactly(self, project, users):
        ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2020, 3, 26), actor=users["staff"])
        a = ps.arrival_record(
            project=project,
            month=date(2020, 5, 1),
            amount="123456789",
            currency="JPY",
            rate_to_usd="0.00937",
            kind="paid_in",
            actor=users["staff"],
        )
        # 123,456,789 × 0.00937 = 1,156,790.11293 → 1,156,790.11
        assert a.amount_usd == Decimal("1156790.11")

    @pytest.mark.parametrize(
        ("kwargs", "field", "fragment"),
        [
            ({"amount": "-100"}, "amount", "不能为负数"),
            ({"amount": "0"}, "amount", "必须大于0"),
            ({"amount": "abc"}, "amount", "不是有效的金额"),
            ({"month": date(2020, 2, 1)}, "month", "早于项目签约月份"),
            ({"month": date(2021, 1, 1)}, "month", "晚于本月"),
            ({"kind": "gift"}, "kind", "不存在"),
        ],
    )
    def test_bad_arrivals_are_refused_and_nothing_is_saved(self, project, users, kwargs, field, fragment):
        ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2020, 3, 26), actor=users["staff"])
        before = history_count()
        args = {
            "project": project,
            "month": date(2020, 6, 1),
            "amount": "100",
            "kind": "paid_in",
            "actor": users["staff"],
            **kwargs,
        }
        with pytest.raises(ValidationError) as exc:
            ps.arrival_record(**args)
        assert fragment in exc.value.message_dict[field][0]
        assert CapitalArrival.objects.count() == 0
        assert history_count() == before
        project.refresh_from_db()
        assert project.stage == Stage.SIGNED

    def test_an_unsigned_project_takes_no_arrival(self, project, users):
        with pytest.raises(ValidationError) as exc:
            ps.arrival_record(
                project=project, month=date(2020, 6, 1), amount="100", kind="paid_in", actor=users["staff"]
            )
        assert project.code in exc.value.message_dict["project"][0]


class TestFollowUps:
    def test_risk_boundaries(self, project, users, as_of):
        ps.followup_log(
            project=project,
            on=date(2020, 11, 1),
            channel="online",
            summary="视频会谈",
            next_on=date(2020, 12, 31),
            actor=users["staff"],
        )
        project.refresh_from_db()
        assert not is_at_risk(project)  # due today: not yet lost
        assert list(projects_at_risk()) == []
        ps.followup_log(
            project=project,
            on=date(2020, 12, 1),
            channel="call",
            summary="电话",
            next_on=date(2020, 12, 30),
            actor=users["staff"],
        )
        project.refresh_from_db()
        assert project.next_follow_up_on == date(2020, 12, 30)
        assert is_at_risk(project)
        assert list(projects_at_risk()) == [project]
        ps.project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2020, 12, 20), actor=users["staff"])
        project.refresh_from_db()
        assert not is_at_risk(project)  # signed projects are no longer at risk of being lost

    def test_next_date_before_the_follow_up_is_refused(self, project, users):
        with pytest.raises(ValidationError) as exc:
            ps.followup_log(
                project=project,
                on=date(2020, 11, 1),
                channel="visit",
                summary="拜访",
                next_on=date(2020, 10, 1),
                actor=users["staff"],
            )
        assert "2020-10-01" in exc.value.message_dict["next_on"][0]
        assert FollowUp.objects.count() == 0


class TestAuditAndPermissions:
    def test_every_write_leaves_who_when_before_after(self, project, users):
        ps.project_update(project=project, actor=users["admin"], reason="核对投资协议", total_investment="320000000")
        rec = Project.history.filter(id=project.pk).latest("history_date")
        assert (rec.history_user, rec.history_change_reason) == (users["admin"], "核对投资协议")
        entries = project_history(project)
        latest = entries[0]
        assert (latest.who, latest.reason) == ("管理员", "核对投资协议")
        changes = {label: (old, new) for label, old, new in latest.changes}
        # In words: amounts in 万 (of the project's currency, US$ here).
        assert changes["总投资（原币）"] == ("30000万美元", "32000万美元")
        assert changes["总投资（美元）"] == ("30000万美元", "32000万美元")
        assert entries[-1].what in {"新增项目", "新增阶段"}

    def test_unit_staff_cannot_write_another_units_project_and_nothing_changes(self, project, users):
        before = history_count()
        with pytest.raises(PermissionDenied) as exc:
            ps.project_advance_stage(
                project=project, to_stage=Stage.SIGNED, on=date(2020, 3, 1), actor=users["zone_staff"]
            )
        assert "经开区专员" in str(exc.value)
        with pytest.raises(PermissionDenied):
            ps.followup_log(project=project, on=date(2020, 3, 1), channel="call", summary="x", actor=users["leader"])
        project.refresh_from_db()
        assert project.stage == Stage.NEGOTIATING
        assert history_count() == before

    def test_an_unknown_unit_code_is_named_in_the_refusal(self, units):
        with pytest.raises(ValidationError) as exc:
            unit_by_code("339999")
        assert "339999" in exc.value.message_dict["unit"][0]
        assert "330421" in exc.value.message_dict["unit"][0]


def test_hong_kong_macao_and_taiwan_are_named_as_regions_of_china(db):
    names = dict(Country.objects.filter(is_hmt=True).values_list("code", "name"))
    assert names == {"HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾"}
