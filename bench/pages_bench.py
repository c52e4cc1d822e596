"""Prints each main page's server time (median and p95) and SQL query count, on the demo and at scale N.

    .venv/bin/python bench/pages_bench.py [--scale 10] [--runs 20] [--database-url postgres://…/zhaoshang_pages_bench]

It builds the demo into a fresh SQLite file in a temporary directory (or an emptied PostgreSQL database), logs in
with Django's test client as a unit's staff, and requests each page `--runs` times after one warm-up. Then it
multiplies the registry (`synth`) and does it again. The query count of a page must not grow with the data.
Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _scratch import p95, scratch_database  # noqa: E402  (bench/ is on the path when a script runs)

USER = "jiashan"


def pages() -> list[tuple[str, str]]:
    from django.apps import apps
    from django.db.models import Count

    from zhaoshang.projects.models import Project

    # The demo's busiest project (most arrivals) has the longest detail page; copies keep the original's code.
    originals = Project.objects.exclude(code__contains="-S").annotate(n=Count("arrivals"))
    busiest = originals.order_by("-n", "code").values_list("code", flat=True)[0]
    out = [
        ("工作台 /", "/"),
        ("工作台 1-9月", "/?period=2020-01..2020-09"),
        ("项目库 /projects/", "/projects/"),
        ("项目库 筛选+搜索", "/projects/?stage=arriving&big=1&q=有限&page=2"),
        ("项目库 失联风险", "/projects/?risk=1"),
        ("项目详情", f"/projects/{busiest}/"),
        ("目标任务 /targets/", "/targets/"),
        ("导出 Excel（失联风险）", "/projects/export.xlsx?risk=1"),
    ]
    if apps.is_installed("zhaoshang.race"):
        out.append(("百日竞赛 /race/", "/race/"))
    if apps.is_installed("zhaoshang.aftercare"):
        from zhaoshang.aftercare.models import RosterEntry

        # The bench's login is a unit's staff: the roster's busiest enterprise (most visits) of that unit.
        busiest_entry = (
            RosterEntry.objects.exclude(enterprise__name__contains="-S")
            .filter(enterprise__unit__members__username=USER)
            .annotate(n=Count("visits"))
            .order_by("-n", "pk")
            .first()
        )
        out.append(("存量企业 /enterprises/", "/enterprises/"))
        out.append(("存量企业 按信号筛选", "/enterprises/?signal=expansion"))
        if busiest_entry is not None:
            key = busiest_entry.enterprise.credit_code or busiest_entry.pk
            out.append(("企业详情", f"/enterprises/{key}/"))
    out += [
        ("全市工作台 ?scope=city", "/?scope=city"),
        ("项目库 按累计到资排序", "/projects/?sort=-arrived"),
        ("我的待办 /tasks/", "/tasks/"),
        ("提醒设置", "/tasks/reminders/"),
        ("选择器 投资者", "/pick/investors/?q=有限"),
        ("产业链 /chains/", "/chains/"),
    ]
    return out


def admin_pages() -> list[tuple[str, str]]:
    """Pages of the city bureau, measured as its administrator (the race's actions, the audit, the tasks)."""
    from django.apps import apps

    out = [
        ("市局 我的待办", "/tasks/"),
        ("审计 /audit/", "/audit/"),
        ("审计 项目 第2页", "/audit/?model=projects.project&page=2"),
    ]
    if apps.is_installed("zhaoshang.race"):
        out.append(("市局 百日竞赛（含待确认）", "/race/"))
    return out


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url  # warm-up
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), p95(times), queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--user", default="jiashan", help="the demo login to use (a unit's staff by default)")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    global USER
    USER = args.user
    engine = scratch_database(args.database_url, prefix="zhaoshang-pages-bench-")
    from django.conf import settings
    from django.test import Client

    from zhaoshang.accounts.models import User
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.projects.models import CapitalArrival, Project

    settings.ALLOWED_HOSTS = ["testserver"]
    start = time.perf_counter()
    build_demo()
    print(f"[{engine}] demo built in {time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))

    results: dict[str, dict[str, tuple[float, float, int, int]]] = {}
    sizes = []
    for label, scale in (("demo", 1), (f"×{args.scale}", args.scale)):
        if scale > 1:
            start = time.perf_counter()
            synthesize(scale, actor=system_actor())
            from django.apps import apps

            if apps.is_installed("zhaoshang.aftercare"):
                from zhaoshang.demo.synth import synthesize_roster

                synthesize_roster(scale, actor=system_actor())
            print(f"[{engine}] synthesized ×{scale} in {time.perf_counter() - start:.1f} s")
        sizes.append((label, Project.objects.count(), CapitalArrival.objects.count()))
        results[label] = {name: measure(client, url, args.runs) for name, url in pages()}
        results[label].update({name: measure(admin, url, args.runs) for name, url in admin_pages()})

    print()
    for label, projects, arrivals in sizes:
        print(f"{label}: {projects} projects, {arrivals} arrivals")
    print(f"\nserver time per page on {engine}, {args.runs} requests each, logged in as {args.user}")
    labels = list(results)
    head = f"{'page':<24}" + "".join(f"{lab + ' median':>16}{'p95':>11}{'queries':>9}" for lab in labels)
    print(head)
    grew = []
    for name, _url in [*pages(), *admin_pages()]:
        row = f"{name:<24}"
        for lab in labels:
            median, p95, queries, _size = results[lab][name]
            row += f"{median * 1000:>13.1f} ms{p95 * 1000:>8.1f} ms{queries:>9}"
        print(row)
        counts = {results[lab][name][2] for lab in labels}
        if len(counts) > 1:
            grew.append(name)
    print("\nquery counts: " + ("the same at every size" if not grew else "GREW on " + ", ".join(grew)))


if __name__ == "__main__":
    main()
