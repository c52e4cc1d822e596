"""The desk's pages: login and lockout, CSRF, figures from the stats selectors, filters, export, errors."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client

from zhaoshang.projects.models import FollowUp, Project

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


class TestLogin:
    def test_pages_need_a_login(self, client, units):
        for url in ["/", "/projects/", "/targets/", "/projects/XM2020-0001/"]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/login/?next="), url

    def test_login_page_is_in_chinese_and_logs_in(self, client, users):
        page = client.get("/login/")
        assert page.status_code == 200
        assert "用户名" in text(page)
        assert "csrfmiddlewaretoken" in text(page)
        response = client.post("/login/", {"username": "js", "password": "x"})
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert "嘉善专员" in text(client.get("/"))

    def test_a_wrong_password_says_so_in_chinese(self, client, users):
        response = client.post("/login/", {"username": "js", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in text(response)

    def test_five_failures_lock_the_account_even_for_the_right_password(self, client, users, settings):
        assert settings.AXES_FAILURE_LIMIT == 5
        for _ in range(4):
            assert "用户名或密码不正确" in text(client.post("/login/", {"username": "js", "password": "bad"}))
        locked = client.post("/login/", {"username": "js", "password": "bad"})
        assert locked.status_code == 429
        assert "账号已暂时锁定" in text(locked)
        again = client.post("/login/", {"username": "js", "password": "x"})
        assert again.status_code == 429
        assert "_auth_user_id" not in client.session
        # Another account from the same address is not locked: the lock is per username and address.
        assert client.post("/login/", {"username": "mayor", "password": "x"}).status_code == 302

    def test_logout_is_a_post_and_ends_the_session(self, client, users):
        client.force_login(users["leader"])
        assert client.get("/logout/").status_code == 405
        assert client.post("/logout/").status_code == 302
        assert client.get("/").status_code == 302

    def test_a_form_without_its_csrf_token_is_refused_in_chinese(self, users, project):
        strict = Client(enforce_csrf_checks=True)
        assert strict.post("/login/", {"username": "js", "password": "x"}).status_code == 403
        strict.force_login(users["staff"])
        before = FollowUp.objects.count()
        response = strict.post(
            f"/projects/{project.code}/followup/",
            {"on": "2020-12-01", "channel": "call", "summary": "无令牌"},
        )
        assert response.status_code == 403
        assert "CSRF" in text(response)
        assert FollowUp.objects.count() == before


class TestDashboard:
    def test_headline_figures_and_growth_are_the_hand_computed_ones(self, client, users, figures):
        client.force_login(users["leader"])
        page = text(client.get("/?period=2020-01..2020-03"))
        assert "2020年1-3月 全市利用外资" in page
        assert re.search(r'data-figure="actual_use">1\.50亿美元<', page)
        assert "+50.0%" in page
        assert re.search(r'data-figure="at_risk">1 个<', page)
        assert "创新药生产基地项目" in page  # listed among the projects at risk

    def test_chart_data_carries_the_map_and_the_monthly_trend(self, client, users, figures):
        client.force_login(users["leader"])
        response = client.get("/?period=2020-01..2020-03")
        data = response.context["charts"]
        assert data["trend"]["months"] == ["1月", "2月", "3月"]
        assert data["trend"]["current"] == [0.0, 0.0, 1.5]
        assert data["trend"]["previous"] == [0.0, 0.0, 1.0]
        assert {"name": "嘉善县", "value": 1.5, "unit": "嘉善县"} in data["map"]
        assert [z.unit.code for z in response.context["zones"]] == ["3304JK"]  # beside the map, not on it
        assert 'id="dashboard-data"' in text(response)
        assert "vendor/echarts.min.js" in text(response)

    @pytest.mark.parametrize(
        "period", ["2020-13", "abc", "2020-09..2020-01", "9" * 200, "0001", "0001-01", "9999-12", "1999-12..2020-01"]
    )
    def test_a_bad_period_is_a_400_in_chinese(self, client, users, period):
        client.force_login(users["leader"])
        response = client.get("/", {"period": period})
        assert response.status_code == 400
        assert "请求有误" in text(response)


class TestProjects:
    def test_filters_narrow_the_list(self, client, users, figures):
        client.force_login(users["zone_staff"])  # unit staff see every unit's projects
        assert "共 2 个项目" in text(client.get("/projects/"))
        risky = text(client.get("/projects/?risk=1"))
        assert "共 1 个项目" in risky
        assert "创新药生产基地项目" in risky
        assert "共 1 个项目" in text(client.get("/projects/?stage=negotiating"))
        assert "共 1 个项目" in text(client.get("/projects/?big=1"))  # 120,000,000 ≥ 100,000,000
        assert "共 1 个项目" in text(client.get("/projects/?kind=increase"))
        assert "共 2 个项目" in text(client.get("/projects/?country=KY&industry=C&unit=330421"))
        assert "共 0 个项目" in text(client.get("/projects/?unit=3304JK"))
        assert "共 2 个项目" in text(client.get("/projects/?q=everest"))
        assert "共 1 个项目" in text(client.get("/projects/?q=扩产"))

    def test_htmx_gets_only_the_table(self, client, users, figures):
        client.force_login(users["leader"])
        response = client.get("/projects/?stage=arriving", headers={"HX-Request": "true"})
        body = text(response)
        assert "共 1 个项目" in body
        assert "<html" not in body

    @pytest.mark.parametrize(
        "query",
        ["unit=nowhere", "stage=flying", "kind=x", "industry=ZZ", "country=XX", "f500=maybe", "risk=2"],
    )
    def test_an_unknown_filter_value_is_a_400(self, client, users, figures, query):
        client.force_login(users["leader"])
        response = client.get(f"/projects/?{query}")
        assert response.status_code == 400
        assert "不存在" in text(response) or "无法识别" in text(response)

    def test_a_bad_page_number_shows_a_page(self, client, users, figures):
        client.force_login(users["leader"])
        for page in ["0", "-1", "abc", "999"]:
            assert client.get(f"/projects/?page={page}").status_code == 200

    def test_excel_export_has_a_row_per_filtered_project(self, client, users, figures):
        client.force_login(users["leader"])
        response = client.get("/projects/export.xlsx?unit=330421&stage=arriving")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
            strings = book.read("xl/sharedStrings.xml").decode()
        assert sheet.count("<row ") == 3  # title, header, one project
        assert "生物药扩产项目" in strings
        assert "创新药生产基地项目" not in strings
        assert "<v>120000000</v>" in sheet  # total investment in US$, a number

    def test_detail_shows_timeline_arrivals_follow_ups_and_history(self, client, users, figures):
        client.force_login(users["auditor"])
        page = text(client.get(f"/projects/{figures['signed'].code}/"))
        assert "签约 2019-02-01" in page
        assert "到资 2019-03-01" in page
        assert "2020-03" in page
        assert "15000.00万美元" in page
        assert 'id="history"' in page
        assert "登记到资" in page

    def test_an_unknown_project_is_a_chinese_404(self, client, users):
        client.force_login(users["leader"])
        response = client.get("/projects/NOPE/")
        assert response.status_code == 404
        assert "页面不存在" in text(response)


class TestForms:
    def test_a_follow_up_moves_the_next_date_and_lifts_the_risk(self, client, users, figures):
        p = figures["talking"]
        client.force_login(users["staff"])
        response = client.post(
            f"/projects/{p.code}/followup/",
            {"on": "2020-12-20", "channel": "visit", "summary": "上门拜访，确认用地", "next_on": "2021-01-15"},
        )
        assert response.status_code == 302
        p.refresh_from_db()
        assert str(p.next_follow_up_on) == "2021-01-15"
        assert "共 0 个项目" in text(client.get("/projects/?risk=1"))

    def test_a_refused_stage_is_shown_in_place_by_htmx_and_changes_nothing(self, client, users, figures):
        p = figures["talking"]
        client.force_login(users["staff"])
        before = Project.history.count()
        response = client.post(
            f"/projects/{p.code}/advance/", {"to_stage": "signed", "on": "2020-09-01"}, headers={"HX-Request": "true"}
        )
        body = text(response)
        assert response.status_code == 200
        assert '<div id="form-advance"' in body
        assert "<html" not in body
        assert "早于上一阶段“洽谈”的日期 2020-10-10" in body
        p.refresh_from_db()
        assert p.stage == "negotiating"
        assert Project.history.count() == before

    def test_without_htmx_a_refusal_re_renders_the_page_with_the_error(self, client, users, figures):
        p = figures["signed"]
        client.force_login(users["staff"])
        response = client.post(
            f"/projects/{p.code}/arrival/",
            {"month": "2018-05", "kind": "paid_in", "amount": "10", "currency": "USD", "rate_to_usd": "1"},
        )
        assert response.status_code == 400
        assert "早于项目签约月份 2019-02" in text(response)

    def test_a_malformed_month_is_named(self, client, users, figures):
        client.force_login(users["staff"])
        response = client.post(
            f"/projects/{figures['signed'].code}/arrival/",
            {"month": "May", "kind": "paid_in", "amount": "10", "currency": "USD", "rate_to_usd": "1"},
            headers={"HX-Request": "true"},
        )
        assert "到资月份“May”无法识别" in text(response)

    def test_an_accepted_htmx_form_redirects_to_the_refreshed_page(self, client, users, figures):
        p = figures["talking"]
        client.force_login(users["staff"])
        response = client.post(
            f"/projects/{p.code}/advance/", {"to_stage": "signed", "on": "2020-12-01"}, headers={"HX-Request": "true"}
        )
        assert response["HX-Redirect"] == f"/projects/{p.code}/"
        page = text(client.get(f"/projects/{p.code}/"))
        assert "已推进阶段" in page
        assert "签约 2020-12-01" in page
        assert "推进至签约" in page

    def test_an_unknown_action_is_a_404(self, client, users, figures):
        client.force_login(users["admin"])
        assert client.post(f"/projects/{figures['signed'].code}/explode/").status_code == 404


class TestTargets:
    def test_the_admin_sets_a_target_in_wan_and_sees_the_progress(self, client, users, figures):
        client.force_login(users["admin"])
        response = client.post(
            "/targets/", {"year": "2020", "unit": "330421", "indicator": "actual_use_usd", "value": "30000"}
        )
        assert response.status_code == 302
        page = text(client.get("/targets/?year=2020"))
        # Target 3.00亿美元; achieved in 2020 (to the as-of month, December) 1.50亿美元: 50.0%.
        assert "3.00亿美元" in page
        assert "1.50亿美元 / <span" in page
        assert "50.0%" in page

    def test_a_refused_target_names_the_value(self, client, users):
        client.force_login(users["admin"])
        response = client.post("/targets/", {"year": "2020", "unit": "", "indicator": "actual_use_usd", "value": "-1"})
        assert response.status_code == 400
        assert "目标值“-10000”必须大于0" in text(response)

    def test_a_bad_year_is_a_400(self, client, users):
        client.force_login(users["leader"])
        assert client.get("/targets/?year=20x0").status_code == 400
