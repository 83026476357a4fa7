"""Text that a spreadsheet would run as a formula stays text in CSV and XLSX datasets."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from gongkai.batch import ingest, open_dataset, read_table
from gongkai.batch.dataset import FORMULA_START, csv_text, csv_untext
from gongkai.batch.schema import CELLS, REPORTS, SHEETS
from gongkai.batch.worker import Record, WorkerOptions, process_file

from .test_batch_helpers import seed, variant

RAW = CELLS.index(next(c for c in CELLS if c.name == "raw"))
VALUE = RAW + 1
TITLE = REPORTS.index(next(c for c in REPORTS if c.name == "title"))
HOSTILE = {  # text as written → as the CSV cell must hold it
    '=HYPERLINK("http://example.com","点此")': '\'=HYPERLINK("http://example.com","点此")',
    "+86 571 1234": "'+86 571 1234",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "-1+cmd|' /C calc'!A0": "'-1+cmd|' /C calc'!A0",
    "\t=1": "'\t=1",
    "\r=1": "'\r=1",
    "'=1": "''=1",  # already quoted by someone: one more, so that reading gives it back
    "-2": "-2",  # a plain number runs nothing
    "-": "-",  # the reports' "not applicable"
    "'quoted": "'quoted",
    "一般文字": "一般文字",
}


def hostile_record() -> Record:
    record = process_file(1, str(seed("000")), None, WorkerOptions(copy=None))
    template = record["cells"][0]
    cells = [(*template[:RAW], raw, None, *template[VALUE + 1 :]) for raw in HOSTILE]
    record["cells"] = cells
    report = list(record["report"])
    report[TITLE] = "=cmd|' /C calc'!A0"
    record["report"] = tuple(report)
    return record


def test_csv_quotes_formula_text_and_reads_it_back(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    writer = open_dataset(out)
    writer.add(hostile_record())
    writer.finish({}, [])
    with (out / "cells.csv").open(encoding="utf-8-sig", newline="") as f:
        written = [row[RAW] for row in list(csv.reader(f))[1:]]
    assert written == list(HOSTILE.values())
    with (out / "reports.csv").open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[1][TITLE] == "'=cmd|' /C calc'!A0"
    assert [c["raw"] for c in read_table(out, "cells")] == list(HOSTILE)
    assert read_table(out, "reports")[0]["title"] == "=cmd|' /C calc'!A0"


def test_csv_keeps_a_negative_number_a_number(tmp_path: Path) -> None:
    # 2019 format, table 二: 本年增/减 is signed.
    report = variant(seed("000"), tmp_path / "signed.txt", lines={55: "\t5", 56: "\t-2"})
    out = tmp_path / "out.csv"
    ingest([report], out, copy=None)
    with (out / "cells.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    change = next(r for r in rows if (r["row_key"], r["column_key"]) == ("licensing", "change"))
    assert change["value"] == "-2" and change["raw"] == "-2" and change["value_text"] == "-2"


@given(st.text(alphabet=st.sampled_from([*FORMULA_START, "'", "1", ".", "a", "一"]), max_size=6))
def test_csv_text_is_reversible_and_never_starts_a_formula(text: str) -> None:
    cell = csv_text(text)
    assert csv_untext(cell) == text
    plain = text == "-" or re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text) is not None
    assert cell[:1] not in FORMULA_START or plain


def test_xlsx_writes_formula_text_as_text(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    writer = open_dataset(out)
    writer.add(hostile_record())
    writer.finish({}, [])
    book = openpyxl.load_workbook(out)
    raw = [row[RAW] for row in book[SHEETS["cells"]].iter_rows(min_row=2)]
    # A carriage return is stored as the OOXML escape _x000D_, which openpyxl leaves as is.
    assert [c.value.replace("_x000D_", "\r") for c in raw] == list(HOSTILE)
    assert {c.data_type for c in raw} == {"s"}  # no formula ("f") among them
    title = book[SHEETS["reports"]].cell(row=2, column=TITLE + 1)
    assert title.value == "=cmd|' /C calc'!A0" and title.data_type == "s"
