"""The one exception tree of gongkai.

::

    GongkaiError
     ├── ParseError          a file that is not a report, or whose tables cannot be found
     │    └── StrictParseError   a warning raised as an error under ``strict=True``
     └── FormatError         an unknown format key or a year no format covers

Every error carries the place it happened (file, table, row, column, line or page) and a
Chinese message meant for the user; ``str(error)`` gives both on one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Location


class GongkaiError(Exception):
    """Base class of every error gongkai raises on purpose."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        place = self.location.describe()
        return f"{place}：{self.message}" if place else self.message


class ParseError(GongkaiError):
    """The input is not a readable annual report."""


class StrictParseError(ParseError):
    """A parse warning turned into an error because ``strict=True`` was asked for."""


class FormatError(GongkaiError):
    """An unknown format, or a report year that no official format covers."""
