"""Prints what N concurrent writers, importers and a bulletin issuer did to one PostgreSQL database in a bounded
time, and checks the invariants afterwards.

    .venv/bin/python bench/concurrency_bench.py [--writers 3] [--importers 2] [--seconds 20]
        [--server postgres://postgres@127.0.0.1:5432] [--database zs_concurrency_bench] [--keep]

It creates the database afresh (dropped at the end unless --keep), migrates it and registers a small city with
--projects signed projects. Then, each in its own process (spawned: its own interpreter and connection):

  writers    record an arrival for a random project, 2020 month and type, or add to the one already there, always
             giving a reason, so a closed month takes it as a correction (arrival_record / arrival_update);
  importers  import a generated .csv of 10 arrival rows (random keys, no reason: a closed month refuses the file);
  issuer     issues the bulletin of 2020-01, then 2020-02, … every --issue-every seconds, closing 1月 to that month.

Invariants checked when all have stopped: no (project, month, type) twice; and for every issued bulletin, the
arrivals of 1月 to its month now total the bulletin's frozen figure plus the corrections recorded after it was
issued. Any violation is printed and the exit status is 1. Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = {"paid_in": "新设企业实缴资本", "capital_increase": "增资"}
MONTHS = [f"2020-{m:02d}" for m in range(1, 12)]


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django

    django.setup()


def build(projects: int) -> None:
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command

    from zhaoshang.common.models import SiteConfig
    from zhaoshang.projects.models import Project
    from zhaoshang.units.services import region_upsert, unit_create

    call_command("migrate", verbosity=0)
    config = SiteConfig.get()
    config.as_of_date = date(2020, 12, 31)
    config.save()
    prov = region_upsert(code="330000", name="浙江省", level="province", parent=None)
    city = region_upsert(code="330400", name="嘉兴市", level="city", parent=prov)
    county = region_upsert(code="330421", name="嘉善县", level="county", parent=city)
    unit = unit_create(code="330421", name="嘉善县", short_name="嘉善县", kind="county", city=city, region=county)
    Project.objects.bulk_create(
        Project(
            code=f"XM2019-{i:04d}",
            name=f"项目{i}",
            unit=unit,
            kind="new",
            rate_to_usd=1,
            total_investment=Decimal(10**8),
            total_investment_usd=Decimal(10**8),
            contract_foreign=Decimal(10**7),
            contract_foreign_usd=Decimal(10**7),
            stage="signed",
            stage_on=date(2019, 12, 1),
            signed_on=date(2019, 12, 1),
        )
        for i in range(1, projects + 1)
    )


def _outcome(exc: BaseException) -> str:
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, OperationalError

    from zhaoshang.imports.errors import ImportRefused

    if isinstance(exc, (ValidationError, ImportRefused)):
        return "refused"
    if isinstance(exc, IntegrityError):
        return "integrity_error"
    if isinstance(exc, OperationalError):
        return "database_error"
    return f"crash:{type(exc).__name__}"


def writer(url: str, seed: int, until: float, out: mp.Queue) -> None:
    setup_django(url)
    from datetime import date
    from decimal import Decimal

    from zhaoshang.projects import services as ps
    from zhaoshang.projects.models import CapitalArrival, Project

    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, not a secret
    codes = list(Project.objects.values_list("code", flat=True))
    counts: Counter[str] = Counter()
    while time.monotonic() < until:
        counts["attempted"] += 1
        project = Project.objects.get(code=rng.choice(codes))
        month = date.fromisoformat(rng.choice(MONTHS) + "-01")
        kind = rng.choice(list(KINDS))
        amount = Decimal(rng.randrange(1, 100) * 10_000)
        try:
            existing = CapitalArrival.objects.filter(project=project, month=month, kind=kind).first()
            if existing is None:
                ps.arrival_record(
                    project=project, month=month, amount=amount, kind=kind, actor=None, reason="并发测试补录"
                )
            else:
                ps.arrival_update(arrival=existing, amount=existing.amount + amount, reason="并发测试追加", actor=None)
            counts["committed"] += 1
        except Exception as exc:
            counts[_outcome(exc)] += 1
    out.put(("writer", dict(counts)))


def importer(url: str, seed: int, until: float, out: mp.Queue) -> None:
    setup_django(url)
    from zhaoshang.imports.kinds import load_file
    from zhaoshang.projects.models import Project

    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, not a secret
    codes = list(Project.objects.values_list("code", flat=True))
    counts: Counter[str] = Counter()
    while time.monotonic() < until:
        counts["attempted"] += 1
        keys = {(rng.choice(codes), rng.choice(MONTHS), rng.choice(list(KINDS))) for _ in range(10)}
        lines = ["项目编号,到资月份,到资金额（万美元）,到资类型"]
        lines += [f"{c},{m},{rng.randrange(1, 50)},{KINDS[k]}" for c, m, k in sorted(keys)]
        try:
            load_file("arrivals", "\n".join(lines).encode())
            counts["committed"] += 1
        except Exception as exc:
            counts[_outcome(exc)] += 1
    out.put(("importer", dict(counts)))


def issuer(url: str, every: float, until: float, out: mp.Queue) -> None:
    setup_django(url)
    from datetime import date

    from zhaoshang.bulletins.services import bulletin_issue

    counts: Counter[str] = Counter()
    month = 1
    while time.monotonic() < until and month <= 11:
        time.sleep(every)
        counts["attempted"] += 1
        try:
            bulletin_issue(month=date(2020, month, 1), actor=None)
            counts["committed"] += 1
            month += 1
        except Exception as exc:
            counts[_outcome(exc)] += 1
    out.put(("issuer", dict(counts)))


def check_invariants() -> list[str]:
    from decimal import Decimal

    from django.db.models import Count, Sum

    from zhaoshang.bulletins.models import Bulletin, Correction
    from zhaoshang.projects.models import CapitalArrival

    violations = []
    duplicates = (
        CapitalArrival.objects.values("project_id", "month", "kind").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    if duplicates:
        violations.append(f"{duplicates} (project, month, type) keys recorded more than once")
    for bulletin in Bulletin.objects.order_by("month"):
        months = {"month__year": bulletin.month.year, "month__lte": bulletin.month}
        now = CapitalArrival.objects.filter(**months).aggregate(s=Sum("amount_usd"))["s"] or Decimal(0)
        later = Correction.objects.filter(**months, recorded_at__gt=bulletin.issued_at)
        delta = sum(((c.amount_after_usd or 0) - (c.amount_before_usd or 0) for c in later), Decimal(0))
        frozen = Decimal(bulletin.figures["city"]["actual_use_usd"])
        if frozen + delta != now:
            violations.append(f"{bulletin.month:%Y-%m}: bulletin {frozen} + corrections {delta} != arrivals now {now}")
    return violations


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--importers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--issue-every", type=float, default=2.5, help="seconds between two bulletins")
    parser.add_argument("--projects", type=int, default=30)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="zs_concurrency_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url = f"{args.server}/{args.database}"
    _admin(args.server, f'DROP DATABASE IF EXISTS "{args.database}"')
    _admin(args.server, f'CREATE DATABASE "{args.database}"')
    try:
        setup_django(url)
        build(args.projects)
        from django.db import connections

        connections.close_all()
        ctx = mp.get_context("spawn")
        out: mp.Queue = ctx.Queue()
        start = time.monotonic() + 8  # every child has set Django up before the clock starts
        until = start + args.seconds
        procs = [ctx.Process(target=writer, args=(url, i, until, out)) for i in range(args.writers)]
        procs += [ctx.Process(target=importer, args=(url, 100 + i, until, out)) for i in range(args.importers)]
        procs.append(ctx.Process(target=issuer, args=(url, args.issue_every, until, out)))
        for p in procs:
            p.start()
        results = [out.get(timeout=args.seconds + 600) for _ in procs]
        for p in procs:
            p.join()
        totals: dict[str, Counter[str]] = {}
        for role, counts in results:
            totals.setdefault(role, Counter()).update(counts)
        print(
            f"{args.writers} writers, {args.importers} importers, 1 issuer, {args.seconds:g} s, "
            f"{args.projects} projects, PostgreSQL"
        )
        print(f"{'role':<10}{'attempted':>10}{'committed':>10}{'refused':>9}  other")
        for role in ("writer", "importer", "issuer"):
            c = totals.get(role, Counter())
            other = {k: v for k, v in c.items() if k not in ("attempted", "committed", "refused")}
            print(f"{role:<10}{c['attempted']:>10}{c['committed']:>10}{c['refused']:>9}  {other or ''}")
        from zhaoshang.bulletins.models import Bulletin, Correction
        from zhaoshang.projects.models import CapitalArrival

        print(
            f"arrivals {CapitalArrival.objects.count()}, bulletins issued {Bulletin.objects.count()}, "
            f"corrections {Correction.objects.count()}"
        )
        violations = check_invariants()
        other_outcomes = sum(
            v for c in totals.values() for k, v in c.items() if k not in ("attempted", "committed", "refused")
        )
        print(
            "invariants checked: no duplicate (project, month, type); "
            "each bulletin's 1月-to-month total = its frozen figure + corrections recorded since"
        )
        print(f"violations: {len(violations)}; errors other than a refusal: {other_outcomes}")
        for v in violations:
            print(f"  {v}")
        connections.close_all()
    finally:
        if not args.keep:
            _admin(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    sys.exit(1 if violations or other_outcomes else 0)


if __name__ == "__main__":
    main()
