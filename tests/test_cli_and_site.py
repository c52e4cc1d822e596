"""End to end: the demo command on a fresh data directory, the admin pages, the API, and the deploy check."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhaoshang.cli", *args],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )


@pytest.mark.slow
def test_demo_builds_a_fresh_sqlite_database_in_the_data_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ZHAOSHANG_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.local")
    done = run_cli(["demo", "--no-serve"], env)
    assert done.returncode == 0, done.stderr
    assert "9 个招商主体" in done.stdout
    assert "admin" in done.stdout
    assert "zhaoshang2020" in done.stdout
    db = tmp_path / "zhaoshang.sqlite3"
    with sqlite3.connect(db) as conn:
        (total,) = conn.execute(
            "select sum(amount_usd) from projects_capitalarrival where kind != 'shareholder_loan' "
            "and month between '2020-01-01' and '2020-09-01'"
        ).fetchone()
    assert str(total) in {"2374000000", "2374000000.00", "2374000000.0"}


def test_a_non_sqlite_database_is_not_wiped_without_yes(tmp_path):
    env = dict(
        os.environ,
        ZHAOSHANG_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        DJANGO_SETTINGS_MODULE="config.settings.local",
    )
    done = run_cli(["demo", "--no-serve"], env)
    assert done.returncode == 2
    assert "--yes" in done.stderr


def test_other_words_pass_to_django(tmp_path):
    env = dict(os.environ, ZHAOSHANG_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.local")
    env.pop("DATABASE_URL", None)
    done = run_cli(["check"], env)
    assert done.returncode == 0
    assert "no issues" in done.stdout


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = dict(
        os.environ,
        ZHAOSHANG_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-for-the-check-0123456789abcdef",
    )
    env.pop("DATABASE_URL", None)
    done = run_cli(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_production_settings_refuse_a_missing_secret(tmp_path):
    env = dict(os.environ, ZHAOSHANG_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.production")
    env.pop("DJANGO_SECRET_KEY", None)
    done = run_cli(["check"], env)
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


@pytest.mark.django_db
def test_every_admin_page_opens_in_chinese(client, users):
    client.force_login(users["admin"])
    assert len(admin.site._registry) >= 15
    for model in admin.site._registry:
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        assert str(meta.verbose_name_plural) in changelist.content.decode()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(meta.verbose_name)), meta.label


@pytest.mark.django_db
def test_the_api_needs_a_login_and_lists_units(client, users, units):
    assert client.get("/api/units").status_code == 401
    client.force_login(users["leader"])
    body = client.get("/api/units").json()
    assert [u["code"] for u in body] == ["330421", "3304JK"]
    assert body[1]["region_code"] == "330402"
    schema = client.get("/api/openapi.json").json()
    assert "/api/units" in schema["paths"]
