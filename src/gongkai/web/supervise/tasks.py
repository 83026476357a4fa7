"""The background side of an upload: one django-tasks task per ingest job, queued in the
application's database (settings.TASKS) and run by the worker that `gongkai serve` starts."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from .models import IngestJob


@task()
def ingest_job(job_id: int) -> int:
    from .ingest import run_job

    return run_job(job_id).done


def enqueue(job: IngestJob) -> None:
    """Queue the job once the transaction that created it has committed (the worker must see
    its rows)."""
    transaction.on_commit(lambda: ingest_job.enqueue(job.pk))
