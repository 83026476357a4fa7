"""The report on a page: tables in the official layout with the cells of each finding marked,
and the text with the sentence of each finding marked.

The tables are :func:`gongkai.render.layout.table_grid` — the renderers' own layout — drawn
here as HTML without inline styles (the CSP forbids them; :func:`gongkai.render.html`'s page
carries a ``<style>`` block, so it is the download, not the page). The highlighting hook is a
*probe*: the layout is the same for any values, so the grid of a probe report whose every cell
holds its own key tells which grid position is which (row, column) of the format.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

from gongkai import formats
from gongkai.check.finding import SEVERITY_ORDER, SEVERITY_ZH
from gongkai.check.prose import flatten
from gongkai.render.layout import Grid, table_grid
from gongkai.report import Cell, CellKind, Report, Row, Table

from .assemble import line_map

CellKey = tuple[str, str, str]  # (table, row, column)
_PROBE = "§{row}¦{column}§"
_PROBED = re.compile(r"^§(?P<row>[^¦§]+)¦(?P<column>[^§]+)§$")


@functools.lru_cache(maxsize=16)
def _positions(format_key: str, table_key: str) -> dict[tuple[int, int], tuple[str, str]]:
    """Grid (row, column) of each value cell → (row key, column key), from the probe."""
    fmt = formats.get(format_key)
    spec = fmt.table(table_key)
    rows = [
        Row(
            key=r.key,
            label=r.label,
            cells=[
                Cell(column=c.key, raw=_PROBE.format(row=r.key, column=c.key), kind=CellKind.TEXT)
                for c in spec.columns_for(r)
            ],
        )
        for r in spec.rows
    ]
    probe = Report(
        agency=None,
        year=None,
        format=format_key,
        tables={table_key: Table(key=table_key, rows=rows)},
    )
    out: dict[tuple[int, int], tuple[str, str]] = {}
    for p in table_grid(probe, spec).cells:
        m = _PROBED.match(p.cell.text)
        if p.cell.role == "value" and m:
            out[(p.row, p.column)] = (m["row"], m["column"])
    return out


def cell_id(key: CellKey) -> str:
    return "cell-" + "-".join(key)


@dataclass
class Marks:
    """Finding numbers (1-based, as listed on the page) by cell and by text line."""

    cells: dict[CellKey, list[int]] = field(default_factory=lambda: defaultdict(list))
    lines: dict[tuple[int, int], list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    severity: dict[int, str] = field(default_factory=dict)

    def worst(self, numbers: list[int]) -> str:
        return min((self.severity[n] for n in numbers), key=lambda s: SEVERITY_ORDER[s])


_QUOTED = re.compile(r"“([^”]+)”")


def marks(report: Report, findings: list[dict[str, object]]) -> Marks:
    out = Marks()
    where = line_map(report)
    for n, f in enumerate(findings, start=1):
        out.severity[n] = str(f["severity"])
        for c in f.get("cells") or []:  # type: ignore[attr-defined]
            out.cells[(c["table"], c["row"], c["column"])].append(n)
        loc = f.get("location") or {}
        line = loc.get("line") if isinstance(loc, dict) else None
        if isinstance(line, int) and line in where:
            quoted = _QUOTED.search(str(f["message"]))
            out.lines[where[line]].append((n, quoted.group(1) if quoted else ""))
    return out


def _refs(numbers: list[int]) -> str:
    return "".join(f'<a class="fref" href="#finding-{n}">[{n}]</a>' for n in numbers)


def table_html(report: Report, table_key: str, m: Marks) -> SafeString:
    """One table in the official layout; a cell named by a finding gets the class of the
    worst severity among its findings and links to them."""
    spec = report.spec.table(table_key)
    grid: Grid = table_grid(report, spec)
    keys = _positions(report.format, table_key)
    out = [
        f'<table class="report-table {grid.key}">'
        f"<caption>表{grid.number} {escape(grid.title)}</caption>"
    ]
    for r, cells in enumerate(grid.by_row()):
        parts = []
        for p in cells:
            cell = p.cell
            tag = "td" if cell.role in ("label", "value", "group") else "th"
            classes = [cell.role]
            attrs = ""
            inner = escape(cell.text)
            key = keys.get((p.row, p.column))
            if key is not None:
                full = (table_key, *key)
                attrs += f' id="{cell_id(full)}"'
                found = m.cells.get(full)
                if found:
                    classes.append(f"hl hl-{m.worst(found)}")
                    inner += _refs(found)
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            parts.append(f'<{tag} class="{" ".join(classes)}"{attrs}>{inner}</{tag}>')
        out.append(f"<tr>{''.join(parts)}</tr>")
        del r
    out.append("</table>")
    return mark_safe("\n".join(out))


_SENTENCE = re.compile(r"[^。；！？;!?]*[。；！？;!?]?")


def _mark_line(text: str, found: list[tuple[int, str]], m: Marks) -> str:
    """The line with the sentence each finding quotes wrapped in ``<mark>``; the whole line
    when the quote is not found in one sentence."""
    sentences = [s for s in _SENTENCE.findall(text) if s]
    hits: dict[int, list[int]] = defaultdict(list)
    whole: list[int] = []
    for n, quote in found:
        probe = flatten(quote)[:8]
        at = next((i for i, s in enumerate(sentences) if probe and probe in flatten(s)), None)
        if at is None:
            whole.append(n)
        else:
            hits[at].append(n)
    parts = []
    for i, s in enumerate(sentences):
        if i in hits:
            parts.append(f'<mark class="hl-{m.worst(hits[i])}">{escape(s)}</mark>{_refs(hits[i])}')
        else:
            parts.append(escape(s))
    html = "".join(parts)
    if whole:
        html = f'<mark class="hl-{m.worst(whole)}">{html}</mark>{_refs(whole)}'
    return html


def text_html(text: str, part: int, m: Marks) -> SafeString:
    """A part's text (0 the preamble, 1–6 a section) as paragraphs, findings marked."""
    out = []
    for i, line in enumerate(text.split("\n")):
        found = m.lines.get((part, i))
        if not line.strip() and not found:
            continue
        out.append(f"<p>{_mark_line(line, found, m) if found else escape(line)}</p>")
    return mark_safe("\n".join(out))


def has_marks(part: int, m: Marks) -> bool:
    return any(p == part for p, _ in m.lines)


def section_tables(fmt: formats.Format) -> dict[int, str]:
    """Section number → the key of the table printed under it (二 → t2 …)."""
    out = {}
    for section in fmt.sections:
        for table in fmt.tables:
            if table.title == section.heading:
                out[section.number] = table.key
    return out


def findings_view(findings: list[dict[str, object]]) -> list[dict[str, object]]:
    """The findings as the page lists them: numbered, with the cells' anchors."""
    out = []
    for n, f in enumerate(findings, start=1):
        cells = [
            {"id": cell_id((c["table"], c["row"], c["column"])), "label": c.get("label", "")}
            for c in f.get("cells") or []  # type: ignore[attr-defined]
        ]
        out.append(
            {
                "n": n,
                "rule": f["rule"],
                "severity": f["severity"],
                "severity_label": SEVERITY_ZH.get(str(f["severity"]), str(f["severity"])),
                "message": f["message"],
                "cells": cells,
            }
        )
    return out
