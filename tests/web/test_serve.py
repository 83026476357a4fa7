"""``gongkai serve`` end to end: a real gunicorn on a free port with a fresh data directory."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

GONGKAI = [sys.executable, "-c", "from gongkai.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGKAI_"))}
    env.pop("DATABASE_URL", None)
    return env


def _wait(url: str, proc: subprocess.Popen[str]) -> None:
    # Migrating, loading the demo and collecting the static files (the admin's and the vendored
    # ones) take ~20 s on a loaded 2-core machine: wait by the clock, not by a count of tries.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited: {proc.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail("serve did not answer")


def test_serve_demo_then_refuse_without_demo(tmp_path: Path) -> None:
    port = _free_port()
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [
            *GONGKAI,
            "serve",
            "--demo",
            "--cases",
            "40",
            "--data",
            str(data),
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz", proc)
        assert (data / "SECRET_KEY").stat().st_mode & 0o077 == 0
        assert (data / "gongkai.sqlite3").exists()
        with urllib.request.urlopen(f"{base}/accounts/login/") as r:
            assert "登录" in r.read().decode()
        with urllib.request.urlopen(f"{base}/static/gongkai/site.css") as r:
            assert r.status == 200 and b"font" in r.read()  # whitenoise, from the data dir
        req = urllib.request.Request(f"{base}/api/v1/cases")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req)
        assert e.value.code == 401
        assert "请先登录" in json.loads(e.value.read())["detail"]
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "officer_a" in out and "gongkai-demo" in out and f"127.0.0.1:{port}" in out
    # The demo accounts still have the published password: without --demo, serve refuses.
    again = subprocess.run(
        [*GONGKAI, "serve", "--data", str(data), "--port", str(port)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2
    assert "演示密码" in again.stderr and "拒绝启动" in again.stderr


def test_serve_refuses_debug(tmp_path: Path) -> None:
    r = subprocess.run(
        [*GONGKAI, "serve", "--data", str(tmp_path)],
        env={**_env(), "GONGKAI_DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "调试模式" in r.stderr
