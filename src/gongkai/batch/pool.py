"""Send chunks of files to an executor and survive workers the OS kills.

When a process-pool worker dies (out of memory, a signal), Python marks the whole pool broken
and fails every future in flight. :func:`dispatch` then starts a new pool and runs each file
that was in flight again, **alone**, so that a death names its file for certain: only a file
that kills a worker twice while alone becomes an error row; every other file is written
exactly once.

:class:`WorkerPool` is the process pool of ``gongkai batch``: its workers ignore Ctrl-C (the
parent handles it), leave when their parent dies, and :meth:`WorkerPool.terminate` stops them
at once when a run is interrupted.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from ..errors import GongkaiError
from .worker import Item, Record, WorkerOptions, error_record

T = TypeVar("T")
ChunkFn = Callable[[list[Item], WorkerOptions], list[Record]]
DEATHS = 2  # a file whose worker died this many times is an error row


def _worker_started(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()


def _leave_with(parent: int) -> None:
    """A worker whose parent was killed (SIGKILL cannot be caught) would wait for work
    forever: it leaves once it has been handed to another parent, or once ``parent`` is gone
    (started by a fork server, the worker's own parent is the server, not ``parent``)."""
    first = os.getppid()
    while os.getppid() == first and pid_alive(parent):
        time.sleep(1)
    os._exit(1)


def pid_alive(pid: int) -> bool:
    """Whether a process of this number exists on this machine (one of another user counts:
    it exists, and only its owner could tell us more)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WorkerPool(Executor):
    """A process pool that can be restarted after a worker was killed, and terminated."""

    def __init__(self, max_workers: int | None = None, mp_context: Any = None) -> None:
        """``mp_context``: a ``multiprocessing`` context for a long-lived pool in a process
        that runs threads (the web's ingest worker: ``forkserver``, since a fork taken while
        another thread holds a lock leaves the child waiting on it for ever)."""
        self.max_workers = max_workers or os.cpu_count() or 1
        self.mp_context = mp_context
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.max_workers,
            mp_context=self.mp_context,
            initializer=_worker_started,
            initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return self._pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        """Replace the pool (broken: a worker died) by a new one of the same size."""
        old, self._pool = self._pool, self._new()
        self._stop(old)

    def terminate(self) -> None:
        """Stop now: drop the queued work and terminate the workers (interruption)."""
        self._stop(self._pool)

    @staticmethod
    def _stop(pool: ProcessPoolExecutor) -> None:
        # Python 3.14 has ProcessPoolExecutor.terminate_workers(); before it, the processes
        # are only reachable through this attribute (None once the pool has shut down).
        workers = list((pool._processes or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in workers:
            p.terminate()
        for p in workers:
            p.join(5)
            if p.is_alive():
                p.kill()
                p.join(5)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait, cancel_futures=cancel_futures)


class _Executor:
    """The executor in use; a broken process pool is replaced (the caller's own pool cannot
    be repaired, so a :class:`WorkerPool` owned by this run takes its place)."""

    def __init__(self, given: Executor) -> None:
        self.current = given
        self.generation = 0  # which pool a future was submitted to
        self.own: WorkerPool | None = None

    def replace(self) -> None:
        self.generation += 1
        if isinstance(self.current, WorkerPool):
            self.current.restart()
        elif isinstance(self.current, ProcessPoolExecutor):
            self.own = WorkerPool(getattr(self.current, "_max_workers", None))
            self.current = self.own
        # Other executors keep working: Dask retries a task whose worker was lost.

    def close(self, interrupted: bool) -> None:
        if self.own is not None:
            if interrupted:
                self.own.terminate()
            else:
                self.own.shutdown()


@contextmanager
def executor(
    jobs: int | None = None, dask_address: str | None = None
) -> Iterator[tuple[Executor, bool]]:
    """The executor of a batch (``gongkai batch``, the web's ingest worker) and whether the
    parent should ship file contents (a remote cluster may not see this machine's files).

    Without ``dask_address``: a :class:`WorkerPool` of ``jobs`` processes, terminated at once
    on an interruption. ``dask_address`` ``"local"`` starts a local Dask cluster; any other
    value is a scheduler address (``tcp://10.0.0.5:8786``).
    """
    jobs = jobs or os.cpu_count() or 1
    if dask_address is None:
        pool = WorkerPool(jobs)
        try:
            yield pool, False
        except BaseException:
            pool.terminate()  # Ctrl-C, SIGTERM: stop the workers, do not wait for the queue
            raise
        pool.shutdown()
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise GongkaiError(
            "未安装 Dask：请安装 gongkai[dask]（pip install 'gongkai[dask]'）"
        ) from None
    if dask_address == "local":
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        cluster = None
        try:
            client = Client(dask_address, timeout=30)  # type: ignore[no-untyped-call]
        except OSError as e:
            raise GongkaiError(f"无法连接 Dask 调度器 {dask_address}：{e}") from None
    try:
        yield client.get_executor(pure=False), dask_address != "local"  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def dispatch(
    chunks: Iterable[list[Item]],
    fn: ChunkFn,
    options: WorkerOptions,
    executor: Executor,
    limit: int,
    prepare: Callable[[list[Item]], list[Item]] | None = None,
) -> Generator[Record, None, None]:
    """``fn(chunk, options)`` for every chunk, at most ``limit`` in flight, records as they
    arrive. ``prepare`` runs on each chunk as it is submitted (to read file contents)."""
    ex = _Executor(executor)
    # future → (its chunk, the pool's generation, whether it is a suspect running alone)
    pending: dict[Future[list[Record]], tuple[list[Item], int, bool]] = {}
    suspects: deque[Item] = deque()  # in flight when a worker died: each runs again, alone
    deaths: dict[int, int] = {}  # report id → deaths of a worker running it alone
    queue = iter(chunks)
    refused: BaseException | None = None  # the executor takes no more work

    def submit(chunk: list[Item], alone: bool = False) -> None:
        nonlocal refused
        for _ in range(2):  # a pool found broken on submit is replaced once
            if refused is not None:
                break
            try:
                work = prepare(chunk) if prepare else chunk
                pending[ex.current.submit(fn, work, options)] = (chunk, ex.generation, alone)
                return
            except BrokenExecutor:
                ex.replace()
            except Exception as e:  # shut down, or a cluster gone: the rest become error rows
                refused = e
        failed: Future[list[Record]] = Future()
        failed.set_exception(refused or BrokenExecutor())
        pending[failed] = (chunk, ex.generation, alone)

    def fill() -> None:
        while not suspects and len(pending) < limit:
            if any(alone for _, _, alone in pending.values()):
                return
            chunk = next(queue, None)
            if chunk is None:
                return
            submit(chunk)

    interrupted = True
    try:
        fill()
        while pending or suspects:
            if suspects and not pending:
                submit([suspects.popleft()], alone=True)
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                chunk, generation, alone = pending.pop(future)
                try:
                    records = future.result()
                except Exception as e:  # the worker died: killed, out of memory, lost node
                    if isinstance(e, BrokenExecutor) and generation == ex.generation:
                        ex.replace()
                    for item in chunk:
                        # Only a death alone is the file's own; with others in flight, it
                        # may have been any of them.
                        if alone:
                            deaths[item[0]] = deaths.get(item[0], 0) + 1
                        if deaths.get(item[0], 0) >= DEATHS:
                            yield _died(item, e)
                        else:
                            suspects.append(item)
                    continue
                yield from records
            fill()
        interrupted = False
    finally:
        ex.close(interrupted)


def _died(item: Item, exc: BaseException) -> Record:
    rid, path, _ = item
    why = "可能内存不足或被系统终止" if isinstance(exc, BrokenExecutor) else type(exc).__name__
    if not isinstance(exc, BrokenExecutor) and str(exc):
        why += f": {exc}"
    message = f"{Path(path).name}：处理该文件时工作进程两次异常退出（{why}）"
    # No SHA-256: the parent never read the file, and --resume tries it again.
    return error_record(rid, path, "", None, message, time.perf_counter())
