"""``gongkai serve``: prepare the data directory, migrate, optionally load the demo, and run
the web application under gunicorn (DEBUG off). The CLI may import Django; the core may not,
so Django is imported inside the command only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from ._app import EXIT_USAGE, fail, main, out


def _setup(data: Path) -> None:
    os.environ["GONGKAI_DATA"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    from gongkai.web.datadir import prepare

    prepare(data)
    import django

    django.setup()


def _data_dir(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    return (value or Path(os.environ.get("GONGKAI_DATA") or "gongkai-data")).resolve()


data_option = click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    callback=_data_dir,
    help="数据目录（数据库、文件、SECRET_KEY）；默认 $GONGKAI_DATA 或 ./gongkai-data",
)


@main.command()
@click.option("--demo", is_flag=True, help="载入演示数据（机构、演示账号、生成的申请）")
@click.option(
    "--cases",
    "n_cases",
    type=click.IntRange(0),
    default=600,
    show_default=True,
    help="演示申请的总件数",
)
@data_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
def serve(demo: bool, n_cases: int, data: Path, host: str, port: int, workers: int) -> None:
    """运行网页应用（依申请公开登记）。"""
    hosts = {host, "127.0.0.1", "localhost"}
    os.environ["GONGKAI_ALLOWED_HOSTS"] = ",".join(sorted(hosts))
    try:
        _setup(data)
    except OSError as e:
        fail(f"无法创建数据目录 {data}：{e.strerror}")
        sys.exit(EXIT_USAGE)
    from django.conf import settings
    from django.core.management import call_command

    if settings.DEBUG:
        fail("GONGKAI_DEBUG=1 时不能运行 serve：调试模式会泄露内部信息，只用于开发")
        sys.exit(EXIT_USAGE)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from gongkai.web import demo as demo_data

    if demo:
        started = time.perf_counter()
        _, inserted = demo_data.load(n_cases)
        if inserted:
            out.print(f"已载入演示申请 {inserted} 件（{time.perf_counter() - started:.1f} 秒）")
    else:
        exposed = demo_data.demo_accounts_with_demo_password()
        if exposed:
            fail(
                f"演示账号（{'、'.join(exposed)}）仍使用公开的演示密码；不带 --demo 时拒绝启动。"
                "请修改这些账号的密码或删除它们，或使用 --demo 运行演示"
            )
            sys.exit(EXIT_USAGE)
    from gongkai.web import database

    database.analyze()  # the planner's statistics, fresh at each start (see its docstring)
    out.print(f"数据目录：{data}")
    out.print(f"网址：http://{host}:{port}/")
    if demo:
        out.print(f"演示账号（密码均为 {demo_data.DEMO_PASSWORD}）：")
        for username, _, _, what in demo_data.ACCOUNTS:
            out.print(f"  {username:<11} {what}")
    sys.stdout.flush()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "gongkai.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
        # gunicorn's default 30 s kills a worker in the middle of a long XLSX export or ledger
        # import (50 000 rows take about a minute on a small server).
        "--timeout",
        "300",
    ]
    sys.exit(_run_beside(argv, [sys.executable, "-m", "django", "gongkai_worker"]))


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM when serve dies, even by SIGKILL (no orphans holding the
    port or the queue)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start(argv: list[str]) -> subprocess.Popen[Any]:
    return subprocess.Popen(argv, preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def _stop(proc: subprocess.Popen[Any], twice: bool = False) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    if twice:
        # db_worker finishes its task on the first signal and drops it on the second; a
        # dropped ingest job is picked up again at the next start (tasks.recover).
        time.sleep(0.5)
        if proc.poll() is None:
            proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def _run_beside(web: list[str], worker: list[str]) -> int:
    """gunicorn and the background worker side by side; both stop when serve stops. A worker
    that exits on its own is started again; serve ends when gunicorn does."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    gunicorn = _start(web)
    background = _start(worker)
    try:
        while not stopping:
            if gunicorn.poll() is not None:
                break
            if background.poll() is not None:
                fail(f"后台任务进程已退出（代码 {background.returncode}），正在重新启动")
                time.sleep(1)
                background = _start(worker)
            time.sleep(0.2)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _stop(background, twice=True)
        _stop(gunicorn)
    return 0 if stopping else (gunicorn.returncode or 0)


@main.command()
@click.argument("username")
@click.option("--name", default="", help="令牌用途（便于日后识别）")
@data_option
def token(username: str, name: str, data: Path) -> None:
    """为用户生成接口令牌（Authorization: Bearer …），只显示这一次。"""
    _setup(data)
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("gongkai_token", username, name=name)
    except CommandError as e:
        fail(str(e))
        sys.exit(EXIT_USAGE)
