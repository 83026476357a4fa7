"""Is each table there, whole, and once: absent tables, rows and cells (T0-2, T0-4) and a
table printed twice (T0-3, T0-3b).

The parser leaves out what it did not find: a table (``Report.tables`` has no key), a row
(``Table.rows`` has none of that key), a cell of a short row (``Row.cell()`` is None; a blank
cell is one written blank, kind ``blank``). The identities skip a row that is absent and count
an absent cell as 0, so a table cut off midway would pass them on nothing. What is absent is
weighed by the identities of the format (data, not row labels):

* **T0-2** (error): a table is absent; an absent row takes part in an identity (the identity
  was not evaluated); or every cell of some identity is absent (it was evaluated on nothing).
* **T0-4** (warning): the rest: rows no identity uses, and short rows whose identities still
  had written cells (read aligned as the parser warned; their absent cells counted as 0).

A second copy of a table (``Table.repeated``, found by the parser after the first copy was
complete) is compared cell by cell with the first: T0-3 (error) lists every difference and
keeps the second copy's differing cells in the finding; T0-3b (info) says the copies agree.
The table's values are the first copy's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import formats
from ..report import Cell, Location, Report
from ..report import Table as ReportTable
from .finding import CellRef, Finding
from .refs import cell_ref, column_name, row_location, short_row_label
from .refs import show as show_cell
from .rules import RULES, Rule

CellKey = tuple[str, str]  # (row key, column key)

# A message names at most this many rows, cells or differences; the finding's cells list all.
_NAMED = 6


@dataclass(frozen=True, slots=True)
class _Instance:
    """One identity applied to one column (axis column) or one row (axis row)."""

    id: str
    severity: str
    cells: tuple[CellKey, ...]

    @property
    def rows(self) -> frozenset[str]:
        return frozenset(r for r, _ in self.cells)


def check_complete(report: Report) -> list[Finding]:
    spec = report.spec
    findings: list[Finding] = []
    for table in spec.tables:
        found = report.tables.get(table.key)
        instances = list(_instances(spec, table))
        if found is None:
            checked = f"该表的数值与勾稽关系（{_ids(instances)}）均未核对" if instances else ""
            findings.append(
                _rule(instances).finding(
                    location=Location(file=report.source, table=table.key),
                    number=table.number,
                    detail=f"（{table.title}）未找到" + (f"：{checked}" if checked else ""),
                )
            )
            continue
        findings.extend(_absent_rows(table, found, instances, report.source))
        findings.extend(_short_rows(table, found, instances))
        findings.extend(_repeated(table, found))
    return findings


def _instances(spec: formats.Format, table: formats.Table) -> Iterator[_Instance]:
    row_keys = {r.key: {c.key for c in table.columns_for(r)} for r in table.rows}
    for ident in spec.identities:
        if ident.table != table.key:
            continue
        if ident.axis == "column":
            for column in ident.over or tuple(c.key for c in table.all_columns):
                cells = tuple(
                    (r, column) for r in (*ident.lhs, *ident.rhs) if column in row_keys.get(r, ())
                )
                if cells:
                    yield _Instance(ident.id, ident.severity, cells)
        else:
            for row in ident.over or tuple(row_keys):
                cells = tuple((row, c) for c in (*ident.lhs, *ident.rhs) if c in row_keys[row])
                if cells:
                    yield _Instance(ident.id, ident.severity, cells)


def _rule(silenced: list[_Instance]) -> Rule:
    """An absent part is as serious as the identities it silences: T0-2 (error) when one of
    them is an error-level identity, else T0-4 (warning)."""
    return RULES["T0-2" if any(i.severity == "error" for i in silenced) else "T0-4"]


def _ids(instances: list[_Instance]) -> str:
    return "、".join(sorted({i.id for i in instances}))


def _names(names: list[str], unit: str) -> str:
    shown = "、".join(f"「{n}」" for n in names[:_NAMED])
    return shown + (f"等{len(names)}{unit}" if len(names) > _NAMED else "")


def _absent_rows(
    table: formats.Table, found: ReportTable, instances: list[_Instance], file: str | None
) -> list[Finding]:
    absent = [r for r in table.rows if found.row(r.key) is None]
    if not absent:
        return []
    keys = {r.key for r in absent}
    skipped = [i for i in instances if i.rows & keys]
    if not found.rows:
        detail = "没有读到任何一行的数值"
    else:
        names = [short_row_label(r) for r in absent]
        detail = f"缺少{len(absent)}行（从「{names[0]}」起）：{_names(names, '行')}"
    if skipped:
        detail += f"；涉及这些行的勾稽关系（{_ids(skipped)}）未核对"
    else:
        detail += "（这些行不在任何勾稽关系中）"
    return [
        _rule(skipped).finding(
            location=Location(file=file, table=table.key, label=absent[0].label),
            number=table.number,
            detail=detail,
        )
    ]


def _short_rows(
    table: formats.Table, found: ReportTable, instances: list[_Instance]
) -> list[Finding]:
    """One finding per table for the rows that have fewer cells than the header."""
    absent: set[CellKey] = set()
    shorts: list[tuple[formats.Row, list[formats.Column]]] = []
    for row in table.rows:
        got = found.row(row.key)
        if got is None:
            absent.update((row.key, c.key) for c in table.columns_for(row))
            continue
        missing = [c for c in table.columns_for(row) if got.cell(c.key) is None]
        if missing:
            shorts.append((row, missing))
            absent.update((row.key, c.key) for c in missing)
    if not shorts:
        return []
    short_cells = {(r.key, c.key) for r, cols in shorts for c in cols}
    empty = [i for i in instances if set(i.cells) <= absent and set(i.cells) & short_cells]
    parts = []
    for row, missing in shorts:
        n = len(table.columns_for(row))
        cols = [column_name(table, c) for c in missing]
        parts.append(
            f"「{short_row_label(row)}」只有{n - len(missing)}个单元格，"
            f"缺少{len(missing)}个：{_names(cols, '个')}"
        )
    detail = "；".join(parts[:_NAMED]) + (f"；等{len(parts)}行" if len(parts) > _NAMED else "")
    if empty:
        detail += f"。勾稽关系{_ids(empty)}涉及的单元格全部缺失，无从核对（表格可能在中途被截断）"
    else:
        detail += "。缺少的单元格在勾稽关系中按0计算，请核对原表"
    first_row = shorts[0][0]
    cells = [cell_ref(table, r, c, None) for r, cols in shorts for c in cols]
    return [
        _rule(empty).finding(
            cells=cells,
            location=row_location(table, first_row, found.row(first_row.key)),
            number=table.number,
            detail=detail,
        )
    ]


def _same(a: Cell | None, b: Cell | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.kind, a.value, " ".join(a.raw.split())) == (b.kind, b.value, " ".join(b.raw.split()))


def _repeated(table: formats.Table, found: ReportTable) -> list[Finding]:
    findings: list[Finding] = []
    copy = found.repeated
    while copy is not None:
        findings.append(_compare(table, found, copy))
        copy = copy.repeated  # a third copy is compared with the first too
    return findings


def _compare(table: formats.Table, first: ReportTable, second: ReportTable) -> Finding:
    start = next((r.location for r in second.rows if r.location is not None), None)
    line = "紧随第一份之后"
    if start is not None and start.line is not None:
        line = f"第{start.line}行起"
    elif start is not None and start.page is not None:
        line = f"第{start.page}页起"
    elif start is not None and start.row is not None:
        line = f"表格第{start.row}行起"
    diffs: list[str] = []
    refs: list[CellRef] = []
    for row in table.rows:
        a, b = first.row(row.key), second.row(row.key)
        if a is None and b is None:
            continue
        for column in table.columns_for(row):
            x = a.cell(column.key) if a is not None else None
            y = b.cell(column.key) if b is not None else None
            if _same(x, y):
                continue
            # Table 四's one row has no printed label: its cells are named by column alone.
            names = [column_name(table, column)]
            if len(table.rows) > 1:
                names.insert(0, short_row_label(row))
            place = "".join(f"「{n}」" for n in names)
            diffs.append(f"{place}第一份{show_cell(x)}、第二份{show_cell(y)}")
            ref = cell_ref(table, row, column, y)
            refs.append(ref.model_copy(update={"label": f"{ref.label}（第二份）"}))
    where = start.with_(table=table.key) if start is not None else Location(table=table.key)
    if not diffs:
        return RULES["T0-3b"].finding(location=where, number=table.number, where=line)
    shown = "；".join(diffs[:_NAMED]) + (f"；等{len(diffs)}处" if len(diffs) > _NAMED else "")
    return RULES["T0-3"].finding(
        cells=refs,
        location=where,
        number=table.number,
        where=line,
        count=len(diffs),
        diffs=shown,
    )
