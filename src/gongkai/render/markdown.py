"""The report as Markdown with GitHub tables.

GitHub tables cannot merge cells, so each table is flattened (:meth:`.layout.Grid.flat`): a
group label spanning rows is repeated on each of its rows, other merged positions are blank.
The first layout row is the table's header row, padded to the full width as GitHub requires.
Our own text reader reads the result back cell for cell.

Report text (title, paragraphs, cells) is escaped (:mod:`gongkai.escaping`): raw HTML, entities
and link syntax in it show as written, so a viewer neither runs ``<script>`` nor makes a
``javascript:`` link from it; the reader un-escapes.
"""

from __future__ import annotations

from ..escaping import escape_markdown
from ..report import Report
from .layout import Grid, outline


def _cell(text: str) -> str:
    # A pipe would end the cell; a line break would end the row.
    return escape_markdown(" ".join(text.split()).replace("|", "｜"), line=False)


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
            lines += [f"# {escape_markdown(block.text, line=False)}", ""]
        elif block.kind == "heading":
            lines += [f"## {escape_markdown(block.text, line=False)}", ""]
        elif block.kind == "paragraph":
            lines += [escape_markdown(block.text), ""]
        elif block.grid is not None:
            lines += [*table_markdown(block.grid), ""]
    return "\n".join(lines)
