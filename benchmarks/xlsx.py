"""XLSX dataset output: the writer alone, for N reports' records.

Generates a few hundred distinct reports (as benchmarks/batch.py does), turns each into its
dataset record once (parse + check in this process), then feeds N records (report ids renumbered)
to the XLSX writer and times only the writer: ``add`` for every record plus ``finish`` (the zip
package). Prints seconds, cells/s and the file size. ``--xlsxwriter`` also times xlsxwriter
cell by cell (how the writer worked before) on a slice and scales it to N. Run::

    .venv/bin/python benchmarks/xlsx.py                 # 10 000 reports
    .venv/bin/python benchmarks/xlsx.py -n 2000 --xlsxwriter

The whole batch into XLSX (workers included): ``benchmarks/batch.py --format xlsx``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import generate

from gongkai.batch.dataset import XlsxWriter
from gongkai.batch.schema import TABLES
from gongkai.batch.worker import Record, WorkerOptions, process_file

STREAMED = ("cells", "findings", "warnings", "sections")


def renumbered(record: Record, report_id: int) -> Record:
    out = dict(record)
    out["report"] = (report_id, *record["report"][1:])
    for name in STREAMED:
        out[name] = [(report_id, *row[1:]) for row in record[name]]  # type: ignore[literal-required]
    return out  # type: ignore[return-value]


def cells_in(record: Record) -> int:
    rows = [record["report"], *(r for name in STREAMED for r in record[name])]  # type: ignore[literal-required]
    return sum(1 for r in rows for v in r if v is not None)


def time_ours(records: list[Record], n: int, out: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, cells) of the writer alone: the loop's time with the writer
    less its time without (renumbering the records). ``time.process_time`` is a slow call in
    some VMs, so it is read only around the whole loops."""

    def loop(writer: XlsxWriter | None) -> tuple[float, float, int]:
        cells = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            record = renumbered(records[i % len(records)], i + 1)
            cells += cells_in(record)
            if writer is not None:
                writer.add(record)
        if writer is not None:
            writer.finish({}, [])
        return time.perf_counter() - wall, time.process_time() - cpu, cells

    base_wall, base_cpu, cells = loop(None)
    wall, cpu, _ = loop(XlsxWriter(out))
    return wall - base_wall, cpu - base_cpu, cells


def time_xlsxwriter(records: list[Record], n: int, out: Path) -> float:
    """xlsxwriter, constant_memory, one write_* call per cell (the writer until 2026-12-03)."""
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(
        str(out), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheets = {name: book.add_worksheet(name) for name in TABLES}
    next_row = dict.fromkeys(TABLES, 1)
    bools = {t: {i for i, c in enumerate(cols) if c.arrow == "bool"} for t, cols in TABLES.items()}
    spent = 0.0
    for i in range(n):
        record = renumbered(records[i % len(records)], i + 1)
        t = time.perf_counter()
        for name in ("report", *STREAMED):
            table = "reports" if name == "report" else name
            rows = [record["report"]] if name == "report" else record[name]  # type: ignore[literal-required]
            sheet = sheets[table]
            for row in rows:
                r = next_row[table]
                for c, v in enumerate(row):
                    if v is None:
                        continue
                    if c in bools[table]:
                        sheet.write_string(r, c, "是" if v else "否")
                    elif isinstance(v, str):
                        sheet.write_string(r, c, v)
                    else:
                        sheet.write_number(r, c, v)
                next_row[table] = r + 1
        spent += time.perf_counter() - t
    t = time.perf_counter()
    book.close()
    return spent + time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="reports' records to write")
    ap.add_argument("--distinct", type=int, default=300, help="distinct generated reports")
    ap.add_argument("--xlsxwriter", action="store_true", help="also time xlsxwriter on a slice")
    ap.add_argument("--slice", type=int, default=500, help="reports for --xlsxwriter")
    args = ap.parse_args()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{time.strftime('%Y-%m-%d')}; load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        generate(folder, args.distinct)
        options = WorkerOptions(copy=None)
        records = [
            process_file(i, str(p), None, options)
            for i, p in enumerate(sorted(folder.iterdir()), start=1)
        ]
        per_report = sum(cells_in(r) for r in records) / len(records)
        print(f"{len(records)} distinct reports, {per_report:.0f} non-empty cells per report")
        out = Path(tmp) / "out.xlsx"
        seconds, cpu, cells = time_ours(records, args.n, out)
        print(
            f"XLSX writer: {args.n} reports, {cells / 1e6:.1f} M cells in {seconds:.1f} s "
            f"(CPU {cpu:.1f} s) "
            f"= {cells / seconds / 1e6:.2f} M cells/s; file {out.stat().st_size / 2**20:.0f} MiB; "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
        if args.xlsxwriter:
            m = min(args.slice, args.n)
            old = time_xlsxwriter(records, m, Path(tmp) / "old.xlsx")
            print(
                f"xlsxwriter cell by cell: {m} reports in {old:.1f} s, "
                f"scaled to {args.n}: {old * args.n / m:.0f} s"
            )


if __name__ == "__main__":
    main()
