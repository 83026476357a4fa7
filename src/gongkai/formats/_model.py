"""The shape of an official report format, as plain immutable data.

A :class:`Format` holds tables, each table holds rows and columns with stable ASCII keys, the
official Chinese labels and the label variants seen in real reports, and the identities that
hold between cells. Everything downstream (parser, checker, renderers, register) is generic over
a :class:`Format`; nothing outside :mod:`gongkai.formats` writes a row label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class CellType(StrEnum):
    """What a numeric cell may hold."""

    COUNT = "count"  # integer >= 0 (件, 条, 项)
    SIGNED = "signed"  # integer, may be negative (2019 format's 本年增/减)
    AMOUNT = "amount"  # money in 万元, Decimal >= 0


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    type: CellType = CellType.COUNT
    variants: tuple[str, ...] = ()
    # Header path above the leaf label, outermost first (for merged header cells).
    groups: tuple[str, ...] = ()
    # Words that, in a note written beside a value (``55（含自然失效29件）``), tie the value to
    # this column: evidence for the parser when a converter pulled such a cell out of its row.
    note_words: tuple[str, ...] = ()

    @property
    def full_label(self) -> str:
        return " ".join((*self.groups, self.label))


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    # Variants too short or ambiguous to trust anywhere: they only match when this row is the
    # next one expected in the official order (e.g. a bare 总计 for （七）总计).
    weak_variants: tuple[str, ...] = ()
    group: str | None = None  # the merged group label this row sits under, if any
    # Table 二 only: the block (第二十条第（X）项) whose header gives this row's columns.
    block: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A captioned block of table 二 with its own header row."""

    key: str
    caption: str
    columns: tuple[Column, ...]
    caption_variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Identity:
    """An arithmetic relation between cells of one table.

    ``axis="column"``: for every column c in ``over`` (all columns if empty),
    ``Σ_{r in lhs} cell[r][c]  op  Σ_{r in rhs} cell[r][c]``.
    ``axis="row"``: for every row r in ``over`` (all rows if empty),
    ``Σ_{c in lhs} cell[r][c]  op  Σ_{c in rhs} cell[r][c]``.
    """

    id: str
    table: str
    axis: Literal["row", "column"]
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    severity: Literal["error", "warning", "info"]
    message: str  # Chinese description of the rule, shown in docs and findings
    source: str
    op: Literal["=", "<="] = "="
    over: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """One cell of a :class:`Carry`: from the earlier (``prev``) or the later (``cur``) report."""

    year: Literal["prev", "cur"]
    key: str  # a row key (axis "column") or a column key (axis "row")
    sign: Literal[1, -1] = 1


@dataclass(frozen=True, slots=True)
class Carry:
    """An identity between one agency's reports of consecutive years Y−1 → Y (spec §3.3, §4.2).

    It belongs to the format of the later report and holds when the earlier one used a format
    of ``prev_formats``. ``axis`` and ``over`` read as for :class:`Identity` (``over`` empty:
    every column of the table); each side is ``Σ sign·cell``. A single report cannot show a
    violation, so ``gongkai batch`` checks these and puts the finding on the later report.
    """

    id: str
    table: str
    axis: Literal["row", "column"]
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    prev_formats: tuple[str, ...]
    severity: Literal["error", "warning", "info"]
    message: str
    source: str
    over: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # "t2", "t3", "t4"
    number: str  # 二, 三, 四
    title: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()  # tables 三 and 四: one column set for all rows
    blocks: tuple[Block, ...] = ()  # table 二: the columns depend on the row's block
    note: str | None = None  # the note in table 三's top-left header cell
    group_labels: tuple[str, ...] = ()  # merged group labels that hold no numbers
    header_labels: tuple[str, ...] = ()  # other header words (申请人情况, 行政复议 …)
    # Where to put the cells of a row that has fewer cells than columns: tables 三 and 四
    # right-align (their 总计 column is the one most often filled), table 二 left-aligns.
    short_row_align: Literal["left", "right"] = "left"
    # The rule id under which a cell of the wrong type (negative count, text …) is reported.
    type_rule: str = ""
    # A subtotal column some third-party templates add (not in the official layout): its header
    # word and the column it follows. A report with it has one value more per row.
    subtotal_label: str | None = None
    subtotal_after: str | None = None

    def columns_for(self, row: Row | str) -> tuple[Column, ...]:
        if isinstance(row, str):
            row = self.row(row)
        if row.block is None:
            return self.columns
        return self.block(row.block).columns

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(f"{self.key} has no row {key!r}")

    def block(self, key: str) -> Block:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(f"{self.key} has no block {key!r}")

    def column(self, row: Row | str, key: str) -> Column:
        for c in self.columns_for(row):
            if c.key == key:
                return c
        raise KeyError(f"{self.key} has no column {key!r}")

    @property
    def all_columns(self) -> tuple[Column, ...]:
        if not self.blocks:
            return self.columns
        seen: dict[str, Column] = {}
        for b in self.blocks:
            for c in b.columns:
                seen.setdefault(c.key, c)
        return tuple(seen.values())

    @property
    def cell_count(self) -> int:
        return sum(len(self.columns_for(r)) for r in self.rows)


@dataclass(frozen=True, slots=True)
class Section:
    number: int  # 1..6
    heading: str  # canonical heading without its number, e.g. 总体情况
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Format:
    key: str  # "2019" or "2021"
    name: str
    document: str  # the notice that issued it
    first_year: int
    last_year: int | None
    tables: tuple[Table, ...]
    identities: tuple[Identity, ...]
    sections: tuple[Section, ...]
    markers: tuple[str, ...]  # label text found only in this format (spec §1)
    notes: tuple[str, ...] = field(default=())
    carries: tuple[Carry, ...] = ()  # identities with the same agency's previous report

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"format {self.key} has no table {key!r}")

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)
