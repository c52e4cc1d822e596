"""The project list people can use: 累计到资 per project, sortable columns, cards on a phone, print styles."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def codes(page: str) -> list[str]:
    table = page.split('id="projects"')[1].split("</table>")[0]
    return re.findall(r'<a href="/projects/([A-Z0-9-]+)/">', table)


def arrived(page: str) -> list[str]:
    return re.findall(r"<td class=\"num\" data-arrived>([^<]*)</td>", page)


def test_arrivals_to_date_per_project_by_the_caliber(client, users, figures):
    client.force_login(users["leader"])
    page = client.get("/projects/?sort=-arrived").content.decode()
    # 生物药扩产项目: US$100m (2019-03) + US$150m (2020-03); the shareholder loan (US$50m) is not actual use.
    assert codes(page) == [figures["signed"].code, figures["talking"].code]
    assert arrived(page) == ["25000", "0"]
    assert "金额单位：万美元" in page
    assert "合同外资 10000万美元；累计到资 25000万美元" in page  # the phone's card


def test_every_sortable_column_sorts_both_ways(client, users, figures):
    client.force_login(users["leader"])
    signed, talking = figures["signed"].code, figures["talking"].code
    assert codes(client.get("/projects/?sort=contract").content.decode()) == [talking, signed]
    assert codes(client.get("/projects/?sort=-contract").content.decode()) == [signed, talking]
    assert codes(client.get("/projects/?sort=stage").content.decode()) == [talking, signed]
    assert codes(client.get("/projects/?sort=-stage").content.decode()) == [signed, talking]
    for key in ["code", "name", "unit", "total", "arrived", "signed", "next"]:
        for sort in (key, f"-{key}"):
            assert client.get(f"/projects/?sort={sort}").status_code == 200, sort


def test_the_header_links_flip_the_order_and_keep_the_filters(client, users, figures):
    client.force_login(users["leader"])
    page = client.get("/projects/?unit=330421&sort=-arrived").content.decode()
    assert 'href="?unit=330421&amp;sort=arrived" hx-get' in page
    assert "累计到资 ▼" in page
    assert 'href="?unit=330421&amp;sort=-contract"' in page  # money columns sort the largest first


def test_an_unknown_sort_is_a_400(client, users):
    client.force_login(users["leader"])
    response = client.get("/projects/?sort=salary")
    assert response.status_code == 400
    assert "排序“salary”无法识别" in response.content.decode()


def test_the_print_style_is_a4_without_navigation(client):
    from django.contrib.staticfiles import finders

    with open(str(finders.find("web/app.css")), encoding="utf-8") as f:
        css = f.read()
    assert "@page { size: A4;" in css
    assert ".topbar, .foot, .no-print, .nav" in css.split("@media print")[1]
