"""Walk, parse and check many files over any ``concurrent.futures.Executor``, streaming the
results into a dataset, then run the batch-level checks (cross-year, copy detection).

::

    with ProcessPoolExecutor() as pool:
        summary = ingest(["reports/"], "out.sqlite", executor=pool)

The executor may be a process pool, a thread pool, Dask's ``Client.get_executor()`` or None
(everything in this process). Files go out in chunks; at most ``max_in_flight`` chunks are
pending at once, and each result is written as soon as it arrives, so memory stays flat however
many files there are. Report ids follow the order of the input, so the dataset does not depend
on which worker finished first.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from ..files import Pages, Source, find_files, source_path
from .agencies import AgencyMap, resolve_keys
from .crossyear import BatchFinding, Facts, YearReport, cross_year
from .dataset import Writer, open_dataset
from .pool import dispatch
from .schema import (
    REPORT_AGENCY,
    REPORT_FORMAT,
    REPORT_ID,
    REPORT_KEY,
    REPORT_STATUS,
    REPORT_YEAR,
    Row,
)
from .similarity import DEFAULT_COPY, CopyDetector, CopyOptions, Features, Member, features
from .worker import Item, Page, Record, WorkerOptions, finding_row, pages_sha256, process_chunk

ProgressFn = Callable[[int, int], None]  # (files done, files in total)


@dataclass
class BatchSummary:
    files: int = 0  # files found
    skipped: int = 0  # already in the dataset (--resume)
    ok: int = 0
    errors: int = 0  # files that could not be read as reports
    findings: dict[str, int] = field(default_factory=dict)  # severity → count (per-report)
    batch_findings: dict[str, int] = field(default_factory=dict)  # rule → count (batch stage)
    seconds: dict[str, float] = field(default_factory=dict)  # stage → wall time
    slowest: tuple[float, str] | None = None  # (seconds, file): the file a worker took longest on
    output: str = ""

    @property
    def processed(self) -> int:
        return self.ok + self.errors


@dataclass
class _State:
    agencies: AgencyMap
    years: list[YearReport] = field(default_factory=list)
    keys: dict[int, str | None] = field(default_factory=dict)  # report id → key before merging
    detector: CopyDetector | None = None


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str] | Writer,
    *,
    executor: Executor | None = None,
    resume: bool = False,
    overwrite: bool = False,
    agencies: AgencyMap | None = None,
    strict: bool = False,
    copy: CopyOptions | None = DEFAULT_COPY,
    timeout: int = 60,
    ocr: bool = True,
    cross_years: bool = True,
    chunk_size: int = 8,
    max_in_flight: int | None = None,
    read_in_parent: bool = False,
    progress: ProgressFn | None = None,
    keep_json: bool = False,
) -> BatchSummary:
    """Parse and check every report under ``paths`` into the dataset ``output``.

        ``output`` is a path (its suffix picks the writer, see :func:`~.dataset.open_dataset`) or an
        open :class:`~.dataset.Writer`. With ``resume`` (SQLite only), files already in the
        dataset (same path and SHA-256) are skipped and the error rows of files that were never
        read are done again. ``copy=None`` turns copy detection off;
        ``read_in_parent`` sends file contents to the workers (for a cluster without a shared
        file system); ``keep_json`` sends each parsed report's JSON to the writer too (the web
    application keeps it). Batch-stage findings (cross-year, DUP-1) are recomputed over the whole
        dataset and written into its ``findings`` table. ``timeout`` bounds the seconds one file
        may take in a process-pool worker (0: no limit); a file over it becomes an error row.
        ``ocr=False`` skips scanned pages (their files become error rows, as without the extra). A
        process pool whose worker the system killed is replaced and the files in flight are run
        again (see :mod:`.pool`).
    """
    started = time.perf_counter()
    writer = (
        output
        if isinstance(output, Writer)
        else open_dataset(output, resume=resume, overwrite=overwrite)
    )
    summary = BatchSummary(output=str(writer.path))
    state = _State(agencies or AgencyMap(), detector=CopyDetector(copy) if copy else None)
    try:
        files = find_files(paths)
        summary.files = len(files)
        items = _items(files, writer, resume, summary)
        options = WorkerOptions(
            strict=strict, copy=copy, timeout=timeout, ocr=ocr, keep_json=keep_json
        )
        for prior in writer.prior_reports():
            kept = prior[3] if len(prior) > 3 else None
            _remember(state, prior[0], prior[1], prior[2], kept, compute=True)
        summary.seconds["read"] = time.perf_counter() - started
        total = len(items)
        if progress:
            progress(0, total)
        records = _run(items, options, executor, chunk_size, max_in_flight, read_in_parent)
        with contextlib.closing(records):  # an interruption stops the workers at once
            _write(records, writer, state, summary, progress, total)
        summary.seconds["parse"] = time.perf_counter() - started - summary.seconds["read"]
        final = _final_keys(state)
        # A generator, run by the writer: SQLite computes it while building its indexes.
        writer.finish(final, _batch_rows(state, final, cross_years, summary))
    except BaseException:
        writer.abort()
        raise
    finally:
        if state.detector is not None:
            state.detector.close()
    summary.seconds["total"] = time.perf_counter() - started
    return summary


def _write(
    records: Iterator[Record],
    writer: Writer,
    state: _State,
    summary: BatchSummary,
    progress: ProgressFn | None,
    total: int,
) -> None:
    for done, record in enumerate(records, start=1):
        row = record["report"]
        key = state.agencies.key(row[REPORT_AGENCY])
        record["report"] = (*row[:REPORT_KEY], key, *row[REPORT_KEY + 1 :])
        writer.add(record)
        _count(summary, record)
        if record["report"][REPORT_STATUS] == "ok":
            sections = [(s[1], s[2], s[3]) for s in record["sections"]]
            _remember(state, record["report"], record["facts"], sections, record["features"])
        if progress:
            progress(done, total)


def _items(files: list[Source], writer: Writer, resume: bool, summary: BatchSummary) -> list[Item]:
    """Ids in input order (so the dataset does not depend on which worker finished first),
    without the files already in the dataset when resuming."""
    next_id = writer.next_id()
    done, redo = _already_there(files, writer.existing()) if resume else (set(), {})
    items: list[Item] = []
    for i, source in enumerate(files):
        if i in done:
            summary.skipped += 1
            continue
        path = source_path(source)
        content = _pages(source)
        ids = redo.get(i)
        if ids:
            items.append((ids[0], path, content))
            continue
        given = writer.id_for(Path(path))
        if given is not None:
            items.append((given, path, content))
            continue
        items.append((next_id, path, content))
        next_id += 1
    writer.forget([rid for ids in redo.values() for rid in ids])
    return items


def _pages(source: Source) -> tuple[Page, ...] | None:
    """An item's content before it is read: the page paths of page images, None for a file."""
    if isinstance(source, Pages):
        return tuple((str(p), None) for p in source.pages)
    return None


def _already_there(
    files: list[Source], rows: Iterable[tuple[int, str, str]]
) -> tuple[set[int], dict[int, list[int]]]:
    """For --resume: which of ``files`` (indices) the dataset has, and which have rows to
    be done again (index → report ids, the first of which is reused).

    A file is there when a row has its path and its content (SHA-256), one row per file: two
    files with the same bytes are two rows. A path spelled differently from the earlier run
    (another working directory, a renamed file) still finds a row of the same content whose
    own path is no longer a file. A report given as page images has its label as path and the
    SHA-256 of :func:`.worker.pages_sha256`. A row without SHA-256 — the file could not be
    read, or its worker died twice — is done again.
    """
    by_content: dict[str, Counter[str]] = {}  # sha256 → paths of the rows with it
    unread: dict[str, list[int]] = {}  # path → ids of rows without content
    for rid, file, content in rows:
        if content:
            by_content.setdefault(content, Counter())[_same_path(file)] += 1
        else:
            unread.setdefault(_same_path(file), []).append(rid)
    shas = [_sha256(p) for p in files] if by_content else [None] * len(files)
    done: set[int] = set()
    for i, (source, sha) in enumerate(zip(files, shas, strict=True)):
        path = source_path(source)
        paths = by_content.get(sha or "")
        if paths and paths[_same_path(path)] > 0:
            paths[_same_path(path)] -= 1
            done.add(i)
    for i, sha in enumerate(shas):  # second pass: exact paths have taken their rows first
        paths = by_content.get(sha or "")
        if i in done or not paths:
            continue
        gone = next((p for p, n in paths.items() if n > 0 and _gone(p)), None)
        if gone is not None:
            paths[gone] -= 1
            done.add(i)
    redo = {
        i: unread.pop(key)
        for i, source in enumerate(files)
        if i not in done and (key := _same_path(source_path(source))) in unread
    }
    return done, redo


def _gone(path: str) -> bool:
    """Whether a row's path names nothing any more: no file, no folder of page images, no
    page matching a label such as ``dir/某局2024_p*.png``."""
    if os.path.isfile(path) or os.path.isdir(path):
        return False
    return not ("*" in path and glob.glob(path))


def _same_path(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.path.abspath(path))


def _sha256(source: Source) -> str | None:
    try:
        if isinstance(source, Pages):
            return pages_sha256(p.read_bytes() for p in source.pages)
        return hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError:
        return None  # the worker reads it again and reports the error in Chinese


def _with_contents(chunk: list[Item]) -> list[Item]:
    out: list[Item] = []
    for rid, path, content in chunk:
        if isinstance(content, tuple):
            out.append((rid, path, tuple((page, _read_or_none(page)) for page, _ in content)))
        else:
            out.append((rid, path, _read_or_none(path)))
    return out


def _read_or_none(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None  # the worker tries again and reports the error in Chinese


def _run(
    items: list[Item],
    options: WorkerOptions,
    executor: Executor | None,
    chunk_size: int,
    max_in_flight: int | None,
    read_in_parent: bool = False,
) -> Generator[Record, None, None]:
    chunks = (items[i : i + chunk_size] for i in range(0, len(items), max(1, chunk_size)))
    if executor is None:
        for chunk in chunks:
            yield from process_chunk(chunk, options)
        return
    limit = max_in_flight or 4 * (os.cpu_count() or 1)
    # Read as submitted: only the chunks in flight are in memory.
    prepare = _with_contents if read_in_parent else None
    yield from dispatch(chunks, process_chunk, options, executor, limit, prepare)


def _count(summary: BatchSummary, record: Record) -> None:
    if summary.slowest is None or record["seconds"] > summary.slowest[0]:
        summary.slowest = (record["seconds"], record["report"][1])
    if record["report"][REPORT_STATUS] == "ok":
        summary.ok += 1
    else:
        summary.errors += 1
    for f in record["findings"]:
        summary.findings[f[2]] = summary.findings.get(f[2], 0) + 1


def _remember(
    state: _State,
    row: Row,
    facts: Facts | None,
    sections: list[tuple[int, str, str]],
    feats: Features | None,
    *,
    compute: bool = False,
) -> None:
    """Keep what the batch-level checks need of one parsed report (small: no cells).

    ``compute``: the report comes from the dataset (--resume), so its copy-detection features
    are computed here from its stored sections.
    """
    rid = row[REPORT_ID]
    key = state.agencies.key(row[REPORT_AGENCY])
    state.keys[rid] = key
    year = row[REPORT_YEAR]
    if year is not None and key and facts is not None:
        state.years.append(YearReport(rid, row[1], key, year, row[REPORT_FORMAT], facts))
    det = state.detector
    if det is None:
        return
    if feats is None and compute:
        feats = features(sections, det.options)
    if feats is not None:
        texts = {number: text for number, _, text in sections}
        det.add(Member(rid, row[1], row[REPORT_AGENCY], year), feats, texts)


def _final_keys(state: _State) -> dict[int, str | None]:
    merged = resolve_keys([k for k in state.keys.values() if k], state.agencies)
    return {rid: merged.get(k, k) if k else None for rid, k in state.keys.items()}


def _batch_rows(
    state: _State, final: dict[int, str | None], cross_years: bool, summary: BatchSummary
) -> Iterator[Row]:
    """The batch-stage findings as ``findings`` rows, counted and timed as they go."""
    t = time.perf_counter()
    found: list[BatchFinding] = []
    if cross_years:
        years = [
            YearReport(r.id, r.file, final.get(r.id) or r.agency_key, r.year, r.format, r.facts)
            for r in state.years
        ]
        found = cross_year(years)
    summary.seconds["cross_year"] = time.perf_counter() - t
    for b in found:
        yield _counted(summary, b)
    if state.detector is None:
        return
    spent = 0.0
    dups = state.detector.find(final)
    while True:
        t = time.perf_counter()
        dup = next(dups, None)
        spent += time.perf_counter() - t
        if dup is None:
            break
        yield _counted(summary, dup)
    summary.seconds["copy_detection"] = spent


def _counted(summary: BatchSummary, b: BatchFinding) -> Row:
    rule = b.finding.rule
    summary.batch_findings[rule] = summary.batch_findings.get(rule, 0) + 1
    return finding_row(b.report_id, b.finding, b.related_id)
