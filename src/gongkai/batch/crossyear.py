"""Checks between one agency's reports of consecutive years (spec §3.3 T2-2, T2-3, T2-5; §4.2 T3-6).

A single report cannot be checked for these: they tie a number of year Y to one of year Y+1.
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

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "T3-6",
            "warning",
            "表三：本年度“结转下年度继续办理”应等于同一机关下一年度的“上年结转”（逐列）",
            "inferred（spec §4.2 T3-6：结转下年度即下一年度的上年结转；机构改革或统计口径变化时"
            "可能不同）",
            "表三「{col}」：{prev}「{r4}」为{a}，本报告「{r2}」为{b}，二者应相等",
            GROUP,
        ),
        Rule(
            "T2-2",
            "warning",
            "2021 格式表二：现行有效件数应等于上一年度的现行有效件数加本年制发件数减本年废止件数",
            "inferred（spec §3.3 T2-2：现行有效件数的逐年递推；文件修订、清理或机构改革时"
            "可能不同）",
            "表二「{row}」：{prev}「{in_force}」为{p}，加本年「{issued}」{i}、减「{repealed}」{r}"
            "应为{expected}，本报告为{b}，相差{diff}",
            GROUP,
        ),
        Rule(
            "T2-3",
            "warning",
            "2019 格式表二：上一年项目数量加本年增/减，应等于同一机关下一年度的上一年项目数量",
            "inferred（spec §3.3 T2-3：项目数量的逐年递推）",
            "表二「{row}」：{prev}「{prev_items}」{p}加「{change}」{c}为{expected}，本报告"
            "「{prev_items}」为{b}，相差{diff}",
            GROUP,
        ),
        Rule(
            "T2-5",
            "info",
            "跨格式（2020 → 2021）：2020 年度的对外公开总数量与 2021 年度的现行有效件数减本年制发"
            "加本年废止相比较，两列口径不同，仅供参考",
            "inferred（spec §3.3 T2-5：对外公开总数量与现行有效件数含义不同）",
            "表二「{row}」：{prev}「{total}」为{a}；本报告「{in_force}」{f}减「{issued}」{i}"
            "加「{repealed}」{r}为{b}。两列口径不同（对外公开与现行有效），仅供参考",
            GROUP,
        ),
    )
}

# The cells each rule reads, per format: (table, row, column). Keys come from gongkai.formats.
_T3 = tuple(("t3", row, c.key) for row in ("r2", "r4") for c in formats.V2021.table("t3").columns)
_T2_2021 = tuple(
    ("t2", row, col) for row in ("rules", "normative") for col in ("issued", "repealed", "in_force")
)
_T2_2019_ITEMS = ("licensing", "other_services", "penalty", "coercion", "fees")
_T2_2019 = (
    *(("t2", row, "total_published") for row in ("rules", "normative")),
    *(("t2", row, col) for row in _T2_2019_ITEMS for col in ("prev_items", "change")),
)
FACT_CELLS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "2019": (*_T3, *_T2_2019),
    "2021": (*_T3, *_T2_2021),
}


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
    found.extend(_t3_6(prev, cur))
    if prev.format == "2021" and cur.format == "2021":
        found.extend(_t2_2(prev, cur))
    elif prev.format == "2019" and cur.format == "2019":
        found.extend(_t2_3(prev, cur))
    elif prev.format == "2019" and cur.format == "2021":
        found.extend(_t2_5(prev, cur))
    return [BatchFinding(cur.id, prev.id, f) for f in found]


def _t3_6(prev: YearReport, cur: YearReport) -> list[Finding]:
    t3 = formats.get(cur.format).table("t3")
    out: list[Finding] = []
    for col in t3.columns:
        a = prev.value("t3", "r4", col.key)
        b = cur.value("t3", "r2", col.key)
        if a is None or b is None or a == b:
            continue
        here = cur.ref("t3", "r2", col.key)
        out.append(
            RULES["T3-6"].finding(
                cells=[here, prev.ref("t3", "r4", col.key)],
                location=here.location,
                col=col.full_label,
                prev=prev.describe(),
                r4=t3.row("r4").label,
                r2=t3.row("r2").label,
                a=fmt_number(a),
                b=fmt_number(b),
            )
        )
    return out


def _t2_2(prev: YearReport, cur: YearReport) -> list[Finding]:
    t2 = formats.get(cur.format).table("t2")
    out: list[Finding] = []
    for row in ("rules", "normative"):
        p = prev.value("t2", row, "in_force")
        i = cur.value("t2", row, "issued")
        r = cur.value("t2", row, "repealed")
        b = cur.value("t2", row, "in_force")
        if p is None or i is None or r is None or b is None:
            continue
        expected = p + i - r
        if expected == b:
            continue
        here = cur.ref("t2", row, "in_force")
        out.append(
            RULES["T2-2"].finding(
                cells=[
                    here,
                    cur.ref("t2", row, "issued"),
                    cur.ref("t2", row, "repealed"),
                    prev.ref("t2", row, "in_force"),
                ],
                location=here.location,
                row=t2.row(row).label,
                prev=prev.describe(),
                in_force=t2.column(row, "in_force").label,
                issued=t2.column(row, "issued").label,
                repealed=t2.column(row, "repealed").label,
                p=fmt_number(p),
                i=fmt_number(i),
                r=fmt_number(r),
                expected=fmt_number(expected),
                b=fmt_number(b),
                diff=fmt_number(b - expected),
            )
        )
    return out


def _t2_3(prev: YearReport, cur: YearReport) -> list[Finding]:
    t2 = formats.get(cur.format).table("t2")
    out: list[Finding] = []
    for row in _T2_2019_ITEMS:
        p = prev.value("t2", row, "prev_items")
        c = prev.value("t2", row, "change")
        b = cur.value("t2", row, "prev_items")
        if p is None or c is None or b is None:
            continue
        expected = p + c
        if expected == b:
            continue
        here = cur.ref("t2", row, "prev_items")
        out.append(
            RULES["T2-3"].finding(
                cells=[here, prev.ref("t2", row, "prev_items"), prev.ref("t2", row, "change")],
                location=here.location,
                row=t2.row(row).label,
                prev=prev.describe(),
                prev_items=t2.column(row, "prev_items").label,
                change=t2.column(row, "change").label,
                p=fmt_number(p),
                c=fmt_number(c),
                expected=fmt_number(expected),
                b=fmt_number(b),
                diff=fmt_number(b - expected),
            )
        )
    return out


def _t2_5(prev: YearReport, cur: YearReport) -> list[Finding]:
    old = formats.get(prev.format).table("t2")
    new = formats.get(cur.format).table("t2")
    out: list[Finding] = []
    for row in ("rules", "normative"):
        a = prev.value("t2", row, "total_published")
        f = cur.value("t2", row, "in_force")
        i = cur.value("t2", row, "issued")
        r = cur.value("t2", row, "repealed")
        if a is None or f is None or i is None or r is None:
            continue
        b = f - i + r
        if a == b:
            continue
        here = cur.ref("t2", row, "in_force")
        out.append(
            RULES["T2-5"].finding(
                cells=[here, prev.ref("t2", row, "total_published")],
                location=here.location,
                row=new.row(row).label,
                prev=prev.describe(),
                total=old.column(row, "total_published").label,
                in_force=new.column(row, "in_force").label,
                issued=new.column(row, "issued").label,
                repealed=new.column(row, "repealed").label,
                a=fmt_number(a),
                f=fmt_number(f),
                i=fmt_number(i),
                r=fmt_number(r),
                b=fmt_number(b),
            )
        )
    return out
