"""The supervisor's reports as a ``gongkai batch`` dataset (SQLite, or Parquet in a ZIP):
the stored rows are fed to the batch dataset writers, so the download is the very format of
docs/batch.md and ``gongkai stats`` reads it."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from ...batch.dataset import open_dataset
from ...batch.schema import TABLES, Row
from .models import (
    FileStatus,
    IngestedCell,
    IngestedFinding,
    IngestedReport,
    IngestedSection,
    IngestedWarning,
    Stage,
)

_MODELS: dict[str, Any] = {
    "cells": IngestedCell,
    "warnings": IngestedWarning,
    "sections": IngestedSection,
}


def done(reports: QuerySet[IngestedReport]) -> QuerySet[IngestedReport]:
    """The reports that were read (ok or unreadable): a queued file is not in a dataset yet."""
    return reports.filter(status__in=(FileStatus.OK, FileStatus.ERROR))


def _by_report(qs: QuerySet[Any], table: str) -> Iterator[tuple[int, list[Row]]]:
    cols = [c.name for c in TABLES[table]]
    rows = qs.order_by("report_id", "pk").values_list(*cols).iterator(chunk_size=5000)
    for rid, group in groupby(rows, key=lambda r: r[0]):
        yield rid, [tuple(r) for r in group]


class _Cursor:
    """The next report's rows of one table, read in report order alongside the others."""

    def __init__(self, it: Iterator[tuple[int, list[Row]]]) -> None:
        self.it = it
        self.head = next(it, None)

    def take(self, rid: int) -> list[Row]:
        if self.head is not None and self.head[0] == rid:
            rows = self.head[1]
            self.head = next(self.it, None)
            return rows
        return []


def write_dataset(reports: QuerySet[IngestedReport], path: Path) -> None:
    """Write the reports (already scoped) as a dataset at ``path`` (.sqlite or .parquet)."""
    reports = done(reports).order_by("pk")
    ids = reports.values("pk")
    cursors = {
        name: _Cursor(_by_report(model.objects.filter(report__in=ids), name))
        for name, model in _MODELS.items()
    }
    findings = IngestedFinding.objects.filter(report__in=ids)
    cursors["findings"] = _Cursor(_by_report(findings.filter(stage=Stage.FILE), "findings"))
    writer = open_dataset(path, overwrite=True)
    try:
        cols = [c.name for c in TABLES["reports"]]
        for row in reports.values_list(*cols).iterator(chunk_size=2000):
            rid = row[0]
            writer.add(
                {
                    "report": tuple(row),
                    "cells": cursors["cells"].take(rid),
                    "findings": cursors["findings"].take(rid),
                    "warnings": cursors["warnings"].take(rid),
                    "sections": cursors["sections"].take(rid),
                    "facts": None,
                    "features": None,
                    "seconds": 0.0,
                }
            )
        cols = [c.name for c in TABLES["findings"]]
        batch = findings.filter(stage=Stage.BATCH).order_by("report_id", "pk")
        writer.finish({}, (tuple(r) for r in batch.values_list(*cols).iterator()))
    except BaseException:
        writer.abort()
        raise


def dataset_bytes(reports: QuerySet[IngestedReport], kind: str) -> bytes:
    """The dataset as one file: the SQLite file, or the Parquet folder zipped."""
    with tempfile.TemporaryDirectory(prefix="gongkai-export-") as tmp:
        if kind == "sqlite":
            target = Path(tmp) / "reports.sqlite"
            write_dataset(reports, target)
            return target.read_bytes()
        folder = Path(tmp) / "reports.parquet"
        write_dataset(reports, folder)
        archive = Path(tmp) / "reports.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(folder.iterdir()):
                z.write(f, f"reports.parquet/{f.name}")
        return archive.read_bytes()
