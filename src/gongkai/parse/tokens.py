"""Lines of a table region → tokens: label text or cell values, each with its location.

A grid line's cells are tokens as they are. A text line (a PDF text line, a row written with
runs of spaces) is split at whitespace; neighbouring words that are not values are joined back
into one label. A bracketed note after a value belongs to it (``55（含自然失效 29 件）``), even
when a conversion put the note on the next line; a unit written apart (``2 件``) too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..report import CellKind, Location
from .document import Line
from .values import is_unit, is_value_token, read_value

# A bracketed group, or a run of anything else that is not whitespace or an opening bracket.
_WORD = re.compile(r"[（(][^（）()]*[)）]|[^\s（(]+|[（(]")
_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class Token:
    kind: Literal["label", "value", "note"]
    text: str
    location: Location

    @property
    def blank(self) -> bool:
        return self.kind == "value" and not self.text.strip()


def is_prose(line: Line) -> bool:
    """A sentence of the narrative that strayed into a table region (its numbers are not cells)."""
    return not line.grid and "。" in line.text


def tokenise(line: Line) -> list[Token]:
    if line.grid:
        return [
            Token("value" if is_value_cell(c.text) else "label", c.text, c.location)
            for c in line.cells
        ]
    tokens: list[Token] = []
    for span in line.cells:
        _split(span.text, span.location, tokens)
    return tokens


def words(text: str, where: Location) -> list[Token]:
    """The tokens of one run of text (a field of a separated row)."""
    tokens: list[Token] = []
    _split(text, where, tokens)
    return tokens


def _split(text: str, where: Location, tokens: list[Token]) -> None:
    """Words of one text run → tokens. A token's text is the source text from its first word
    to its last (spaces inside a label or between a number and its unit kept as found)."""
    start = 0  # where the last token's text starts in ``text``
    first = len(tokens)
    for m in _WORD.finditer(text):
        word = m.group(0)
        prev = tokens[-1] if len(tokens) > first else None
        grow = False
        if word[0] in "（(" and len(word) > 1:
            if prev is not None and prev.kind == "value":
                grow = read_value(text[start : m.end()]).kind is CellKind.NUMBER  # its note
            if not grow and _DIGIT.search(word):
                # A note with a number in it is never a label (it would read as a cell); kept
                # as a note, which the reader gives to a value on the line before, if any.
                tokens.append(Token("note", word, where))
                start = m.start()
                continue
            if not grow:
                grow = prev is not None and prev.kind == "label"
        elif is_value_token(word):
            tokens.append(Token("value", word, where))
            start = m.start()
            continue
        elif prev is not None and prev.kind == "value":
            grow = is_unit(word) and _no_unit(prev.text)
        else:
            grow = prev is not None and prev.kind == "label"
        if grow and prev is not None:
            prev.text = text[start : m.end()]
        else:
            tokens.append(Token("label", word, where))
            start = m.start()


def _no_unit(text: str) -> bool:
    v = read_value(text)
    return v.kind is CellKind.NUMBER and v.unit is None and v.note is None


def is_value_cell(text: str) -> bool:
    return read_value(text).kind is not CellKind.TEXT


def attach_notes(lines: list[list[Token]]) -> list[list[Token]]:
    """Give a note that stands on its own line to the value that ends the line before it
    (a PDF→Markdown conversion breaks ``22（其中修订 16 件）`` into two lines)."""
    out: list[list[Token]] = []
    for tokens in lines:
        if tokens and all(t.kind == "note" for t in tokens) and out and out[-1]:
            last = out[-1][-1]
            note = "".join(t.text for t in tokens)
            if last.kind == "value" and read_value(last.text + note).kind is CellKind.NUMBER:
                last.text += note
                continue
        out.append([t for t in tokens if t.kind != "note"])
    return out


def has_number(run: list[Token]) -> bool:
    """Only a run with a number in it can be placed by inference; a run of blanks or dashes
    under an unknown label is layout filler."""
    return any(read_value(t.text).kind is CellKind.NUMBER for t in run)
