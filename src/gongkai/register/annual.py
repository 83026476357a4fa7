"""The annual report's tables 三 and 四 from the register (条例第五十条第二、三项).

Counting rules for report year Y (``docs/register.md``):

* 二、上年结转 (r2): received before 1 January Y and not concluded by 31 December Y−1;
* 一、本年新收 (r1): received in Y (the statutory date of receipt, 第三十一条);
* 三、本年度办理结果: concluded in Y, each in its outcome's row
  (:mod:`gongkai.formats.outcomes`) and its applicant's column; （七）总计 sums them;
* 四、结转下年度继续办理 (r4): received on or before 31 December Y and not concluded by then.

The four sets partition "received by 31 December Y and not concluded before 1 January Y", so
T3-1 (第一项加第二项之和等于第三项加第四项之和) holds by construction, and r4 of Y is, by the
same definition, r2 of Y+1 (T3-6). Table 四 follows :func:`.reviews.t4_counts`.

Table 二 (主动公开) and the six sections are left empty: the register knows nothing of them, and
they are the officer's to write — nothing is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .. import formats
from ..errors import FormatError
from ..formats import outcomes as _outcomes
from ..report import Cell, CellKind, Location, Report, Row, Table
from ..workdays.datafile import MAX_YEAR
from .cases import Application, EventKind
from .deadlines import REGULATION_IN_FORCE
from .reviews import ReviewCase, t4_counts

FIRST_REPORT_YEAR = REGULATION_IN_FORCE.year
T3_APPLICANTS = tuple(c.key for c in formats.V2021.table("t3").columns if c.key != "total")


def _format_for(year: int, key: str | None) -> formats.Format:
    # Annual reports exist since the first 条例 (2008); the working-day calendar ends at
    # MAX_YEAR; and dt.date(99999, 1, 1) would fail deep inside the counting.
    if not FIRST_REPORT_YEAR <= year <= MAX_YEAR:
        raise FormatError(
            f"报告年度 {year} 不合理：应在{FIRST_REPORT_YEAR}–{MAX_YEAR}年之间，请检查年份"
        )
    if key is not None:
        try:
            return formats.get(key)
        except KeyError as exc:
            raise FormatError(str(exc.args[0])) from None
    found = formats.for_year(year)
    if found is None:
        raise FormatError(f"{year}年没有适用的年报格式（现行条例的年报格式自2019年度起适用）")
    return found


def t3_counts(
    cases: Iterable[Application], year: int, format_key: str
) -> dict[str, dict[str, int]]:
    """Table 三 for ``year`` as ``{row: {column: n}}``, every row and column, totals included."""
    spec = formats.get(format_key).table("t3")
    counts = {r.key: dict.fromkeys((c.key for c in spec.columns), 0) for r in spec.rows}
    row_of = {o.key: o.row(format_key) for o in _outcomes.OUTCOMES}
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for case in cases:
        received = case.received
        if received is None or received > end:
            continue
        closed = case.closed
        if closed is not None and closed < start:
            continue  # concluded in an earlier year
        column = case.applicant.value
        counts["r1" if received >= start else "r2"][column] += 1
        if closed is None or closed > end:
            counts["r4"][column] += 1
        else:
            assert case.outcome is not None  # a closed case always has one (cases.py)
            counts[row_of[case.outcome]][column] += 1
    results = formats.t3_result_rows(spec)
    for column in T3_APPLICANTS:
        counts["t"][column] = sum(counts[r][column] for r in results)
    for row in counts.values():
        row["total"] = sum(row[c] for c in T3_APPLICANTS)
    return counts


def _table(spec: formats.Table, values: dict[str, dict[str, int]], source: str | None) -> Table:
    rows = []
    for i, row in enumerate(spec.rows, start=1):
        where = Location(file=source, table=spec.key, row=i, label=row.label)
        cells = [
            Cell(
                column=c.key,
                raw=str(values[row.key][c.key]),
                value=values[row.key][c.key],
                kind=CellKind.NUMBER,
                location=where.with_(column=j, label=f"{row.label} {c.full_label}"),
            )
            for j, c in enumerate(spec.columns_for(row), start=1)
        ]
        rows.append(Row(key=row.key, label=row.label, cells=cells, location=where))
    return Table(key=spec.key, rows=rows)


def counts_table(
    spec: formats.Table, values: dict[str, dict[str, int]], source: str | None = None
) -> Table:
    """A table of counts (``{row: {column: n}}``, every cell given) in the format's layout."""
    return _table(spec, values, source)


def build_report(
    cases: Iterable[Application],
    reviews: Iterable[ReviewCase],
    year: int,
    agency: str | None,
    format: str | None = None,
    *,
    source: str | None = None,
) -> Report:
    """The report for ``year`` with tables 三 and 四 filled from the register.

    ``format`` is a format key (``"2019"``, ``"2021"``); by default the one the year must use
    (spec §1). ``source`` names the register (e.g. the ledger file) in every cell's location.
    Raises :class:`~gongkai.errors.FormatError` for a year before 2019 or an unknown format.
    """
    fmt = _format_for(year, format)
    t3 = fmt.table("t3")
    t4 = fmt.table("t4")
    tables = {
        "t3": _table(t3, t3_counts(cases, year, fmt.key), source),
        "t4": _table(t4, {t4.rows[0].key: t4_counts(reviews, year)}, source),
    }
    return Report(
        agency=agency,
        year=year,
        format=fmt.key,
        title=f"{agency or ''}{year}年政府信息公开工作年度报告",
        source=source,
        tables=tables,
    )


@dataclass(frozen=True, slots=True)
class FeeSummary:
    """信息处理费 in ``year``, for section 六 (the officer writes the sentence)."""

    notices: int  # 发出收费通知的件数
    notified: Decimal  # 通知的总金额（元）
    collected: Decimal  # 实际收取的总金额（元）


def fee_summary(cases: Iterable[Application], year: int) -> FeeSummary:
    """Fee notices sent in ``year`` with the amounts notified, and the amounts paid in
    ``year`` (each payment is the amount of the notice it answers)."""
    notices = 0
    notified = collected = Decimal(0)
    for case in cases:
        amount: Decimal | None = None
        for event in case.events:
            if event.kind is EventKind.FEE_NOTIFIED:
                amount = event.amount
                if event.on.year == year:
                    notices += 1
                    notified += amount or 0
            elif event.kind is EventKind.FEE_PAID and event.on.year == year:
                collected += amount or 0
    return FeeSummary(notices=notices, notified=notified, collected=collected)


__all__ = ["FeeSummary", "build_report", "fee_summary", "t3_counts"]
