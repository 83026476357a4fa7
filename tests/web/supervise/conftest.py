"""Ingested reports for the supervisor's pages: the five seeds and a broken file, read
in-process (``ingest.create_job`` + ``ingest.run_job``), as the supervisor of the demo district."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.web import demo
from gongkai.web.supervise.ingest import Upload, create_job, run_job
from gongkai.web.supervise.models import IngestedReport

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))
BROKEN = "坏文件.docx"


def seed_uploads(paths: list[Path] | None = None) -> list[Upload]:
    return [Upload(p.name, [p.read_bytes()]) for p in (SEEDS if paths is None else paths)]


@pytest.fixture
def ingested(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> dict[str, IngestedReport]:
    """The seeds (by their number, "000" …) and the broken file ("bad"), read; the seeds are
    matched to the demo bodies in turn (000, 002, 004 to agency A; 001, 003 to agency B)."""
    files = [*seed_uploads(), Upload(BROKEN, [b"PK\x03\x04 not a zip at all"])]
    job = create_job(files, supervisor=orgs.district, user=user("supervisor"))
    run_job(job.pk)
    rows = {r.file[:3]: r for r in IngestedReport.objects.filter(job=job)}
    out = {("bad" if k == BROKEN[:3] else k): r for k, r in rows.items()}
    for i, key in enumerate(sorted(k for k in out if k != "bad")):
        org = orgs.agency_a if i % 2 == 0 else orgs.agency_b
        IngestedReport.objects.filter(pk=out[key].pk).update(organisation=org, match="confirmed")
        out[key].refresh_from_db()
    return out


def uploaded_file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def post(
    client_as: Callable[[str | None], Client], django_capture_on_commit_callbacks: Any
) -> Callable[..., Any]:
    """POST files as ``who``; the task runs when the upload's transaction commits."""

    def send(files: list[tuple[str, bytes]], who: str = "supervisor", **fields: Any) -> Any:
        c = client_as(who)
        with django_capture_on_commit_callbacks(execute=True):
            sent = [uploaded_file(n, d) for n, d in files]
            return c.post("/api/v1/ingest", {"files": sent, **fields})

    return send
