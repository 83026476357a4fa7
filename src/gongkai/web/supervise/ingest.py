"""Uploaded reports in, parsed rows out: an :class:`IngestJob` is created at once (its files
stored, one :class:`IngestedReport` row each), then read by :func:`run_job` through
``gongkai.batch.ingest`` — in the background task queue (``tasks.py``), or directly in tests.

Files are stored as ``<data>/ingest/<job>/<n>/<original name>`` (``n``: its place in the
upload): the parser sees the name the body gave the file (its messages and locations name
it), and two files of the same name never collide.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import socket
import zipfile
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ...batch import ingest
from ...batch.pool import pid_alive
from ...files import is_image_name, is_report_name
from ..datadir import data_dir
from ..orgs.models import Organisation
from .matching import auto_match
from .models import FileStatus, IngestedReport, IngestJob, JobState, Round
from .pages import page_reports
from .writer import DbWriter, LostClaim

_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


@dataclass(frozen=True)
class Upload:
    """One file as received: its name and its bytes in chunks."""

    name: str
    chunks: Iterable[bytes]


class UploadError(ValueError):
    """An upload refused as a whole (a ZIP bomb, too many files): the message is Chinese and
    names the file."""


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def uploads_from(files: Iterable[Any]) -> list[Upload]:
    """Django's uploaded files as :class:`Upload`; a ZIP becomes the report files in it.

    Inside a ZIP, folders, hidden files (``.x``, ``__MACOSX/``) and names without a report
    or page-image suffix are skipped; member names keep only their own file name
    (:func:`safe_name`). Page images, in a ZIP or uploaded as files, are grouped into scanned
    reports as ``gongkai batch`` groups them, each group stored as one PDF (:mod:`.pages`). A ZIP
    over the limits (``GONGKAI_INGEST_ZIP_MEMBERS`` files, ``GONGKAI_INGEST_ZIP_TOTAL`` bytes
    uncompressed, ``GONGKAI_INGEST_FILE_MAX`` bytes per file, compression ratio over 200) is
    refused with :class:`UploadError`, before anything is expanded; a file that is not a ZIP
    although named ``.zip`` is kept as it is, so that it becomes an error row with its reason.
    """
    out: list[Upload] = []
    images: list[tuple[str, bytes]] = []  # page images uploaded as files, grouped below
    max_files = _limit("GONGKAI_INGEST_MAX_FILES", 20000)
    for f in files:
        if f.name.lower().endswith(".zip"):
            expanded = _expand_zip(f)
            if expanded is not None:
                out.extend(expanded)
                continue
        size = getattr(f, "size", None)
        if size is not None and size > _limit("GONGKAI_INGEST_FILE_MAX", 200 * 1024 * 1024):
            raise UploadError(f"{safe_name(f.name)}：文件过大（{size // 1048576} MB），超过上限")
        if is_image_name(Path(safe_name(f.name))):
            images.append((safe_name(f.name), b"".join(f.chunks())))
        else:
            out.append(Upload(f.name, f.chunks()))
    out.extend(Upload(n, [b]) for n, b in page_reports(images, folders=False))
    if len(out) > max_files:
        raise UploadError(f"一次最多上传 {max_files} 个文件（本次 {len(out)} 个），请分批上传")
    return out


def _expand_zip(f: Any) -> list[Upload] | None:
    name = safe_name(f.name)
    try:
        f.seek(0)
        archive = zipfile.ZipFile(f)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None  # not a ZIP after all: the parser says so, as an error row of the file
    max_members = _limit("GONGKAI_INGEST_ZIP_MEMBERS", 20000)
    max_total = _limit("GONGKAI_INGEST_ZIP_TOTAL", 2 * 1024 * 1024 * 1024)
    max_file = _limit("GONGKAI_INGEST_FILE_MAX", 200 * 1024 * 1024)
    if len(members) > max_members:
        raise UploadError(f"{name}：压缩包内文件过多（{len(members)} 个，上限 {max_members} 个）")
    wanted: list[zipfile.ZipInfo] = []
    total = 0
    for m in members:
        parts = m.filename.replace("\\", "/").split("/")
        if m.is_dir() or any(p.startswith(".") or p == "__MACOSX" for p in parts if p):
            continue
        if not (is_report_name(Path(parts[-1])) or is_image_name(Path(parts[-1]))):
            continue
        if m.file_size > max_file:
            raise UploadError(
                f"{name}：压缩包内的 {safe_name(parts[-1])} 解压后过大"
                f"（{m.file_size // 1048576} MB，上限 {max_file // 1048576} MB）"
            )
        if m.compress_size and m.file_size / m.compress_size > 200 and m.file_size > 1048576:
            raise UploadError(
                f"{name}：压缩包内的 {safe_name(parts[-1])} 压缩比异常（疑似压缩炸弹），已拒绝"
            )
        total += m.file_size
        if total > max_total:
            raise UploadError(
                f"{name}：压缩包解压后总大小超过上限（{max_total // 1048576} MB），已拒绝"
            )
        wanted.append(m)
    if not wanted:
        raise UploadError(f"{name}：压缩包内没有年报文件（.docx、.pdf、.txt 或页面图片等）")
    out: list[Upload] = []
    images: list[tuple[str, bytes]] = []  # (path inside the ZIP, bytes)
    others: list[str] = []
    for m in wanted:
        try:
            # Read whole but bounded: a member's header may lie about its size.
            with archive.open(m) as src:
                data = src.read(max_file + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
            raise UploadError(f"{name}：无法解压其中的 {safe_name(m.filename)}（{e}）") from None
        if len(data) > max_file:
            raise UploadError(f"{name}：压缩包内的 {safe_name(m.filename)} 解压后过大，已拒绝")
        path = _zip_path(m)
        if is_image_name(Path(path)):
            images.append((path, data))
        else:
            others.append(path)
            out.append(Upload(safe_name(path), [data]))
    reports = page_reports(images, folders=True, others=others, root=Path(name).stem)
    out.extend(Upload(n, [b]) for n, b in reports)
    return out


def _zip_path(m: zipfile.ZipInfo) -> str:
    """The member's path inside the ZIP, ``/``-separated: a ZIP from Windows without the UTF-8
    flag spells it in GBK."""
    raw = m.filename
    if not m.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            raw = raw.encode("cp437").decode("gbk")
    return "/".join(p for p in raw.replace("\\", "/").split("/") if p not in ("", ".", ".."))


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
    rows: list[IngestedReport] = []
    for i, upload in enumerate(uploads):
        name = safe_name(upload.name)
        stored = Path("ingest") / str(job.pk) / str(i) / name
        target = root / stored
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            for chunk in upload.chunks:
                out.write(chunk)
        rows.append(
            IngestedReport(
                job=job, supervisor=supervisor, round=round, file=name, stored=str(stored)
            )
        )
    IngestedReport.objects.bulk_create(rows, batch_size=500)  # in upload order
    job.total = len(rows)
    job.save(update_fields=["total"])
    return job


# A claim whose heartbeat is older than this is taken over (its worker is gone). The
# heartbeat moves at every commit (at least every few seconds while files are read); a claim
# of a process of this machine that no longer exists is taken over at once.
STALE = dt.timedelta(minutes=5)
UNFINISHED = (JobState.QUEUED, JobState.RUNNING)


def _token() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(8)}"


def claim_is_dead(claim: str, heartbeat: dt.datetime | None) -> bool:
    """Whether the job's claim belongs to no live task."""
    if not claim:
        return True
    if heartbeat is None or heartbeat < timezone.now() - STALE:
        return True
    host, _, rest = claim.partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname()[:60] and pid.isdigit() and not pid_alive(int(pid))


def claim(job_id: int) -> str | None:
    """Take the job for this process: a token, or None when a live task holds it (or it is
    finished). The compare-and-set UPDATE is the lock: of two tasks, one wins."""
    token = _token()
    with transaction.atomic():
        job = (
            IngestJob.objects.select_for_update()
            .filter(pk=job_id, state__in=UNFINISHED)
            .values_list("claim", "heartbeat")
            .first()
        )
        if job is None or not claim_is_dead(*job):
            return None
        won = IngestJob.objects.filter(pk=job_id, claim=job[0]).update(
            claim=token, heartbeat=timezone.now()
        )
    return token if won else None


def _later_job_queued(job: IngestJob) -> bool:
    """Another upload of the same supervisor waits in the queue after this one: it will run
    the batch stage over everything, this job need not."""
    return IngestJob.objects.filter(
        supervisor_id=job.supervisor_id, pk__gt=job.pk, state=JobState.QUEUED
    ).exists()


def _other_running(job: IngestJob) -> bool:
    rows = IngestJob.objects.filter(
        supervisor_id=job.supervisor_id, state=JobState.RUNNING
    ).exclude(pk=job.pk)
    return any(not claim_is_dead(c, hb) for c, hb in rows.values_list("claim", "heartbeat"))


def run_job(job_id: int, executor: Executor | None = None, *, ship: bool = False) -> IngestJob:
    """Read every file of the job not read yet (a rerun after a restart does the rest).

    The job is claimed first (:func:`claim`): a second task of the same job (re-queued after
    a restart while the first still runs) returns at once and writes nothing. ``ship``: send
    the files' contents to the workers (a remote Dask cluster without this file system).

    The files are parsed and checked (committed in whole reports as they come), and the batch
    stage (cross-year checks, copy detection, agency names merged) runs over all of the
    supervisor's reports — inline when this is the last upload queued (the earlier reports as
    priors), not at all when a later upload of the same supervisor is queued (it will: an upload
    in 20 parts does it once), afterwards from the stored rows (:func:`batch_stage`) when
    another job of the supervisor runs beside this one in a second worker.
    """
    job = IngestJob.objects.get(pk=job_id)
    token = claim(job_id)
    if token is None:
        return job
    done = IngestedReport.objects.filter(job=job).exclude(status=FileStatus.QUEUED).count()
    IngestJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started_at=job.started_at or timezone.now(), done=done, error=""
    )
    root = data_dir()
    # Serial jobs (one worker, as `gongkai serve` runs it): the last queued one does the batch
    # stage inline, with the others' reports as priors. Beside another running job of the same
    # supervisor, the batch stage runs afterwards from what is stored.
    inline = not _later_job_queued(job) and not _other_running(job)
    writer = DbWriter(job, root, claim=token, cross=inline)
    try:
        ingest(
            writer.files(),
            writer,
            executor=executor,
            resume=True,
            keep_json=True,
            read_in_parent=ship,
            cross_years=inline,
        )
        if not inline and not _later_job_queued(job):
            batch_stage(job, token)
    except LostClaim:
        job.refresh_from_db()
        return job
    except Exception as e:
        IngestJob.objects.filter(pk=job.pk, claim=token).update(
            state=JobState.FAILED, error=f"读取中断：{e}", finished_at=timezone.now(), claim=""
        )
        raise
    IngestJob.objects.filter(pk=job.pk, claim=token).update(
        state=JobState.DONE, finished_at=timezone.now(), claim=""
    )
    job.refresh_from_db()
    auto_match(job)  # a round's reports go to their members by name (supervise/matching.py)
    return job


def batch_stage(job: IngestJob, token: str = "") -> None:
    """The cross-report checks over every report of ``job``'s supervisor that was read (the
    batch-stage findings are replaced as a whole, in one transaction)."""
    ingest([], DbWriter(job, data_dir(), claim=token, cross=True))


def unfinished_jobs() -> list[int]:
    """Jobs queued or running whose claim is dead: a worker starting picks them up again."""
    rows = IngestJob.objects.filter(state__in=UNFINISHED).values_list("pk", "claim", "heartbeat")
    return [pk for pk, c, hb in rows.order_by("pk") if claim_is_dead(c, hb)]


def delete_files(job: IngestJob) -> None:
    shutil.rmtree(data_dir() / "ingest" / str(job.pk), ignore_errors=True)
