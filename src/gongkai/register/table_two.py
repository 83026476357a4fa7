"""Table 二 (主动公开政府信息情况, 条例 第五十条第一项) from the catalogue and the entered counts.

The rows of 第二十条第（一）项 (规章, 行政规范性文件) are **counted** from catalogue items; every
other row (许可, 处罚, 强制, 收费 …) is **entered** by the office, one value per cell of the
format's columns, of the column's cell type (:class:`gongkai.formats.CellType`). Which rows,
columns and types there are is the format's data; nothing here names a row label.

Counting rules for report year Y, over the organisation's **published** items of kind 规章 /
行政规范性文件 (``docs/web.md`` §Catalogue; all **inferred** — no official 填报说明 was found,
spec §3.1):

2021 format

* 本年制发件数 (``issued``): 成文日期 in Y;
* 本年废止件数 (``repealed``): 有效性 已废止 or 已失效 with its 废止或失效日期 in Y;
* 现行有效件数 (``in_force``): 成文日期 on or before 31 December Y and not 废止/失效 on or before
  31 December Y (已修改 documents remain in force, as amended).

  So ``in_force(Y) = in_force(Y−1) + issued(Y) − repealed(Y)`` (the cross-year check T2-2)
  holds by construction: an item's 废止 date is never before its 成文日期 (validated).
  现行有效 is counted on the 成文日期, not the 施行日期, for that reason: a document made on
  28 December and in force from 1 January is "制发" in Y and so counted in force at its end.

2019 format

* 本年新制作数量 (``new_made``): 成文日期 in Y;
* 本年新公开数量 (``new_published``): 发布日期 in Y;
* 对外公开总数量 (``total_published``): 发布日期 on or before 31 December Y, whatever the
  validity now (the total ever published; T2-4 new ≤ total holds by construction).

An entered cell left empty is a blank cell (kind ``blank``), never a guessed 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .. import formats
from ..formats import CellType
from ..report import Cell, CellKind, Location, Row, Table
from .catalogue import DOCUMENTS_ITEM, ENDED, DocKind, Validity


@dataclass(frozen=True, slots=True)
class CountedItem:
    """What table 二 needs of one published catalogue item."""

    kind: DocKind
    written: dt.date
    published: dt.date | None
    validity: Validity | None
    ended: dt.date | None


def _in(d: dt.date | None, year: int) -> bool:
    return d is not None and d.year == year


def _by(d: dt.date | None, year: int) -> bool:
    return d is not None and d <= dt.date(year, 12, 31)


def _ended_by(item: CountedItem, year: int) -> bool:
    return item.validity in ENDED and _by(item.ended, year)


# One predicate per column key of the counted block, in every format.
COUNTERS: dict[str, Callable[[CountedItem, int], bool]] = {
    "issued": lambda i, y: _in(i.written, y),
    "repealed": lambda i, y: i.validity in ENDED and _in(i.ended, y),
    "in_force": lambda i, y: _by(i.written, y) and not _ended_by(i, y),
    "new_made": lambda i, y: _in(i.written, y),
    "new_published": lambda i, y: _in(i.published, y),
    "total_published": lambda i, y: _by(i.published, y),
}


def counted_rows(spec: formats.Table) -> tuple[formats.Row, ...]:
    """The rows of table 二 computed from the catalogue: those of 第二十条第（一）项."""
    return tuple(r for r in spec.rows if r.block == DOCUMENTS_ITEM)


def entered_rows(spec: formats.Table) -> tuple[formats.Row, ...]:
    """The rows of table 二 the office enters (every row not counted)."""
    return tuple(r for r in spec.rows if r.block != DOCUMENTS_ITEM)


def counts(items: Iterable[CountedItem], year: int, format_key: str) -> dict[str, dict[str, int]]:
    """The counted rows of table 二 for ``year``: ``{row: {column: n}}``."""
    spec = formats.get(format_key).table("t2")
    rows = counted_rows(spec)
    out = {r.key: dict.fromkeys((c.key for c in spec.columns_for(r)), 0) for r in rows}
    items = list(items)
    for row in rows:
        for column in spec.columns_for(row):
            test = COUNTERS[column.key]  # a format with a new column fails here, loudly
            out[row.key][column.key] = sum(
                1 for i in items if i.kind.value == row.key and test(i, year)
            )
    return out


def parse_value(column: formats.Column, raw: object) -> int | Decimal | None:
    """An entered value of ``column``'s type; None for empty. Raises ValueError with a Chinese
    message for a value the type does not allow."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip().replace(",", "")
    if column.type is CellType.AMOUNT:
        text = text.removesuffix("万元")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueError(f"「{raw}」不是数字")
    if column.type is CellType.AMOUNT:
        if value < 0:
            raise ValueError("金额不能为负数")
        if value != value.quantize(Decimal("0.0001")):
            raise ValueError("金额以万元为单位，最多保留4位小数（1元 = 0.0001万元）")
        return value
    if value != value.to_integral_value():
        raise ValueError(f"「{raw}」不是整数")
    if column.type is CellType.COUNT and value < 0:
        raise ValueError("件数不能为负数")
    return int(value)


def _cell(column: formats.Column, value: int | Decimal | None, where: Location) -> Cell:
    if value is None:
        return Cell(column=column.key, raw="", kind=CellKind.BLANK, location=where)
    amount = column.type is CellType.AMOUNT
    if amount:
        value = Decimal(value).quantize(Decimal("0.0001")).normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return Cell(
        column=column.key,
        raw=format(value, "f") if isinstance(value, Decimal) else str(value),
        value=value,
        kind=CellKind.NUMBER,
        unit="万元" if amount else None,
        location=where,
    )


def build_table(
    items: Iterable[CountedItem],
    entered: Mapping[str, Mapping[str, int | Decimal | None]],
    year: int,
    format_key: str,
    *,
    source: str | None = None,
) -> Table:
    """Table 二 of ``year`` in ``format_key``: counted rows from ``items``, the other rows from
    ``entered`` (``{row: {column: value}}``; a missing value is a blank cell)."""
    spec = formats.get(format_key).table("t2")
    counted = counts(items, year, format_key)
    rows = []
    for i, row in enumerate(spec.rows, start=1):
        where = Location(file=source, table=spec.key, row=i, label=row.label)
        given = counted.get(row.key) or entered.get(row.key) or {}
        cells = [
            _cell(c, given.get(c.key), where.with_(column=j, label=f"{row.label} {c.full_label}"))
            for j, c in enumerate(spec.columns_for(row), start=1)
        ]
        rows.append(Row(key=row.key, label=row.label, cells=cells, location=where))
    return Table(key=spec.key, rows=rows)


__all__ = [
    "COUNTERS",
    "CountedItem",
    "build_table",
    "counted_rows",
    "counts",
    "entered_rows",
    "parse_value",
]
