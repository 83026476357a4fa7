"""The batch runner's dataset writer, into the application's database.

``gongkai.batch.ingest`` parses and checks the files (in a process pool, or a Dask cluster) and
hands every file's rows to a :class:`~gongkai.batch.dataset.Writer`; this one writes them into
the supervise tables, so the web and ``gongkai batch`` share one code path and one schema. The
report ids are the ``IngestedReport`` rows created at upload (:meth:`DbWriter.id_for`), so that
every uploaded file is a row from the first second, and a rerun after a restart
(``resume=True``) skips what is done and does the rest, nothing lost or doubled.

Rows go in with ``executemany`` on the raw cursor: the ORM would build ~200 model objects per
report for nothing (10 000 reports are two million cells).
"""

from __future__ import annotations

import marshal
import time
import zlib
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ...batch.crossyear import FACT_TABLES, facts_from_cells
from ...batch.dataset import PriorReport, Writer
from ...batch.schema import TABLES, Row
from ...batch.worker import Record
from .models import (
    FileStatus,
    IngestedCell,
    IngestedFinding,
    IngestedReport,
    IngestedSection,
    IngestedWarning,
    IngestJob,
    Stage,
)

# Dataset table → (model, extra columns with their value).
_TABLES: dict[str, tuple[Any, tuple[tuple[str, Any], ...]]] = {
    "cells": (IngestedCell, ()),
    "findings": (IngestedFinding, (("stage", Stage.FILE),)),
    "warnings": (IngestedWarning, ()),
    "sections": (IngestedSection, ()),
}
_BOOLS = {"cells": (11, 12)}  # inferred, extra: 0/1 in the dataset, booleans here (PostgreSQL)


def _insert(name: str, extra: tuple[tuple[str, Any], ...] = ()) -> str:
    model, _ = _TABLES[name]
    cols = [c.name for c in TABLES[name]] + [c for c, _ in extra]
    marks = ", ".join(["%s"] * len(cols))
    return f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) VALUES ({marks})"


def _rows(name: str, rows: list[Row], extra: tuple[tuple[str, Any], ...] = ()) -> list[Row]:
    # SQLite stores booleans as 0/1 already: converting two million cells costs seconds.
    bools = _BOOLS.get(name, ()) if connection.vendor != "sqlite" else ()
    tail = tuple(v for _, v in extra)
    if not bools and not tail:
        return rows
    return [tuple(bool(v) if i in bools else v for i, v in enumerate(r)) + tail for r in rows]


class LostClaim(Exception):
    """Another task has taken the job over (this one was thought dead): stop, write nothing."""


class DbWriter(Writer):
    """Writes one :class:`IngestJob`'s files. Prior reports (for the cross-year checks and copy
    detection) are the supervisor's other reports that were read.

    ``claim``: the job's claim token (:func:`.ingest.claim`); every commit checks, in its own
    transaction, that the job still carries it, so a task that lost its claim writes nothing.
    ``cross=False`` leaves the batch stage (cross-year, copy detection) to a later job of the
    same supervisor that is already queued: it loads no prior reports and writes no batch
    findings (an upload in 20 parts does the cross-report work once, not 20 times).
    """

    # Commit whole reports every COMMIT_REPORTS or COMMIT_SECONDS, whichever comes first; the
    # job's progress moves at each commit.
    COMMIT_REPORTS = 50
    COMMIT_SECONDS = 1.0

    def __init__(self, job: IngestJob, root: Path, *, claim: str = "", cross: bool = True) -> None:
        self.job = job
        self.root = root
        self.claim = claim
        self.cross = cross
        self._keys: dict[int, str] = {}  # report id → agency key as stored
        self.path = root / f"ingest/{job.pk}"
        self._ids = {
            str(root / stored): pk
            for pk, stored in IngestedReport.objects.filter(job=job).values_list("pk", "stored")
        }
        self._pending: list[Record] = []
        self._committed = time.monotonic()
        self._sql = {name: _insert(name, extra) for name, (_, extra) in _TABLES.items()}
        cols = [
            "sha256",
            "size",
            "agency",
            "agency_key",
            "year",
            "format",
            "title",
            "status",
            "error",
            "n_warnings",
            "n_error",
            "n_warning",
            "n_info",
            "report_json",
            "features",
            "processed_at",
        ]
        self._update_sql = (
            f"UPDATE {IngestedReport._meta.db_table} SET "
            + ", ".join(f"{c} = %s" for c in cols)
            + " WHERE id = %s"
        )

    def files(self) -> list[str]:
        """The job's stored files, in upload order."""
        return list(self._ids)

    def id_for(self, path: Path) -> int | None:
        return self._ids.get(str(path))

    def existing(self) -> list[tuple[int, str, str]]:
        rows = IngestedReport.objects.filter(job=self.job).exclude(status=FileStatus.QUEUED)
        return [
            (pk, str(self.root / stored), sha)
            for pk, stored, sha in rows.values_list("pk", "stored", "sha256")
        ]

    def forget(self, report_ids: list[int]) -> None:
        if not report_ids:
            return
        with transaction.atomic():
            self._check_claim()
            for model, _ in _TABLES.values():
                model.objects.filter(report_id__in=report_ids).delete()
            n = (
                IngestedReport.objects.filter(pk__in=report_ids)
                .exclude(status=FileStatus.QUEUED)
                .update(status=FileStatus.QUEUED, error="", report_json=None, features=None)
            )
            IngestJob.objects.filter(pk=self.job.pk).update(done=F("done") - n)

    def _check_claim(self, **fields: Any) -> None:
        """Inside a transaction: the job still carries our claim (and its heartbeat moves)."""
        if not self.claim:
            if fields:
                IngestJob.objects.filter(pk=self.job.pk).update(**fields)
            return
        moved = IngestJob.objects.filter(pk=self.job.pk, claim=self.claim).update(
            heartbeat=timezone.now(), **fields
        )
        if not moved:
            raise LostClaim(self.job.pk)

    def prior_reports(self) -> Iterator[PriorReport]:
        if not self.cross:
            return
        ok = IngestedReport.objects.filter(
            supervisor_id=self.job.supervisor_id, status=FileStatus.OK
        ).order_by("pk")
        cols = [c.name for c in TABLES["reports"]]
        fields = ["pk" if c == "id" else ("stored" if c == "file" else c) for c in cols]
        reports = list(ok.values_list(*fields, "features"))
        if not reports:
            return
        ids = [r[0] for r in reports]
        cells = (
            IngestedCell.objects.filter(report__in=ok, extra=False, table_key__in=FACT_TABLES)
            .order_by("report_id")
            .values_list(
                "report_id",
                "table_key",
                "row_key",
                "column_key",
                "kind",
                "value_text",
                "line",
                "page",
            )
        )
        by_report = {k: [c[1:] for c in g] for k, g in groupby(cells.iterator(), lambda c: c[0])}
        sections = (
            IngestedSection.objects.filter(report__in=ok)
            .order_by("report_id", "number")
            .values_list("report_id", "number", "heading", "text")
        )
        texts = {k: [s[1:] for s in g] for k, g in groupby(sections.iterator(), lambda s: s[0])}
        for row, rid in zip(reports, ids, strict=True):
            self._keys[rid] = row[5] or ""
            full = (rid, str(self.root / row[1]), *row[2:-1])
            facts = facts_from_cells(row[7], by_report.get(rid, []))
            yield full, facts, texts.get(rid, []), _unpack(row[-1])

    def add(self, record: Record) -> None:
        self._pending.append(record)
        now = time.monotonic()
        if (
            len(self._pending) >= self.COMMIT_REPORTS
            or now - self._committed >= self.COMMIT_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        """Commit the reports added so far, whole reports only, with the job's progress."""
        pending, self._pending = self._pending, []
        self._committed = time.monotonic()
        if not pending:
            return
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with transaction.atomic(), connection.cursor() as cur:
            # First, so that a task that lost the job stops before writing a row.
            self._check_claim(done=F("done") + len(pending))
            cur.executemany(self._update_sql, [self._report_row(r, now) for r in pending])
            for name, (_, extra) in _TABLES.items():
                rows = [r for record in pending for r in record[name]]  # type: ignore[literal-required]
                if rows:
                    cur.executemany(self._sql[name], _rows(name, rows, extra))

    def _report_row(self, record: Record, now: Any) -> tuple[Any, ...]:
        (rid, _, sha, size, agency, key, year, fmt, title, status, error, n_warn) = record["report"]
        self._keys[rid] = key or ""
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in record["findings"]:
            counts[f[2]] = counts.get(f[2], 0) + 1
        json = record.get("json")
        return (
            sha or "",
            size,
            agency or "",
            key or "",
            year,
            fmt or "",
            title or "",
            status,
            error or "",
            n_warn or 0,
            counts["error"],
            counts["warning"],
            counts["info"],
            json,
            _pack(record.get("features")),
            now,
            rid,
        )

    def finish(self, agency_keys: dict[int, str | None], batch_findings: Iterable[Row]) -> None:
        self.flush()
        # Only the keys that merging changed, in one statement.
        changed = [
            (key or "", rid)
            for rid, key in agency_keys.items()
            if rid in self._keys and self._keys[rid] != (key or "")
        ]
        table = IngestedReport._meta.db_table
        if not self.cross:
            with transaction.atomic(), connection.cursor() as cur:
                self._check_claim()
                cur.executemany(f"UPDATE {table} SET agency_key = %s WHERE id = %s", changed)
            return
        rows = list(batch_findings)  # computed before the transaction: copy detection is slow
        scope = IngestedReport.objects.filter(supervisor_id=self.job.supervisor_id)
        with transaction.atomic(), connection.cursor() as cur:
            self._check_claim()
            cur.executemany(f"UPDATE {table} SET agency_key = %s WHERE id = %s", changed)
            old = IngestedFinding.objects.filter(report__in=scope, stage=Stage.BATCH)
            touched = set(old.values_list("report_id", flat=True))
            old.delete()
            extra = (("stage", Stage.BATCH),)
            if rows:
                cur.executemany(_insert("findings", extra), _rows("findings", rows, extra))
            touched |= {r[0] for r in rows}
            _recount(touched)

    def abort(self) -> None:
        # What was committed stays: every commit holds whole reports with all their rows and
        # the job's progress (one transaction), so nothing is half-written. The records not
        # committed yet are dropped and their files are still "queued": a rerun reads them.
        self._pending = []


def _pack(features: Any) -> bytes | None:
    return None if features is None else zlib.compress(marshal.dumps(features), 1)


def _unpack(data: Any) -> Any:
    """The stored features (a tuple of bytes and lists, written by :func:`_pack`)."""
    if not data:
        return None
    return marshal.loads(zlib.decompress(bytes(data)))


def _recount(report_ids: Iterable[int]) -> None:
    """Finding counts per severity of these reports, from their findings (batch-stage findings
    change them after the file was read): one grouped query and one executemany per 500."""
    ids = sorted(report_ids)
    table = IngestedReport._meta.db_table
    sql = f"UPDATE {table} SET n_error = %s, n_warning = %s, n_info = %s WHERE id = %s"
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        counts = (
            IngestedFinding.objects.filter(report_id__in=part)
            .values("report_id")
            .annotate(
                e=Count("pk", filter=Q(severity="error")),
                w=Count("pk", filter=Q(severity="warning")),
                i=Count("pk", filter=Q(severity="info")),
            )
            .values_list("report_id", "e", "w", "i")
        )
        found = {rid: (e, w, i) for rid, e, w, i in counts}
        rows = [(*found.get(rid, (0, 0, 0)), rid) for rid in part]
        with connection.cursor() as cur:
            cur.executemany(sql, rows)
