"""Publishing a race board through the API: a request without a date is refused in Chinese, never answered 500."""

from __future__ import annotations

from datetime import date

import pytest

from zhaoshang.race.models import Competition, Snapshot


@pytest.mark.django_db
def test_publishing_without_a_date_is_a_400_that_writes_nothing(client, users):
    Competition.objects.create(slug="race-2020", name="竞赛", start=date(2020, 7, 1), end=date(2020, 7, 31))
    client.force_login(users["admin"])
    answer = client.post("/api/race/race-2020/snapshots", {"date": ""}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "请填写发布日期（YYYY-MM-DD）"}
    assert Snapshot.objects.count() == 0
