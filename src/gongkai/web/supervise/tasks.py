"""The background side of an upload: one django-tasks task per ingest job, queued in the
application's database (settings.TASKS: django-tasks-db's ``DatabaseBackend``) and run by the
worker that ``gongkai serve`` starts (``manage.py gongkai_worker``: django-tasks-db's
``db_worker`` after :func:`recover`).

The task reads the files with the process pool of ``gongkai batch``
(:func:`gongkai.batch.pool.executor`; ``GONGKAI_INGEST_JOBS`` processes, default the CPU
count), or on a Dask cluster when ``GONGKAI_DASK`` names a scheduler address (or ``local``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import IngestJob

log = logging.getLogger(__name__)


_pool: Any = None  # the worker process's process pool, kept from one job to the next
SMALL_JOB = 16  # files; fewer are read in the worker process itself


@task()
def ingest_job(job_id: int) -> int:
    from ...batch.pool import WorkerPool, executor
    from .ingest import run_job

    global _pool
    jobs = int(os.environ.get("GONGKAI_INGEST_JOBS") or 0) or None
    dask = os.environ.get("GONGKAI_DASK") or None
    if dask is not None:
        with executor(jobs, dask) as (cluster, ship):
            return run_job(job_id, executor=cluster, ship=ship).done
    total = IngestJob.objects.filter(pk=job_id).values_list("total", flat=True).first() or 0
    if total < SMALL_JOB:  # a few files: read here, faster than handing them to a pool
        return run_job(job_id).done
    # One pool for the worker's life: a job of 500 files does not wait for new processes.
    # Started by a fork server, never forked from this process (it may run threads: the
    # test server's, a task backend's), so no child inherits a lock held at the fork.
    if _pool is None:
        _pool = WorkerPool(jobs, multiprocessing.get_context("forkserver"))
    try:
        return run_job(job_id, executor=_pool).done
    except BaseException:
        _pool.terminate()  # interrupted or failed: stop its workers, a new pool next time
        _pool = None
        raise


def enqueue(job: IngestJob) -> None:
    """Queue the job once the transaction that created it has committed (the worker must see
    its rows)."""

    def send() -> None:
        result = ingest_job.enqueue(job.pk)
        IngestJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(send)


def recover() -> list[int]:
    """At worker start: every unfinished job whose task died with its worker is queued again.

    A job is unfinished while queued or running; its task is dead when the job's claim is
    (:func:`.ingest.claim_is_dead`: no heartbeat for a while, or a process of this machine
    that is gone). The dead task's result, left RUNNING by the killed worker, is marked FAILED
    so that it does not look alive; a job whose task is still waiting (READY) is left to it.
    The claim makes a duplicate harmless: of two tasks of one job only one reads it.
    """
    from django_tasks_db.models import DBTaskResult

    from .ingest import unfinished_jobs

    path = f"{ingest_job.func.__module__}.{ingest_job.func.__qualname__}"
    requeued: list[int] = []
    for job_id in unfinished_jobs():
        mine = DBTaskResult.objects.filter(task_path=path, args_kwargs__args=[job_id])
        mine.filter(status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="gongkai.web.supervise.tasks.WorkerLost",
            traceback="工作进程意外退出，任务已重新排队",
        )
        if mine.filter(status="READY").exists():
            continue
        result = ingest_job.enqueue(job_id)
        IngestJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])
        requeued.append(job_id)
    if requeued:
        log.warning("re-queued ingest jobs after a restart: %s", requeued)
    return requeued
