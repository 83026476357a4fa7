"""The official layout of a report, once, for every renderer.

:func:`outline` turns a :class:`~gongkai.report.Report` into the blocks of the document in
order (title, paragraphs, section headings, tables) and :func:`table_grid` turns one table of
the :class:`~gongkai.formats.Format` into a grid of cells with row and column spans: the
merged header cells, table 三's note over its header rows, the group labels spanning their
rows. Every label comes from the format; every value is the cell's raw text. The renderers
(DOCX, HTML, Markdown, text) only draw what this module decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..formats import CellType, Column, Format, Row, Table
from ..report import Cell as ReportCell
from ..report import CellKind, Report

Role = Literal["note", "caption", "header", "group", "label", "value"]
CHINESE_NUMBERS = "一二三四五六七八九十"
TITLE_SUFFIX = "年政府信息公开工作年度报告"


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the official layout; spans count grid rows and columns."""

    text: str
    role: Role
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Placed:
    row: int
    column: int
    cell: Cell


@dataclass(frozen=True, slots=True)
class Slot:
    """One position of the full grid and the cell that covers it."""

    cell: Cell
    origin: bool  # the cell's top-left position: where its text is written
    vertical: bool  # covered by a cell that starts on an earlier row
    first_column: bool  # in the cell's first column (DOCX writes a vMerge cell only here)


@dataclass(frozen=True, slots=True)
class Grid:
    key: str  # t2, t3, t4
    number: str  # 二, 三, 四
    title: str
    columns: int
    header_rows: int  # leading rows that are headers (the <thead>)
    widths: tuple[float, ...]  # relative column widths
    cells: tuple[Placed, ...]  # origin cells in reading order

    @property
    def rows(self) -> int:
        return 1 + max((p.row + p.cell.rowspan - 1 for p in self.cells), default=-1)

    def by_row(self) -> list[list[Placed]]:
        out: list[list[Placed]] = [[] for _ in range(self.rows)]
        for p in self.cells:
            out[p.row].append(p)
        return out

    def slots(self) -> list[list[Slot]]:
        """The full grid: every position with the cell covering it."""
        grid: list[list[Slot | None]] = [[None] * self.columns for _ in range(self.rows)]
        for p in self.cells:
            for r in range(p.row, p.row + p.cell.rowspan):
                for c in range(p.column, p.column + p.cell.colspan):
                    grid[r][c] = Slot(
                        p.cell, r == p.row and c == p.column, r > p.row, c == p.column
                    )
        out: list[list[Slot]] = []
        for r, row in enumerate(grid):
            missing = [c for c, s in enumerate(row) if s is None]
            if missing:
                raise AssertionError(f"{self.key}: grid row {r} has no cell at {missing}")
            out.append([s for s in row if s is not None])
        return out

    def flat(self) -> list[list[str]]:
        """Rows of plain cells for Markdown and text: a group label spanning rows is
        repeated on each of its rows (so every row reads alone), other covered positions are
        blank, and the positions a row's last cell spans to its right are left out (a blank
        there could not be told from a blank value)."""
        out: list[list[str]] = []
        for row in self.slots():
            texts: list[str] = []
            for s in row:
                if s.origin or (s.vertical and s.first_column and s.cell.role == "group"):
                    texts.append(s.cell.text)
                else:
                    texts.append("")
            last = row[-1]
            if not last.vertical and last.cell.colspan > 1:
                del texts[len(texts) - last.cell.colspan + 1 :]
            out.append(texts)
        return out


class _Builder:
    """Places cells row by row at the next free position, like an HTML table."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.taken: set[tuple[int, int]] = set()
        self.cells: list[Placed] = []
        self.row = -1

    def add_row(self, cells: list[Cell]) -> None:
        self.row += 1
        column = 0
        for cell in cells:
            while (self.row, column) in self.taken:
                column += 1
            if column + cell.colspan > self.columns:
                raise AssertionError(f"row {self.row}: {cell.text!r} overflows the grid")
            self.cells.append(Placed(self.row, column, cell))
            for r in range(self.row, self.row + cell.rowspan):
                for c in range(column, column + cell.colspan):
                    self.taken.add((r, c))
            column += cell.colspan


# -- cell text -----------------------------------------------------------------------------


def cell_text(cell: ReportCell | None, column: Column) -> str:
    """The text written for a cell: its raw text as found (1.68万元 stays 1.68万元, "/" stays
    "/"), or, for a cell built in code without raw text, its value (amounts with 4 places)."""
    if cell is None:
        return ""
    raw = " ".join(cell.raw.split())
    if raw or cell.kind is CellKind.BLANK:
        return raw
    if cell.kind is CellKind.SLASH:
        return "/"
    if cell.kind is CellKind.DASH:
        return "-"
    if isinstance(cell.value, Decimal) and column.type is CellType.AMOUNT:
        return f"{cell.value.quantize(Decimal('0.0001')):f}"
    return "" if cell.value is None else str(cell.value)


def _value_cells(report: Report, table: Table, row: Row, spans: list[int]) -> list[Cell]:
    columns = table.columns_for(row)
    return [
        Cell(cell_text(report.cell(table.key, row.key, c.key), c), "value", colspan=span)
        for c, span in zip(columns, spans, strict=True)
    ]


# -- table 二: captioned blocks --------------------------------------------------------------


def _block_grid(report: Report, table: Table) -> Grid:
    width = max(len(b.columns) for b in table.blocks)
    b = _Builder(1 + width)
    # The label column's header (信息内容) is the header word that names no value column.
    named = {c.label for c in table.all_columns}
    label_header = next((h for h in table.header_labels if h not in named), "")
    for block in table.blocks:
        # A block with fewer columns than the widest lets its last column span the rest.
        spans = [1] * (len(block.columns) - 1) + [width - len(block.columns) + 1]
        b.add_row([Cell(block.caption, "caption", colspan=1 + width)])
        b.add_row(
            [
                Cell(label_header, "header"),
                *(
                    Cell(c.label, "header", colspan=s)
                    for c, s in zip(block.columns, spans, strict=True)
                ),
            ]
        )
        for row in table.rows:
            if row.block == block.key:
                b.add_row([Cell(row.label, "label"), *_value_cells(report, table, row, spans)])
    widths = (3.6, *([9.0 / width] * width))  # 其他对外管理服务事项 fits on one line
    return Grid(table.key, table.number, table.title, 1 + width, 0, widths, tuple(b.cells))


# -- tables 三 and 四: column headers from the column groups, row groups from the rows ------


def _header_paths(table: Table) -> tuple[list[tuple[str, ...]], list[str]]:
    """Each column's header path (outermost first), and the header words above them all
    (申请人情况: a header word that is neither a column nor a column group)."""
    paths = [(*c.groups, c.label) for c in table.columns]
    named = {p for path in paths for p in path}
    top = [h for h in table.header_labels if h not in named]
    return paths, top


def _header_rows(paths: list[tuple[str, ...]], top: list[str]) -> list[list[Cell]]:
    depth = len(top) + max(len(p) for p in paths)
    rows: list[list[Cell]] = [[Cell(t, "header", colspan=len(paths))] for t in top]
    full = [(*top, *p) for p in paths]
    for level in range(len(top), depth):
        cells: list[Cell] = []
        i = 0
        while i < len(full):
            path = full[i]
            if level >= len(path):
                i += 1  # covered by a leaf cell spanning down from an earlier level
                continue
            j = i + 1
            while j < len(full) and full[j][: level + 1] == path[: level + 1]:
                j += 1
            leaf = level == len(path) - 1
            cells.append(
                Cell(path[level], "header", rowspan=depth - level if leaf else 1, colspan=j - i)
            )
            i = j
        rows.append(cells)
    return rows


def _group_chains(table: Table) -> list[list[tuple[str, int, int]]]:
    """For each row, the merged group labels it sits under, outermost first, as
    (label, first row, last row). A group's rows run from its first to its last member, so a
    group lying inside another's run is nested in it (（三）不予公开 in 三、本年度办理结果), and a
    row with no group of its own inside a run belongs to it (2019's （六）其他处理)."""
    runs: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(table.rows):
        if row.group is not None:
            first, _ = runs.get(row.group, (i, i))
            runs[row.group] = (first, i)
    chains: list[list[tuple[str, int, int]]] = []
    for i in range(len(table.rows)):
        inside = [(g, a, z) for g, (a, z) in runs.items() if a <= i <= z]
        inside.sort(key=lambda g: g[1] - g[2])  # longest run (outermost) first
        chains.append(inside)
    return chains


def _row_grid(report: Report, table: Table) -> Grid:
    paths, top = _header_paths(table)
    header = _header_rows(paths, top)
    # Table 四's single row has no printed label: it is a name for JSON, not a label column.
    printed = len(table.rows) > 1
    chains = _group_chains(table)
    label_columns = (1 + max(len(c) for c in chains)) if printed else 0
    b = _Builder(label_columns + len(paths))
    for k, cells in enumerate(header):
        if k == 0 and label_columns:
            # Table 三's note fills the header rows over the label columns (spec §4.1).
            corner = Cell(table.note or "", "note", rowspan=len(header), colspan=label_columns)
            cells = [corner, *cells]
        b.add_row(cells)
    for i, row in enumerate(table.rows):
        cells = []
        if printed:
            for label, first, last in chains[i]:
                if first == i:
                    cells.append(Cell(label, "group", rowspan=last - first + 1))
            cells.append(Cell(row.label, "label", colspan=label_columns - len(chains[i])))
        cells.extend(_value_cells(report, table, row, [1] * len(paths)))
        b.add_row(cells)
    if printed:
        # Group labels are short words written down a narrow column; the leaf labels are long.
        label_widths = (*([1.4] * (label_columns - 1)), 4.6)
        widths = (*label_widths, *([1.15] * len(paths)))
    else:
        widths = tuple([1.0] * len(paths))
    return Grid(
        table.key, table.number, table.title, b.columns, len(header), widths, tuple(b.cells)
    )


def table_grid(report: Report, table: Table) -> Grid:
    """The official layout of one table of the report's format, filled with its cells."""
    return _block_grid(report, table) if table.blocks else _row_grid(report, table)


# -- the whole document --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    kind: Literal["title", "heading", "paragraph", "table"]
    text: str = ""
    grid: Grid | None = None


def title(report: Report) -> str:
    year = f"{report.year}" if report.year is not None else ""
    return f"{report.agency or ''}{year}{TITLE_SUFFIX if year else TITLE_SUFFIX[1:]}"


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def outline(report: Report, fmt: Format | None = None) -> Iterator[Block]:
    """The report's blocks in document order: the title, the preamble, then each statutory
    section's heading, its text and, for sections 二 to 四, its table (the table whose title is
    the section's heading)."""
    fmt = fmt or report.spec
    yield Block("title", title(report))
    for p in paragraphs(report.preamble):
        yield Block("paragraph", p)
    for section in fmt.sections:
        yield Block("heading", f"{CHINESE_NUMBERS[section.number - 1]}、{section.heading}")
        found = report.section(section.number)
        # The text goes before the table: that is where the parser reads a section's prose.
        for p in paragraphs(found.text if found else ""):
            yield Block("paragraph", p)
        for table in fmt.tables:
            if table.title == section.heading:
                yield Block("table", grid=table_grid(report, table))
