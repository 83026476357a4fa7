"""The supervisor's API: ``/api/v1/ingest…``, ``/api/v1/ingested/{id}`` (this router) and
``/api/v1/stats`` (``stats_api.py``). Same conventions as the rest of ``/api/v1``. Stable for
scripts:

* ``POST /ingest`` (multipart: ``files``, one or many, ZIPs expanded; optional ``round`` id;
  ``supervisor`` org id when the user is a 公开办 member of several) → 202 ``{"id": …}``;
* ``GET /ingest/{id}`` → ``{"state", "done", "total", …}``;
* ``GET /ingest/{id}/reports`` → ``{"items": [{id, file, agency, year, status, error,
  n_error, n_warning, n_info}]}``, one per uploaded file;
* ``GET /ingested/{id}`` → the report JSON of ``gongkai parse --format json`` plus the row's
  data and ``findings`` (the stored ones, file and batch stage); a file that could not be read
  has its row data with ``error`` and no report.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from .. import permissions
from .ingest import UploadError, create_job, uploads_from
from .models import IngestedReport, IngestJob, Round
from .tasks import enqueue

router = Router(tags=["年报核查（公开办）"])

_FINDING_FIELDS = (
    "rule",
    "severity",
    "message",
    "source",
    "table_key",
    "place",
    "cells",
    "location",
    "related_report_id",
    "stage",
)


def _int(value: str | None, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise HttpError(400, f"{what}应为整数（收到“{value}”）") from None


@router.post("/ingest", response={202: dict[str, int]}, url_name="ingest")
def post_ingest(request: HttpRequest) -> Status[dict[str, int]]:
    user = request.auth  # type: ignore[attr-defined]
    offices = permissions.supervising_orgs(user)
    if not offices.exists():
        raise HttpError(403, "只有政务公开办成员可以上传年度报告")
    wanted = _int(request.POST.get("supervisor"), "supervisor（政务公开办编号）")
    if wanted is not None:
        office = offices.filter(pk=wanted).first()
        if office is None:
            raise HttpError(403, "您不是该政务公开办的成员")
    else:
        # Several memberships in one tree (the district and its 公开办 below it): the top one.
        found = sorted(offices, key=lambda o: len(o.path))
        office = found[0]
        if any(not o.path.startswith(office.path) for o in found[1:]):
            raise HttpError(400, "您属于多个政务公开办，请用 supervisor 指明")
    round_id = _int(request.POST.get("round"), "round（轮次编号）")
    rnd = None
    if round_id is not None:
        rnd = Round.objects.filter(pk=round_id, supervisor=office).first()
        if rnd is None:
            raise HttpError(400, f"没有编号为 {round_id} 的报送轮次，或不属于本公开办")
    files = request.FILES.getlist("files")
    if not files:
        raise HttpError(400, "请选择要上传的年度报告文件（表单字段 files）")
    try:
        uploads = uploads_from(files)
    except UploadError as e:
        raise HttpError(400, str(e)) from None
    job = create_job(uploads, supervisor=office, user=user, round=rnd)
    enqueue(job)
    return Status(202, {"id": job.pk})


def _job(request: HttpRequest, job_id: int) -> IngestJob:
    job = permissions.jobs_visible_to(request.auth).filter(pk=job_id).first()  # type: ignore[attr-defined]
    if job is None:
        raise HttpError(404, "找不到该读取任务，或无权查看")
    return job


@router.get("/ingest/{job_id}", url_name="ingest_job")
def get_ingest(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = _job(request, job_id)
    return {
        "id": job.pk,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "round": job.round_id,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def _row(r: IngestedReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "file": r.file,
        "agency": r.agency,
        "year": r.year,
        "format": r.format,
        "status": r.status,
        "error": r.error,
        "n_error": r.n_error,
        "n_warning": r.n_warning,
        "n_info": r.n_info,
    }


@router.get("/ingest/{job_id}/reports", url_name="ingest_reports")
def get_ingest_reports(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = _job(request, job_id)
    rows = IngestedReport.objects.filter(job=job).order_by("pk").defer("report_json")
    return {"items": [_row(r) for r in rows]}


@router.get("/ingested/{report_id}", url_name="ingested")
def get_ingested(request: HttpRequest, report_id: int) -> dict[str, Any]:
    found = (
        permissions.ingested_visible_to(request.auth)  # type: ignore[attr-defined]
        .filter(pk=report_id)
        .first()
    )
    if found is None:
        raise HttpError(404, "找不到该报告，或无权查看")
    data: dict[str, Any] = {}
    if found.report_json:
        data = json.loads(zlib.decompress(bytes(found.report_json)))
    findings = []
    for f in found.findings.order_by("pk").values(*_FINDING_FIELDS):
        f["table"] = f.pop("table_key")
        f["related_report"] = f.pop("related_report_id")
        for k in ("cells", "location"):
            f[k] = json.loads(f[k]) if f[k] else None
        findings.append(f)
    # The report's own fields win where names meet (agency, year, format): the JSON is the
    # `gongkai parse --format json` schema, the row's data only completes it.
    return {
        **_row(found),
        "job": found.job_id,
        "round": found.round_id,
        "sha256": found.sha256,
        **data,
        "findings": findings,
    }
