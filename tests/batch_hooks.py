"""Chunk functions that kill their worker or stall on chosen files, for the batch robustness
tests (gongkai itself never uses them). They are module-level so that a process pool pickles
them by name; tests put one in place of ``gongkai.batch.run.process_chunk``.

``python -m tests.batch_hooks ARGS…`` runs ``gongkai ARGS…`` with :func:`stalling_chunk` in
place and a commit after every report, for the tests that signal a running batch.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from gongkai.batch.worker import Item, Record, WorkerOptions, process_file

KILL_ALWAYS = "kill-always"  # in a file name: the worker dies on it every time
KILL_ONCE = "kill-once"  # the worker dies on it the first time only (a marker file says)
STALL = "stall"  # the worker sleeps on it, long enough to be interrupted


def _die_on(path: str) -> bool:
    name = Path(path).name
    if KILL_ALWAYS in name:
        return True
    if KILL_ONCE in name:
        try:
            Path(f"{path}.died").open("x").close()  # the marker's suffix is not walked
        except FileExistsError:
            return False
        return True
    return False


def killing_chunk(items: list[Item], options: WorkerOptions) -> list[Record]:
    out = []
    for rid, path, data in items:
        if _die_on(path):
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
        out.append(process_file(rid, path, data, options))
    return out


def stalling_chunk(items: list[Item], options: WorkerOptions) -> list[Record]:
    out = []
    for rid, path, data in items:
        if STALL in Path(path).name:
            time.sleep(60)
        out.append(process_file(rid, path, data, options))
    return out


def main() -> None:
    from gongkai.batch import run
    from gongkai.batch.dataset import SqliteWriter
    from gongkai.cli import main as cli

    run.process_chunk = stalling_chunk  # type: ignore[assignment]
    SqliteWriter.COMMIT_SECONDS = 0.0  # so that the test knows what was committed
    cli(sys.argv[1:])


if __name__ == "__main__":
    main()
