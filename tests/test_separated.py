"""Rows written with a separator, with blank cells: an empty field between two separators.

Text converted from HTML or spreadsheet tables writes a row's cells between separators (tab,
``|`` with or without Markdown's outer pipes, ``,`` with quoted fields, a run of spaces wider
than the single spaces inside labels). The generator here takes a report built in code
(:func:`tests.factories.make_report`, every cell a distinct number so that a shifted cell
shows), lays its tables 二, 三 and 四 out as the renderers do (:func:`table_grid`: merged
label cells leave blank placeholders, group labels repeat on each row), blanks some cells,
writes every row with one separator and puts the tables into seed 003 in place of its own.
Each test then asserts that every cell landed in its column: kind ``blank`` where it was
left empty, its number elsewhere.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gongkai
from gongkai import formats
from gongkai.parse.document import Line, Span
from gongkai.parse.fields import Style, readings
from gongkai.render.layout import outline, table_grid
from gongkai.report import CellKind, Location, Report

from .factories import CellInput, make_report
from .test_layouts import HEAD2, HEAD3, HEAD4, VALUES, build, codes, t3_lines

FMT = formats.V2021
T2, T3, T4 = FMT.table("t2"), FMT.table("t3"), FMT.table("t4")
Key = tuple[str, str, str]  # table, row, column
Separator = Literal["tab", "pipe", "pipe-left", "pipe-right", "markdown", "csv", "spaces"]
SEPARATORS: tuple[Separator, ...] = (
    "tab",
    "pipe",  # a | b, no outer pipes
    "pipe-left",  # | a | b
    "pipe-right",  # a | b |
    "markdown",  # | a | b |
    "csv",
    "spaces",
)
LABEL_COLUMNS = {"t2": 1, "t3": 3, "t4": 0}  # grid columns before the values
HEADS = {"t2": HEAD2, "t3": HEAD3, "t4": HEAD4}
_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)")


def _cells(table: formats.Table) -> list[Key]:
    return [(table.key, r.key, c.key) for r in table.rows for c in table.columns_for(r)]


CELLS = [*_cells(T2), *_cells(T3), *_cells(T4)]


def number(key: Key) -> int:
    """A distinct value per cell (licensing is large, to be written with a thousands comma)."""
    if key == ("t2", "licensing", "decisions"):
        return 1234
    return CELLS.index(key) + 1


@dataclass(frozen=True)
class Layout:
    separator: Separator
    blanks: frozenset[Key] = frozenset()
    # How the label columns are written: as the grid has them (placeholders after a label
    # merged across columns, a group label on each of its rows), "merged" (a group label on
    # its first row only, a blank placeholder on the others) or "compact" (labels only, a
    # group label on its first row only).
    labels: Literal["grid", "merged", "compact"] = "grid"
    width: int = 4  # spaces: the separator's width
    quote_all: bool = False  # csv: every field quoted
    units: bool = False  # table 三's values written "3 件" (a space inside a field)
    split_t4: bool = False  # table 四 as three lines of five
    label_spaces: bool = field(default=False)  # a single space after a label's numbering
    pad: bool = False  # every row padded with blank fields to the table's width (a sheet)


def report_for(layout: Layout) -> Report:
    given: dict[str, dict[str, dict[str, CellInput]]] = {"t2": {}, "t3": {}, "t4": {}}
    for key in CELLS:
        t, r, c = key
        value: CellInput = None if key in layout.blanks else number(key)
        if value is not None and key == ("t2", "licensing", "decisions"):
            value = "1,234"
        elif value is not None and t == "t3" and layout.units and number(key) % 2:
            value = f"{value} 件"
        given[t].setdefault(r, {})[c] = value
    return make_report("2021", t2=given["t2"], t3=given["t3"], t4=given["t4"], derive=False)


def _join(fields: list[str], layout: Layout) -> str:
    sep = layout.separator
    if sep == "tab":
        return "\t".join(fields)
    if sep == "pipe":
        return " | ".join(fields)
    if sep == "pipe-left":
        return "| " + " | ".join(fields)
    if sep == "pipe-right":
        return " | ".join(fields) + " |"
    if sep == "markdown":
        return "| " + " | ".join(fields) + " |"
    if sep == "csv":
        out = io.StringIO()
        quoting = csv.QUOTE_ALL if layout.quote_all else csv.QUOTE_MINIMAL
        csv.writer(out, quoting=quoting, lineterminator="").writerow(fields)
        return out.getvalue()
    return (" " * layout.width).join(fields)


def _rows(report: Report, table: formats.Table, layout: Layout) -> list[list[str]]:
    """The table's rows as fields: header rows as the grid has them, then the value rows."""
    grid = table_grid(report, table)
    rows = grid.flat()
    if layout.pad:
        rows = [row + [""] * (grid.columns - len(row)) for row in rows]
    k = LABEL_COLUMNS[table.key]
    seen: set[str] = set()
    out: list[list[str]] = []
    for row in rows:
        labels, values = row[:k], row[k:]
        if table.key == "t4" and layout.split_t4 and len(row) == len(T4.columns):
            out += [row[i : i + 5] for i in range(0, 15, 5)]
            continue
        if layout.label_spaces:
            labels = [_NUMBERING.sub(r"\1 ", s) for s in labels]
        if layout.labels != "grid" and k and any(labels):
            # A merged group label is written once, on the group's first row.
            group = [s if s not in seen or i == k - 1 else "" for i, s in enumerate(labels)]
            seen.update(labels[:-1])
            if layout.labels == "compact":
                group = [s for s in group if s] or [s for s in labels if s][-1:]
            labels = group
        out.append([*labels, *values])
    return out


def text_for(layout: Layout) -> tuple[str, Report]:
    report = report_for(layout)
    tables: dict[str, list[str]] = {}
    for table in (T2, T3, T4):
        lines = [HEADS[table.key]]
        for i, fields in enumerate(_rows(report, table, layout)):
            lines.append(_join(fields, layout))
            if i == 0 and layout.separator == "markdown":
                lines.append("|" + "---|" * len(fields))
        tables[table.key] = [*lines, ""]
    return build(tables["t2"], tables["t3"], tables["t4"]), report


def assert_cells(got: Report, layout: Layout) -> None:
    """Every cell in its column: blank where left empty, its number elsewhere."""
    for key in CELLS:
        cell = got.cell(*key)
        assert cell is not None, f"{key} missing"
        if key in layout.blanks:
            assert (cell.kind, cell.raw, cell.value) == (CellKind.BLANK, "", None), key
        else:
            assert (cell.kind, cell.value) == (CellKind.NUMBER, number(key)), key
        assert not cell.inferred, key


def read(layout: Layout) -> Report:
    text, _ = text_for(layout)
    return gongkai.parse(text, name="separated.txt")


# -- one example of each shape ----------------------------------------------------------------

SOME_BLANKS = frozenset(
    {
        ("t2", "rules", "issued"),  # blank first numeric column
        ("t2", "normative", "in_force"),  # blank last column
        ("t2", "licensing", "decisions"),  # a row's only cell
        ("t3", "r1", "natural"),
        ("t3", "a", "total"),  # 总计 left empty
        ("t3", "c1", "research"),  # under a group label written in front
        ("t3", "c1", "public_interest"),  # several adjacent blanks
        ("t3", "c1", "legal_services"),
        ("t3", "t", "natural"),  # a row that is blank at both ends
        ("t3", "t", "total"),
        ("t4", "cases", "review_upheld"),  # the first value of a row without label
        ("t4", "cases", "direct_total"),
        ("t4", "cases", "after_upheld"),
        ("t4", "cases", "after_total"),  # the last value
    }
)


LABELS = ("grid", "merged", "compact")


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("labels", LABELS)
def test_blank_fields_stay_in_their_columns(
    separator: Separator, labels: Literal["grid", "merged", "compact"]
) -> None:
    layout = Layout(separator, SOME_BLANKS, labels=labels)
    got = read(layout)
    assert_cells(got, layout)
    assert codes(got) == []


@pytest.mark.parametrize("separator", SEPARATORS)
def test_separated_rows_without_blanks(separator: Separator) -> None:
    got = read(Layout(separator))
    assert_cells(got, Layout(separator))
    assert codes(got) == []


def test_group_labels_as_first_fields() -> None:
    layout = Layout("tab", frozenset({("t3", "c1", "natural"), ("t3", "a", "natural")}))
    text, _ = text_for(layout)
    assert "\n三、本年度办理结果\t（一）予以公开\t\t\t" in text  # merged label placeholder too
    assert "\n三、本年度办理结果\t（三）不予公开\t1.属于国家秘密\t\t" in text
    got = gongkai.parse(text)
    assert_cells(got, layout)
    row = got.tables["t3"].row("c1")
    assert row is not None and row.raw_label == "1.属于国家秘密"


def test_spaces_inside_labels_and_values() -> None:
    """Runs of two spaces separate; single spaces stay inside a label (``1. 属于国家秘密``)
    or a value (``3 件``)."""
    layout = Layout("spaces", SOME_BLANKS, width=2, units=True, label_spaces=True, split_t4=True)
    text, _ = text_for(layout)
    assert "（三） 不予公开  1. 属于国家秘密  39 件  40        44" in text
    got = gongkai.parse(text)
    assert_cells(got, layout)
    assert {c.unit for r in got.tables["t3"].rows for c in r.cells if c.raw} == {None, "件"}


def test_csv_with_quoted_fields() -> None:
    layout = Layout("csv", SOME_BLANKS - {("t2", "licensing", "decisions")}, quote_all=True)
    text, _ = text_for(layout)
    assert '"行政许可","1,234"' in text
    assert_cells(gongkai.parse(text), layout)


def test_table_four_in_three_lines_of_five() -> None:
    layout = Layout("pipe", SOME_BLANKS, split_t4=True)
    assert_cells(read(layout), layout)


def test_a_blank_of_a_separated_row_is_repaired_like_any_blank() -> None:
    """Seed 003's table 三 with consistent numbers, rows written with runs of four spaces; row
    四's 总计 left empty (the line ends with the separator). The blank is a blank in its
    column, and the repair by the identities applies to it as to any blank cell."""
    cells = [str(v) for v in VALUES["r4"]]
    row = "    ".join(["四、结转下年度继续办理", *cells[:-1], ""])
    report = gongkai.parse(build(t3=t3_lines(rows={"r4": row})))
    total = report.cell("t3", "r4", "total")
    assert total is not None and total.kind is CellKind.BLANK and not total.inferred
    assert [c.value for c in report.tables["t3"].rows[-1].cells[:-1]] == VALUES["r4"][:-1]
    assert codes(report) == []
    # The value the identities name, on a line of its own below the table: placed there.
    report = gongkai.parse(build(t3=t3_lines(rows={"r4": row}, before={"f2": [cells[-1]]})))
    total = report.cell("t3", "r4", "total")
    assert total is not None and total.inferred and total.value == VALUES["r4"][-1]
    assert codes(report) == ["inferred-cell"]


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_a_whole_report_of_either_format(fmt: str, separator: Separator) -> None:
    """A report built in code written out whole (title, headings, paragraphs, the tables as
    separated rows), every fifth cell blank: both formats read back cell for cell."""
    spec = formats.get(fmt)
    cells = [(t.key, r.key, c.key) for t in spec.tables for r in t.rows for c in t.columns_for(r)]
    blanks = set(cells[::5])
    given: dict[str, dict[str, dict[str, CellInput]]] = {"t2": {}, "t3": {}, "t4": {}}
    for i, (t, r, c) in enumerate(cells):
        given[t].setdefault(r, {})[c] = None if (t, r, c) in blanks else i + 1
    sections = {1: "本年度工作情况良好。", 5: "存在的问题。", 6: "无其他事项。"}
    report = make_report(
        fmt, t2=given["t2"], t3=given["t3"], t4=given["t4"], derive=False, sections=sections
    )
    lines: list[str] = []
    for block in outline(report):
        if block.grid is None:
            lines.append(block.text)
        else:
            lines += [_join(row, Layout(separator)) for row in block.grid.flat()]
    got = gongkai.parse("\n".join(lines))
    assert got.format == fmt
    for i, key in enumerate(cells):
        cell = got.cell(*key)
        assert cell is not None, key
        want = (CellKind.BLANK, None) if key in blanks else (CellKind.NUMBER, i + 1)
        assert (cell.kind, cell.value) == want, key
    assert codes(got) == []


# -- what stays as it was ---------------------------------------------------------------------


def test_short_space_separated_row_is_right_aligned_with_a_warning() -> None:
    """Single spaces between the numbers (the older space-separated layout) cannot show a
    blank: six numbers for seven columns are right-aligned, and a warning says so."""
    layout = Layout("spaces", frozenset({("t3", "a", "natural")}), labels="compact")
    text, _ = text_for(layout)
    line = next(s for s in text.split("\n") if "（一）予以公开" in s)
    single = " ".join(line.split())
    got = gongkai.parse(text.replace(line, single))
    row = got.tables["t3"].row("a")
    assert row is not None
    # The first column was never written: absent, and the six values right-aligned.
    assert row.cell(T3.columns[0].key) is None
    assert [c.column for c in row.cells] == [c.key for c in T3.columns[1:]]
    assert [c.value for c in row.cells] == [number(("t3", "a", c.key)) for c in T3.columns[1:]]
    (warning,) = got.warnings
    assert warning.code == "missing-cells" and "按右对齐读取" in warning.message
    assert warning.location is not None and warning.location.table == "t3"


def test_uneven_space_runs_are_not_read_positionally() -> None:
    """Runs of 2 and 3 spaces on one line are columns padded to a width, not separators: the
    line is read by its words (a blank cannot be placed; the short row is warned about)."""
    layout = Layout("spaces", frozenset({("t3", "a", "research")}), labels="compact")
    text, _ = text_for(layout)
    line = next(s for s in text.split("\n") if "（一）予以公开" in s)
    uneven = line.replace("    ", "   ", 1).replace("        ", "  ", 1)
    got = gongkai.parse(text.replace(line, uneven))
    assert "missing-cells" in codes(got)
    cell = got.cell("t3", "a", "research")
    assert cell is not None and cell.kind is CellKind.NUMBER  # right-aligned: not the blank


def test_blanks_that_no_row_places_are_warned_about() -> None:
    """Row a alone in a grid: a placeholder after its label and a blank 总计 give eight value
    fields for seven columns, blank at both ends. With no other row of the table to show
    where the values start, the blanks cannot be placed: a warning says so."""
    layout = Layout("tab", frozenset({("t3", "a", "total")}))
    text, _ = text_for(layout)
    lines = text.split("\n")
    start = lines.index(HEAD3)
    end = lines.index(HEAD4)
    row = next(s for s in lines[start:end] if "（一）予以公开" in s)
    alone = build(t3=[*lines[start : start + 4], row, ""])  # the heading, the header, row a
    got = gongkai.parse(alone)
    warning = next(w for w in got.warnings if w.code == "ambiguous-blanks")
    assert "「（一）予以公开」" in warning.message and "8个数值字段" in warning.message
    assert warning.location is not None and warning.location.table == "t3"
    assert warning.location.line == alone.split("\n").index(row) + 1
    # With the table's other rows, where the values start is known: no warning, all placed.
    got = gongkai.parse(text)
    assert_cells(got, layout)
    assert codes(got) == []


def test_csv_reading_needs_one_value_per_field() -> None:
    """``行政许可 1,235`` is a label and a number with a thousands comma, not two CSV fields."""
    text, _ = text_for(Layout("spaces"))
    got = gongkai.parse(text.replace("行政许可    1,234", "行政许可 1,235"))
    cell = got.cell("t2", "licensing", "decisions")
    assert cell is not None and cell.value == 1235
    assert codes(got) == []


# -- every shape, every blank -----------------------------------------------------------------


def _has_value(blanks: frozenset[Key], cols: slice) -> bool:
    keys = [("t4", "cases", c.key) for c in T4.columns[cols]]
    return any(k not in blanks for k in keys)


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    scattered = draw(st.sets(st.sampled_from(CELLS), max_size=12))
    runs: set[Key] = set()
    for table, length in draw(
        st.lists(st.tuples(st.sampled_from([T2, T3]), st.integers(1, 4)), max_size=3)
    ):
        row = draw(st.sampled_from(table.rows))
        cols = table.columns_for(row)
        start = draw(st.integers(0, len(cols) - 1))
        runs |= {(table.key, row.key, c.key) for c in cols[start : start + length]}
    blanks = frozenset(scattered | runs)
    split = draw(st.booleans())
    if split and not all(_has_value(blanks, slice(i, i + 5)) for i in (0, 5, 10)):
        split = False  # a line of five blanks is no row of table 四: it is skipped
    return Layout(
        separator=draw(st.sampled_from(SEPARATORS)),
        blanks=blanks,
        labels=draw(st.sampled_from(LABELS)),
        width=draw(st.integers(2, 4)),
        quote_all=draw(st.booleans()),
        units=draw(st.booleans()),
        split_t4=split,
        label_spaces=draw(st.booleans()),
        pad=draw(st.booleans()),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_every_cell_lands_in_its_column(layout: Layout) -> None:
    got = read(layout)
    assert_cells(got, layout)
    assert codes(got) == []


# -- the fields of one line -------------------------------------------------------------------

FIELD = st.one_of(
    st.just(""),
    st.integers(0, 999).map(str),
    st.sampled_from(["3 件", "1,234", "55（含自然失效 29 件）", "/", "-"]),
    st.sampled_from([r.label for r in T3.rows]),
    st.sampled_from(["（三） 不予公开", "三、 本年度办理结果", "1. 属于国家秘密"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(FIELD, min_size=2, max_size=10).filter(any),
    st.sampled_from(SEPARATORS),
    st.integers(2, 4),
)
def test_a_line_splits_back_into_its_fields(
    fields: list[str], separator: Separator, width: int
) -> None:
    """Whatever the fields (blanks anywhere, single spaces inside, a comma inside a number),
    one of the line's readings is exactly them. (Markdown's outer pipes and a blank first or
    last field look alike on one line: the table's other rows decide, see ``Style``.)"""
    raw = _join(fields, Layout(separator, width=width))
    line = Line([Span(raw.strip(), Location(line=1))], raw=raw)
    found = [[t.text for t in r] for r in readings(line, Style(width=width))]
    assert fields in found
    assert all(t.location.line == 1 for r in readings(line) for t in r)
