"""Checks between one agency's reports of consecutive years (spec §3.3 T2-2, T2-3, T2-5; §4.2 T3-6).

The rules are data of the later report's format (:class:`gongkai.formats.Carry`); this module
evaluates them. A single report cannot be checked for these: they tie a number of year Y to one
of year Y+1.
Each finding goes on the **later** report and cites the earlier one (file and year), so a
reader of the later report sees what it should have carried forward.

Workers extract only the cells these rules read (:func:`facts_of`, a few dozen numbers per
report) so the parent can hold them for every report of a large batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from .. import formats
from ..check.finding import CellRef, Finding, fmt_number
from ..check.rules import Rule
from ..report import CellKind, Location, Report

GROUP = "跨年度核查 (batch)"
Number = int | Decimal

TEMPLATE = "表{number}「{scope}」{axis}：{lhs}，但{rhs}，相差{diff}（上年为{prev}）"


def _rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for fmt in formats.FORMATS.values():
        for carry in fmt.carries:
            rule = Rule(carry.id, carry.severity, carry.message, carry.source, TEMPLATE, GROUP)
            # One id, one rule: T3-6 is defined by both formats and must read the same.
            if rules.setdefault(carry.id, rule) != rule:
                raise ValueError(f"cross-year rule {carry.id} differs between formats")
    return rules


RULES: dict[str, Rule] = _rules()


def _cells(carry: formats.Carry, fmt: formats.Format, year: str) -> list[tuple[str, str, str]]:
    """The (table, row, column) cells ``carry`` reads from the report of ``year`` in ``fmt``."""
    table = fmt.table(carry.table)
    terms = [t for t in (*carry.lhs, *carry.rhs) if t.year == year]
    if carry.axis == "column":
        keys = carry.over or tuple(c.key for c in table.all_columns)
        return [(carry.table, t.key, k) for t in terms for k in keys]
    return [(carry.table, k, t.key) for t in terms for k in carry.over]


def _fact_cells() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Per format, every cell some cross-year rule reads: as the later or the earlier report."""
    cells: dict[str, dict[tuple[str, str, str], None]] = {k: {} for k in formats.FORMATS}
    for fmt in formats.FORMATS.values():
        for carry in fmt.carries:
            cells[fmt.key].update(dict.fromkeys(_cells(carry, fmt, "cur")))
            for prev in carry.prev_formats:
                cells[prev].update(dict.fromkeys(_cells(carry, formats.get(prev), "prev")))
    return {k: tuple(v) for k, v in cells.items()}


FACT_CELLS: dict[str, tuple[tuple[str, str, str], ...]] = _fact_cells()
# The tables those cells are in: what a store loads to rebuild a stored report's facts.
FACT_TABLES: tuple[str, ...] = tuple(sorted({t for c in FACT_CELLS.values() for t, _, _ in c}))


@cache
def _index(fmt: str) -> dict[tuple[str, str, str], int]:
    return {k: i for i, k in enumerate(FACT_CELLS.get(fmt, ()))}


# (values, lines, pages) in FACT_CELLS order. A value is the number for arithmetic (a blank,
# "/" or "-" counts as 0, spec §4.1) or None when the cell is missing or holds text.
Facts = tuple[tuple[Number | None, ...], tuple[int | None, ...], tuple[int | None, ...]]


def facts_of(report: Report) -> Facts:
    values: list[Number | None] = []
    lines: list[int | None] = []
    pages: list[int | None] = []
    for table, row, column in FACT_CELLS.get(report.format, ()):
        cell = report.cell(table, row, column)
        loc = cell.location if cell else None
        values.append(_number(cell.kind, cell.value) if cell else None)
        lines.append(loc.line if loc else None)
        pages.append(loc.page if loc else None)
    return tuple(values), tuple(lines), tuple(pages)


def facts_from_cells(
    fmt: str, cells: Iterable[tuple[str, str, str, str, str | None, int | None, int | None]]
) -> Facts:
    """Facts from stored cell rows ``(table, row, column, kind, value_text, line, page)``."""
    index = _index(fmt)
    n = len(index)
    values: list[Number | None] = [None] * n
    lines: list[int | None] = [None] * n
    pages: list[int | None] = [None] * n
    for table, row, column, kind, text, line, page in cells:
        i = index.get((table, row, column))
        if i is None:
            continue
        value: Number | None = None
        if text is not None:
            value = Decimal(text) if "." in text else int(text)
        values[i] = _number(kind, value)
        lines[i], pages[i] = line, page
    return tuple(values), tuple(lines), tuple(pages)


def _number(kind: str, value: Number | None) -> Number | None:
    if kind == CellKind.NUMBER:
        return value
    if kind in (CellKind.BLANK, CellKind.SLASH, CellKind.DASH):
        return 0
    return None


@dataclass(frozen=True, slots=True)
class YearReport:
    """What the cross-year rules need of one parsed report."""

    id: int
    file: str
    agency_key: str
    year: int
    format: str
    facts: Facts

    def value(self, table: str, row: str, column: str) -> Number | None:
        i = _index(self.format).get((table, row, column))
        return None if i is None else self.facts[0][i]

    def ref(self, table: str, row: str, column: str) -> CellRef:
        spec = formats.get(self.format).table(table)
        i = _index(self.format)[(table, row, column)]
        label = f"{spec.row(row).label} {spec.column(row, column).full_label}"
        loc = Location(
            file=Path(self.file).name,
            table=table,
            label=label,
            line=self.facts[1][i],
            page=self.facts[2][i],
        )
        value = self.facts[0][i]
        return CellRef(table=table, row=row, column=column, label=label, value=value, location=loc)

    def describe(self) -> str:
        return f"{self.year}年度报告（{self.file}）"


@dataclass(frozen=True, slots=True)
class BatchFinding:
    """A finding of the batch stage: on ``report_id``, citing ``related_id``."""

    report_id: int
    related_id: int | None
    finding: Finding


def cross_year(reports: Iterable[YearReport]) -> list[BatchFinding]:
    """Every cross-year finding among ``reports`` (any order).

    Reports are grouped by ``agency_key``; when one agency has several reports for one year
    (a duplicate or a corrected version), the one with the smallest id stands for that year.
    """
    by_agency: dict[str, dict[int, YearReport]] = defaultdict(dict)
    for r in sorted(reports, key=lambda r: r.id):
        by_agency[r.agency_key].setdefault(r.year, r)
    out: list[BatchFinding] = []
    for key in sorted(by_agency):
        years = by_agency[key]
        for year in sorted(years):
            later = years.get(year + 1)
            if later is not None:
                out.extend(check_pair(years[year], later))
    return out


def check_pair(prev: YearReport, cur: YearReport) -> list[BatchFinding]:
    found: list[Finding] = []
    for carry in formats.get(cur.format).carries:
        if prev.format in carry.prev_formats:
            found.extend(_check_carry(carry, prev, cur))
    return [BatchFinding(cur.id, prev.id, f) for f in found]


def _check_carry(carry: formats.Carry, prev: YearReport, cur: YearReport) -> list[Finding]:
    table = formats.get(cur.format).table(carry.table)
    keys = carry.over or tuple(c.key for c in table.all_columns)
    out: list[Finding] = []
    for key in keys:
        sides: list[list[tuple[formats.Term, YearReport, str, str, Number]]] = []
        for terms in (carry.lhs, carry.rhs):
            side = []
            for term in terms:
                report = prev if term.year == "prev" else cur
                row, column = (term.key, key) if carry.axis == "column" else (key, term.key)
                value = report.value(carry.table, row, column)
                if value is None:
                    break  # a missing or unreadable cell: the rule cannot be applied
                side.append((term, report, row, column, value))
            else:
                sides.append(side)
                continue
            break
        if len(sides) < 2:
            continue
        left, right = _total(sides[0]), _total(sides[1])
        if left == right:
            continue
        diff: Number = left - right
        terms_all = [*sides[0], *sides[1]]
        here = next((x for x in terms_all if x[1] is cur), terms_all[0])
        refs = [r.ref(carry.table, row, column) for _, r, row, column, _ in terms_all]
        scope = (
            table.row(key).label
            if carry.axis == "row"
            else next(c.full_label for c in table.all_columns if c.key == key)
        )
        out.append(
            RULES[carry.id].finding(
                cells=refs,
                location=here[1].ref(carry.table, here[2], here[3]).location,
                number=table.number,
                scope=scope,
                axis="列" if carry.axis == "column" else "",
                lhs=_expression(carry, sides[0], cur, left),
                rhs=_expression(carry, sides[1], cur, right),
                diff=fmt_number(diff if diff >= 0 else -diff),
                prev=prev.describe(),
            )
        )
    return out


def _total(side: list[tuple[formats.Term, YearReport, str, str, Number]]) -> Number:
    total: Number = 0
    for term, *_, value in side:
        total += term.sign * value
    return total


def _expression(
    carry: formats.Carry,
    side: list[tuple[formats.Term, YearReport, str, str, Number]],
    cur: YearReport,
    total: Number,
) -> str:
    """``上年「现行有效件数」(10)+本年「本年制发件数」(3)=13``."""
    parts = []
    for i, (term, report, row, column, value) in enumerate(side):
        spec = formats.get(report.format).table(carry.table)
        label = spec.row(row).label if carry.axis == "column" else spec.column(row, column).label
        whose = "本年" if report is cur else "上年"
        sign = "−" if term.sign < 0 else ("+" if i else "")
        parts.append(f"{sign}{whose}「{label}」({fmt_number(value)})")
    text = "".join(parts)
    return text if len(side) == 1 else f"{text}={fmt_number(total)}"
