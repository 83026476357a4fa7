"""Reading one cell's text into a kind and a value.

Blank, "/", "-" and a written 0 stay distinct (spec §4.1). Units written in the cell (件, 条,
万元, 元) are recorded; an amount written in 元 is converted to the column's 万元. Full-width
digits and signs (０１２, －) read as their ASCII forms (NFKC).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..formats import CellType
from ..report import CellKind

COUNT_UNITS = ("件", "条", "个", "项", "次", "宗", "人次")
MONEY_UNITS = ("万元", "元")
UNITS = frozenset((*COUNT_UNITS, *MONEY_UNITS))
_UNITS = "|".join(sorted(UNITS, key=len, reverse=True))
_NUMBER = re.compile(rf"^([+\-]?)(\d+(?:\.\d+)?)\s*({_UNITS})?$")
# A number followed by a note in brackets, e.g. "55（含自然失效29件）" (NFKC turns （） into ()).
_ANNOTATED = re.compile(rf"^([+\-]?)(\d+(?:\.\d+)?)\s*({_UNITS})?\s*[(\[]([^()]*)[)\]]$")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DASHES = frozenset({"-", "—", "–", "−", "─", "--", "——"})
_SLASHES = frozenset({"/", "\\", "／"})


@dataclass(frozen=True, slots=True)
class ReadValue:
    kind: CellKind
    value: int | Decimal | None = None
    unit: str | None = None
    note: str | None = None  # a bracketed note found after the number


def clean(text: str) -> str:
    """NFKC, no surrounding or inner spaces (no-break spaces included)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# Reports repeat the same few cell texts ("0", "1", "/") hundreds of times: read each once.
@lru_cache(maxsize=8192)
def read_value(raw: str, type: CellType = CellType.COUNT) -> ReadValue:
    s = _THOUSANDS.sub("", clean(raw))
    if not s:
        return ReadValue(CellKind.BLANK)
    if s in _SLASHES:
        return ReadValue(CellKind.SLASH)
    if s in _DASHES:
        return ReadValue(CellKind.DASH)
    note = None
    m = _NUMBER.match(s)
    if m is None:
        m = _ANNOTATED.match(s)
        if m is None:
            return ReadValue(CellKind.TEXT)
        note = m.group(4)
    sign, digits, unit = m.group(1), m.group(2), m.group(3)
    number = Decimal(sign + digits)
    if type is CellType.AMOUNT:
        if unit == "元":
            number = number / 10000
        return ReadValue(CellKind.NUMBER, number, unit, note)
    value: int | Decimal = int(number) if number == number.to_integral_value() else number
    if "." in digits and isinstance(value, int):
        value = number  # "3.0" stays as written: a count with decimals is for the checker
    return ReadValue(CellKind.NUMBER, value, unit, note)


def is_value_token(text: str) -> bool:
    """Whether a whitespace-separated word of a text line is a cell value, not a label."""
    return read_value(text).kind is not CellKind.TEXT


def is_unit(text: str) -> bool:
    """A unit written apart from its number (``2 件``)."""
    return clean(text) in UNITS
