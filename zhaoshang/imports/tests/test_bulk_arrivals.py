"""An arrivals file is written in bulk with `arrival_record`'s every rule: the same rows, history, claims and stage
moves as one by one, a number of queries that does not grow with the rows, and the same all-or-nothing refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import load_file
from zhaoshang.projects import services as ps
from zhaoshang.projects import verification as vf
from zhaoshang.projects.models import CapitalArrival, Claim, Country, Project

from .helpers import write_csv

HEADER = "项目编号,到资月份,实际使用外资（万美元）,到资类型\n"


@pytest.fixture
def projects(as_of, units, users) -> list[Project]:
    admin = users["admin"]
    inv = ps.investor_create(name="某外资", name_en="Someone", country=Country.objects.get(code="DE"), actor=admin)
    out = []
    for i in range(6):
        p = ps.project_create(
            unit=units["jiashan"],
            name=f"批量项目{i}",
            kind="new",
            investors=[inv],
            stage="signed",
            stage_on=date(2020, 2, 1 + i),
            total_investment=Decimal(50_000_000),
            contract_foreign=Decimal(20_000_000),
            actor=admin,
        )
        out.append(p)
    return out


def rows_for(projects: list[Project], months: range) -> str:
    return HEADER + "".join(f"{p.code},2020-{m:02d},{10 + m},实缴资本\n" for p in projects for m in months)


def snapshot() -> dict[str, Any]:
    arrivals = list(
        CapitalArrival.objects.order_by("project__code", "month").values_list(
            "project__code", "month", "kind", "amount", "amount_usd", "verification", "verified_amount_usd"
        )
    )
    history = sorted(
        (h.project.code, h.month, h.history_type, h.history_user.username, h.history_change_reason)
        for h in CapitalArrival.history.select_related("project", "history_user")
    )
    stages = sorted(Project.objects.values_list("code", "stage", "stage_on"))
    claims = sorted(Claim.objects.values_list("arrival__project__code", "arrival__month", "status", "amount_usd"))
    return {"arrivals": arrivals, "history": history, "stages": stages, "claims": claims}


def one_by_one(projects: list[Project], months: range, actor: Any) -> None:
    for p in projects:
        for m in months:
            ps.arrival_record(project=p, month=date(2020, m, 1), amount=(10 + m) * 10_000, kind="paid_in", actor=actor)


@pytest.mark.parametrize("verified", [False, True])
def test_bulk_writes_what_one_by_one_writes(projects, users, tmp_path, django_db_blocker, verified):
    if verified:
        vf.verification_rule_set(
            item="arrival", requires_verification=True, self_certify_max_usd=Decimal(130_000), actor=users["admin"]
        )
    from django.db import transaction

    months = range(3, 6)
    with transaction.atomic():
        sid = transaction.savepoint()
        one_by_one(projects, months, users["staff"])
        expected = snapshot()
        transaction.savepoint_rollback(sid)
    assert CapitalArrival.objects.count() == 0
    load_file("arrivals", write_csv(tmp_path, rows_for(projects, months)), actor=users["staff"])
    assert snapshot() == expected
    assert len(expected["arrivals"]) == 18
    assert {s[1] for s in expected["stages"]} == {"arriving"}
    assert bool(expected["claims"]) is verified


def test_queries_do_not_grow_with_the_rows(projects, users, tmp_path):
    # Two files over three projects each (each project moves to 到资 once, through the stage service): one row per
    # project, then seven. The rows add no query.
    few = write_csv(tmp_path, rows_for(projects[:3], range(3, 4)), "few.csv")
    with CaptureQueriesContext(connection) as one:
        load_file("arrivals", few, actor=users["staff"])
    many = write_csv(tmp_path, rows_for(projects[3:], range(3, 10)), "many.csv")
    with CaptureQueriesContext(connection) as seven:
        load_file("arrivals", many, actor=users["staff"])
    assert CapitalArrival.objects.count() == 3 + 21
    assert len(seven.captured_queries) <= len(one.captured_queries)  # the first file also made the lock row


def test_a_closed_month_refuses_the_whole_file(projects, users, tmp_path):
    from zhaoshang.bulletins.services import bulletin_issue

    bulletin_issue(month=date(2020, 3, 1), actor=users["admin"])  # closes January to March
    text = HEADER + f"{projects[0].code},2020-04,10,实缴资本\n{projects[1].code},2020-03,10,实缴资本\n"
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", write_csv(tmp_path, text), actor=users["staff"])
    assert "关账" in exc.value.report()
    assert "第3行" in exc.value.report()
    assert CapitalArrival.objects.count() == 0
    assert Project.objects.filter(stage="arriving").count() == 0
