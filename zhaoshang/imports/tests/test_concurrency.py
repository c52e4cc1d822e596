"""Two real processes on PostgreSQL: the same file imported twice at once leaves one copy; a bulletin issued while
an import is writing either counts its rows or sees them refused — never a closed month changed without a record.

Each process is the `zhaoshang` command itself, on the test database, committed data only (transaction=True).
Skipped on SQLite, where one writer at a time is the database's own rule.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction

from zhaoshang.bulletins.models import Bulletin, Correction, MonthClosure
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, Project

from .helpers import write_xlsx

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
    ),
]

PROJECTS = 10
ZHAOSHANG = str(Path(sys.executable).parent / "zhaoshang")


def _env(tmp_path: Path) -> dict[str, str]:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ZHAOSHANG_DATA_DIR": str(tmp_path),
    }


def _command(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [ZHAOSHANG, *args], env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture
def signed_projects(as_of, units, users, investor, industry) -> list[Project]:
    projects = []
    for i in range(PROJECTS):
        p = ps.project_create(
            unit=units["jiashan"],
            name=f"并发项目{i}",
            kind="new",
            investors=[investor],
            stage_on=date(2020, 1, 10),
            total_investment=Decimal("300000000"),
            contract_foreign=Decimal("180000000"),
            industry=industry,
            actor=users["admin"],
        )
        projects.append(
            ps.project_advance_stage(project=p, to_stage="signed", on=date(2020, 1, 20), actor=users["admin"])
        )
    return projects


def arrivals_file(
    tmp_path: Path, projects: list[Project], months: list[str], name: str, wan: int = 1, last: list[str] | None = None
) -> Path:
    """Two arrivals (paid-in, increase) per project and month; the last project in the months `last` if given."""
    rows: list[list[object]] = [["项目编号", "到资月份", "到资金额（万美元）", "到资类型"]]
    for i, p in enumerate(projects):
        for month in last if last and i == len(projects) - 1 else months:
            for kind in ("实缴资本", "增资"):
                rows.append([p.code, month, wan, kind])
    return write_xlsx(tmp_path, rows, name)


def test_two_processes_importing_the_same_file_leave_one_copy(signed_projects, tmp_path):
    path = arrivals_file(tmp_path, signed_projects, ["2020-03", "2020-04", "2020-05", "2020-06", "2020-07"], "a.xlsx")
    rows = PROJECTS * 5 * 2
    first, second = (_command(tmp_path, "import", "arrivals", str(path), "--user", "admin") for _ in range(2))
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert CapitalArrival.objects.count() == rows
    keys = CapitalArrival.objects.values_list("project_id", "month", "kind")
    assert len(set(keys)) == rows
    summaries = sorted(out.splitlines()[0] for out, _ in outputs)
    assert summaries == [
        f"已导入：实际到资 {rows} 行 —— 新增 0，更新 0，不变 {rows}",
        f"已导入：实际到资 {rows} 行 —— 新增 {rows}，更新 0，不变 0",
    ]


def _waiting_on(locktype: str) -> bool:
    """Another backend of this database is waiting for a lock of this type (not granted yet)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # pg_stat_activity is read once per transaction otherwise
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND l.locktype = %s AND a.datname = current_database()",
            [locktype],
        )
        return cursor.fetchone()[0] > 0


def _until(condition, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_bulletin_issued_while_an_import_writes_counts_it_or_refuses_it(signed_projects, tmp_path):
    """The import writes September and October rows, then stops on a project this test holds (its rows are for
    November, still open); meanwhile 1-10月 is issued. Released, the import commits. The closed months must still
    add up: what the bulletin froze plus the corrections recorded since."""
    october = date(2020, 10, 1)
    path = arrivals_file(tmp_path, signed_projects, ["2020-09", "2020-10"], "oct.xlsx", wan=777, last=["2020-11"])
    closed_rows = (PROJECTS - 1) * 2 * 2
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=signed_projects[-1].pk)  # the file's last project
        importing = _command(tmp_path, "import", "arrivals", str(path), "--user", "admin")
        _until(lambda: _waiting_on("transactionid") or importing.poll() is not None, "the import never blocked")
        assert importing.poll() is None, importing.communicate()
        issuing = _command(
            tmp_path, "bulletin", "--period", "2020-10", "--issue", "--out", str(tmp_path / "out"), "--user", "admin"
        )
        # Issuing either finishes (the import's rows uncommitted) or waits for the import: then let it go.
        _until(lambda: issuing.poll() is not None or _waiting_on("advisory"), "issuing neither finished nor waited")
    imported, issued = importing.communicate(timeout=300), issuing.communicate(timeout=300)
    assert issuing.returncode == 0, issued
    bulletin = Bulletin.objects.get(month=october)
    assert MonthClosure.objects.filter(month=october, bulletin=bulletin).exists()
    landed = CapitalArrival.objects.count()
    corrections = sum(
        (c.amount_after_usd or Decimal(0)) - (c.amount_before_usd or Decimal(0)) for c in Correction.objects.all()
    )
    closed = CapitalArrival.objects.filter(month__lte=october)
    total_now = sum(closed.values_list("amount_usd", flat=True), Decimal(0))
    # The closed months' figure: what the bulletin froze, plus what was recorded as corrections since.
    assert Decimal(bulletin.figures["city"]["actual_use_usd"]) + corrections == total_now
    if importing.returncode == 0:  # the import committed before the months closed: every row is in the bulletin
        frozen = Decimal(bulletin.figures["city"]["actual_use_usd"])
        assert (landed, frozen) == (closed_rows + 2, closed_rows * Decimal(7_770_000))
    else:  # the months closed first: the import, giving no reason for the closed months, changed nothing
        # (with the rows it had written still uncommitted, issuing could not have waited for it: not expected here)
        assert landed == 0, imported
        assert "关账" in imported[1], imported
