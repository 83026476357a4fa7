"""The web application at scale: 100 000 demo cases, a real server, timed over loopback.

Makes a fresh data directory, runs ``gongkai serve --demo --cases N`` there (the demo load is
timed from the command's start to its "loaded" line; target < 60 s), waits for gunicorn
(DEBUG off, as in production), logs in as ``officer_a`` (session cookie) and ``supervisor``,
issues an API token with ``gongkai token``, and times each page and API call ``--requests``
times, one request at a time over a fresh connection (gunicorn's sync workers close every
connection): p50, p95 and max in ms, against the issue's target of p95 < 100 ms. The writes
come last, on cases the benchmark registers itself. Finally the RSS of each gunicorn worker.

Run: ``.venv/bin/python benchmarks/web.py [--cases 100000] [--requests 200] [--keep DIR]``;
record the figures in docs/benchmarks.md with the machine and date. Only the standard library
is used on the client side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

HOST = "127.0.0.1"
TARGET_MS = 100.0
GONGKAI = Path(sys.executable).with_name("gongkai")


class Client:
    """One user's session over HTTP: cookies kept, a new connection per request."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = token

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, float]:
        h = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        data: bytes | None = None
        if isinstance(body, dict) and h.get("Content-Type") == "application/json":
            data = json.dumps(body).encode()
        elif isinstance(body, dict):
            data = urlencode(body).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        start = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        elapsed = (time.perf_counter() - start) * 1000
        conn.close()
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return resp.status, payload, elapsed

    def get(self, path: str) -> tuple[int, bytes, float]:
        return self.request("GET", path)

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.get("/accounts/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not m:
            sys.exit(f"login page: HTTP {status}")
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": m.group(1).decode(),
                "username": username,
                "password": password,
            },
            {"Referer": f"http://{HOST}:{self.port}/accounts/login/"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"login as {username}: HTTP {status}")


def pad(text: str, width: int) -> str:
    """Left-justify counting a CJK character as two columns."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return text + " " * max(0, width - len(text) - wide)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


Row = tuple[str, int, float, float, float, str]


def measure(
    name: str, n: int, call: Callable[[int], tuple[int, bytes, float]], expect: int = 200
) -> Row:
    times = []
    size = 0
    for i in range(n + 1):  # the first is not counted: it fills caches (templates, pages)
        status, body, ms = call(i)
        if status != expect:
            sys.exit(f"{name}: HTTP {status} (expected {expect}): {body[:300]!r}")
        if i:
            times.append(ms)
        size = len(body)
    return (
        name,
        n,
        statistics.median(times),
        percentile(times, 0.95),
        max(times),
        f"{size / 1024:.0f} KiB",
    )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(c) for c in text]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="requests per measurement")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="use (and keep) this data directory")
    ap.add_argument("--only", help="regular expression: run only the matching measurements")
    args = ap.parse_args()

    data = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    port = free_port()
    env = {**os.environ, "GONGKAI_DATA": str(data)}
    env.pop("GONGKAI_DEBUG", None)
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; data {data}"
    )

    start = time.perf_counter()
    server = subprocess.Popen(
        [
            str(GONGKAI),
            "serve",
            "--demo",
            "--cases",
            str(args.cases),
            "--data",
            str(data),
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    loaded = None
    log: list[str] = []
    for line in server.stdout:
        log.append(line)
        if "已载入演示申请" in line:
            loaded = time.perf_counter() - start
            print(line.strip(), f"— serve start to loaded: {loaded:.1f} s")
        if line.startswith("网址"):
            break
    else:
        sys.exit("serve stopped:\n" + "".join(log))
    # Keep draining the access log so that gunicorn never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        run(args, data, port, server.pid, env, loaded)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if args.keep is None:
            shutil.rmtree(data, ignore_errors=True)


def run(
    args: argparse.Namespace,
    data: Path,
    port: int,
    master: int,
    env: dict[str, str],
    loaded: float | None,
) -> None:
    for _ in range(300):
        try:
            if Client(port).get("/healthz")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    else:
        sys.exit("gunicorn did not answer")
    print(f"gunicorn up {time.perf_counter():.0f}; workers {children(master)}")

    token = (
        subprocess.run(
            [str(GONGKAI), "token", "officer_a", "--name", "benchmark", "--data", str(data)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    officer = Client(port)
    officer.login("officer_a", "gongkai-demo")
    supervisor = Client(port)
    supervisor.login("supervisor", "gongkai-demo")
    api = Client(port, token=token)

    first = json.loads(api.get("/api/v1/cases?page=1")[1])
    count = first["count"]
    deep = max(1, (count + 49) // 50 - 1)  # the last full page: the deepest OFFSET
    sup_count = json.loads(supervisor.get("/api/v1/cases?page=1")[1])["count"]
    sup_deep = max(1, (sup_count + 49) // 50 - 1)
    ids = [c["id"] for c in first["items"]]
    year = dt.date.today().year
    print(f"officer_a sees {count} cases (deep page {deep}); supervisor {sup_count}")

    n = args.requests
    page = officer.get
    word = quote("征收")  # in one of agency A's six topics
    rare = quote("纪要")
    plan: list[tuple[str, Callable[[int], tuple[int, bytes, float]]]] = [
        ("/cases/ (first page)", lambda i: page("/cases/")),
        (f"/cases/?page={deep} (deep)", lambda i: page(f"/cases/?page={deep}")),
        ("/cases/?overdue=1", lambda i: page("/cases/?overdue=1")),
        ("/cases/?due_within=5", lambda i: page("/cases/?due_within=5")),
        ("/cases/?state=processing", lambda i: page("/cases/?state=processing")),
        ("/cases/?channel=传真", lambda i: page("/cases/?channel=" + quote("传真"))),
        ("/cases/?applicant=research", lambda i: page("/cases/?applicant=research")),
        ("/cases/?outcome=not_held", lambda i: page("/cases/?outcome=not_held")),
        (f"/cases/?year={year}", lambda i: page(f"/cases/?year={year}")),
        ("/cases/?q=征收", lambda i: page("/cases/?q=" + word)),
        ("/cases/?q=纪要&page=2", lambda i: page("/cases/?page=2&q=" + rare)),
        ("/cases/?mine=1", lambda i: page("/cases/?mine=1")),
        ("/cases/<id>/", lambda i: page(f"/cases/{ids[i % len(ids)]}/")),
        ("supervisor /cases/", lambda i: supervisor.get("/cases/")),
        (
            f"supervisor /cases/?page={sup_deep}",
            lambda i: supervisor.get(f"/cases/?page={sup_deep}"),
        ),
        ("supervisor /cases/?overdue=1", lambda i: supervisor.get("/cases/?overdue=1")),
        (
            "supervisor /cases/?outcome=disclosed",
            lambda i: supervisor.get("/cases/?outcome=disclosed"),
        ),
        (
            "supervisor /cases/?channel=网络&page=20",
            lambda i: supervisor.get("/cases/?page=20&channel=" + quote("网络")),
        ),
        ("supervisor /cases/?q=纪要", lambda i: supervisor.get("/cases/?q=" + rare)),
        ("API GET /cases?page=1", lambda i: api.get("/api/v1/cases?page=1")),
        (f"API GET /cases?page={deep}", lambda i: api.get(f"/api/v1/cases?page={deep}")),
        ("API GET /cases?overdue=true", lambda i: api.get("/api/v1/cases?overdue=true")),
        ("API GET /cases?q=征收", lambda i: api.get("/api/v1/cases?q=" + word)),
        ("API GET /cases/{id}", lambda i: api.get(f"/api/v1/cases/{ids[i % len(ids)]}")),
    ]
    if args.only:
        plan = [(name, call) for name, call in plan if re.search(args.only, name)]
    rows = [measure(name, n, call) for name, call in plan]

    if not args.only or re.search(args.only, "POST"):
        rows += writes(api, n)
    workers = children(master)
    rss = [rss_kib(w) for w in workers]

    print()
    print(f"{pad('request', 44)} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  size")
    for name, k, p50, p95, top, size in rows:
        flag = "" if p95 < TARGET_MS else "  ← over target"
        print(f"{pad(name, 44)} {k:>4} {p50:8.1f} {p95:8.1f} {top:8.1f}  {size}{flag}")
    print()
    if loaded is not None:
        print(f"demo load of {args.cases} cases (serve start → loaded): {loaded:.1f} s")
    print("gunicorn worker RSS: " + ", ".join(f"{r / 1024:.0f} MiB" for r in rss))
    print(f"load average now {os.getloadavg()[0]:.1f}")


def writes(api: Client, n: int) -> list[Row]:
    """Register ``n + 1`` cases through the API (timed), then answer each (timed)."""
    today = dt.date.today().isoformat()
    json_h = {"Content-Type": "application/json"}
    made: list[int] = []

    def create(i: int) -> tuple[int, bytes, float]:
        status, body, ms = api.request(
            "POST",
            "/api/v1/cases",
            {
                "channel": "网络",
                "applicant": "natural",
                "received": today,
                "description": f"基准测试申请 {i}",
                "applicant_name": "测试",
            },
            json_h,
        )
        if status == 201:
            made.append(json.loads(body)["id"])
        return status, body, ms

    def answer(i: int) -> tuple[int, bytes, float]:
        return api.request(
            "POST",
            f"/api/v1/cases/{made[i]}/events",
            {"kind": "answered", "on": today, "version": 1, "outcome": "disclosed"},
            json_h,
        )

    r1 = measure("API POST /cases", n, create, expect=201)
    r2 = measure("API POST /cases/{id}/events", n, answer, expect=201)
    return [r1, r2]


if __name__ == "__main__":
    main()
