"""The desk and the API ask before recording an implausible arrival, as the import does."""

from __future__ import annotations

import json
from decimal import Decimal

from zhaoshang.projects.models import CapitalArrival

# figures["signed"]: contract foreign capital US$100,000,000; an arrival of US$200,000,000 is larger.


def test_the_desk_asks_before_saving_an_arrival_above_the_contract(client, users, figures):
    p = figures["signed"]
    client.force_login(users["staff"])
    before = CapitalArrival.objects.count()
    data = {"month": "2020-11", "kind": "capital_increase", "amount": "20000", "currency": "美元", "rate_to_usd": ""}
    asked = client.post(f"/projects/{p.code}/arrival/", data)
    page = asked.content.decode()
    assert asked.status_code == 400
    assert CapitalArrival.objects.count() == before
    # 20,000 万美元 = US$200,000,000
    assert f"警告：折合 US$200,000,000.00，大于项目 {p.code} 的合同外资 US$100,000,000.00" in page
    assert 'name="confirm"' in page
    assert "到资金额（原币万元）" in page
    saved = client.post(f"/projects/{p.code}/arrival/", {**data, "confirm": "on"})
    assert saved.status_code == 302
    latest = CapitalArrival.objects.latest("id")
    assert (latest.currency, latest.rate_to_usd, latest.amount_usd) == ("USD", Decimal(1), Decimal("200000000.00"))


def test_the_api_answers_with_the_warnings_and_takes_confirm(client, users, figures):
    p = figures["signed"]
    client.force_login(users["staff"])
    body = {"month": "2020-11-01", "amount": "200000000", "kind": "capital_increase", "currency": "美元"}
    url = f"/api/projects/{p.code}/arrivals"
    asked = client.post(url, data=json.dumps(body), content_type="application/json")
    assert asked.status_code == 409
    answer = asked.json()
    assert answer["warnings"] == [f"折合 US$200,000,000.00，大于项目 {p.code} 的合同外资 US$100,000,000.00"]
    before = CapitalArrival.objects.count()
    done = client.post(url, data=json.dumps({**body, "confirm": True}), content_type="application/json")
    assert done.status_code == 200
    assert CapitalArrival.objects.count() == before + 1
    assert done.json()["warnings"] == answer["warnings"]
    assert done.json()["amount_usd"] == "200000000.00"
