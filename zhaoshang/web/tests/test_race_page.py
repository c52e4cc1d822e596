"""The race board page: ranking with arrows and scores, red flags and snails, and the weeks, from race.selectors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def rows(page: str) -> list[str]:
    body = page.split('id="race-board"')[1].split("</tbody>")[0]
    return [" ".join(r.split()) for r in body.split("<tr>")[2:]]


def test_the_latest_published_board_with_scores_and_arrows(client, users, race):
    client.force_login(users["leader"])
    page = client.get("/race/").content.decode()
    assert "2020年春季招商竞赛" in page
    assert "已发布榜单（第 1 版" in page
    board = rows(page)
    assert "75.00" in board[0]
    assert "嘉善县" in board[0]
    assert "1.50亿美元 / 2.00亿美元" in board[0]
    assert "→" in board[0]
    assert "嘉兴经开区" in board[1]
    assert "0.00" in board[1]
    assert "↓1" in board[1]
    history = page.split('id="race-history"')[1]
    assert "2020-02-07" in history
    assert "2020-03-31" in history


def test_an_earlier_week_is_shown_as_published_then(client, users, race):
    client.force_login(users["staff"])
    board = rows(client.get("/race/?date=2020-02-07").content.decode())
    assert all("0.00" in r and "—" in r for r in board)  # no earlier week: no arrow


def test_a_day_without_a_board_is_computed_live(client, users, race):
    client.force_login(users["staff"])
    page = client.get("/race/?date=2020-03-15").content.decode()
    assert "未发布：按当前数据实时计算" in page
    assert "（实时）" in page
    # March has not ended on 3-15: the race's arrivals stop at February, and the page says so.
    assert "到资数据截至2月" in page


@pytest.mark.parametrize("query", ["date=2020-13-01", "date=soon", "race=nope", "version=x"])
def test_bad_parameters_are_a_400(client, users, race, query):
    client.force_login(users["leader"])
    response = client.get(f"/race/?{query}")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_without_a_competition_the_page_says_so(client, users):
    client.force_login(users["leader"])
    assert "尚无竞赛" in client.get("/race/").content.decode()
