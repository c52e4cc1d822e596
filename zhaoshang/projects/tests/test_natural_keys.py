"""One record per natural key, in the database and in the services: a second one is refused naming the first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhaoshang.common.validation import first_message
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, FollowUp
from zhaoshang.stats.models import Target


@pytest.fixture
def signed(project, users):
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["staff"])


def test_a_second_arrival_for_the_same_project_month_and_type_is_refused_naming_the_first(signed, users):
    first = ps.arrival_record(
        project=signed, month=date(2020, 3, 9), amount=Decimal("5000000"), kind="paid_in", actor=users["staff"]
    )
    with pytest.raises(ValidationError) as err:
        ps.arrival_record(
            project=signed, month=date(2020, 3, 1), amount=Decimal("10"), kind="paid_in", actor=users["staff"]
        )
    assert first_message(err.value) == (
        f"到资月份“2020-03”项目 {signed.code} 已有2020年3月的“新设企业实缴资本”到资记录（第{first.pk}号，"
        "5000000.00 USD）；同一项目同月同类型只登记一条，追加的金额请在这条记录上修改"
    )
    other = ps.arrival_record(
        project=signed, month=date(2020, 3, 1), amount=Decimal("7"), kind="capital_increase", actor=users["staff"]
    )
    with pytest.raises(ValidationError):
        ps.arrival_update(arrival=other, kind="paid_in", reason="改类型", actor=users["staff"])
    assert CapitalArrival.objects.count() == 2


def test_the_database_itself_refuses_a_duplicate_arrival_and_follow_up(signed, users):
    a = ps.arrival_record(
        project=signed, month=date(2020, 3, 1), amount=Decimal("5"), kind="paid_in", actor=users["staff"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CapitalArrival.objects.create(
            project=signed, month=a.month, kind=a.kind, rate_to_usd=1, amount=1, amount_usd=1, currency="USD"
        )
    f = ps.followup_log(project=signed, on=date(2020, 3, 2), channel="call", summary="电话沟通", actor=users["staff"])
    with pytest.raises(ValidationError, match="已登记过"):
        ps.followup_log(project=signed, on=f.on, channel="call", summary="电话沟通", actor=users["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(project=signed, on=f.on, channel="call", summary="电话沟通")
    assert FollowUp.objects.filter(project=signed).count() == 1


def test_one_city_wide_target_per_year_and_indicator(db):
    Target.objects.create(unit=None, year=2020, indicator="actual_use", value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(unit=None, year=2020, indicator="actual_use", value=2)
