"""The set-up every benchmark shares: a scratch database (SQLite in a temporary folder, or the PostgreSQL database
named by --database-url, created if missing and emptied), Django configured without a query log, migrated."""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def ensure_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


def scratch_database(database_url: str | None, *, prefix: str = "zhaoshang-bench-", keep: bool = False) -> str:
    """Point Django at an empty, migrated scratch database and return its engine's short name (`keep`: a
    PostgreSQL database is migrated but not emptied, to go on from the data a previous run left)."""
    os.environ["ZHAOSHANG_DATA_DIR"] = tempfile.mkdtemp(prefix=prefix)
    if database_url:
        ensure_postgres_database(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log while building; measurements capture their own queries
    call_command("migrate", verbosity=0)
    if not (keep and database_url):
        call_command("flush", interactive=False, verbosity=0)
    return str(settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1])


def p95(times: list[float]) -> float:
    """The 95th percentile by nearest rank: the smallest time at or above 95% of the runs."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
