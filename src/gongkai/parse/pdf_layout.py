"""Page geometry → document lines: the pure-Python half of the PDF reader.

:mod:`.pdf` pulls characters (with their boxes and baselines) and ruling segments out of pdfium;
this module knows nothing of pdfium. It works in display coordinates: points, origin at the
top-left of the page as a reader sees it (page rotation already applied), ``y`` growing downwards.

* **Ruled tables.** Horizontal and vertical segments that touch form a grid. Grid lines cut the
  table into atoms; two neighbouring atoms belong to one (merged) cell where no segment separates
  them. Each character goes to the atom under its centre, hence to its cell. A table row becomes
  one grid :class:`~.document.Line` with one span per atom: the cell's text in its top-left atom,
  empty placeholders in the other atoms a merged cell covers.
* **Text.** Characters outside tables are grouped into lines by baseline and joined, with a space
  where the gap is wider than a letter space. A line whose pieces stand apart by wide, clear gaps
  (an unruled table row) becomes a grid line, one span per piece.
* **Page numbers** (``- 4 -``, ``第4页``) near the top or bottom edge are dropped: a table that
  continues on the next page must not be cut by one.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..report import Location
from .document import Line, Span

# Segments closer than this (points) are one ruling line: a rule drawn as a thin filled rectangle
# has two edges about 1 pt apart, and cell borders drawn cell by cell do not line up exactly.
SNAP = 2.5
# Pieces of one ruling line with a gap smaller than this are joined.
JOIN = 3.0
# Paths thinner than this in one direction are a line, whatever their shape.
THIN = 3.0
# Segments shorter than this are noise (arrow heads, dots, the ends of thin rectangles).
MIN_EDGE = 2.0
# Gaps between characters, as a fraction of the character height: wider than SPACE is a word
# space (2024 年), wider than WIDE separates the cells of an unruled table row.
SPACE = 0.15
WIDE = 1.5
# Characters whose baselines differ by less than this fraction of their height share a line.
SAME_LINE = 0.35
# Page numbers are looked for only this close (fraction of the page height) to the top or bottom.
MARGIN = 0.1
# Too many ruling lines on one page (a map, a chart) would make grid building slow (every
# horizontal line is compared with every vertical one); such a page is read as text. Likewise a
# grid of more atoms than any report table has (30 rows by 15 columns is a large one).
MAX_EDGES = 2000
MAX_ATOMS = 20_000

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~]*\d{1,4}[-—–－~]*|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4}|"
    r"[Pp](?:age)?\.?\d{1,4})$"
)


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # the baseline: characters of different fonts on one line share it
    size: float  # the height of the font's box: the scale of every gap and tolerance
    ocr: float | None = None  # read from a picture: the recogniser's confidence (see .ocr)


def char(text: str, x0: float, x1: float, top: float, bottom: float, base: float) -> Char:
    return Char(text, x0, x1, top, bottom, base, max(bottom - top, 0.1))


Edge = tuple[float, float, float]  # (position across, start along, end along)


@dataclass(slots=True)
class Grid:
    """A ruled table: column bounds ``xs``, row bounds ``ys``, and for every atom the index of the
    top-left atom of the cell it belongs to."""

    xs: list[float]
    ys: list[float]
    owner: list[int]  # atom (row * ncols + col) → its cell's top-left atom

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def atom(self, x: float, y: float) -> int:
        """The atom under a point inside the table (a point on the far edge counts as inside)."""
        ncols = len(self.xs) - 1
        col = bisect_right(self.xs, x, 1, ncols) - 1
        row = bisect_right(self.ys, y, 1, len(self.ys) - 1) - 1
        return row * ncols + col


# -- ruling lines → grids ------------------------------------------------------------------------


def _clusters(values: Iterable[float]) -> list[list[float]]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return out


def merge_edges(edges: Sequence[Edge]) -> list[Edge]:
    """Collinear pieces joined: one entry per stretch of ruling line."""
    by_pos: dict[float, list[Edge]] = {}
    positions = _clusters(e[0] for e in edges)
    centre = {v: sum(c) / len(c) for c in positions for v in c}
    for e in edges:
        by_pos.setdefault(centre[e[0]], []).append(e)
    merged: list[Edge] = []
    for pos, group in by_pos.items():
        group.sort(key=lambda e: e[1])
        start, end = group[0][1], group[0][2]
        for _, s, t in group[1:]:
            if s <= end + JOIN:
                end = max(end, t)
            else:
                merged.append((pos, start, end))
                start, end = s, t
        merged.append((pos, start, end))
    return merged


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def build_grids(hs: Sequence[Edge], vs: Sequence[Edge]) -> list[Grid]:
    """The ruled tables of a page, from its horizontal and vertical segments."""
    if not hs or not vs or len(hs) + len(vs) > MAX_EDGES:
        return []
    h = merge_edges(hs)
    v = merge_edges(vs)
    if len(h) + len(v) > MAX_EDGES:
        return []
    # Lines that touch or cross belong to one table.
    parent = list(range(len(h) + len(v)))
    for i, (y, hx0, hx1) in enumerate(h):
        for j, (x, vy0, vy1) in enumerate(v):
            if hx0 - SNAP <= x <= hx1 + SNAP and vy0 - SNAP <= y <= vy1 + SNAP:
                a, b = _find(parent, i), _find(parent, len(h) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, e in enumerate(h):
        groups.setdefault(_find(parent, i), ([], []))[0].append(e)
    for j, e in enumerate(v):
        groups.setdefault(_find(parent, len(h) + j), ([], []))[1].append(e)
    grids = [g for gh, gv in groups.values() if (g := _grid(gh, gv)) is not None]
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids


def _grid(h: list[Edge], v: list[Edge]) -> Grid | None:
    # A box around a paragraph, an underline or a corner is not a table: ask for at least two
    # ruling lines each way.
    if len({e[0] for e in h}) < 2 or len({e[0] for e in v}) < 2:
        return None
    x0 = min(min(e[1] for e in h), min(e[0] for e in v))
    x1 = max(max(e[2] for e in h), max(e[0] for e in v))
    y0 = min(min(e[1] for e in v), min(e[0] for e in h))
    y1 = max(max(e[2] for e in v), max(e[0] for e in h))
    # The table's outer bounds count as rules even where the border is not drawn.
    xs = [sum(c) / len(c) for c in _clusters([x0, x1, *(e[0] for e in v)])]
    ys = [sum(c) / len(c) for c in _clusters([y0, y1, *(e[0] for e in h)])]
    if len(xs) < 3 or len(ys) < 2:
        return None  # one column: a framed paragraph, read as text
    ncols, nrows = len(xs) - 1, len(ys) - 1
    if nrows * ncols > MAX_ATOMS:
        return None

    def segs_at(pos: float, edges: list[Edge]) -> list[Edge]:
        return [e for e in edges if abs(e[0] - pos) <= SNAP]

    def covered(segs: list[Edge], a: float, b: float) -> bool:
        slack = min(SNAP, (b - a) / 3)
        return any(s <= a + slack and t >= b - slack for _, s, t in segs)

    parent = list(range(nrows * ncols))
    for k in range(1, ncols):  # vertical boundaries inside the table
        segs = segs_at(xs[k], v)
        for r in range(nrows):
            if not covered(segs, ys[r], ys[r + 1]):
                _union(parent, r * ncols + k - 1, r * ncols + k)
    for k in range(1, nrows):  # horizontal boundaries inside the table
        segs = segs_at(ys[k], h)
        for c in range(ncols):
            if not covered(segs, xs[c], xs[c + 1]):
                _union(parent, (k - 1) * ncols + c, k * ncols + c)
    # Each cell is owned by its top-left atom (the smallest index: row first, then column).
    first: dict[int, int] = {}
    owner = []
    for i in range(nrows * ncols):
        owner.append(first.setdefault(_find(parent, i), i))
    return Grid(xs, ys, owner)


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


# -- characters → lines of text ------------------------------------------------------------------


def group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Characters grouped by baseline, each line left to right, lines top to bottom."""
    if len(chars) == 1:
        return [list(chars)]
    lines: list[list[Char]] = []
    ref = 0.0
    ref_size = 0.0
    for ch in sorted(chars, key=lambda c: (c.base, c.x0)):
        if lines and ch.base - ref <= SAME_LINE * (ch.size if ch.size < ref_size else ref_size):
            lines[-1].append(ch)
        else:
            lines.append([ch])
            ref, ref_size = ch.base, ch.size
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def pieces(line: Sequence[Char]) -> list[str]:
    """A line's text, cut at wide gaps; word spaces kept inside a piece. Fake-bold text (each
    character drawn twice, slightly shifted) is read once."""
    out: list[list[str]] = [[]]
    prev: Char | None = None
    for ch in line:
        if prev is not None:
            h = ch.size if ch.size < prev.size else prev.size
            gap = ch.x0 - prev.x1
            if ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.25 * h:
                continue
            if gap > WIDE * h:
                out.append([])
            elif gap > SPACE * h and not (_wide(prev.text) and _wide(ch.text)):
                # Between two Chinese characters a gap is letter spacing (justified or
                # distributed text, 商 业 企 业), never a word space.
                out[-1].append(" ")
        out[-1].append(ch.text)
        prev = ch
    return ["".join(p) for p in out]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _join_lines(texts: list[str]) -> str:
    # A cell's lines are one label broken by the cell's width: Chinese joins without a space,
    # words of Latin letters with one.
    out = ""
    for t in texts:
        if out and out[-1].isascii() and out[-1].isalpha() and t[:1].isascii() and t[:1].isalpha():
            out += " "
        out += t
    return out


def is_page_number(line: Sequence[Char], height: float) -> bool:
    top = min(c.top for c in line)
    bottom = max(c.bottom for c in line)
    if MARGIN * height < top and bottom < (1 - MARGIN) * height:
        return False
    parts = pieces(line)
    # One run of text: "0 0 0" spread over the cells of a table row near the edge is not one.
    return len(parts) == 1 and _PAGE_NUMBER.match(parts[0].replace(" ", "")) is not None


# -- a page → document lines ---------------------------------------------------------------------


def layout_page(
    chars: Sequence[Char],
    hs: Sequence[Edge],
    vs: Sequence[Edge],
    *,
    page: int,
    height: float,
    file: str | None,
    ocr: bool = False,
) -> list[Line]:
    """The lines of one page, in reading order: text lines and table rows. ``ocr``: the
    characters were recognised in a picture, so every cell and line says how sure that was."""
    chars = _drop_page_numbers(chars, height)
    grids = build_grids(hs, vs)
    cell_chars: list[dict[int, list[Char]]] = [{} for _ in grids]
    loose: list[Char] = []
    bounds = [(g.xs[0], g.xs[-1], g.ys[0], g.ys[-1]) for g in grids]
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for g, (x0, x1, y0, y1) in enumerate(bounds):
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                grid = grids[g]
                cell_chars[g].setdefault(grid.owner[grid.atom(cx, cy)], []).append(ch)
                break
        else:
            loose.append(ch)

    # Tables and text lines sorted into reading order by their tops; a table is one block.
    blocks: list[tuple[float, int, Grid | list[Char]]] = [
        (grid.ys[0], g, grid) for g, grid in enumerate(grids)
    ]
    for line in group_lines(loose):
        blocks.append((min(c.top for c in line), len(blocks), line))
    blocks.sort(key=lambda b: (b[0], b[1]))
    out: list[Line] = []
    number = 0  # text lines are numbered per page
    for _, index, block in blocks:
        if isinstance(block, Grid):
            out.extend(_grid_rows(block, cell_chars[index], page, file, ocr))
        else:
            number += 1
            loc = Location(file=file, page=page, line=number)
            out.append(_text_line(block, _doubt(loc, block, None) if ocr else loc))
    return out


def cell_box(grid: Grid, atom: int) -> tuple[float, float, float, float]:
    """The box of the (merged) cell whose top-left atom is ``atom``."""
    n = grid.ncols
    mine = [a for a, o in enumerate(grid.owner) if o == atom]
    cols = [a % n for a in mine]
    rows = [a // n for a in mine]
    return grid.xs[min(cols)], grid.ys[min(rows)], grid.xs[max(cols) + 1], grid.ys[max(rows) + 1]


def _drop_page_numbers(chars: Sequence[Char], height: float) -> Sequence[Char]:
    band = [c for c in chars if c.top < MARGIN * height or c.bottom > (1 - MARGIN) * height]
    if not band:
        return chars
    drop: set[int] = set()
    for line in group_lines(band):
        if is_page_number(line, height):
            drop.update(id(c) for c in line)
    return [c for c in chars if id(c) not in drop] if drop else chars


def _text_line(line: Sequence[Char], loc: Location) -> Line:
    parts = pieces(line)
    clear = len(parts) > 1 and not any(" " in p for p in parts) and any(len(p) > 1 for p in parts)
    if clear:
        return Line(
            [Span(p, loc.with_(column=i + 1)) for i, p in enumerate(parts)],
            grid=True,
        )
    return Line([Span(" ".join(parts), loc)])


def _doubt(loc: Location, chars: Sequence[Char], box: tuple[float, ...] | None) -> Location:
    """An OCR'd cell or line's location: its lowest character confidence (0 for nothing read)
    and its box (the cell's, or the text's own)."""
    if box is None:
        box = (
            min(c.x0 for c in chars),
            min(c.top for c in chars),
            max(c.x1 for c in chars),
            max(c.bottom for c in chars),
        )
    score = min((c.ocr for c in chars if c.ocr is not None), default=0.0)
    x0, top, x1, bottom = (round(v, 1) for v in box)
    return loc.with_(ocr=round(score, 3), box=(x0, top, x1, bottom))


def _grid_rows(
    grid: Grid, cell_chars: dict[int, list[Char]], page: int, file: str | None, ocr: bool = False
) -> list[Line]:
    texts = {
        atom: _join_lines([" ".join(pieces(line)) for line in group_lines(chs)])
        for atom, chs in cell_chars.items()
    }
    rows: list[Line] = []
    n = grid.ncols
    for r in range(grid.nrows):
        atoms = range(r * n, (r + 1) * n)
        # A row made only of the lower parts of cells merged from above says nothing new.
        if all(grid.owner[a] != a for a in atoms):
            continue
        # A row ends with its last own cell: trailing placeholders of cells merged from the
        # left or from above are not cells of this row (after a repeated header's 其他 they
        # would read as that label's values).
        end = max(a for a in atoms if grid.owner[a] == a) + 1
        cells = [
            Span(
                texts.get(a, "") if grid.owner[a] == a else "",
                Location(file=file, page=page, row=len(rows) + 1, column=a - r * n + 1),
            )
            for a in range(r * n, end)
        ]
        if ocr:
            for a, span in zip(range(r * n, end), cells, strict=True):
                if grid.owner[a] == a:
                    span.location = _doubt(span.location, cell_chars.get(a, []), cell_box(grid, a))
        rows.append(Line(cells, grid=True))
    return rows
