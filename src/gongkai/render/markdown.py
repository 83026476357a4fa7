"""The report as Markdown with GitHub tables.

GitHub tables cannot merge cells, so each table is flattened (:meth:`.layout.Grid.flat`): a
group label spanning rows is repeated on each of its rows, other merged positions are blank.
The first layout row is the table's header row, padded to the full width as GitHub requires.
Our own text reader reads the result back cell for cell.
"""

from __future__ import annotations

from ..report import Report
from .layout import Grid, outline


def _cell(text: str) -> str:
    # A pipe would end the cell; a line break would end the row.
    return " ".join(text.split()).replace("|", "｜")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def table_markdown(grid: Grid) -> list[str]:
    rows = grid.flat()
    head = rows[0] + [""] * (grid.columns - len(rows[0]))
    lines = [_row(head), "|" + "|".join(["---"] * grid.columns) + "|"]
    lines.extend(_row(r) for r in rows[1:])
    return lines


def render_markdown(report: Report) -> str:
    lines: list[str] = []
    for block in outline(report):
        if block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "heading":
            lines += [f"## {block.text}", ""]
        elif block.kind == "paragraph":
            lines += [block.text, ""]
        elif block.grid is not None:
            lines += [*table_markdown(block.grid), ""]
    return "\n".join(lines)
