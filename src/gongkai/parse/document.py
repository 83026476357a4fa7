"""The neutral document every reader produces and the table reader consumes.

A document is a sequence of lines. A *grid* line is a row of real cells (a tab-separated line,
a group of one-cell-per-line cells, a Markdown, HTML or DOCX table row); a *text* line is one run
of text (a paragraph, or a PDF text line) that the table reader may still split at runs of
spaces. Each cell knows where it came from, so table logic is written once for every input kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report import Location, ParseWarning


@dataclass(slots=True)
class Span:
    text: str
    location: Location


@dataclass(slots=True)
class Line:
    cells: list[Span]  # not changed after construction: ``text`` is computed once
    grid: bool = False
    # The source line as written, kept by the text reader when its cells may be separated
    # fields (tab, ``|``, ``,``, a run of spaces) with blanks the cells above do not show: an
    # empty field between two separators, a trailing separator. See :mod:`.fields`.
    raw: str | None = None
    text: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.text = " ".join(c.text for c in self.cells if c.text)

    @property
    def location(self) -> Location:
        return self.cells[0].location if self.cells else Location()


@dataclass(slots=True)
class Document:
    lines: list[Line] = field(default_factory=list)
    name: str | None = None  # the file name, for messages
    # What a reader noticed that the table reader cannot (e.g. a PDF page that is an image):
    # passed on to the report's warnings.
    warnings: list[ParseWarning] = field(default_factory=list)
    ocr: bool = False  # some of it was read from pictures (see .ocr): its tables get reviewed
