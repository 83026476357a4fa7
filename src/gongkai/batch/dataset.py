"""Dataset writers: SQLite, XLSX, a folder of CSVs, a folder of Parquet files.

All four take the same calls in the same order — ``add(record)`` for every file as results
arrive, then ``finish(...)`` with the dataset-wide agency keys and the batch-stage findings —
and write the tables of :mod:`.schema` as they go, so memory does not grow with the cells. Only
the small ``reports`` table waits for ``finish`` in the streaming formats (its ``agency_key``
is settled over the whole dataset); SQLite inserts it at once, so an interrupted run can be
resumed, and updates the keys at the end.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, ClassVar

from .. import __version__
from ..errors import GongkaiError
from .crossyear import FACT_TABLES, Facts, facts_from_cells
from .schema import INDEXES, REPORT_ID, REPORT_KEY, SCHEMA_VERSION, SHEETS, TABLES, Col, Row
from .worker import Record
from .xlsx import Sheet, Workbook

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the header included
EXCEL_MAX_CHARS = 32_767  # characters per cell
TRUNCATED = "…（已截断）"
STREAMED = ("cells", "findings", "warnings", "sections")
VALUE_NOTE = (
    "cells.value：计数为整数，金额（万元）为浮点数；cells.value_text 为精确的十进制文本。"
    "空白、“/”、“-”的 value 为空（kind 区分三者），合计时按0计"
)


class DatasetError(GongkaiError):
    """The output cannot be written (exists, wrong kind, unreadable for --resume …)."""


def dataset_kind(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    kinds = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".xlsx": "xlsx"}
    kinds |= {".csv": "csv", ".parquet": "parquet"}
    if suffix not in kinds:
        raise DatasetError(
            f"不支持的输出类型「{suffix or Path(path).name}」：应以 .sqlite、.xlsx、.csv（文件夹）"
            "或 .parquet（文件夹）结尾"
        )
    return kinds[suffix]


def open_dataset(
    path: str | os.PathLike[str],
    *,
    resume: bool = False,
    overwrite: bool = False,
    xlsx_max_rows: int = EXCEL_MAX_ROWS,
) -> Writer:
    """The writer for ``path``, chosen by its suffix (see :func:`dataset_kind`)."""
    p = Path(path)
    kind = dataset_kind(p)
    if resume and kind != "sqlite":
        raise DatasetError("--resume 只适用于 SQLite 数据集（.sqlite）")
    if p.exists() and not resume and not overwrite:
        raise DatasetError(f"输出已存在：{p}（继续写入请用 --resume，覆盖请用 --overwrite）")
    if kind == "sqlite":
        return SqliteWriter(p, overwrite=overwrite and not resume)
    if kind == "xlsx":
        return XlsxWriter(p, max_rows=xlsx_max_rows)
    if kind == "csv":
        return CsvWriter(p)
    return ParquetWriter(p)


def meta_rows(created: str | None = None) -> list[Row]:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return [
        ("gongkai_version", __version__),
        ("schema_version", str(SCHEMA_VERSION)),
        ("created_at", created or now),
        ("updated_at", now),
        ("value_note", VALUE_NOTE),
    ]


class Writer(ABC):
    """What the batch runner needs of a dataset."""

    path: Path

    def existing(self) -> list[tuple[int, str, str]]:
        """(report id, file, sha256) of the files already in the dataset (for --resume)."""
        return []

    def forget(self, report_ids: list[int]) -> None:
        """Drop these reports (error rows of files that --resume does again)."""
        if report_ids:
            raise NotImplementedError("only SQLite datasets can be resumed")

    def next_id(self) -> int:
        return 1

    def id_for(self, path: Path) -> int | None:
        """The report id this store already gave ``path`` (a store that lists its files
        before the run, as the web application's ingest does); None: the next free id."""
        return None

    def prior_reports(self) -> Iterator[PriorReport]:
        """The parsed reports already in the dataset (for --resume's batch-level checks)."""
        return iter(())

    @abstractmethod
    def add(self, record: Record) -> None: ...

    @abstractmethod
    def finish(self, agency_keys: dict[int, str | None], batch_findings: Iterable[Row]) -> None:
        """Write the final agency keys and the batch-stage findings, then close."""

    @abstractmethod
    def abort(self) -> None:
        """Close after an interruption, keeping what was written."""


# (report row, its facts, its sections) — and optionally its copy-detection features when the
# writer kept them (the web's DbWriter), so that they are not computed again.
PriorReport = (
    tuple[Row, Facts, list[tuple[int, str, str]]]
    | tuple[Row, Facts, list[tuple[int, str, str]], Any]
)


_FACT_MARKS = ", ".join("?" * len(FACT_TABLES))


class SqliteWriter(Writer):
    # A report's rows commit together, every COMMIT_REPORTS reports or COMMIT_SECONDS,
    # whichever comes first: a killed run loses at most that much work.
    COMMIT_REPORTS = 200
    COMMIT_SECONDS = 1.0

    def __init__(self, path: Path, *, overwrite: bool = False) -> None:
        self.path = path
        if overwrite:
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
        self._created_at: str | None = None
        try:
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA journal_mode=WAL")
            if self._tables():
                self._check_existing()
            else:
                self._create()
            self.db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as e:
            raise DatasetError(f"无法打开 SQLite 数据集 {path}：{e}") from None
        self._inserts = {
            name: f"INSERT INTO {name} VALUES ({', '.join('?' * len(TABLES[name]))})"
            for name in TABLES
        }
        self._pending = 0
        self._committed = time.monotonic()
        self._adding: int | None = None  # the report being added, if add() was interrupted

    def _tables(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}

    def _create(self) -> None:
        """Tables and meta (the schema version) in one transaction, synced to disk before any
        report: a run killed at any later moment leaves a dataset that --resume accepts."""
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("BEGIN")
        for name, cols in TABLES.items():
            body = ", ".join(f"{c.name} {c.sql}" for c in cols)
            self.db.execute(f"CREATE TABLE {name} ({body})")
        rows = meta_rows()
        self._created_at = next(str(v) for k, v in rows if k == "created_at")
        self.db.executemany("INSERT INTO meta VALUES (?, ?)", rows)
        self.db.commit()

    def _check_existing(self) -> None:
        tables = self._tables()
        if "meta" not in tables or "reports" not in tables:
            raise DatasetError(f"{self.path} 不是 gongkai 的数据集（缺少 meta 或 reports 表）")
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        version = meta.get("schema_version")
        if version is None:
            raise DatasetError(
                f"{self.path} 缺少数据集结构版本（可能是旧版 gongkai 被强行终止时留下的），"
                "无法继续写入；请写入新的文件"
            )
        if version != str(SCHEMA_VERSION):
            raise DatasetError(
                f"{self.path} 的数据集结构版本为 {version}，当前版本为 {SCHEMA_VERSION}；"
                "请写入新的文件"
            )
        self._created_at = meta.get("created_at")
        for name, cols in TABLES.items():  # a table added to the schema since (compatible)
            body = ", ".join(f"{c.name} {c.sql}" for c in cols)
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {name} ({body})")

    def existing(self) -> list[tuple[int, str, str]]:
        return self.db.execute("SELECT id, file, sha256 FROM reports").fetchall()

    def forget(self, report_ids: list[int]) -> None:
        for name in TABLES:
            if name not in ("reports", "meta"):
                self.db.executemany(
                    f"DELETE FROM {name} WHERE report_id = ?", [(i,) for i in report_ids]
                )
        self.db.executemany("DELETE FROM reports WHERE id = ?", [(i,) for i in report_ids])
        self.db.commit()

    def next_id(self) -> int:
        (top,) = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM reports").fetchone()
        return int(top) + 1

    def prior_reports(self) -> Iterator[PriorReport]:
        cols = ", ".join(c.name for c in TABLES["reports"])
        rows = self.db.execute(
            f"SELECT {cols} FROM reports WHERE status = 'ok' ORDER BY id"
        ).fetchall()
        for row in rows:
            rid, fmt = row[REPORT_ID], row[7]
            cells = self.db.execute(
                "SELECT table_key, row_key, column_key, kind, value_text, line, page FROM cells "
                f"WHERE report_id = ? AND extra = 0 AND table_key IN ({_FACT_MARKS})",
                (rid, *FACT_TABLES),
            )
            sections = self.db.execute(
                "SELECT number, heading, text FROM sections WHERE report_id = ? ORDER BY number",
                (rid,),
            ).fetchall()
            yield tuple(row), facts_from_cells(fmt, cells), [tuple(s) for s in sections]

    def add(self, record: Record) -> None:
        ex = self.db.executemany
        self._adding = record["report"][REPORT_ID]
        self.db.execute(self._inserts["reports"], record["report"])
        for name in STREAMED:
            rows: list[Row] = record[name]  # type: ignore[literal-required]
            if rows:
                ex(self._inserts[name], rows)
        self._adding = None
        self._pending += 1
        now = time.monotonic()
        if self._pending >= self.COMMIT_REPORTS or now - self._committed >= self.COMMIT_SECONDS:
            self.db.commit()  # whole reports only: --resume never sees half of one
            self._pending = 0
            self._committed = now

    def finish(self, agency_keys: dict[int, str | None], batch_findings: Iterable[Row]) -> None:
        from .crossyear import RULES as CROSS_RULES
        from .similarity import RULE as DUP_RULE

        db = self.db
        db.executemany(
            "UPDATE reports SET agency_key = ? WHERE id = ?",
            [(key, rid) for rid, key in agency_keys.items()],
        )
        # Batch-stage findings are recomputed over the whole dataset on every run.
        rules = [*CROSS_RULES, DUP_RULE.id]
        db.execute(f"DELETE FROM findings WHERE rule IN ({', '.join('?' * len(rules))})", rules)
        db.commit()
        # The indexes (about 2 s for 10 000 reports) are built on a second connection while
        # this thread computes the batch-stage findings (copy detection): SQLite releases the
        # GIL, so on two cores the two overlap. The findings wait in a list meanwhile.
        failed: list[BaseException] = []
        indexer = threading.Thread(target=_create_indexes, args=(self.path, failed))
        indexer.start()
        try:
            rows = list(batch_findings)
        finally:
            indexer.join()
        if failed:
            raise DatasetError(f"无法为数据集 {self.path} 建立索引：{failed[0]}")
        db.executemany(self._inserts["findings"], rows)
        db.execute("DELETE FROM meta")
        db.executemany(self._inserts["meta"], meta_rows(self._created_at))
        db.commit()
        db.close()

    def abort(self) -> None:
        try:
            if self._adding is not None:  # interrupted inside add(): that report is redone
                self.forget([self._adding])
            self.db.execute("DELETE FROM meta")
            self.db.executemany(self._inserts["meta"], meta_rows(self._created_at))
            self.db.commit()
            self.db.close()
        except sqlite3.Error:
            # Already closed (the failure came from finish() itself), or the disk failed too:
            # the failure that brought us here is the one to report, not a second one.
            pass


def _create_indexes(path: Path, failed: list[BaseException]) -> None:
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=60)) as db:
            for name, table, columns in INDEXES:
                db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
            db.commit()
    except sqlite3.Error as e:
        failed.append(e)


class _Buffered(Writer):
    """Streaming formats: cells, findings, warnings and sections go out as they come; the
    reports rows wait for ``finish`` (a few hundred bytes each)."""

    def __init__(self) -> None:
        self._reports: list[Row] = []
        self._closed = False

    def add(self, record: Record) -> None:
        self._reports.append(record["report"])
        for name in STREAMED:
            rows: list[Row] = record[name]  # type: ignore[literal-required]
            if rows:
                self._write(name, rows)

    def finish(self, agency_keys: dict[int, str | None], batch_findings: Iterable[Row]) -> None:
        if self._closed:
            return
        self._closed = True
        reports = []
        for row in self._reports:
            r = list(row)
            r[REPORT_KEY] = agency_keys.get(row[REPORT_ID], row[REPORT_KEY])
            reports.append(tuple(r))
        self._write("reports", reports)
        chunk: list[Row] = []
        for row in batch_findings:
            chunk.append(row)
            if len(chunk) >= 10_000:
                self._write("findings", chunk)
                chunk = []
        if chunk:
            self._write("findings", chunk)
        self._write("meta", meta_rows())
        self._close()

    def abort(self) -> None:
        """Write what arrived (reports with their keys before the dataset-wide merge)."""
        # The failure that brought us here is the one to report, not a second one.
        with contextlib.suppress(OSError, GongkaiError):
            self.finish({}, [])

    @abstractmethod
    def _write(self, table: str, rows: list[Row]) -> None: ...

    @abstractmethod
    def _close(self) -> None: ...


def _prepare_folder(path: Path, suffix: str) -> None:
    if path.exists() and not path.is_dir():
        raise DatasetError(f"{path} 已存在且不是文件夹")
    path.mkdir(parents=True, exist_ok=True)
    for name in TABLES:  # --overwrite: replace our own files, never anything else
        (path / f"{name}{suffix}").unlink(missing_ok=True)


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _looks_like_formula(text: str) -> bool:
    """Whether ``text`` needs a quote in a CSV cell (OWASP's advice: a leading ``'``).

    A plain signed number ("-2") and a lone "-" (the reports' "not applicable") cannot run
    anything and stay as they are. Text already starting with quotes before a formula
    character gets one more, so that :func:`csv_text` and :func:`csv_untext` are inverses.
    """
    rest = text.lstrip("'")
    return rest[:1] in FORMULA_START and rest != "-" and _PLAIN_NUMBER.fullmatch(rest) is None


def csv_text(text: str) -> str:
    return "'" + text if _looks_like_formula(text) else text


def csv_untext(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and _looks_like_formula(cell[1:]) else cell


class CsvWriter(_Buffered):
    """A folder of CSV files, UTF-8 with a BOM so that Excel shows the Chinese text.

    Text cells that a spreadsheet would run as formulas start with ``'`` (:func:`csv_text`);
    numbers are written as numbers, a negative one included.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        _prepare_folder(path, ".csv")
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        for name, cols in TABLES.items():
            f = (path / f"{name}.csv").open("w", encoding="utf-8-sig", newline="")
            self._files[name] = f
            self._writers[name] = csv.writer(f)
            self._writers[name].writerow([c.name for c in cols])

    def _write(self, table: str, rows: list[Row]) -> None:
        bools = {i for i, c in enumerate(TABLES[table]) if c.arrow == "bool"}
        self._writers[table].writerows(
            [
                tuple(
                    int(v) if i in bools else csv_text(v) if isinstance(v, str) else v
                    for i, v in enumerate(r)
                )
                for r in rows
            ]
        )

    def _close(self) -> None:
        for f in self._files.values():
            f.close()


class ParquetWriter(_Buffered):
    """A folder of Parquet files, one per table, written in row groups as rows arrive."""

    # Rows per row group: buffered rows are Python tuples (about 1 KB per cell row, the whole
    # text per section row), so the buffers are kept small enough for a flat memory profile.
    GROUP_ROWS: ClassVar[dict[str, int]] = {"cells": 20_000, "sections": 1_000}
    DEFAULT_GROUP_ROWS = 10_000

    def __init__(self, path: Path) -> None:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        super().__init__()
        self.path = path
        self._pa, self._pq = pa, pq
        _prepare_folder(path, ".parquet")
        types = {"int64": pa.int64(), "float64": pa.float64(), "string": pa.string()}
        types["bool"] = pa.bool_()
        self._schemas = {
            name: pa.schema([(c.name, types[c.arrow]) for c in cols])
            for name, cols in TABLES.items()
        }
        self._writers: dict[str, Any] = {}
        self._buffers: dict[str, list[Row]] = {name: [] for name in TABLES}

    def _write(self, table: str, rows: list[Row]) -> None:
        buf = self._buffers[table]
        buf.extend(rows)
        if len(buf) >= self.GROUP_ROWS.get(table, self.DEFAULT_GROUP_ROWS):
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._buffers[table]
        schema = self._schemas[table]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
        batch = self._pa.table(
            [
                self._pa.array(list(col), type=f.type)
                for col, f in zip(columns, schema, strict=True)
            ],
            schema=schema,
        )
        writer = self._writers.get(table)
        if writer is None:
            writer = self._pq.ParquetWriter(self.path / f"{table}.parquet", schema)
            self._writers[table] = writer
        writer.write_table(batch)
        self._buffers[table] = []

    def _close(self) -> None:
        for table in TABLES:
            if self._buffers[table] or table not in self._writers:
                self._flush(table)
            self._writers[table].close()


class XlsxWriter(_Buffered):
    """One sheet per table (Chinese names and headers, frozen header, autofilter).

    Excel holds 1 048 576 rows per sheet: a table that grows past it continues on a new sheet
    named ``单元格(2)`` and so on, with the same header. Rows are written whole, as XML text,
    by :mod:`.xlsx` (xlsxwriter's cell-by-cell calls took minutes for 10 000 reports).
    """

    def __init__(self, path: Path, *, max_rows: int = EXCEL_MAX_ROWS) -> None:
        super().__init__()
        self.path = path
        self.max_rows = max_rows
        self.book = Workbook(path)
        self._sheets: dict[str, list[Sheet]] = {}
        for name in TABLES:
            self._sheets[name] = []
            self._new_sheet(name)

    def _new_sheet(self, table: str) -> Sheet:
        n = len(self._sheets[table]) + 1
        title = SHEETS[table] if n == 1 else f"{SHEETS[table]}({n})"
        cols = TABLES[table]
        sheet = self.book.add(
            Sheet(
                title,
                [c.label for c in cols],
                [_width(c) for c in cols],
                bools=[i for i, c in enumerate(cols) if c.arrow == "bool"],
                max_chars=EXCEL_MAX_CHARS,
                truncated=TRUNCATED,
            )
        )
        self._sheets[table].append(sheet)
        return sheet

    def _write(self, table: str, rows: list[Row]) -> None:
        while rows:
            sheet = self._sheets[table][-1]
            room = self.max_rows - sheet.rows
            if room <= 0:
                self._new_sheet(table)
                continue
            sheet.write_rows(rows[:room])
            rows = rows[room:]

    def _close(self) -> None:
        try:
            self.book.close()
        except OSError as e:
            raise DatasetError(f"无法写入 {self.path}：{e}") from None


def _width(c: Col) -> float:
    if c.name in ("message", "text", "title", "file", "cells", "location"):
        return 40
    if c.name.endswith("label") or c.name in ("agency", "agency_key", "error", "place"):
        return 24
    return max(8.0, len(c.label) * 2.2)


def read_table(path: str | Path, table: str) -> list[dict[str, Any]]:
    """Every row of one table of a dataset of any kind, as dicts (for tests and small tools)."""
    p = Path(path)
    kind = dataset_kind(p)
    names = [c.name for c in TABLES[table]]
    if kind == "sqlite":
        with sqlite3.connect(p) as db:
            return [dict(zip(names, r, strict=True)) for r in db.execute(f"SELECT * FROM {table}")]
    if kind == "csv":
        with (p / f"{table}.csv").open(encoding="utf-8-sig", newline="") as f:
            return [{k: csv_untext(v) for k, v in r.items()} for r in csv.DictReader(f)]
    if kind == "parquet":
        import pyarrow.parquet as pq

        return list(pq.read_table(p / f"{table}.parquet").to_pylist())
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(p, read_only=True)
    out: list[dict[str, Any]] = []
    for sheet in book.worksheets:
        if sheet.title.split("(")[0] != SHEETS[table]:
            continue
        rows: Iterable[tuple[Any, ...]] = sheet.iter_rows(min_row=2, values_only=True)
        out.extend(dict(zip(names, r, strict=False)) for r in rows)
    book.close()
    return out
