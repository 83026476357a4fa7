"""The four messy real reports of the shared corpus parse to the cells read off them by hand.

The reports are read in place from ``../shared/corpus/real/`` (public data kept beside the
repository, never copied into it). ``tests/real/<name>.expected.json`` was written by hand from
each report's text and narrative, not dumped from the parser; its ``note`` says how each hard
cell was worked out. A cell is written as its value (an int, or a string for a money amount in
万元) or as the name of its kind (``"blank"``, ``"slash"``, ``"dash"``).
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gongkai
from gongkai import formats
from gongkai.report import CellKind, Report

from .conftest import ROOT, SHARED_REAL

EXPECTED = ROOT / "tests" / "real"
# ``<name>.expected.json`` belongs to ``<name>.txt``; other readers keep their own expectations
# beside these (``<name>.pdf.expected.json``), in their own schema.
CASES = sorted(
    c
    for c in EXPECTED.glob("*.expected.json")
    if not Path(c.name.removesuffix(".expected.json")).suffix
)
KINDS = {k.value for k in CellKind} - {CellKind.NUMBER.value}

pytestmark = pytest.mark.skipif(
    not SHARED_REAL.is_dir(), reason=f"the shared corpus of real reports is not at {SHARED_REAL}"
)


def _load(case: Path) -> tuple[dict[str, Any], Report]:
    expected = json.loads(case.read_text(encoding="utf-8"))
    source = SHARED_REAL / expected["file"]
    if not source.is_file():
        pytest.skip(f"{source} is not in the shared corpus")
    return expected, gongkai.parse(source)


def _want(spec: int | str) -> tuple[str, int | Decimal | None]:
    if isinstance(spec, int):
        return CellKind.NUMBER.value, spec
    if spec in KINDS:
        return spec, None
    return CellKind.NUMBER.value, Decimal(spec)


def _cell(report: Report, ref: str) -> gongkai.Cell:
    table, row, column = ref.split(".")
    cell = report.cell(table, row, column)
    assert cell is not None, f"{ref} missing"
    return cell


@pytest.fixture(params=CASES, ids=[c.name.removesuffix(".expected.json") for c in CASES])
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Report]:
    return _load(request.param)


def test_identity(case: tuple[dict[str, Any], Report]) -> None:
    expected, report = case
    assert report.agency == expected["agency"]
    assert report.year == expected["year"]
    assert report.format == expected["format"]


@pytest.mark.parametrize("table", ["t2", "t3"])
def test_rows_cell_by_cell(case: tuple[dict[str, Any], Report], table: str) -> None:
    expected, report = case
    spec = formats.get(report.format).table(table)
    got = report.tables[table]
    assert [r.key for r in got.rows] == [r.key for r in spec.rows], f"{table}: rows differ"
    for key, cells in expected[table].items():
        row = got.row(key)
        assert row is not None, f"{table}.{key} missing"
        columns = [c.key for c in spec.columns_for(key)]
        assert [c.column for c in row.cells] == columns
        for column, want, cell in zip(columns, cells, row.cells, strict=True):
            kind, value = _want(want)
            assert (cell.kind.value, cell.value) == (kind, value), (
                f"{table}.{key}.{column}: {cell.raw!r}"
            )
        assert row.extra == [], f"{table}.{key} has surplus cells {[c.raw for c in row.extra]}"


def test_table_four(case: tuple[dict[str, Any], Report]) -> None:
    expected, report = case
    (row,) = report.tables["t4"].rows
    assert [(c.kind.value, c.value) for c in row.cells] == [_want(v) for v in expected["t4"]]
    assert row.extra == []


def test_raw_text_units_and_places(case: tuple[dict[str, Any], Report]) -> None:
    expected, report = case
    for ref, raw in expected.get("raw", {}).items():
        assert _cell(report, ref).raw == raw, ref
    for ref, unit in expected.get("units", {}).items():
        assert _cell(report, ref).unit == unit, ref
    for ref, line in expected.get("lines", {}).items():
        location = _cell(report, ref).location
        assert location is not None and location.line == line, ref
    for ref, label in expected.get("raw_labels", {}).items():
        table, key = ref.split(".")
        row = report.tables[table].row(key)
        assert row is not None and row.raw_label == label, ref


def test_inferred_cells(case: tuple[dict[str, Any], Report]) -> None:
    expected, report = case
    inferred = {
        f"{t.key}.{r.key}.{c.column}"
        for t in report.tables.values()
        for r in t.rows
        for c in r.cells
        if c.inferred
    }
    assert inferred == set(expected["inferred"])
    # Every inferred cell is explained by a located warning (in Chinese) on the same table.
    placed = [w for w in report.warnings if w.code == "inferred-cell"]
    assert len(placed) == len(inferred)
    for w in placed:
        assert w.location is not None and w.location.line is not None and w.location.table
        assert "推定" in w.message


def test_warnings(case: tuple[dict[str, Any], Report]) -> None:
    expected, report = case
    in_tables = Counter(w.code for w in report.warnings if w.location and w.location.table)
    others = Counter(w.code for w in report.warnings if not (w.location and w.location.table))
    assert in_tables == Counter(expected["table_warnings"]), [str(w) for w in report.warnings]
    assert others == Counter(expected["other_warnings"]), [str(w) for w in report.warnings]


def test_tables_satisfy_the_hard_identities(case: tuple[dict[str, Any], Report]) -> None:
    """The hand-read tables of these four reports are internally consistent: the checker finds
    no arithmetic error once the parser has read them right."""
    _, report = case
    errors = [f for f in gongkai.check(report) if f.severity == "error"]
    assert errors == [], [f.message for f in errors]
