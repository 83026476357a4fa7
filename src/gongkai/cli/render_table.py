"""Rich tables of a report's cells for ``gongkai parse --format table``."""

from __future__ import annotations

import itertools

from rich.table import Table as RichTable

from ..formats import Column, Format
from ..report import Cell, CellKind, Report, Row

_KIND_STYLE = {
    CellKind.BLANK: "dim",
    CellKind.SLASH: "cyan",
    CellKind.DASH: "cyan",
    CellKind.TEXT: "bold red",
}


def _show(cell: Cell | None) -> str:
    if cell is None:
        return "[dim]·[/]"
    text = cell.raw if cell.kind is not CellKind.BLANK else "空"
    style = _KIND_STYLE.get(cell.kind)
    text = text.replace("[", r"\[")
    if cell.inferred:
        text += "*"
    return f"[{style}]{text}[/]" if style else text


def _t4(title: str, columns: tuple[Column, ...], row: Row | None) -> RichTable:
    # Shown as the groups it is made of (行政复议, and the two kinds of 行政诉讼), one per line,
    # so that it fits a terminal; the groups come from the columns' header paths.
    groups = column_groups(columns)
    t = RichTable(title=title)
    t.add_column("")
    for col in groups[0]:
        t.add_column(col.label, justify="right")
    for group in groups:
        t.add_row(
            "·".join(group[0].groups),
            *(_show(row.cell(c.key) if row else None) for c in group),
        )
    return t


def column_groups(columns: tuple[Column, ...]) -> list[list[Column]]:
    """Consecutive columns under the same header path (table 四: 复议, 直接起诉, 复议后起诉)."""
    return [list(g) for _, g in itertools.groupby(columns, key=lambda c: c.groups)]


def tables(report: Report) -> list[RichTable]:
    fmt: Format = report.spec
    out: list[RichTable] = []
    for spec in fmt.tables:
        parsed = report.tables.get(spec.key)
        title = f"表{spec.number} {spec.title}"
        if parsed is None:
            t = RichTable(title=f"{title}（未找到）")
            out.append(t)
            continue
        if spec.blocks:
            t = RichTable(title=title, show_lines=False)
            t.add_column("信息内容")
            t.add_column("数值")
            for row in parsed.rows:
                cols = spec.columns_for(row.key)
                t.add_row(
                    row.label,
                    "  ".join(f"{c.label}={_show(row.cell(c.key))}" for c in cols),
                )
        elif spec.key == "t4":
            out.append(_t4(title, spec.columns, parsed.rows[0] if parsed.rows else None))
            continue
        else:
            t = RichTable(title=title)
            t.add_column("键", style="dim")
            t.add_column("行", max_width=16, no_wrap=True, overflow="ellipsis")
            for col in spec.columns:
                t.add_column(col.label, justify="right")
            for row in parsed.rows:
                t.add_row(row.key, row.label, *(_show(row.cell(c.key)) for c in spec.columns))
        out.append(t)
    return out
