"""Drives `zhaoshang serve` (gunicorn, production settings) on PostgreSQL with ×N data under wrk and prints req/s,
p50/p99 latency and each page's ratio to the login page on the same server.

    .venv/bin/python bench/load_bench.py [--database-url postgres://postgres@127.0.0.1:5432/zhaoshang_load]
        [--scale 10] [--workers 2] [--connections 16] [--seconds 10] [--keep]

It installs wrk (the Debian package) when it is missing, waiting for apt's locks; builds the demo and multiplies it
(`--keep`: goes on from the data a previous run left in that database); starts `zhaoshang serve`; logs in as the
city administrator and as a unit's staff; warms each page once (the figures' cache) and runs wrk against it. Then it
starts the server again with the cache off (ZHAOSHANG_CACHE=dummy) and times the dashboard one request at a time:
the uncached p50. Nothing here is a test: it prints figures, and counts the non-2xx answers.
"""

from __future__ import annotations

import argparse
import http.cookies
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _scratch import scratch_database  # noqa: E402  (bench/ is on the path when a script runs)

PERIOD = "2020-01..2020-09"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=900", "-o", "Acquire::Retries=3"]
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("== 安装 wrk（Debian 软件包）", flush=True)
    if subprocess.run([*sudo, *apt, "install", "-y", "-qq", "wrk"], env=env, check=False).returncode != 0:
        subprocess.run([*sudo, *apt, "update", "-qq"], env=env, check=True)
        subprocess.run([*sudo, *apt, "install", "-y", "-qq", "wrk"], env=env, check=True)
    return shutil.which("wrk") or "wrk"


class Server:
    def __init__(self, *, port: int, workers: int, env: dict[str, str]) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile(prefix="zhaoshang-serve-", suffix=".log", delete=False)  # noqa: SIM115
        zhaoshang = str(Path(sys.executable).with_name("zhaoshang"))
        self.proc = subprocess.Popen(
            [zhaoshang, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/login/", timeout=5).read()  # noqa: S310
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit(f"zhaoshang serve stopped: see {self.log.name}") from None
                time.sleep(0.5)
        raise SystemExit(f"zhaoshang serve did not answer in 120 s: see {self.log.name}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def login(base: str, username: str, password: str) -> str:
    """Log in through the form and return the Cookie header (the production cookies are Secure, which a cookie jar
    would not send over the loopback's plain HTTP)."""
    opener = urllib.request.build_opener(NoRedirect)
    page = opener.open(f"{base}/login/", timeout=30)
    jar = http.cookies.SimpleCookie()
    for header in page.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if token is None:
        raise SystemExit("the login page has no CSRF token")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    cookie = "; ".join(f"{k}={v.value}" for k, v in jar.items())
    request = urllib.request.Request(f"{base}/login/", data=body, headers={"Cookie": cookie, "Referer": base})  # noqa: S310
    try:
        opener.open(request, timeout=60)
    except urllib.error.HTTPError as exc:  # the 302 to the desk, which NoRedirect leaves unfollowed
        for header in exc.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    if "sessionid" not in jar:
        raise SystemExit(f"login as {username} failed")
    return "; ".join(f"{k}={v.value}" for k, v in jar.items())


def fetch(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()
        return int(response.status)


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(wrk: str, url: str, cookie: str | None, *, connections: int, seconds: int) -> dict[str, float]:
    cmd = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": float(bad.group(1)) if bad else 0.0, "errors": bool(errors)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/zhaoshang_load")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="go on from the data a previous run left")
    args = parser.parse_args()
    wrk = ensure_wrk()
    scratch_database(args.database_url, keep=args.keep)
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.facts import DEMO_PASSWORD
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.projects.models import CapitalArrival, Project

    if not (args.keep and Project.objects.exists()):
        build_demo()
    if args.scale > 1:
        synthesize(args.scale, actor=system_actor())
    print(f"data: {Project.objects.count()} projects, {CapitalArrival.objects.count()} arrivals", flush=True)
    from django.db import connections

    connections.close_all()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "load-bench-" + os.urandom(16).hex(),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # scratch_database's fresh data directory: the default file cache there is shared by the workers (or Redis,
        # when REDIS_URL is set in the bench's environment).
        "ZHAOSHANG_DATA_DIR": os.environ["ZHAOSHANG_DATA_DIR"],
    }
    env.pop("ZHAOSHANG_CACHE", None)
    server = Server(port=args.port, workers=args.workers, env=env)
    results: list[tuple[str, dict[str, float]]] = []
    try:
        admin = login(server.base, "admin", DEMO_PASSWORD)
        staff = login(server.base, "jiashan", DEMO_PASSWORD)
        targets = [
            ("login page (anonymous)", "/login/", None),
            ("dashboard, city (admin)", "/", admin),
            ("dashboard, a unit's staff", "/", staff),
            ("dashboard 1-9月 (admin)", f"/?period={PERIOD}", admin),
            ("project list (staff)", "/projects/", staff),
            ("/api/stats 1-9月 (admin)", f"/api/stats?period={PERIOD}", admin),
        ]
        for label, path, cookie in targets:
            status = fetch(server.base + path, cookie)  # warm: the figures' cache, the workers' connections
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            for _ in range(args.workers * 2):
                fetch(server.base + path, cookie)
            results.append(
                (label, run_wrk(wrk, server.base + path, cookie, connections=args.connections, seconds=args.seconds))
            )
            print(f"{label}: {results[-1][1]['rps']:.1f} req/s", flush=True)
    finally:
        server.stop()

    # The dashboard with the cache off, one request at a time: what a first visitor after a write waits.
    env_cold = {**env, "ZHAOSHANG_CACHE": "dummy"}
    env_cold.pop("REDIS_URL", None)
    server = Server(port=args.port + 1, workers=args.workers, env=env_cold)
    try:
        admin = login(server.base, "admin", DEMO_PASSWORD)
        fetch(f"{server.base}/", admin)
        cold = run_wrk(wrk, f"{server.base}/", admin, connections=1, seconds=args.seconds)
    finally:
        server.stop()

    login_rps = results[0][1]["rps"]
    print(
        f"\nzhaoshang serve ({args.workers} gunicorn workers, production settings) on PostgreSQL ×{args.scale}; "
        f"wrk {args.connections} connections × {args.seconds} s, loopback"
    )
    print(f"{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'÷ login':>9}{'non-2xx':>9}")
    for label, r in results:
        ratio = r["rps"] / login_rps if login_rps else 0.0
        print(f"{label:<28}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}{ratio:>9.2f}{int(r['non2xx']):>9}")
    print(f"{'dashboard, cache off, 1 conn':<28}{cold['rps']:>9.1f}{cold['p50']:>9.1f}{cold['p99']:>9.1f}")
    print("targets: dashboards and /api/stats ≥ 0.30 × login (cache warm), 0 non-2xx; uncached dashboard p50 ≤ 150 ms")


if __name__ == "__main__":
    main()
