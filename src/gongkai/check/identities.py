"""The arithmetic identities (勾稽关系) of a format, evaluated on a report.

Generic over :class:`gongkai.formats.Format`: every :class:`~gongkai.formats.Identity` says
which table, which axis, which rows or columns add up, and its id, severity and source. A blank,
"/" or "-" counts as 0 (spec §4.1), but the finding shows the cell as it was written. A row the
parser did not find makes the identity impossible to evaluate for that column or row: it is
skipped silently, because the parser has already warned about the missing row. A cell that is
not a number at all (kind ``text``) is reported by the cell-type rule, and the identities it
takes part in are skipped rather than evaluated with a guessed 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import formats
from ..report import Cell, CellKind, Report
from ..report import Table as ReportTable
from .finding import Finding, fmt_number
from .refs import cell_ref, column_name, common_groups, is_zero, locate, number, short_row_label
from .refs import show as show_cell

# How a violated identity reads. The numbers are the point: a reader must see at a glance
# which cells disagree and by how much.
EQUAL_TEMPLATE = "表{number}「{scope}」{axis}：{lhs}，但{rhs}，相差{diff}"
AT_MOST_TEMPLATE = "表{number}「{scope}」{axis}：{lhs}大于{rhs}，多{diff}"

# A side with more terms than this lists only its non-zero terms (table 三's （七）总计 adds
# twenty rows; a message naming twenty zeros hides the two numbers that matter).
_LIST_ALL_UP_TO = 6


@dataclass(frozen=True, slots=True)
class _Term:
    name: str
    row: formats.Row
    column: formats.Column
    cell: Cell | None


def check_identities(report: Report) -> list[Finding]:
    spec = report.spec
    findings: list[Finding] = []
    grids: dict[str, dict[str, dict[str, Cell]]] = {}
    for ident in spec.identities:
        table = spec.table(ident.table)
        found = report.tables.get(ident.table)
        if found is None:
            continue  # the parser reports a missing table
        grid = grids.get(ident.table)
        if grid is None:
            grid = grids[ident.table] = {r.key: {c.column: c for c in r.cells} for r in found.rows}
        columns = _column_keys(table)
        by_column = ident.axis == "column"
        if by_column:
            keys = ident.over or tuple(c.key for c in table.all_columns)
        else:
            keys = ident.over or tuple(r.key for r in table.rows)
        for key in keys:
            lhs = [(r, key) if by_column else (key, r) for r in ident.lhs]
            rhs = [(r, key) if by_column else (key, r) for r in ident.rhs]
            if _holds(ident, grid, columns, lhs, rhs):
                continue
            evaluate = _column_identity if by_column else _row_identity
            f = evaluate(ident, table, found, key)
            if f is not None:
                findings.append(f)
    return findings


# By identity, not by value: hashing a frozen Table hashes all its rows and columns, and that
# was asked once per identity of every report.
_COLUMN_KEYS: dict[int, tuple[formats.Table, dict[str, frozenset[str]]]] = {}


def _column_keys(table: formats.Table) -> dict[str, frozenset[str]]:
    hit = _COLUMN_KEYS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    keys = {r.key: frozenset(c.key for c in table.columns_for(r)) for r in table.rows}
    _COLUMN_KEYS[id(table)] = (table, keys)
    return keys


def _holds(
    ident: formats.Identity,
    grid: dict[str, dict[str, Cell]],
    columns: dict[str, frozenset[str]],
    lhs: list[tuple[str, str]],
    rhs: list[tuple[str, str]],
) -> bool:
    """A quick look on plain values: True when the identity certainly holds (or cannot be
    evaluated), so that the findings' labels and messages are built only for violations.
    False sends the case to the full evaluation below, which decides."""
    totals: list[int | Decimal] = []
    for side in (lhs, rhs):
        total: int | Decimal = 0
        for row_key, column_key in side:
            cells = grid.get(row_key)
            if cells is None or column_key not in columns.get(row_key, ()):
                return True  # not evaluable: the full evaluation would skip it too
            cell = cells.get(column_key)
            if cell is not None:
                if cell.kind is CellKind.TEXT:
                    return True  # skipped: the cell-type rule reports it
                if cell.value is not None:
                    total += cell.value
        totals.append(total)
    return totals[0] <= totals[1] if ident.op == "<=" else totals[0] == totals[1]


def _column_identity(
    ident: formats.Identity, table: formats.Table, found: ReportTable, column_key: str
) -> Finding | None:
    """``Σ lhs rows  op  Σ rhs rows`` in one column."""
    sides: list[list[_Term]] = []
    for keys in (ident.lhs, ident.rhs):
        side: list[_Term] = []
        for row_key in keys:
            row = table.row(row_key)
            column = _column_of(table, row, column_key)
            got = found.row(row_key)
            if column is None or got is None:
                return None  # not evaluable: the parser has already warned about the row
            side.append(_Term(short_row_label(row), row, column, got.cell(column_key)))
        sides.append(side)
    column = sides[0][0].column if sides[0] else table.column(table.rows[0], column_key)
    return _evaluate(ident, table, sides[0], sides[1], column_name(table, column), "列")


def _row_identity(
    ident: formats.Identity, table: formats.Table, found: ReportTable, row_key: str
) -> Finding | None:
    """``Σ lhs columns  op  Σ rhs columns`` in one row."""
    row = table.row(row_key)
    got = found.row(row_key)
    if got is None:
        return None
    sides: list[list[_Term]] = []
    for keys in (ident.lhs, ident.rhs):
        side: list[_Term] = []
        for column_key in keys:
            column = _column_of(table, row, column_key)
            if column is None:
                return None
            side.append(_Term(column.label, row, column, got.cell(column_key)))
        sides.append(side)
    groups = common_groups([t.column for t in (*sides[0], *sides[1])])
    scope = [short_row_label(row)] if len(table.rows) > 1 else []
    scope.extend(groups)
    name = "·".join(scope) or row.label
    axis = "行" if len(table.rows) > 1 else ""
    return _evaluate(ident, table, sides[0], sides[1], name, axis)


def _column_of(table: formats.Table, row: formats.Row, key: str) -> formats.Column | None:
    for c in table.columns_for(row):
        if c.key == key:
            return c
    return None


def _evaluate(
    ident: formats.Identity,
    table: formats.Table,
    lhs: list[_Term],
    rhs: list[_Term],
    scope: str,
    axis: str,
) -> Finding | None:
    terms = [*lhs, *rhs]
    if any(t.cell is not None and t.cell.kind is CellKind.TEXT for t in terms):
        return None  # the cell-type rule reports the unreadable cell
    left = _sum(lhs)
    right = _sum(rhs)
    if ident.op == "<=":
        if left <= right:
            return None
        template = AT_MOST_TEMPLATE
    else:
        if left == right:
            return None
        template = EQUAL_TEMPLATE
    message = template.format(
        number=table.number,
        scope=scope,
        axis=axis,
        lhs=_expression(lhs, left),
        rhs=_expression(rhs, right),
        diff=fmt_number(abs(Decimal(left) - Decimal(right))),
    )
    blame = _most_likely_wrong(lhs, rhs)
    return Finding(
        rule=ident.id,
        severity=ident.severity,
        message=message,
        source=ident.source,
        cells=[cell_ref(table, t.row, t.column, t.cell) for t in terms],
        location=locate(table, blame.row, blame.column, blame.cell),
    )


def _sum(terms: list[_Term]) -> int | Decimal:
    total: int | Decimal = 0
    for t in terms:
        total += number(t.cell)
    return total


def _most_likely_wrong(lhs: list[_Term], rhs: list[_Term]) -> _Term:
    """The cell to look at first: a side that is a single cell is a total, and totals are
    where the arithmetic is done by hand; otherwise the first cell of the left side."""
    if len(lhs) == 1:
        return lhs[0]
    if len(rhs) == 1:
        return rhs[0]
    return lhs[0]


def _expression(terms: list[_Term], total: int | Decimal) -> str:
    """``第一项(30)+第二项(0)=30``; one term alone is just ``（七）总计(29)``."""
    if len(terms) == 1:
        t = terms[0]
        return f"{t.name}({show_cell(t.cell)})"
    shown, hidden = terms, []
    if len(terms) > _LIST_ALL_UP_TO:
        shown = [t for t in terms if not is_zero(t.cell)]
        hidden = [t for t in terms if is_zero(t.cell)]
    parts = [f"{t.name}({show_cell(t.cell)})" for t in shown]
    if hidden:
        blankish = any(t.cell is None or t.cell.kind is not CellKind.NUMBER for t in hidden)
        rest = "其余" if parts else ""
        parts.append(f"{rest}{len(hidden)}项" + ("为0或空" if blankish else "均为0"))
    return "+".join(parts) + f"={fmt_number(total)}"
