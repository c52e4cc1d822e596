"""No request answers 500: malformed parameters are refused (400) or ignored; error pages are in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
ODD = ["", " ", "'; drop table x;--", "<script>alert(1)</script>", "０", "9" * 500, "%00", "1e309", "-1", "None"]
LIST_PARAMS = ["unit", "stage", "kind", "industry", "country", "f500", "big", "risk", "q", "page"]


def test_odd_parameters_never_break_a_page(client, users, figures):
    client.force_login(users["admin"])
    # Each page with the parameters it reads, and one it does not.
    urls = {
        "/": ["period", "unit"],
        "/projects/": LIST_PARAMS,
        "/projects/export.xlsx": LIST_PARAMS,
        f"/projects/{figures['signed'].code}/": ["page"],
        "/targets/": ["year", "period"],
    }
    for url, params in urls.items():
        for name in params:
            for value in ODD:
                response = client.get(url, {name: value})
                assert response.status_code in (200, 400), (url, name, value, response.status_code)
                if response.status_code == 400:
                    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize("period", ["0001", "9999-12", "abc"])
def test_the_stats_api_refuses_an_odd_period_with_400(client, users, period):
    client.force_login(users["leader"])
    response = client.get("/api/stats", {"period": period})
    assert response.status_code == 400
    assert "期间" in response.json()["detail"]


def test_user_text_is_escaped(client, users, figures):
    client.force_login(users["staff"])
    p = figures["talking"]
    client.post(f"/projects/{p.code}/followup/", {"on": "2020-12-01", "channel": "call", "summary": "<b>x</b>"})
    page = client.get(f"/projects/{p.code}/").content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<b>x</b>" not in page
    listing = client.get("/projects/", {"q": "<script>"}).content.decode()
    assert "<script>" not in listing.split("</header>")[1].split("<script src=")[0]


def test_wrong_methods_are_405_not_500(client, users, figures):
    client.force_login(users["admin"])
    assert client.get(f"/projects/{figures['signed'].code}/followup/").status_code == 405
    assert client.post("/projects/").status_code == 405
    assert client.put("/targets/").status_code == 405


def test_the_500_page_is_in_chinese_and_stands_alone():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()


@pytest.mark.skipif(
    not (ROOT / "zhaoshang/static/vendor/echarts.min.js").exists(), reason="前端依赖未安装：请运行 ./run setup"
)
def test_production_serves_its_own_static_files(tmp_path):
    """Production settings, after collectstatic: ECharts and the maps come from the app itself, no CDN."""
    script = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
c = Client()
for path in [
        "/static/vendor/echarts.min.js",
        "/static/vendor/map-jiaxing.js",
        "/static/vendor/htmx.min.js",
        "/static/vendor/tom-select.min.js",
    ]:
    r = c.get(path, secure=True)
    assert r.status_code == 200, (path, r.status_code)
r = c.get("/login/", secure=True)
assert r.status_code == 200 and "Strict-Transport-Security" in r.headers, r.status_code
assert "cdn" not in r.content.decode().lower()
print("ok")
"""
    env = dict(
        os.environ,
        ZHAOSHANG_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="p" * 20 + "-production-secret-for-the-static-test-0123456789",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, text=True, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
