"""Supervisor ingest through the web against ``gongkai batch`` on the same files.

Generates N reports (``benchmarks/batch.py``'s generator), times ``gongkai batch`` on them,
then starts ``gongkai serve --demo`` on a fresh data directory (SQLite), uploads the same
files through ``POST /api/v1/ingest`` in batches, polls the jobs until done, and meanwhile
requests one page again and again to measure its latency during the ingest. Run::

    .venv/bin/python benchmarks/web_ingest.py               # 10 000 reports
    .venv/bin/python benchmarks/web_ingest.py -n 2000 --batch 500
    .venv/bin/python benchmarks/web_ingest.py --page /supervise/   # another page

The page defaults to the round page ``/supervise/rounds/{round}/`` of a round created for the
benchmark; if it answers 404 (not built yet) ``/api/v1/ingest/{id}/reports`` of the first job
is measured instead, and the script says which. Targets: web ≤ 1.2 × batch; page p95 < 200 ms.
Record the figures, with the date and the machine, in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import importlib.util
import json
import os
import platform
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GONGKAI = [sys.executable, "-c", "from gongkai.cli import main; main()"]


def _generate(folder: Path, n: int) -> None:
    spec = importlib.util.spec_from_file_location("_bench_batch", HERE / "batch.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.generate(folder, n)


def _env(jobs: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGKAI_"))}
    env.pop("DATABASE_URL", None)
    env["GONGKAI_INGEST_JOBS"] = str(jobs)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _multipart(files: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for p in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{p.name}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
        )
        parts.append(p.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, path: str, body: bytes | None = None, ctype: str = "") -> Any:
        req = urllib.request.Request(self.base + path, data=body, method="POST" if body else "GET")
        req.add_header("Authorization", f"Bearer {self.token}")
        if ctype:
            req.add_header("Content-Type", ctype)
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.loads(r.read())


def _session(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/") as r:
        page = r.read().decode()
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert m, "no CSRF token on the login page"
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": m.group(1)}
    ).encode()
    req = urllib.request.Request(f"{base}/accounts/login/", data=data)
    req.add_header("Referer", f"{base}/accounts/login/")
    with opener.open(req) as r:
        r.read()
    return opener


def _make_round(data: Path, env: dict[str, str], year: int) -> int:
    code = (
        "import django, datetime as dt; django.setup();"
        "from django.contrib.auth import get_user_model;"
        "from gongkai.web.orgs.models import Organisation;"
        "from gongkai.web.supervise.models import Round;"
        "u = get_user_model().objects.get(username='supervisor');"
        "o = Organisation.objects.get(name='示范区');"
        f"r, _ = Round.objects.get_or_create(supervisor=o, year={year}, "
        "defaults={'submit_by': dt.date(2025, 1, 31), 'created_by': u});"
        "print(r.pk)"
    )
    env = {**env, "GONGKAI_DATA": str(data), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return int(out.stdout.split()[-1])


class Latency(threading.Thread):
    """Requests ``url`` every ``interval`` seconds until stopped; keeps the times in ms."""

    def __init__(self, fetch: Any, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.fetch, self.interval = fetch, interval
        self.times: list[float] = []
        self.errors = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            t = time.perf_counter()
            try:
                self.fetch()
                self.times.append((time.perf_counter() - t) * 1000)
            except OSError:
                self.errors += 1
            self.stop.wait(self.interval)


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 20 else max(xs, default=0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="reports (default 10 000)")
    ap.add_argument("--batch", type=int, default=500, help="files per POST (default 500)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--page", help="the page to time during the ingest (default: the round's)")
    ap.add_argument("--keep", type=Path, help="keep the temporary folder here")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(dir=args.keep)) if args.keep else Path(tempfile.mkdtemp())
    reports = tmp / "reports"
    reports.mkdir()
    t = time.perf_counter()
    _generate(reports, args.n)
    files = sorted(reports.iterdir())
    print(f"{len(files)} reports generated in {time.perf_counter() - t:.1f} s ({tmp})")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    env = _env(args.jobs)

    t = time.perf_counter()
    subprocess.run(
        [
            *GONGKAI,
            "batch",
            str(reports),
            "-o",
            str(tmp / "batch.sqlite"),
            "-q",
            "-j",
            str(args.jobs),
        ],
        env=env,
        check=True,
    )
    batch_s = time.perf_counter() - t
    print(f"gongkai batch: {batch_s:.1f} s ({len(files) / batch_s:.0f} files/s)")

    data, port = tmp / "data", _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            *GONGKAI,
            "serve",
            "--demo",
            "--cases",
            "0",
            "--data",
            str(data),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit(f"serve did not start; see {tmp / 'serve.log'}") from None
                time.sleep(0.2)
        made = subprocess.run(
            [*GONGKAI, "token", "supervisor", "--data", str(data)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        api = Client(base, made.stdout.split()[-1])
        round_id = _make_round(data, env, 2024)
        session = _session(base, "supervisor", "gongkai-demo")
        page = args.page or f"/supervise/rounds/{round_id}/"

        def fetch_page() -> None:
            with session.open(base + page, timeout=60) as r:
                r.read()

        measured = page
        try:
            fetch_page()
        except urllib.error.HTTPError as e:
            if e.code != 404 or args.page:
                raise
            measured = ""  # set once the first job exists
        t = time.perf_counter()
        jobs: list[int] = []
        upload_s = 0.0
        latency: Latency | None = None
        for start in range(0, len(files), args.batch):
            body, ctype = _multipart(files[start : start + args.batch])
            u = time.perf_counter()
            jobs.append(api.call("/api/v1/ingest", body, ctype)["id"])
            upload_s += time.perf_counter() - u
            if latency is None:
                if not measured:
                    measured = f"/api/v1/ingest/{jobs[0]}/reports"
                    fetch_page = partial(api.call, measured)  # type: ignore[assignment]
                latency = Latency(fetch_page)
                latency.start()
        while True:
            states = [api.call(f"/api/v1/ingest/{j}") for j in jobs]
            if all(s["state"] in ("done", "failed") for s in states):
                break
            time.sleep(0.5)
        web_s = time.perf_counter() - t
        assert latency is not None
        latency.stop.set()
        latency.join()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
    db = sqlite3.connect(data / "gongkai.sqlite3")
    (n_rows,) = db.execute("SELECT COUNT(*) FROM supervise_ingestedreport").fetchone()
    (n_cells,) = db.execute("SELECT COUNT(*) FROM supervise_ingestedcell").fetchone()
    (b_cells,) = (
        sqlite3.connect(tmp / "batch.sqlite").execute("SELECT COUNT(*) FROM cells").fetchone()
    )
    failed = sum(s["state"] == "failed" for s in states)
    print(
        f"web: {web_s:.1f} s for {len(files)} files in {len(jobs)} uploads of {args.batch} "
        f"({len(files) / web_s:.0f} files/s; uploads {upload_s:.1f} s) — "
        f"{web_s / batch_s:.2f} × batch (target ≤ 1.2); {failed} jobs failed"
    )
    print(f"rows {n_rows}, cells {n_cells} (batch: {b_cells})")
    ms = latency.times
    if ms:
        print(
            f"page {measured} during the ingest: {len(ms)} requests, median "
            f"{statistics.median(ms):.0f} ms, p95 {_p95(ms):.0f} ms, max {max(ms):.0f} ms "
            f"(target p95 < 200 ms); {latency.errors} errors"
        )


if __name__ == "__main__":
    main()
