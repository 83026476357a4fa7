"""A row written on one line with a separator, read field by field (positionally).

Text converted from HTML or spreadsheet tables writes a row's cells between separators: tabs,
``|`` (Markdown, with or without its outer pipes), ``,`` (CSV, fields may be quoted) or a run
of spaces wider than the single spaces inside labels (``规章    1        11``). A blank cell is
then an empty field: nothing between two separators, a double-width gap, a separator at the
end of the line. The words of the line alone (:func:`.tokens.tokenise`) lose those blanks,
and a row read with fewer values than columns is right-aligned, which shifts every value
after a blank.

:func:`readings` gives the line's fields as tokens, one per field, a blank field as a blank
value; :class:`Separated` takes a reading only when its field count is that of the row,
otherwise the table reader reads the line by its words as before.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

from ..formats import Column
from ..report import Location
from .document import Line
from .tokens import Token, is_value_cell, words

_SPACE_RUN = re.compile(r" {2,}")
_ONE_WORD = re.compile(r"[^\s（()）]+$")  # no space, no bracket: one token whatever it is
MIN_FIELDS = 2  # fewer is no separated row


@dataclass(frozen=True, slots=True)
class Style:
    """How the rows of one table are written, from all its lines: a row alone may not say
    whether a pipe at its end is an outer pipe or the separator of a blank last field."""

    width: int | None = None  # the run of spaces that separates fields, if any
    outer_left: bool | None = None  # every pipe row starts with a pipe (None: no pipe rows)
    outer_right: bool | None = None  # every pipe row ends with one


def style(lines: Iterable[Line]) -> Style:
    """The table's style. The space separator is the narrowest run between fields as most
    lines have it (a line whose fields are all far apart, every other one blank, would make
    its own narrowest run the separator)."""
    widths: Counter[int] = Counter()
    piped: list[str] = []
    for line in lines:
        if line.raw is None or "\t" in line.raw:
            continue
        if "|" in line.raw:
            piped.append(line.raw.strip())
            continue
        w = _narrowest(line.raw)
        if w:
            widths[w] += 1
    return Style(
        width=widths.most_common(1)[0][0] if widths else None,
        outer_left=all(p.startswith("|") for p in piped) if piped else None,
        outer_right=all(p.endswith("|") for p in piped) if piped else None,
    )


def _narrowest(raw: str) -> int | None:
    """The narrowest run of two or more spaces between two fields of the line."""
    body = raw.strip(" ")
    return min((m.end() - m.start() for m in _SPACE_RUN.finditer(body)), default=None)


def readings(line: Line, how: Style | None = None) -> list[list[Token]]:
    """The ways the line splits into fields, as tokens (usually one way; none when the line
    was not written with a separator), by the table's :func:`style` if known."""
    how = how or Style()
    raw = line.raw
    if raw is None:
        return []
    where = line.location
    if "\t" in raw:
        # As the reader's own tab-separated cells, with the trailing ones it leaves out.
        tabbed = [_token(f.strip(), where) for f in raw.split("\t")]
        return [tabbed] if len(tabbed) >= MIN_FIELDS else []
    if "|" in raw:
        found = [_fields(f, where) for f in _pipe_fields(raw, how)]
    else:
        found = [_fields(f, where) for f in _space_fields(raw, how.width)]
        if "," in raw:
            found.append(_fields(_csv_fields(raw), where))
    return [r for r in found if r is not None and len(r) >= MIN_FIELDS]


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A row whose surplus blank fields could be placeholders at either end (for a warning)."""

    label: str
    fields: int  # its value fields
    columns: int  # the row's columns
    location: Location


class Separated:
    """The rows of one table region written with a separator, read positionally.

    ``width_of(label)`` is the column count of the row a label names (None: no row);
    ``sizes`` the field counts a line of values without a label may have (the table's
    columns, or a header group's). A reading is taken only when its field count is the row's
    (after blank placeholders at one end); where a row's values start among its fields, as
    the table's other rows show it, decides a row blank at both ends.
    """

    def __init__(
        self, lines: list[Line], width_of: Callable[[str], int | None], sizes: set[int]
    ) -> None:
        self.width_of = width_of
        self.sizes = sizes
        how = style(lines)
        self.split = [readings(line, how) for line in lines]
        starts = Counter(
            s for s in (self._start(r) for found in self.split for r in found) if s is not None
        )
        self.value_start = starts.most_common(1)[0][0] if starts else None

    def tokens(self, i: int) -> list[Token] | None:
        """The positional reading of line ``i``, if one fits (None: read its words)."""
        fitting = [r for r in (self._fit(r) for r in self.split[i]) if r is not None]
        if not fitting or any(_texts(r) != _texts(fitting[0]) for r in fitting[1:]):
            return None  # none fits, or two that fit disagree (CSV and space-separated)
        return fitting[0]

    def unplaced(self, i: int) -> Unplaced | None:
        """Line ``i`` when it fits no row only because its surplus blanks, at both ends,
        could be placeholders at either: its words may then put values in wrong columns."""
        for tokens in self.split[i]:
            row = self._row(tokens)
            if row is None or row[0] < 0:
                continue
            last, n = row
            values = tokens[last + 1 :]
            if len(values) > n and values[0].blank and values[-1].blank:
                if any(not t.blank for t in values):
                    return Unplaced(tokens[last].text, len(values), n, tokens[last].location)
                return None
        return None

    def _fit(self, tokens: list[Token]) -> list[Token] | None:
        """The labels (a group label may come before the row label; blank fields among them
        are placeholders of merged label cells) and the row's values."""
        row = self._row(tokens)
        if row is None:
            return None
        last, n = row
        at = None if self.value_start is None else self.value_start - last - 1
        offset = trim(tokens[last + 1 :], n, at)
        if offset is None:
            return None
        start = last + 1 + offset
        labels = [t for t in tokens[: last + 1] if t.kind == "label"]
        return [*labels, *tokens[start : start + n]]

    def _start(self, tokens: list[Token]) -> int | None:
        """Where the values start in a reading that fits a row by itself."""
        row = self._row(tokens)
        if row is None:
            return None
        offset = trim(tokens[row[0] + 1 :], row[1])
        return None if offset is None else row[0] + 1 + offset

    def _row(self, tokens: list[Token]) -> tuple[int, int] | None:
        """(the last label's index, the row's column count) for a reading with its labels in
        front, or (-1, count) for one without a label; None if it fits no row."""
        labels = [i for i, t in enumerate(tokens) if t.kind == "label"]
        if not labels:
            if len(tokens) in self.sizes:
                return -1, len(tokens)
            return (-1, max(self.sizes)) if self.sizes else None
        last = labels[-1]
        if any(t.kind == "value" and not t.blank for t in tokens[:last]):
            return None  # values between labels: not one row with its label in front
        n = self.width_of(tokens[last].text)
        return None if n is None else (last, n)


def group_sizes(columns: tuple[Column, ...]) -> set[int]:
    """The column counts of the whole row and of each header group at every level (table
    四's lines of five: 行政复议, and the two halves of 行政诉讼)."""
    sizes = {len(columns)}
    for level in range(1, 1 + max((len(c.groups) for c in columns), default=0)):
        sizes.update(len(list(g)) for _, g in groupby(columns, key=lambda c: c.groups[:level]))
    return sizes


def trim(values: list[Token], width: int, at: int | None = None) -> int | None:
    """Where a row's ``width`` value fields start among the fields after its label. Surplus
    fields are blank placeholders: of a label merged across columns (before the values) or
    filler to the table's width (after them). When both ends are blank, ``at`` (where the
    table's other rows start their values) decides. None when there are too few fields, or
    the surplus is not blank, or could be either."""
    extra = len(values) - width
    if extra <= 0:
        return 0 if extra == 0 else None
    before = all(t.blank for t in values[:extra])
    after = all(t.blank for t in values[width:])
    if before and after:
        if _texts(values[extra:]) == _texts(values[:width]):
            return extra  # the same cells either way (a row left blank)
        outside = (*values[:at], *values[at + width :]) if at is not None else ()
        if at is not None and 0 <= at <= extra and all(t.blank for t in outside):
            return at
        return None
    if before:
        return extra
    return 0 if after else None


def _texts(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens]


def _token(text: str, where: Location) -> Token:
    return Token("value" if is_value_cell(text) else "label", text, where)


def _fields(fields: list[str] | None, where: Location) -> list[Token] | None:
    """One token per field, a blank field a blank value. None when a field is more than one
    value (``1 2``, ``行政许可 1`` of ``行政许可 1,235``): the line is not separated that way."""
    if fields is None:
        return None
    out: list[Token] = []
    for field in fields:
        text = field.strip()
        if not text:
            out.append(Token("value", "", where))
            continue
        if _ONE_WORD.match(text):
            out.append(_token(text, where))  # what :func:`words` would make of it, faster
            continue
        found = words(text, where)
        if len(found) != 1 or found[0].kind == "note":
            return None
        out.append(found[0])
    return out


def _pipe_fields(raw: str, how: Style) -> list[list[str]]:
    """``a | b | c``. A pipe at either end is Markdown's outer pipe or the separator of a blank
    first (last) field: the table's style says which; without it every reading is offered and
    the field count decides."""
    body = raw.strip()
    out: list[list[str]] = []
    for left in _cuts(body.startswith("|"), how.outer_left):
        for right in _cuts(body.endswith("|"), how.outer_right):
            out.append(body[left : len(body) - right].split("|"))
    return out


def _cuts(pipe: bool, outer: bool | None) -> tuple[int, ...]:
    """How many characters to cut at one end: the pipe there if it is an outer pipe."""
    if not pipe:
        return (0,)
    return (1, 0) if outer is None else (int(outer),)


def _csv_fields(raw: str) -> list[str]:
    """A CSV line; quoted fields may hold commas (``"1,234"``)."""
    try:
        return next(csv.reader([raw.strip()], skipinitialspace=True), [])
    except csv.Error:  # a field over the csv module's size limit: no CSV row
        return []


def _space_fields(raw: str, width: int | None) -> list[list[str]]:
    """Fields separated by a run of S ≥ 2 spaces (``width``, or the line's narrowest run
    between two fields): a run of k·S spaces is k separators, k − 1 blank fields between them.
    Single spaces stay inside a field (a label, ``2 件``). Leading spaces are indentation or
    the separators of blank first fields: both readings are offered. No reading when the line
    is not written that way: no separator known, or a run that is not a multiple of S
    (columns padded to a width, not separated)."""
    body = raw.lstrip(" ")
    width = width or _narrowest(raw)
    if width is None:
        return []
    runs = [(m.start(), m.end()) for m in _SPACE_RUN.finditer(body)]
    if any((end - start) % width for start, end in runs):
        return []
    fields: list[str] = []
    pos = 0
    for start, end in runs:
        fields.append(body[pos:start])
        fields.extend([""] * ((end - start) // width - 1))
        pos = end
    fields.append(body[pos:])  # empty after a trailing separator: a blank last field
    indent = len(raw) - len(body)
    if indent >= width and indent % width == 0:
        return [fields, [""] * (indent // width) + fields]
    return [fields]
