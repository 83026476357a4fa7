"""The report as value objects: what a parser returns and every later stage consumes.

Every cell keeps its raw text, its value, its kind and where it came from. Blank, 0 and "/" are
three different things in a published report and are never merged: a blank cell has kind
``blank`` and value ``None``; a written 0 has kind ``number`` and value 0. JSON round-trips
losslessly (amounts in 万元 are ``Decimal`` and travel as strings).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from . import formats


class CellKind(StrEnum):
    NUMBER = "number"
    BLANK = "blank"
    SLASH = "slash"  # "/": the report says "not applicable"
    DASH = "dash"  # "-", "—": usually "none", but not the same as a written 0
    TEXT = "text"  # anything else; never guessed into a number


def _to_value(v: Any) -> Any:
    # JSON carries amounts as strings ("1.68") so that no float ever touches them.
    if isinstance(v, str):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(str(v))
    return v


def _dump_value(v: int | Decimal | None) -> int | str | None:
    return str(v) if isinstance(v, Decimal) else v


Value = Annotated[
    int | Decimal | None,
    BeforeValidator(_to_value),
    PlainSerializer(_dump_value, return_type=int | str | None),
]

TABLE_NUMBERS = {"t2": "二", "t3": "三", "t4": "四"}
# The column key, in ``Row.extra``, of a non-official subtotal column's value (table 三's 小计).
SUBTOTAL_COLUMN = "subtotal"


class Location(BaseModel):
    """Where something came from. Readers fill what they know: a text file gives a line,
    a PDF a page, a DOCX or HTML table its grid row and column."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    line: int | None = None
    page: int | None = None
    row: int | None = None  # 1-based row of the source grid
    column: int | None = None  # 1-based column of the source grid
    table: str | None = None  # t2, t3, t4
    label: str | None = None  # the official row (and column) label, for messages
    # Read from a picture by OCR (docs/ocr.md): the recogniser's confidence (0–1; 0 where it
    # found no text in the cell) and the box on the page, in points from the top-left corner
    # (x0, top, x1, bottom). Absent for everything read from a text layer.
    ocr: float | None = None
    box: tuple[float, float, float, float] | None = None

    @model_serializer(mode="wrap")
    def _omit_unknown(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A location says only what the reader knew; unknown parts are left out of JSON.
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None}

    def describe(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.table:
            parts.append(f"表{TABLE_NUMBERS.get(self.table, self.table)}")
        if self.label:
            parts.append(f"「{self.label}」")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.row is not None:
            parts.append(f"表格第{self.row}行")
        if self.column is not None:
            parts.append(f"第{self.column}列")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        return " ".join(parts)

    def with_(self, **changes: Any) -> Location:
        return self.model_copy(update=changes)


_M = TypeVar("_M", bound=BaseModel)
_new = object.__new__
_set = object.__setattr__


def trusted(cls: type[_M], **values: Any) -> _M:
    """A model from values a reader made itself, already of the field types (``Cell`` values
    from ``read_value``, line numbers it counted), without validation: the text reader builds
    one ``Location`` per line and one ``Cell`` per value, and validating each was a fifth of
    parse. Fields not given take their defaults, which must be immutable (no lists)."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = {
            k: f.get_default(call_default_factory=True) for k, f in cls.model_fields.items()
        }
    obj = _new(cls)
    _set(obj, "__dict__", {**defaults, **values})
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}


class Cell(BaseModel):
    column: str  # the column key of the format
    raw: str  # the text as found, after decoding (no normalisation)
    value: Value = None
    kind: CellKind
    unit: str | None = None  # the unit written in the cell (万元, 元, 件 …), if any
    inferred: bool = False  # placed by inference rather than by a label (see warnings)
    location: Location | None = None

    @property
    def number(self) -> int | Decimal:
        """The value for arithmetic: a blank, "/" or "-" counts as 0 (spec §4.1)."""
        return self.value if self.value is not None else 0


class Row(BaseModel):
    key: str
    label: str  # the official label
    raw_label: str | None = None  # the label as found in the report
    cells: list[Cell]
    # Cells found beyond the header's column count (e.g. three values under a two-column
    # header): kept, never silently dropped, and reported by the checker (rule T0-1).
    extra: list[Cell] = Field(default_factory=list)
    inferred: bool = False
    location: Location | None = None

    def cell(self, column: str) -> Cell | None:
        for c in self.cells:
            if c.column == column:
                return c
        return None


class Table(BaseModel):
    key: str
    rows: list[Row] = Field(default_factory=list)
    # A second copy of the table, found after the first was complete (a report that pastes
    # the table twice): its rows as read, kept apart. The table's values are the first copy's;
    # the checker compares the two (rule T0-3). Left out of JSON when there is none.
    repeated: Table | None = None

    @model_serializer(mode="wrap")
    def _omit_no_copy(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("repeated") is None:
            data.pop("repeated", None)
        return data

    def row(self, key: str) -> Row | None:
        for r in self.rows:
            if r.key == key:
                return r
        return None


class Section(BaseModel):
    number: int  # 1..6, the statutory order
    heading: str  # as found
    text: str
    location: Location | None = None
    # The source line of each line of ``text`` (when the reader knows lines), so that a
    # finding about a sentence can point at its line.
    lines: list[int | None] = Field(default_factory=list)


class ParseWarning(BaseModel):
    code: str
    message: str
    location: Location | None = None

    def __str__(self) -> str:
        place = self.location.describe() if self.location else ""
        return f"{place}：{self.message}" if place else self.message


class Report(BaseModel):
    agency: str | None
    year: int | None
    format: str  # a key of gongkai.formats.FORMATS
    title: str | None = None
    source: str | None = None  # the file name, when parsed from a file
    preamble: str = ""  # text between the title and section 一
    preamble_lines: list[int | None] = Field(default_factory=list)  # as Section.lines
    tables: dict[str, Table] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    warnings: list[ParseWarning] = Field(default_factory=list)

    @property
    def spec(self) -> formats.Format:
        return formats.get(self.format)

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        t = self.tables.get(table)
        r = t.row(row) if t else None
        return r.cell(column) if r else None

    def number(self, table: str, row: str, column: str) -> int | Decimal:
        """The cell's value for arithmetic; a missing or blank cell counts as 0."""
        c = self.cell(table, row, column)
        return c.number if c else 0

    def section(self, number: int) -> Section | None:
        for s in self.sections:
            if s.number == number:
                return s
        return None

    @property
    def text(self) -> str:
        """The narrative: preamble and the six sections, without the tables."""
        return "\n".join([self.preamble, *(s.text for s in self.sections)])

    def to_json(self, **kwargs: Any) -> str:
        return self.model_dump_json(**kwargs)

    @classmethod
    def from_json(cls, data: str | bytes) -> Report:
        return cls.model_validate_json(data)
