"""The admin cannot change what only the services may change: an arrival's amount would leave its US$ stale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, Project


@pytest.mark.django_db
def test_arrivals_and_money_are_read_only_in_the_admin(client, users, project):
    admin = users["admin"]
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=admin)
    arrival = ps.arrival_record(
        project=project, month=date(2020, 3, 1), amount=Decimal(5_000_000), kind="paid_in", actor=admin
    )
    client.force_login(admin)
    url = f"/admin/projects/capitalarrival/{arrival.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="amount"' not in page.content
    client.post(
        url,
        {
            "project": project.pk,
            "month": "2020-03-01",
            "kind": "paid_in",
            "currency": "USD",
            "rate_to_usd": "1",
            "amount": "9000000",
        },
    )
    arrival.refresh_from_db()
    assert (arrival.amount, arrival.amount_usd) == (Decimal("5000000.00"), Decimal("5000000.00"))
    assert client.get("/admin/projects/capitalarrival/add/").status_code == 403
    detail = client.get(f"/admin/projects/project/{project.pk}/change/")
    assert detail.status_code == 200
    assert b'name="total_investment"' not in detail.content
    assert b'name="name"' in detail.content
    assert CapitalArrival.objects.count() == 1
    assert Project.objects.count() == 1
