"""Naming cells for people: short row and column names, cell references, locations.

Every name comes from the format's labels; nothing here knows a row of any table. The short
names keep messages readable (``第一项`` for ``一、本年新收政府信息公开申请数量``), and the
:class:`CellRef` keeps the official label in full.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from .. import formats
from ..report import Cell, CellKind, Location
from ..report import Row as ReportRow
from .finding import CellRef, fmt_number

_TOP_NUMBER = re.compile(r"^([一二三四五六七八九十]+)、")
_GROUP_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）")
_SUB_NUMBER = re.compile(r"^\d+[.、]")
_TRAILING_NOTE = re.compile(r"（[^（）]*）$")
_MAX_NAME = 20


@functools.lru_cache(maxsize=256)  # rows are frozen data of the formats; ~50 of them exist
def short_row_label(row: formats.Row) -> str:
    """A short name for a row in a message.

    ``一、…`` becomes ``第一项`` (the wording of table 三's own note); ``（二）部分公开（…）``
    loses its trailing note; a numbered sub-row gets its group's number in front
    (``（三）1.属于国家秘密``) so that ``1.`` of （三） and of （四） differ.
    """
    label = row.label
    m = _TOP_NUMBER.match(label)
    if m:
        return f"第{m.group(1)}项"
    if _GROUP_NUMBER.match(label):
        label = _TRAILING_NOTE.sub("", label) or label
    elif _SUB_NUMBER.match(label) and row.group:
        g = _GROUP_NUMBER.match(row.group)
        if g:
            label = g.group(0) + label
    if len(label) > _MAX_NAME:
        label = label[: _MAX_NAME - 1] + "…"
    return label


def column_name(table: formats.Table, column: formats.Column) -> str:
    """The column's label, with its header path when another column has the same label."""
    same = [c for c in table.all_columns if c.label == column.label]
    if len(same) > 1 and column.groups:
        return "·".join((*column.groups, column.label))
    return column.label


def common_groups(columns: list[formats.Column]) -> tuple[str, ...]:
    """The header path all ``columns`` share (``行政复议`` for the five review columns)."""
    if not columns:
        return ()
    prefix = list(columns[0].groups)
    for c in columns[1:]:
        n = 0
        while n < len(prefix) and n < len(c.groups) and prefix[n] == c.groups[n]:
            n += 1
        prefix = prefix[:n]
    return tuple(prefix)


def number(cell: Cell | None) -> int | Decimal:
    """The cell's value for arithmetic: missing, blank, "/" and "-" count as 0 (spec §4.1)."""
    if cell is None or cell.value is None:
        return 0
    return cell.value


def show(cell: Cell | None) -> str:
    """How a cell appears in a message: its number, or what was written instead."""
    if cell is None:
        return "缺"
    if cell.kind is CellKind.BLANK:
        return "空"
    if cell.kind in (CellKind.SLASH, CellKind.DASH):
        return cell.raw.strip() or cell.kind.value
    if cell.kind is CellKind.TEXT or cell.value is None:
        return f"“{cell.raw.strip()}”"
    return fmt_number(cell.value)


def is_zero(cell: Cell | None) -> bool:
    return number(cell) == 0


def locate(
    table: formats.Table, row: formats.Row, column: formats.Column, cell: Cell | None
) -> Location:
    """Where to look: the cell's own location, completed with the table and the labels."""
    label = f"{row.label} {column.full_label}"
    if cell is not None and cell.location is not None:
        loc = cell.location
        return loc.with_(table=loc.table or table.key, label=loc.label or label)
    return Location(table=table.key, label=label)


def row_location(table: formats.Table, row: formats.Row, found: ReportRow | None) -> Location:
    if found is not None and found.location is not None:
        loc = found.location
        return loc.with_(table=loc.table or table.key, label=loc.label or row.label)
    return Location(table=table.key, label=row.label)


def cell_ref(
    table: formats.Table, row: formats.Row, column: formats.Column, cell: Cell | None
) -> CellRef:
    """The cell as it was: a blank stays blank (value None), a missing cell has no raw text."""
    return CellRef(
        table=table.key,
        row=row.key,
        column=column.key,
        label=f"{row.label}·{column.full_label}",
        value=cell.value if cell is not None else None,
        raw=cell.raw if cell is not None else None,
        location=cell.location if cell is not None else None,
    )
