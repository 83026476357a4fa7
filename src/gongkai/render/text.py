"""The report as plain text in the layout of text extractions of real reports (spec §12).

Paragraphs are lines; a table row is one cell per line, each cell indented by a tab (a blank
cell is a line holding only the tab), rows separated by an empty line. Tab-separated rows
would lose trailing blank cells to editors that strip trailing whitespace, so one cell per
line is used. The text reader reads it back cell for cell.
"""

from __future__ import annotations

from ..report import Report
from .layout import Grid, outline


def table_text(grid: Grid) -> list[str]:
    lines: list[str] = []
    for row in grid.flat():
        lines.extend("\t" + " ".join(cell.split()) for cell in row)
        lines.append("")
    return lines


def render_text(report: Report) -> str:
    lines: list[str] = []
    for block in outline(report):
        if block.kind == "table" and block.grid is not None:
            lines += ["", *table_text(block.grid)]
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"
