"""``gongkai.batch.ingest`` into the four dataset kinds; bad files; --resume; streaming."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest

import gongkai
from gongkai import formats
from gongkai.batch import DatasetError, find_files, ingest, open_dataset, read_table
from gongkai.batch.schema import INDEXES, SCHEMA_VERSION, SHEETS, TABLES

from .test_batch_helpers import SEEDS, contents, seed

CJK = range(0x4E00, 0xA000)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "corpus.sqlite"
    ingest(SEEDS, out)
    return out


def rows(path: Path, table: str) -> list[dict[str, Any]]:
    return read_table(path, table)


def test_reports_table(corpus_db: Path) -> None:
    reports = rows(corpus_db, "reports")
    assert [r["id"] for r in reports] == [1, 2, 3, 4, 5]  # input order, not completion order
    assert {r["status"] for r in reports} == {"ok"}
    by_file = {Path(r["file"]).name[:3]: r for r in reports}
    assert by_file["000"]["agency"] == "杭州市临安区科学技术局"
    assert by_file["000"]["agency_key"] == "杭州市临安区科技局"
    assert by_file["000"]["year"] == 2020 and by_file["000"]["format"] == "2019"
    assert by_file["003"]["format"] == "2021"
    assert all(len(r["sha256"]) == 64 and r["size"] > 0 for r in reports)


def test_cells_are_tidy_one_row_per_cell(corpus_db: Path) -> None:
    reports = {r["id"]: r for r in rows(corpus_db, "reports")}
    cells = rows(corpus_db, "cells")
    for rid, report in reports.items():
        parsed = gongkai.parse(report["file"])
        mine = [c for c in cells if c["report_id"] == rid]
        assert len(mine) == sum(
            len(r.cells) + len(r.extra) for t in parsed.tables.values() for r in t.rows
        )
        spec = formats.get(report["format"])
        assert len(mine) <= sum(t.cell_count for t in spec.tables) + sum(c["extra"] for c in mine)
    amount = next(c for c in cells if c["column_key"] == "purchase_amount" and c["report_id"] == 1)
    assert amount["raw"] == "1.68万元" and amount["value"] == 1.68
    assert amount["value_text"] == "1.68" and amount["unit"] == "万元"
    r1 = next(
        c
        for c in cells
        if (c["report_id"], c["table_key"], c["row_key"], c["column_key"])
        == (5, "t3", "r1", "total")
    )
    assert r1["value"] == 33 and r1["row_label"] == "一、本年新收政府信息公开申请数量"
    assert r1["column_label"] == "总计" and r1["kind"] == "number" and r1["line"]
    extra = [c for c in cells if c["extra"]]
    assert extra and all(c["column_key"] == "extra" for c in extra)


def test_findings_warnings_sections(corpus_db: Path) -> None:
    findings = rows(corpus_db, "findings")
    for r in rows(corpus_db, "reports"):
        expected = gongkai.check(gongkai.parse(r["file"]))
        stored = [f for f in findings if f["report_id"] == r["id"]]
        assert [(f["rule"], f["message"]) for f in stored] == [
            (f.rule, f.message) for f in expected
        ]
    x4 = next(f for f in findings if f["rule"] == "X-4")  # seed 004: text vs 表四
    assert x4["report_id"] == 5 and '"review_corrected"' in x4["cells"]
    assert x4["place"].startswith("004_") and x4["related_report_id"] is None
    sections = rows(corpus_db, "sections")
    assert {s["number"] for s in sections if s["report_id"] == 1} == {1, 2, 3, 4, 5, 6}
    warnings = rows(corpus_db, "warnings")
    reports = {r["id"]: r for r in rows(corpus_db, "reports")}
    for rid, r in reports.items():
        assert r["n_warnings"] == sum(1 for w in warnings if w["report_id"] == rid)


def test_sqlite_wal_indexes_meta(corpus_db: Path) -> None:
    with sqlite3.connect(corpus_db) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        meta = dict(db.execute("SELECT key, value FROM meta"))
    assert {name for name, _, _ in INDEXES} <= names
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["gongkai_version"]


def make_bad_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_bytes(seed("003").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00not a zip" * 20)
    (folder / "notice.txt").write_text("关于召开全体干部会议的通知\n\n请各科室准时参加。\n" * 5)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "fake.pdf").write_bytes(b"%PDF-1.4\n%garbage, not a real pdf\n")
    return folder


def test_bad_files_are_error_rows_never_a_stop(tmp_path: Path) -> None:
    folder = make_bad_folder(tmp_path / "in")
    summary = ingest([folder], tmp_path / "out.sqlite")
    reports = {Path(r["file"]).name: r for r in rows(tmp_path / "out.sqlite", "reports")}
    assert len(reports) == 6 and summary.ok == 1 and summary.errors == 5
    assert reports["good.txt"]["status"] == "ok"
    for name in ("empty.txt", "broken.docx", "notice.txt", "binary.txt", "fake.pdf"):
        r = reports[name]
        assert r["status"] == "error", name
        assert any(ord(ch) in CJK for ch in r["error"]), r["error"]  # a Chinese message
        assert name in r["error"]  # naming the file
    assert "空" in reports["empty.txt"]["error"]
    assert reports["empty.txt"]["sha256"]  # read, hashed, then refused
    cells = rows(tmp_path / "out.sqlite", "cells")
    assert {c["report_id"] for c in cells} == {reports["good.txt"]["id"]}


def test_xlsx_sheets_headers_freeze_filter_and_row_split(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    ingest(SEEDS, open_dataset(out, xlsx_max_rows=300))
    book = openpyxl.load_workbook(out)  # not read-only: freeze panes and filters are visible
    names = book.sheetnames
    assert names[:6] == [SHEETS[t] for t in TABLES]
    assert "单元格(2)" in names and "单元格(4)" in names  # ~990 cell rows, 299 per sheet
    for ws in book.worksheets:
        table = next(t for t, s in SHEETS.items() if ws.title.split("(")[0] == s)
        header = [c.value for c in ws[1]]
        assert header == [c.label for c in TABLES[table]]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.max_row <= 300
    assert len(read_table(out, "cells")) == len(read_table(reference_db(tmp_path), "cells"))
    inferred = {r["inferred"] for r in read_table(out, "cells")}
    assert inferred <= {"是", "否"}


def reference_db(tmp_path: Path) -> Path:
    out = tmp_path / "ref.sqlite"
    if not out.exists():
        ingest(SEEDS, out, copy=None)
    return out


def test_csv_folder_with_bom(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    ingest(SEEDS, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    raw = (out / "reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "杭州市临安区科学技术局".encode() in raw
    ref = reference_db(tmp_path)
    for table in ("reports", "cells", "sections", "warnings"):
        assert len(read_table(out, table)) == len(read_table(ref, table)), table
    assert {r["extra"] for r in read_table(out, "cells")} == {"0", "1"}


def test_parquet_folder(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    ingest(SEEDS, out)
    cells = pq.read_table(out / "cells.parquet")
    assert str(cells.schema.field("value").type) == "double"
    assert str(cells.schema.field("inferred").type) == "bool"
    ref = reference_db(tmp_path)
    assert cells.num_rows == len(read_table(ref, "cells"))
    assert len(read_table(out, "reports")) == 5
    assert read_table(out, "meta")


def test_same_dataset_in_every_kind(tmp_path: Path) -> None:
    sqlite_rows = contents(reference_db(tmp_path))
    ingest(SEEDS, tmp_path / "same.parquet", copy=None)
    parquet_rows = contents(tmp_path / "same.parquet")
    assert parquet_rows["reports"] == sqlite_rows["reports"]
    assert len(parquet_rows["cells"]) == len(sqlite_rows["cells"])


def test_resume_skips_files_already_there(tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    first = ingest(SEEDS[:2], out)
    assert first.ok == 2
    with pytest.raises(DatasetError, match="输出已存在"):
        ingest(SEEDS, out)
    again = ingest(SEEDS, out, resume=True)
    assert again.skipped == 2 and again.ok == 3
    reports = rows(out, "reports")
    assert sorted(r["id"] for r in reports) == [1, 2, 3, 4, 5]
    assert len({r["sha256"] for r in reports}) == 5
    fresh = contents(reference_db(tmp_path))
    assert len(contents(out)["cells"]) == len(fresh["cells"])
    assert ingest(SEEDS, out, resume=True).skipped == 5


def test_resume_only_for_sqlite_and_overwrite(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="只适用于 SQLite"):
        ingest(SEEDS, tmp_path / "x.xlsx", resume=True)
    with pytest.raises(DatasetError, match="不支持的输出类型"):
        ingest(SEEDS, tmp_path / "x.json")
    out = tmp_path / "x.sqlite"
    ingest(SEEDS[:1], out)
    ingest(SEEDS[:2], out, overwrite=True)
    assert len(rows(out, "reports")) == 2


def test_find_files_walks_folders_and_globs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "a" / "x.expected.json").write_text("{}")
    (tmp_path / "a" / "y.docx").write_bytes(b"")
    (tmp_path / "a" / "z.png").write_bytes(b"")
    found = find_files([tmp_path / "a", str(tmp_path / "a" / "*.docx")])
    # z.png: an image without a page number beside other reports is a one-page report
    assert [p.name for p in found] == ["x.txt", "y.docx", "z.png", "y.docx"]


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that records how many futures were pending at most."""

    def __init__(self, fail_when: Callable[[list[Any]], bool] | None = None) -> None:
        super().__init__(max_workers=2)
        self.pending = 0
        self.peak = 0
        self.fail_when = fail_when
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.fail_when and self.fail_when(args[0]):
            f: Future[Any] = Future()
            f.set_exception(RuntimeError("worker killed"))
            return f
        with self._lock:
            self.pending += 1
            self.peak = max(self.peak, self.pending)
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self.pending -= 1


def test_results_stream_with_bounded_futures(tmp_path: Path) -> None:
    files = SEEDS * 6  # 30 files, chunks of 1
    seen: list[tuple[int, int]] = []
    with CountingExecutor() as pool:
        summary = ingest(
            files,
            tmp_path / "out.sqlite",
            executor=pool,
            chunk_size=1,
            max_in_flight=3,
            progress=lambda done, total: seen.append((done, total)),
        )
    assert pool.peak <= 3
    assert summary.ok == 30
    assert seen[0] == (0, 30) and seen[-1] == (30, 30)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_crashed_worker_marks_its_files_and_the_batch_goes_on(tmp_path: Path) -> None:
    crash = seed("002").name

    tries: list[int] = []

    def crashes(chunk: list[Any]) -> bool:
        if any(Path(item[1]).name == crash for item in chunk):
            tries.append(len(chunk))
            return True
        return False

    with CountingExecutor(fail_when=crashes) as pool:
        summary = ingest(SEEDS, tmp_path / "out.sqlite", executor=pool, chunk_size=2)
    assert summary.ok == 4 and summary.errors == 1
    assert tries == [2, 1, 1]  # with its chunk, then twice alone (only those name the file)
    reports = rows(tmp_path / "out.sqlite", "reports")
    assert sorted(r["id"] for r in reports) == [1, 2, 3, 4, 5]
    bad = next(r for r in reports if r["status"] == "error")
    assert Path(bad["file"]).name == crash and "工作进程两次异常退出" in bad["error"]


def test_a_file_that_hangs_becomes_an_error_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from gongkai.batch import worker

    real_check = worker.check

    def slow_for_one(report: gongkai.Report) -> list[gongkai.Finding]:
        if report.source == SEEDS[0].name:
            time.sleep(5)  # stands for a pathological input; the limit below is 1 s
        return real_check(report)

    monkeypatch.setattr(worker, "check", slow_for_one)
    out = tmp_path / "out.sqlite"
    started = time.perf_counter()
    ingest(SEEDS[:2], out, timeout=1, copy=None)  # in-process: the main thread, signals work
    assert time.perf_counter() - started < 4
    rows = {Path(r["file"]).name: r for r in read_table(out, "reports")}
    hung = rows[SEEDS[0].name]
    assert hung["status"] == "error" and "超过1秒" in hung["error"]
    assert rows[SEEDS[1].name]["status"] == "ok"
