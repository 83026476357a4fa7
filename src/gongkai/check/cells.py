"""What one cell may hold: the cell-type rules (T2-1, T3-4, T4-4) and their neighbours.

The type rule of each table is data (``Table.type_rule``) and the type of each column too
(``Column.type``): a count is an integer ≥ 0, a signed count (2019's 本年增/减) an integer, an
amount a number ≥ 0 in 万元. A cell the parser could not read as a number (kind ``text``) is an
error of the same rule. A "/" or "-" is not wrong but is not a written 0 either: one ``info``
per table lists them (C-1), so a reader knows the identities counted them as 0.
"""

from __future__ import annotations

from decimal import Decimal

from .. import formats
from ..formats import CellType
from ..report import SUBTOTAL_COLUMN, Cell, CellKind, Report
from ..report import Row as ReportRow
from .finding import CellRef, Finding, fmt_number
from .refs import cell_ref, column_name, locate, row_location, short_row_label
from .rules import RULES

_EXPECTED = {
    CellType.COUNT: "非负整数",
    CellType.SIGNED: "整数",
    CellType.AMOUNT: "金额（非负数）",
}


def check_cells(report: Report) -> list[Finding]:
    spec = report.spec
    findings: list[Finding] = []
    for table in spec.tables:
        found = report.tables.get(table.key)
        if found is None:
            continue
        marked: list[tuple[formats.Row, formats.Column, Cell]] = []
        for got in found.rows:
            row = _row_of(table, got.key)
            if row is None:
                continue  # a row the format does not know: the parser has warned
            columns = {c.key: c for c in table.columns_for(row)}
            for cell in got.cells:
                column = columns.get(cell.column)
                if column is None:
                    continue
                if (
                    type(cell.value) is int
                    and cell.value >= 0
                    and column.type is CellType.COUNT
                    and cell.kind is CellKind.NUMBER
                ):
                    continue  # the common case, a written count: nothing to say, say it fast
                if cell.kind in (CellKind.SLASH, CellKind.DASH):
                    marked.append((row, column, cell))
                findings.extend(_type_finding(table, row, column, cell))
                findings.extend(_unit_finding(table, row, column, cell))
            findings.extend(_extra_finding(table, row, got))
        if marked:
            findings.append(_marked_finding(table, marked))
    return findings


def _row_of(table: formats.Table, key: str) -> formats.Row | None:
    for r in table.rows:
        if r.key == key:
            return r
    return None


def type_problem(kind: CellType, cell: Cell) -> str | None:
    """Why ``cell`` cannot be a value of a column of type ``kind``, in Chinese; None if it can."""
    if cell.kind is CellKind.TEXT:
        return f"写作“{cell.raw.strip()}”，无法读作{_EXPECTED[kind]}，未计入勾稽关系"
    if cell.kind is not CellKind.NUMBER or cell.value is None:
        return None  # blank, "/" and "-" count as 0 (spec §4.1)
    v = cell.value
    if kind in (CellType.COUNT, CellType.SIGNED) and _fractional(v):
        return f"{fmt_number(v)}不是整数，应为{_EXPECTED[kind]}"
    if kind is CellType.COUNT and v < 0:
        return f"{fmt_number(v)}为负数，件数不能为负"
    if kind is CellType.AMOUNT and v < 0:
        return f"金额{fmt_number(v)}为负数"
    return None


def _fractional(v: int | Decimal) -> bool:
    return isinstance(v, Decimal) and v != v.to_integral_value()


def _type_finding(
    table: formats.Table, row: formats.Row, column: formats.Column, cell: Cell
) -> list[Finding]:
    problem = type_problem(column.type, cell)
    rule = RULES.get(table.type_rule)
    if problem is None or rule is None:
        return []
    return [
        rule.finding(
            cells=[cell_ref(table, row, column, cell)],
            location=locate(table, row, column, cell),
            number=table.number,
            row=short_row_label(row),
            column=column_name(table, column),
            problem=problem,
        )
    ]


def _states_unit(text: str | None) -> bool:
    return text is not None and "元" in text


def _unit_finding(
    table: formats.Table, row: formats.Row, column: formats.Column, cell: Cell
) -> list[Finding]:
    """C-2: an amount whose unit neither the cell nor the header gives (spec §3.2).

    The 2021 label names its unit (万元), the 2019 label 采购总金额 does not; the parser sets
    ``Cell.unit`` from the cell's text or from a header that states the unit. A 0 needs no unit.
    """
    if column.type is not CellType.AMOUNT or _states_unit(column.label):
        return []
    if cell.kind is not CellKind.NUMBER or cell.value is None or cell.value == 0:
        return []
    if _states_unit(cell.unit):
        return []
    return [
        RULES["C-2"].finding(
            cells=[cell_ref(table, row, column, cell)],
            location=locate(table, row, column, cell),
            number=table.number,
            row=short_row_label(row),
            column=column_name(table, column),
            value=fmt_number(cell.value),
        )
    ]


def _extra_finding(table: formats.Table, row: formats.Row, got: ReportRow) -> list[Finding]:
    """T0-1: values beyond the header's columns (seed 000: three values under two columns)."""
    # A subtotal column's values (column "subtotal") are announced once by the parser.
    extra = [c for c in got.extra if c.kind is not CellKind.BLANK and c.column != SUBTOTAL_COLUMN]
    if not extra:
        return []
    first = extra[0]
    location = first.location or row_location(table, row, got)
    refs = [
        CellRef(
            table=table.key,
            row=row.key,
            column=c.column,
            label=f"{row.label}·（表头之外）",
            value=c.value,
            raw=c.raw,
            location=c.location,
        )
        for c in extra
    ]
    return [
        RULES["T0-1"].finding(
            cells=refs,
            location=location,
            number=table.number,
            row=short_row_label(row),
            columns=len(table.columns_for(row)),
            count=len(extra),
            raws="、".join(c.raw.strip() or "空" for c in extra),
        )
    ]


def _marked_finding(
    table: formats.Table, marked: list[tuple[formats.Row, formats.Column, Cell]]
) -> Finding:
    names = [
        f"「{short_row_label(r)}」「{column_name(table, c)}」({cell.raw.strip()})"
        for r, c, cell in marked
    ]
    if len(names) > 5:
        names = [*names[:5], f"等{len(marked)}处"]
    first_row, first_column, first_cell = marked[0]
    return RULES["C-1"].finding(
        cells=[cell_ref(table, r, c, cell) for r, c, cell in marked],
        location=locate(table, first_row, first_column, first_cell),
        number=table.number,
        count=len(marked),
        where="、".join(names),
    )
