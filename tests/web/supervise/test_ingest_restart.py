"""Restart safety of the ingest: one task per job (the claim), a dead worker's job picked up
again at worker start, and — end to end — a `gongkai serve` killed mid-ingest and started
again, after which every file is one row and the data equal a fresh `gongkai batch`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from gongkai.web import demo
from gongkai.web.supervise import ingest
from gongkai.web.supervise.ingest import Upload, claim, create_job, run_job
from gongkai.web.supervise.models import FileStatus, IngestedCell, IngestedReport, IngestJob

from ..test_serve import GONGKAI, _env, _free_port, _wait

ROOT = Path(__file__).resolve().parents[3]
SEEDS = sorted((ROOT / "tests" / "corpus").glob("0*.txt"))


def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


@pytest.fixture
def job(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> IngestJob:
    files = [Upload(p.name, [p.read_bytes()]) for p in SEEDS[:2]]
    return create_job(files, supervisor=orgs.district, user=user("supervisor"))


def test_a_job_held_by_a_live_task_is_not_read_twice(job: IngestJob) -> None:
    token = claim(job.pk)
    assert token is not None
    assert claim(job.pk) is None  # the second task gets nothing
    run_job(job.pk)  # … and so reads nothing
    assert not IngestedCell.objects.exists()
    assert IngestJob.objects.get(pk=job.pk).done == 0


def test_a_dead_workers_claim_is_taken_over(job: IngestJob) -> None:
    import socket

    dead = f"{socket.gethostname()[:60]}:{_dead_pid()}:x"
    IngestJob.objects.filter(pk=job.pk).update(
        state="running", claim=dead, heartbeat=timezone.now()
    )
    assert ingest.unfinished_jobs() == [job.pk]
    assert run_job(job.pk).state == "done"
    # Another machine's claim is trusted until its heartbeat is stale.
    IngestJob.objects.filter(pk=job.pk).update(
        state="running", claim="elsewhere:1:x", heartbeat=timezone.now()
    )
    assert ingest.unfinished_jobs() == []
    old = timezone.now() - ingest.STALE - dt.timedelta(seconds=1)
    IngestJob.objects.filter(pk=job.pk).update(heartbeat=old)
    assert ingest.unfinished_jobs() == [job.pk]


def test_a_task_that_lost_its_claim_writes_nothing(job: IngestJob) -> None:
    from gongkai.web.datadir import data_dir
    from gongkai.web.supervise.writer import DbWriter, LostClaim

    token = claim(job.pk)
    assert token is not None
    IngestJob.objects.filter(pk=job.pk).update(claim="someone-else")
    writer = DbWriter(job, data_dir(), claim=token, cross=False)
    with pytest.raises(LostClaim):
        from gongkai.batch import ingest as batch_ingest

        batch_ingest(writer.files(), writer, resume=True, copy=None, cross_years=False)
    assert not IngestedCell.objects.exists()
    assert not IngestedReport.objects.filter(job=job).exclude(status=FileStatus.QUEUED).exists()


def test_worker_start_requeues_a_dead_workers_job(job: IngestJob) -> None:
    from django_tasks_db.models import DBTaskResult

    from gongkai.web.supervise.tasks import ingest_job, recover

    stuck = DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path=f"{ingest_job.func.__module__}.{ingest_job.func.__qualname__}",
        backend_name="default",
        run_after=timezone.now(),
    )
    IngestJob.objects.filter(pk=job.pk).update(state="running", claim="", heartbeat=None)
    assert recover() == [job.pk]  # (the test backend runs the task at once)
    stuck.refresh_from_db()
    assert stuck.status == "FAILED"
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 2, 2)
    assert recover() == []


# --- end to end: serve killed mid-ingest ------------------------------------------------


def _generate(folder: Path, n: int) -> None:
    spec = importlib.util.spec_from_file_location("_bench_batch", ROOT / "benchmarks" / "batch.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.generate(folder, n)


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


def _api(base: str, token: str, path: str, body: bytes | None = None, ctype: str = "") -> Any:
    req = urllib.request.Request(f"{base}{path}", data=body, method="POST" if body else "GET")
    req.add_header("Authorization", f"Bearer {token}")
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise AssertionError(f"{path}: {e.code} {e.read().decode()[:500]}") from None


def _serve(data: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
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
            "1",
        ],
        env={**_env(), "GONGKAI_INGEST_JOBS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: killed as a whole, like a crash
    )


@pytest.mark.slow
def test_serve_killed_mid_ingest_then_restarted(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    _generate(reports, 900)
    files = sorted(reports.iterdir())
    data, port = tmp_path / "data", _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _serve(data, port)
    try:
        _wait(f"{base}/healthz", proc)
        made = subprocess.run(
            [*GONGKAI, "token", "supervisor", "--data", str(data)],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        token = made.stdout.split()[-1]
        jobs = []
        for start in range(0, len(files), 300):
            body, ctype = _multipart(files[start : start + 300])
            jobs.append(_api(base, token, "/api/v1/ingest", body, ctype)["id"])
        # Kill everything (server, worker, its pool) once the first job is under way.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if _api(base, token, f"/api/v1/ingest/{jobs[0]}")["done"] > 0:
                break
            time.sleep(0.05)
        first = _api(base, token, f"/api/v1/ingest/{jobs[0]}")
        assert first["state"] == "running" and 0 < first["done"] < first["total"], first
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    time.sleep(0.5)
    proc = _serve(data, port)
    try:
        _wait(f"{base}/healthz", proc)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            states = [_api(base, token, f"/api/v1/ingest/{j}") for j in jobs]
            if all(s["state"] == "done" for s in states):
                break
            assert not any(s["state"] == "failed" for s in states), states
            time.sleep(0.5)
        assert all(s["done"] == s["total"] == 300 for s in states), states
    finally:
        proc.terminate()
        proc.wait(30)
    # The same files through `gongkai batch`.
    out = tmp_path / "batch.sqlite"
    subprocess.run(
        [*GONGKAI, "batch", str(reports), "-o", str(out), "-q", "-j", "2"],
        env=_env(),
        check=True,
        timeout=300,
    )
    web = sqlite3.connect(data / "gongkai.sqlite3")
    batch = sqlite3.connect(out)
    # Only this test's uploads (`serve --demo` has the demo supervisor's own reports too).
    web.execute(
        "CREATE TEMP VIEW r AS SELECT * FROM supervise_ingestedreport WHERE job_id IN "
        f"({', '.join(str(int(j)) for j in jobs)})"
    )
    web.execute(
        "CREATE TEMP VIEW c AS SELECT * FROM supervise_ingestedcell "
        "WHERE report_id IN (SELECT id FROM r)"
    )
    web.execute(
        "CREATE TEMP VIEW f AS SELECT * FROM supervise_ingestedfinding "
        "WHERE report_id IN (SELECT id FROM r)"
    )
    rows = web.execute("SELECT file, COUNT(*) FROM r GROUP BY file")
    assert sorted(rows) == sorted((p.name, 1) for p in files)  # every file exactly once
    one = "SELECT COUNT(*) FROM {}"
    assert web.execute(one.format("c")).fetchone() == batch.execute(one.format("cells")).fetchone()
    dup = web.execute(
        "SELECT COUNT(*) FROM (SELECT report_id, rule, message, place, stage, COUNT(*) n "
        "FROM f GROUP BY 1, 2, 3, 4, 5 HAVING n > 1)"
    ).fetchone()
    assert dup == (0,)
    by_rule = "SELECT rule, COUNT(*) FROM {} GROUP BY rule ORDER BY rule"
    assert (
        web.execute(by_rule.format("f")).fetchall()
        == batch.execute(by_rule.format("findings")).fetchall()
    )
    assert web.execute("SELECT COUNT(*) FROM r WHERE status != 'ok'").fetchone() == (0,)
