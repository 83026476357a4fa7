"""Uploaded reports in, parsed rows out: an :class:`IngestJob` is created at once (its files
stored, one :class:`IngestedReport` row each), then read by :func:`run_job` through
``gongkai.batch.ingest`` — in the background task queue (``tasks.py``), or directly in tests.

Files are stored as ``<data>/ingest/<job>/<report>/<original name>``: the parser sees the
name the body gave the file (its messages and locations name it), and two uploads of the same
name never collide.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...batch import ingest
from ..datadir import data_dir
from ..orgs.models import Organisation
from .matching import auto_match
from .models import IngestedReport, IngestJob, JobState, Round
from .writer import DbWriter

_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


@dataclass(frozen=True)
class Upload:
    """One file as received: its name and its bytes in chunks."""

    name: str
    chunks: Iterable[bytes]


def uploads_from(files: Iterable[Any]) -> list[Upload]:
    """Django's uploaded files as :class:`Upload` (a ZIP is to be expanded into its reports)."""
    return [Upload(f.name, f.chunks()) for f in files]


def safe_name(name: str) -> str:
    """The file's own name without any folder part or characters a file system refuses."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:200] or "未命名文件"


@transaction.atomic
def create_job(
    uploads: Iterable[Upload], *, supervisor: Organisation, user: Any, round: Round | None = None
) -> IngestJob:
    """Store the files and create the job with one queued row per file (nothing is parsed)."""
    root = data_dir()
    job = IngestJob.objects.create(supervisor=supervisor, round=round, created_by=user)
    n = 0
    for upload in uploads:
        name = safe_name(upload.name)
        row = IngestedReport.objects.create(
            job=job, supervisor=supervisor, round=round, file=name, stored=""
        )
        stored = Path("ingest") / str(job.pk) / str(row.pk) / name
        target = root / stored
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            for chunk in upload.chunks:
                out.write(chunk)
        row.stored = str(stored)
        row.save(update_fields=["stored"])
        n += 1
    job.total = n
    job.save(update_fields=["total"])
    return job


def run_job(job_id: int, executor: Executor | None = None) -> IngestJob:
    """Read every file of the job not read yet (a rerun after a restart does the rest)."""
    job = IngestJob.objects.get(pk=job_id)
    IngestJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started_at=job.started_at or timezone.now()
    )
    writer = DbWriter(job, data_dir())
    try:
        ingest(
            writer.files(),
            writer,
            executor=executor,
            resume=True,
            keep_json=True,
        )
    except Exception as e:
        IngestJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=f"读取中断：{e}", finished_at=timezone.now()
        )
        raise
    IngestJob.objects.filter(pk=job.pk).update(state=JobState.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    auto_match(job)  # a round's reports go to their members by name (supervise/matching.py)
    return job


def delete_files(job: IngestJob) -> None:
    shutil.rmtree(data_dir() / "ingest" / str(job.pk), ignore_errors=True)
