"""On the demo, the typed API answers exactly the serialisers' JSON: `/api/stats` for 2020年1-9月, the race board
of 2020-09-25 and the photovoltaic chain map (see zhaoshang/api/tests/test_contracts.py for the small registry)."""

from __future__ import annotations

from datetime import date

import pytest

from zhaoshang.accounts.models import User
from zhaoshang.api.tests.contract import assert_same_json
from zhaoshang.chains.models import Chain
from zhaoshang.chains.selectors import chain_map
from zhaoshang.chains.serialize import map_json
from zhaoshang.common.periods import MonthRange
from zhaoshang.race.selectors import board, competition_by_slug
from zhaoshang.stats.selectors import stats_report
from zhaoshang.stats.serialize import report_json

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_typed_api_answers_the_serialisers_json_on_the_demo(demo, client):
    client.force_login(User.objects.get(username="mayor"))

    stats = client.get("/api/stats", {"period": "2020-01..2020-09"})
    assert_same_json(stats, report_json(stats_report(MonthRange.parse("2020-01..2020-09"))))
    assert stats.json()["city"]["actual_use_usd"] == "2374000000.00"
    assert stats.json()["city"]["yoy_pct"] == 44.4

    race = client.get("/api/race/fdi-100-days-2020/board", {"date": "2020-09-25"})
    assert_same_json(race, board(competition_by_slug("fdi-100-days-2020"), date(2020, 9, 25)).to_json())
    # A weekly board compares ended months only (issue 16): on 9-25 the rival is read on 1–8月; 1–9月 (Jiaxing
    # 1.14亿美元 ahead) is the board of 9-30.
    assert race.json()["rival"]["months"] == "2020-01..2020-08"
    end = client.get("/api/race/fdi-100-days-2020/board", {"date": "2020-09-30"})
    assert_same_json(end, board(competition_by_slug("fdi-100-days-2020"), date(2020, 9, 30)).to_json())
    assert end.json()["rival"]["lead_usd"] == "114000000.00"

    assert_same_json(client.get("/api/chains/pv"), map_json(chain_map(Chain.objects.get(slug="pv"))))
