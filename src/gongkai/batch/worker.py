"""The work done for each file, in whatever process or cluster node the executor chose.

``process_chunk`` is what the executor runs: it parses and checks a few files and returns plain
tuples and dicts (no pydantic objects: pickling those is several times slower), ready for the
writers in the parent. It never raises for a bad file: a file that cannot be read becomes a
``reports`` row with status ``error`` and the Chinese message of the error.
"""

from __future__ import annotations

import errno
import hashlib
import json
import signal
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from .. import formats
from ..check import check
from ..check.finding import Finding
from ..errors import GongkaiError, ParseError
from ..parse import parse, parse_images
from ..parse.ocr import is_image
from ..parse.pdf import scanned_pages
from ..report import Cell, Location, Report
from .crossyear import Facts, facts_of
from .schema import Row
from .similarity import DEFAULT_COPY, CopyOptions, Features, features


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    strict: bool = False
    copy: CopyOptions | None = DEFAULT_COPY  # None: no copy-detection features
    # Seconds one file may take to parse and check; 0 for no limit. A report takes milliseconds:
    # a file that takes a minute has hit a pathological case, and must not stall the batch.
    # Pages read through OCR take seconds each, so the limit grows by OCR_PAGE_SECONDS for each
    # page the file will OCR (each image of a scanned report's page images, each page of a PDF
    # with no text layer; see time_limit).
    timeout: int = 60
    # Read scanned PDF pages through OCR when the ocr extra is installed; False skips them as
    # before (an error row saying the file needs OCR).
    ocr: bool = True
    # Also send the parsed report itself (its JSON, zlib-compressed), for a store that shows
    # the report again (the web application's supervisor side); the files' datasets do not.
    keep_json: bool = False


# Seconds more that one page read through OCR adds to WorkerOptions.timeout (OCR takes 3–8 s
# a page on two cores; a process per core makes it slower).
OCR_PAGE_SECONDS = 30


def time_limit(timeout: int, ocr_pages: int) -> int:
    """The seconds a file may take: ``timeout`` plus OCR_PAGE_SECONDS per page read through
    OCR; 0 (no limit) stays 0."""
    return timeout + OCR_PAGE_SECONDS * ocr_pages if timeout > 0 else 0


class FileTimeout(Exception):
    """Raised inside a worker when one file exceeds ``WorkerOptions.timeout``."""


@contextmanager
def _time_limit(seconds: int) -> Iterator[Callable[[int], None]]:
    """SIGALRM-based limit; only in a process's main thread (process-pool workers), where
    signals are delivered. Threads (Dask's thread workers, in-process runs off the main
    thread) run without a limit rather than with a broken one. Yields a function that sets
    the limit anew (seconds from the start), once the file's OCR pages are counted."""
    usable = (
        seconds > 0
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield lambda _: None
        return
    start = time.monotonic()

    def expired(signum: int, frame: object) -> None:
        raise FileTimeout

    def extend(total: int) -> None:
        signal.alarm(max(1, total - int(time.monotonic() - start)))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield extend
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Record(TypedDict):
    """One file's rows for every table, plus what the batch-level checks need."""

    report: Row
    cells: list[Row]
    findings: list[Row]
    warnings: list[Row]
    sections: list[Row]
    facts: Facts | None
    features: Features | None
    seconds: float  # time spent on this file in the worker
    json: bytes | None  # zlib(report.to_json()) with WorkerOptions.keep_json, else None


# One page of a scanned report given as page images: its path, and its bytes if the parent
# read them.
Page = tuple[str, bytes | None]
# A unit of work: (report id, path as the dataset shows it, content). The content of a file is
# its bytes if the parent read them, else None; that of a report given as page images
# (files.Pages) is its pages in order, and the path is the pages' label (their folder, or
# ``dir/某局2024_p*.png``).
Item = tuple[int, str, bytes | tuple[Page, ...] | None]


def process_chunk(items: list[Item], options: WorkerOptions) -> list[Record]:
    return [process_file(rid, path, data, options) for rid, path, data in items]


def pages_sha256(pages: Iterable[bytes]) -> str:
    """The SHA-256 of a report given as page images (for --resume and duplicates): the SHA-256
    of the pages' own SHA-256 digests (32 bytes each), in page order. Changing, adding,
    removing or reordering a page changes it."""
    outer = hashlib.sha256()
    for data in pages:
        outer.update(hashlib.sha256(data).digest())
    return outer.hexdigest()


def process_file(
    report_id: int, path: str, data: bytes | tuple[Page, ...] | None, options: WorkerOptions
) -> Record:
    start = time.perf_counter()
    name = Path(path).name
    size: int | None = None
    sha = ""
    limit = options.timeout
    ocr = None if options.ocr else False
    try:
        if isinstance(data, tuple):
            pages = [
                (Path(p).name, b if b is not None else _read(p, Path(p).name)) for p, b in data
            ]
            size = sum(len(b) for _, b in pages)
            sha = pages_sha256(b for _, b in pages)
            if not options.ocr:
                raise ParseError("图片年报需要OCR识别，但OCR已关闭", Location(file=name))
            limit = time_limit(options.timeout, len(pages))
            with _time_limit(limit):
                report = parse_images(pages, name, strict=options.strict, ocr=ocr)
                findings = check(report)
        else:
            if data is None:
                data = _read(path, name)
            size = len(data)
            sha = hashlib.sha256(data).hexdigest()
            with _time_limit(options.timeout) as extend:
                if options.ocr and options.timeout > 0:
                    limit = time_limit(options.timeout, ocr_pages(data))
                    extend(limit)
                report = parse(data, strict=options.strict, name=name, ocr=ocr)
                findings = check(report)
    except FileTimeout:
        message = f"{name}：解析与核查超过{limit}秒仍未完成，已跳过（请报告此文件）"
        return error_record(report_id, path, sha, size, message, start)
    except GongkaiError as e:
        return error_record(report_id, path, sha, size, str(e), start)
    except Exception as e:  # a parser bug must not stop a batch of thousands of files
        message = f"{name}：解析时程序出错（{type(e).__name__}: {e}），请报告此问题"
        return error_record(report_id, path, sha, size, message, start)
    return to_record(report_id, path, sha, size, report, findings, options, start)


def ocr_pages(data: bytes) -> int:
    """How many pages of a file OCR will read: 1 for an image, the pages without a text layer
    for a PDF (counted by pdfium without reading them), else 0."""
    if is_image(data[:16]):
        return 1
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return scanned_pages(data)
    return 0


_OS_ERRORS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EISDIR: "这是一个目录，不是文件",
}


def _read(path: str, name: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        why = _OS_ERRORS.get(e.errno or 0, e.strerror or str(e))
        raise ParseError(f"无法读取文件：{why}", Location(file=name)) from None


def error_record(
    report_id: int, path: str, sha: str, size: int | None, message: str, start: float
) -> Record:
    row = (report_id, path, sha, size, None, None, None, None, None, "error", message, 0)
    return Record(
        report=row,
        cells=[],
        findings=[],
        warnings=[],
        sections=[],
        facts=None,
        features=None,
        seconds=time.perf_counter() - start,
        json=None,
    )


def to_record(
    report_id: int,
    path: str,
    sha: str,
    size: int | None,
    report: Report,
    findings: list[Finding],
    options: WorkerOptions,
    start: float,
) -> Record:
    row = (
        report_id,
        path,
        sha,
        size,
        report.agency,
        None,  # agency_key: the parent fills it (it needs the user's mapping and the dataset)
        report.year,
        report.format,
        report.title,
        "ok",
        None,
        len(report.warnings),
    )
    sections = [
        (
            report_id,
            s.number,
            s.heading,
            s.text,
            s.location.page if s.location else None,
            s.location.line if s.location else None,
        )
        for s in report.sections
    ]
    feats = None
    if options.copy is not None:
        feats = features([(s.number, s.heading, s.text) for s in report.sections], options.copy)
    return Record(
        report=row,
        cells=cell_rows(report_id, report),
        findings=[finding_row(report_id, f) for f in findings],
        warnings=[
            (report_id, w.code, w.message, _place(w.location), _loc_json(w.location))
            for w in report.warnings
        ],
        sections=sections,
        facts=facts_of(report),
        features=feats,
        seconds=time.perf_counter() - start,
        json=zlib.compress(report.to_json().encode(), 6) if options.keep_json else None,
    )


@cache
def _column_label(fmt: str, table: str, row: str, column: str) -> str:
    try:
        return formats.get(fmt).table(table).column(row, column).full_label
    except KeyError:
        return column


def cell_rows(report_id: int, report: Report) -> list[Row]:
    rows: list[Row] = []
    for table in report.tables.values():
        for r in table.rows:
            for c in r.cells:
                label = _column_label(report.format, table.key, r.key, c.column)
                rows.append(
                    _cell_row(report_id, table.key, r.key, r.label, label, c, False, r.location)
                )
            for c in r.extra:
                rows.append(
                    _cell_row(report_id, table.key, r.key, r.label, "表头外", c, True, r.location)
                )
    return rows


def _cell_row(
    report_id: int,
    table: str,
    row: str,
    row_label: str,
    column_label: str,
    c: Cell,
    extra: bool,
    row_loc: Location | None,
) -> Row:
    loc = c.location or row_loc
    value: int | float | None
    if isinstance(c.value, Decimal):
        value, text = float(c.value), str(c.value)
    elif c.value is None:
        value, text = None, None
    else:
        value, text = c.value, str(c.value)
    return (
        report_id,
        table,
        row,
        c.column,
        row_label,
        column_label,
        c.raw,
        value,
        text,
        str(c.kind),
        c.unit,
        c.inferred,
        extra,
        loc.page if loc else None,
        loc.line if loc else None,
        loc.row if loc else None,
        loc.column if loc else None,
        loc.ocr if loc else None,
    )


def finding_row(report_id: int, f: Finding, related: int | None = None) -> Row:
    table = f.cells[0].table if f.cells else (f.location.table if f.location else None)
    cells: list[dict[str, Any]] = [c.model_dump(mode="json", exclude_none=True) for c in f.cells]
    return (
        report_id,
        f.rule,
        f.severity,
        f.message,
        f.source,
        table,
        _place(f.location),
        json.dumps(cells, ensure_ascii=False) if cells else None,
        _loc_json(f.location),
        related,
    )


def _place(loc: Location | None) -> str | None:
    return (loc.describe() or None) if loc else None


def _loc_json(loc: Location | None) -> str | None:
    return loc.model_dump_json() if loc else None
