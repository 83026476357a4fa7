"""The supervisor's ingest, run in-process: the batch runner's rows land in the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gongkai.batch.worker import cell_rows
from gongkai.web import demo
from gongkai.web.supervise.ingest import Upload, create_job, run_job
from gongkai.web.supervise.models import FileStatus, IngestedCell, IngestedReport, JobState

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))


def uploads(paths: list[Path]) -> list[Upload]:
    return [Upload(p.name, [p.read_bytes()]) for p in paths]


@pytest.fixture
def seeds_job(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> Any:
    files = [*uploads(SEEDS), Upload("坏文件.docx", [b"PK\x03\x04 not a zip at all"])]
    job = create_job(files, supervisor=orgs.district, user=user("supervisor"))
    return run_job(job.pk)


def test_five_seeds_and_a_broken_file_are_six_rows(seeds_job: Any) -> None:
    assert seeds_job.state == JobState.DONE
    assert (seeds_job.total, seeds_job.done) == (6, 6)
    rows = list(IngestedReport.objects.filter(job=seeds_job).order_by("pk"))
    assert [r.file for r in rows] == [*(p.name for p in SEEDS), "坏文件.docx"]
    assert [r.status for r in rows] == [FileStatus.OK] * 5 + [FileStatus.ERROR]
    assert "坏文件.docx" in rows[-1].error
    assert rows[-1].report_json is None


def test_known_findings_of_the_seeds(seeds_job: Any) -> None:
    rows = {r.file[:3]: r for r in IngestedReport.objects.filter(job=seeds_job)}
    assert rows["000"].findings.filter(rule="X-9").exists()
    assert rows["004"].findings.filter(rule="X-4").exists()
    for r in rows.values():
        if r.status == FileStatus.OK:
            assert r.n_error == r.findings.filter(severity="error").count()


def test_cells_and_the_parsed_report_are_kept(seeds_job: Any) -> None:
    row = IngestedReport.objects.filter(job=seeds_job).order_by("pk").first()
    assert row is not None
    report = row.parsed()
    assert report.agency == row.agency and report.year == row.year
    # Exactly the dataset's cell rows of that report (what `gongkai batch` would write).
    assert IngestedCell.objects.filter(report=row).count() == len(cell_rows(row.pk, report))


def test_a_rerun_adds_nothing(seeds_job: Any) -> None:
    before = IngestedCell.objects.count()
    run_job(seeds_job.pk)
    assert IngestedCell.objects.count() == before


def test_enqueue_runs_the_job_after_commit(
    orgs: demo.DemoOrgs, user: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.web.supervise.tasks import enqueue

    job = create_job(uploads(SEEDS[:1]), supervisor=orgs.district, user=user("supervisor"))
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(job)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 1, 1)
