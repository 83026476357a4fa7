"""Reports built in code, for tests that need a Report without parsing a file.

``make_report`` fills every cell of every table of the format with a written 0 (kind
``number``) unless told otherwise, so a test names only the cells it is about::

    make_report("2021", t3={"a": {"natural": 3}})          # consistent: totals derived
    make_report("2019", t3={"t": {"natural": 2}}, derive=False)
    make_report(t4={"review_upheld": 1}, sections={3: "收到申请一件。"})

A cell value may be an int or Decimal (a number), ``None`` (a blank cell), or a string read the
way a report writes it: ``"/"``, ``"-"``, ``"1.68万元"``, ``"+4"``, or any other text (kind
``text``). With ``derive=True`` (the default) every cell not given is derived so that all the
identities hold: row totals of tables 三 and 四, （七）总计 from the result rows, and the row
第一项 from ``t + r4 - r2``. Given cells are never overwritten, so a test breaks one identity
by giving one inconsistent cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from gongkai import formats
from gongkai.report import Cell, CellKind, Location, Report, Row, Section, Table

CellInput = int | Decimal | str | None
TableInput = Mapping[str, Mapping[str, CellInput]]

_NUMBER = re.compile(r"^([+\-]?\d+(?:\.\d+)?)\s*(万元|元|件|条)?$")
_UNSET = object()


def cell(column: str, value: CellInput, *, location: Location | None = None) -> Cell:
    """One cell as a parser would produce it from ``value``."""
    if value is None:
        return Cell(column=column, raw="", kind=CellKind.BLANK, location=location)
    if isinstance(value, int | Decimal):
        return Cell(
            column=column, raw=str(value), value=value, kind=CellKind.NUMBER, location=location
        )
    raw = value
    s = value.strip()
    if not s:
        return Cell(column=column, raw=raw, kind=CellKind.BLANK, location=location)
    if s in {"/", "／"}:
        return Cell(column=column, raw=raw, kind=CellKind.SLASH, location=location)
    if s in {"-", "—", "–", "--", "——"}:
        return Cell(column=column, raw=raw, kind=CellKind.DASH, location=location)
    m = _NUMBER.match(s)
    if m is None:
        return Cell(column=column, raw=raw, kind=CellKind.TEXT, location=location)
    d = Decimal(m.group(1))
    number: int | Decimal = int(d) if "." not in m.group(1) else d
    return Cell(
        column=column,
        raw=raw,
        value=number,
        kind=CellKind.NUMBER,
        unit=m.group(2),
        location=location,
    )


def make_report(
    fmt: str = "2021",
    *,
    t2: TableInput | None = None,
    t3: TableInput | None = None,
    t4: Mapping[str, CellInput] | TableInput | None = None,
    sections: Mapping[int, str] | None = None,
    preamble: str = "",
    year: int | object | None = _UNSET,
    agency: str | None = "某某市某某局",
    title: str | object | None = _UNSET,
    derive: bool = True,
    omit_tables: Iterable[str] = (),
    omit_rows: Mapping[str, Iterable[str]] | None = None,
) -> Report:
    spec = formats.get(fmt)
    the_year = (2020 if fmt == "2019" else 2023) if year is _UNSET else year
    assert the_year is None or isinstance(the_year, int)
    given: dict[str, dict[str, dict[str, CellInput]]] = {
        "t2": _copy(t2),
        "t3": _copy(t3),
        "t4": _copy(_t4_rows(spec, t4)),
    }
    values = {key: _filled(spec.table(key), given[key]) for key in ("t2", "t3", "t4")}
    if derive:
        _derive_t3(spec.table("t3"), values["t3"], given["t3"])
        _derive_t4(spec.table("t4"), values["t4"], given["t4"])
    skip_rows = {k: set(v) for k, v in (omit_rows or {}).items()}
    tables = {
        t.key: _table(t, values[t.key], skip_rows.get(t.key, set()))
        for t in spec.tables
        if t.key not in set(omit_tables)
    }
    heading = {s.number: s.heading for s in spec.sections}
    the_title = f"{agency or ''}{the_year}年政府信息公开工作年度报告" if title is _UNSET else title
    assert the_title is None or isinstance(the_title, str)
    return Report(
        agency=agency,
        year=the_year,
        format=fmt,
        title=the_title,
        preamble=preamble,
        tables=tables,
        sections=[
            Section(
                number=n,
                heading=heading.get(n, ""),
                text=text,
                location=Location(label=heading.get(n)),
            )
            for n, text in sorted((sections or {}).items())
        ],
    )


def _copy(data: TableInput | None) -> dict[str, dict[str, CellInput]]:
    return {row: dict(cells) for row, cells in (data or {}).items()}


def _t4_rows(
    spec: formats.Format, t4: Mapping[str, CellInput] | TableInput | None
) -> TableInput | None:
    """Table 四 has one row; a flat ``{"review_total": 1}`` means that row."""
    if not t4:
        return None
    if all(isinstance(v, Mapping) for v in t4.values()):
        return t4  # type: ignore[return-value]
    return {spec.table("t4").rows[0].key: t4}  # type: ignore[dict-item]


def _filled(
    table: formats.Table, given: dict[str, dict[str, CellInput]]
) -> dict[str, dict[str, CellInput]]:
    unknown = set(given) - {r.key for r in table.rows}
    assert not unknown, f"{table.key} has no rows {unknown}"
    out: dict[str, dict[str, CellInput]] = {}
    for row in table.rows:
        columns = [c.key for c in table.columns_for(row)]
        cells = given.get(row.key, {})
        assert not set(cells) - set(columns), f"{table.key}.{row.key}: unknown {set(cells)}"
        out[row.key] = {c: cells.get(c, 0) for c in columns}
    return out


def _num(v: CellInput) -> int | Decimal:
    if isinstance(v, int | Decimal):
        return v
    if isinstance(v, str):
        c = cell("x", v)
        return c.value if c.value is not None else 0
    return 0


def _set(
    values: dict[str, dict[str, CellInput]],
    given: dict[str, dict[str, CellInput]],
    row: str,
    column: str,
    value: int | Decimal,
) -> None:
    if column not in given.get(row, {}):
        values[row][column] = value


def _derive_t3(
    table: formats.Table,
    values: dict[str, dict[str, CellInput]],
    given: dict[str, dict[str, CellInput]],
) -> None:
    applicants = [c.key for c in table.columns if c.key != "total"]
    results = formats.t3_result_rows(table)

    def row_total(row: str) -> None:
        _set(values, given, row, "total", sum((_num(values[row][c]) for c in applicants), 0))

    for row in (*results, "r2", "r4"):
        row_total(row)
    for c in applicants:
        _set(values, given, "t", c, sum((_num(values[r][c]) for r in results), 0))
    row_total("t")
    for c in applicants:
        derived = _num(values["t"][c]) + _num(values["r4"][c]) - _num(values["r2"][c])
        _set(values, given, "r1", c, derived)
    row_total("r1")


def _derive_t4(
    table: formats.Table,
    values: dict[str, dict[str, CellInput]],
    given: dict[str, dict[str, CellInput]],
) -> None:
    for row in table.rows:
        for c in table.columns_for(row):
            if not c.key.endswith("_total"):
                continue
            prefix = c.key.removesuffix("total")
            parts = [k for k in values[row.key] if k.startswith(prefix) and k != c.key]
            _set(values, given, row.key, c.key, sum((_num(values[row.key][k]) for k in parts), 0))


def _table(table: formats.Table, values: dict[str, dict[str, CellInput]], skip: set[str]) -> Table:
    rows: list[Row] = []
    for i, row in enumerate(table.rows, start=1):
        if row.key in skip:
            continue
        cells = [
            cell(c.key, _amount(c, values[row.key][c.key]), location=_where(table, i, j, row))
            for j, c in enumerate(table.columns_for(row), start=1)
        ]
        rows.append(
            Row(
                key=row.key,
                label=row.label,
                raw_label=row.label,
                cells=cells,
                location=Location(table=table.key, row=i, label=row.label),
            )
        )
    return Table(key=table.key, rows=rows)


def _amount(column: formats.Column, value: CellInput) -> CellInput:
    """Amount columns hold Decimal, as the parser gives them."""
    if column.type is formats.CellType.AMOUNT and isinstance(value, int):
        return Decimal(value)
    return value


def _where(table: formats.Table, row: int, column: int, spec_row: formats.Row) -> Location:
    return Location(table=table.key, row=row, column=column, label=spec_row.label)
