"""A batch survives killed workers and interruptions; --resume completes it, one row a file."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import psutil
import pytest
from click.testing import CliRunner

from gongkai.batch import ingest, open_dataset, read_table
from gongkai.batch import run as batch_run
from gongkai.batch.schema import SCHEMA_VERSION
from gongkai.batch.worker import WorkerOptions, process_file
from gongkai.cli import main

from . import batch_hooks
from .test_batch_helpers import SEEDS, copy_seeds, seed

REPO = Path(__file__).resolve().parents[1]
DIED = "处理该文件时工作进程两次异常退出（可能内存不足或被系统终止）"


def by_name(out: Path) -> dict[str, dict[str, Any]]:
    reports = read_table(out, "reports")
    names = [Path(r["file"]).name for r in reports]
    assert len(names) == len(set(names)), names  # nothing counted twice
    return dict(zip(names, reports, strict=True))


@pytest.fixture
def killers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds plus a file that kills its worker once and one that kills it every time."""
    folder = copy_seeds(tmp_path / "in")
    shutil.copy(seed("003"), folder / f"{batch_hooks.KILL_ONCE}.txt")
    shutil.copy(seed("001"), folder / f"{batch_hooks.KILL_ALWAYS}.txt")
    monkeypatch.setattr(batch_run, "process_chunk", batch_hooks.killing_chunk)
    return folder


def assert_survived(out: Path, folder: Path) -> None:
    rows = by_name(out)
    assert set(rows) == {p.name for p in folder.glob("*.txt")}
    assert sorted(r["id"] for r in rows.values()) == list(range(1, len(rows) + 1))
    assert (folder / f"{batch_hooks.KILL_ONCE}.txt.died").exists()  # it did kill a worker
    assert rows[f"{batch_hooks.KILL_ONCE}.txt"]["status"] == "ok"
    always = rows.pop(f"{batch_hooks.KILL_ALWAYS}.txt")
    assert always["status"] == "error"
    assert always["error"] == f"{batch_hooks.KILL_ALWAYS}.txt：{DIED}"
    assert {r["status"] for r in rows.values()} == {"ok"}


def test_a_killed_worker_is_replaced_and_its_files_tried_again(
    killers: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.sqlite"
    with ProcessPoolExecutor(max_workers=2) as pool:  # the caller's pool: replaced, not repaired
        summary = ingest([killers], out, executor=pool, chunk_size=2, copy=None)
    assert summary.ok == 6 and summary.errors == 1
    assert_survived(out, killers)


def test_batch_command_survives_killed_workers_and_resume_redoes_them(
    killers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.sqlite"
    result = CliRunner().invoke(main, ["batch", str(killers), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "解析成功 6 个，无法读取 1 个" in result.output
    assert_survived(out, killers)
    died = by_name(out)[f"{batch_hooks.KILL_ALWAYS}.txt"]
    assert died["sha256"] == ""  # never read by the parent: --resume tries it again

    monkeypatch.undo()  # the file no longer kills (say, more memory this time)
    summary = ingest([killers], out, resume=True)
    assert summary.skipped == 6 and summary.ok == 1
    rows = by_name(out)  # the stale error row is gone: one row a file
    assert len(rows) == 7 and {r["status"] for r in rows.values()} == {"ok"}
    assert rows[f"{batch_hooks.KILL_ALWAYS}.txt"]["id"] == died["id"]


def test_resume_keeps_files_with_the_same_bytes_apart(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    shutil.copy(seed("000"), a)
    shutil.copy(seed("000"), b)
    out = tmp_path / "out.sqlite"
    ingest([a], out, copy=None)  # as if interrupted before b
    summary = ingest([folder], out, resume=True, copy=None)
    assert summary.skipped == 1 and summary.ok == 1
    assert set(by_name(out)) == {"a.txt", "b.txt"}
    assert ingest([folder], out, resume=True, copy=None).skipped == 2
    # A new file with the same bytes as two files already there is a new row too.
    b.rename(folder / "c.txt")
    shutil.copy(seed("000"), b)
    assert ingest([folder], out, resume=True, copy=None).ok == 1
    assert set(by_name(out)) == {"a.txt", "b.txt", "c.txt"}


def test_resume_from_another_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_seeds(tmp_path / "in")
    out = tmp_path / "out.sqlite"
    monkeypatch.chdir(tmp_path)
    ingest(["in"], out, copy=None)  # stored as in/000_….txt
    monkeypatch.chdir(tmp_path / "in")
    summary = ingest(["."], out, resume=True, copy=None)
    assert summary.skipped == 5 and summary.processed == 0
    assert len(read_table(out, "reports")) == 5


def test_schema_version_is_on_disk_before_any_report(tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    writer = open_dataset(out)
    with sqlite3.connect(out) as db:  # another connection sees it: committed
        meta = dict(db.execute("SELECT key, value FROM meta"))
        assert db.execute("SELECT COUNT(*) FROM reports").fetchone() == (0,)
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    writer.abort()


def test_a_report_interrupted_half_written_is_dropped(tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    writer = open_dataset(out)
    options = WorkerOptions(copy=None)
    writer.add(process_file(1, str(SEEDS[0]), None, options))
    half = process_file(2, str(SEEDS[1]), None, options)
    half["cells"] = [*half["cells"], ("too", "few")]  # fails after the reports row went in
    with pytest.raises(sqlite3.ProgrammingError):
        writer.add(half)
    writer.abort()
    assert [r["id"] for r in read_table(out, "reports")] == [1]
    assert {c["report_id"] for c in read_table(out, "cells")} == {1}
    summary = ingest(SEEDS[:2], out, resume=True, copy=None)
    assert summary.skipped == 1 and summary.ok == 1


# --- a running `gongkai batch` signalled ------------------------------------------------------

QUICK, STALLED = 16, 16  # two chunks of 8 that finish, two that hang in the workers


@pytest.fixture
def stalling(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(QUICK):
        shutil.copy(SEEDS[i % len(SEEDS)], folder / f"a{i:02}.txt")
    for i in range(STALLED):
        shutil.copy(SEEDS[i % len(SEEDS)], folder / f"z{i:02}-{batch_hooks.STALL}.txt")
    return folder


def _count(out: Path) -> int:
    try:
        with sqlite3.connect(f"file:{out}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
    except sqlite3.Error:
        return -1  # not created yet


def _gone(p: psutil.Process) -> bool:
    try:
        return not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"]
)
def test_a_signalled_batch_leaves_a_dataset_that_resume_completes(
    stalling: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "out.sqlite"
    argv = [sys.executable, "-m", "tests.batch_hooks", "batch", str(stalling), "-o", str(out)]
    parent = subprocess.Popen(
        [*argv, "-j", "2", "-q", "--no-dup"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # the signal goes to gongkai alone, as `kill PID` sends it
    )
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 60
        while _count(out) < QUICK and parent.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _count(out) == QUICK, parent.communicate(timeout=5)
        workers = psutil.Process(parent.pid).children(recursive=True)
        assert workers  # the pool's processes, stalled on the last files
        parent.send_signal(sig)
        _, stderr = parent.communicate(timeout=30)
        if sig == signal.SIGKILL:
            assert parent.returncode == -signal.SIGKILL
        else:
            assert parent.returncode == 1 and "已中断" in stderr.decode(), stderr.decode()
        deadline = time.monotonic() + 10  # after SIGKILL the workers notice within a second
        while not all(_gone(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(_gone(w) for w in workers), [w.pid for w in workers if not _gone(w)]
    finally:  # a failed test must not leave its processes behind
        for w in workers:
            if not _gone(w):
                w.kill()
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=10)

    with sqlite3.connect(out) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert _count(out) == QUICK  # every committed report kept, no half-written one
    summary = ingest([stalling], out, resume=True, copy=None)
    assert summary.skipped == QUICK and summary.ok == STALLED
    assert set(by_name(out)) == {p.name for p in stalling.glob("*.txt")}
