"""Prints how long the upload page takes to answer for a large arrivals file, and how long the job then takes.

    .venv/bin/python bench/job_bench.py [--rows 100000]

A fresh SQLite database in a temporary directory gets 2,000 signed projects and an .xlsx of arrival rows (the same
file as bench/import_bench.py). The upload goes through the real view (Django's test client, in this process) with
the embedded database queue; a real `zhaoshang worker` process runs the job in its child process with the limits,
while this script polls the progress panel the page polls, printing rows checked and written. Then the command
imports the same file again (`zhaoshang import arrivals FILE`, its own child process): every row already there,
nothing written. Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from import_bench import ROOT, build_registry, setup_django, write_file  # noqa: E402


def counters(panel: str) -> str:
    found = dict(re.findall(r'data-count="(\w+)">([^<]*)<', panel))
    status = re.search(r'data-status="(\w+)"', panel)
    total, checked, written = found.get("total"), found.get("checked"), found.get("written")
    return f"{status.group(1) if status else '?'}: 共 {total} 行，已检查 {checked}，已写入 {written}"


def job_memory() -> str:
    """Address space (what the job's RLIMIT_AS limits) and resident memory of the job's child process, at peak."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"zhaoshang.jobs.child" not in (proc / "cmdline").read_bytes():
                continue
            status = dict(line.split(":", 1) for line in (proc / "status").read_text().splitlines() if ":" in line)
        except OSError:
            continue
        return f"job process: VmPeak {status['VmPeak'].strip()}, VmHWM {status['VmHWM'].strip()}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between two looks at the progress panel")
    parser.add_argument(
        "--upload-only", action="store_true", help="time the page's answer only; stop before the job's writes"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ZHAOSHANG_TASKS"] = "db"
        os.environ["ZHAOSHANG_JOBS_IN_CHILD"] = "1"
        os.environ["DJANGO_DEBUG"] = "0"
        os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"  # the test client's host name
        setup_django(tmp)
        build_registry()
        path = Path(tmp) / "arrivals.xlsx"
        write_file(path, args.rows)
        print(f"文件：{args.rows:,} 行到资，{path.stat().st_size / 1e6:.1f} MB（.xlsx）")

        from django.test import Client
        from django.urls import reverse

        from zhaoshang.accounts.models import Role
        from zhaoshang.accounts.services import user_create
        from zhaoshang.jobs.models import Job

        user = user_create(username="bench", password="bench-pass-2020", full_name="基准", role=Role.CITY_ADMIN)
        client = Client()
        client.force_login(user)
        worker = subprocess.Popen(
            [sys.executable, "-m", "zhaoshang.cli", "worker", "--no-schedule", "--interval", "0.5"],
            cwd=ROOT,
            env=dict(os.environ),
        )
        try:
            time.sleep(3)  # let the worker start before the clock does
            client.get(reverse("imports:upload"))  # a running site has its code and templates loaded already
            with path.open("rb") as f:
                start = time.perf_counter()
                response = client.post(reverse("imports:upload"), {"kind": "arrivals", "file": f})
                answered = time.perf_counter() - start
            job = Job.objects.get()
            print(f"上传页面应答：{answered:.2f} s（HTTP {response.status_code} → {response.get('Location')}）")
            progress_url = reverse("imports:job_progress", args=[job.pk])
            if args.upload_only:  # follow the job until every row is checked and writing has begun, then stop
                for _ in range(120):
                    time.sleep(args.poll)
                    panel = client.get(progress_url).content.decode()
                    print(f"  {time.perf_counter() - start:7.1f} s  {counters(panel)}  {job_memory()}", flush=True)
                    found = dict(re.findall(r'data-count="(\w+)">([^<]*)<', panel))
                    if found.get("written", "0") not in ("0", ""):
                        break
                return
            while True:
                time.sleep(args.poll)
                panel = client.get(progress_url).content.decode()
                print(f"  {time.perf_counter() - start:7.1f} s  {counters(panel)}", flush=True)
                if 'data-status="succeeded"' in panel or 'data-status="failed"' in panel:
                    break
            total = time.perf_counter() - start
            job.refresh_from_db()
            print(
                f"上传到完成共 {total:.1f} s（{args.rows / total:,.0f} 行/秒）；页面显示：{job.result.get('summary')}"
            )
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:  # still inside a job: end it (the job's child ends with it)
                worker.kill()
                worker.wait()
        start = time.perf_counter()
        again = subprocess.run(
            [sys.executable, "-m", "zhaoshang.cli", "import", "arrivals", str(path)],
            cwd=ROOT,
            env=dict(os.environ),
            capture_output=True,
            text=True,
        )
        print(
            f"命令再次导入同一文件：{time.perf_counter() - start:.1f} s，退出码 {again.returncode}；"
            f"输出：{again.stdout.splitlines()[0] if again.stdout else again.stderr.strip()[:300]}"
        )


if __name__ == "__main__":
    main()
