"""A small roster on top of the shared fixtures: one enterprise in 嘉善 with an investor, on the roster."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import uscc

from zhaoshang.aftercare import services as ac
from zhaoshang.projects import services as ps


def credit_code(body: str = "91330421MA2B6Y8K1") -> str:
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def enterprise(as_of, units, users, industry):
    return ps.enterprise_create(
        name="嘉善精密机械有限公司",
        unit=units["jiashan"],
        credit_code=credit_code(),
        industry=industry,
        is_new=False,
        established_on=date(2010, 5, 1),
        actor=users["admin"],
    )


@pytest.fixture
def entry(enterprise, users, investor):
    return ac.roster_enroll(
        enterprise=enterprise,
        investors=[investor],
        officer=users["staff"],
        leader="县长",
        enrolled_on=date(2018, 1, 1),
        actor=users["admin"],
    )
