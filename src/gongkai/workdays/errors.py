"""The error the working-day calendar raises: a year it does not cover, or a bad data file.

It joins the one exception tree of :mod:`gongkai.errors`::

    GongkaiError
     └── CalendarError   a date in a year with no holiday notice on file, or an invalid year file
"""

from __future__ import annotations

from ..errors import GongkaiError
from ..report import Location


class CalendarError(GongkaiError):
    """A working-day question the calendar cannot answer honestly.

    Raised for a date in a year whose 国务院办公厅 holiday notice is not on file (never a silent
    weekends-only guess), and for a year file that fails validation (the location names the
    file and the entry).
    """


def uncovered_year(year: int) -> CalendarError:
    """The error for a date in a year the calendar has no data for."""
    from .datafile import MAX_YEAR, MIN_YEAR

    if not MIN_YEAR <= year <= MAX_YEAR:  # no year file can ever be added for it
        return CalendarError(
            f"{year}年超出工作日历的年份范围（{MIN_YEAR}–{MAX_YEAR}年），无法计算工作日；"
            "请检查日期是否写错"
        )
    return CalendarError(
        f"{year}年的节假日安排尚未收录：请在国务院办公厅公布后用 gongkai workdays add 添加"
    )


def bad_file(file: str, message: str, entry: str | None = None) -> CalendarError:
    """The error for an invalid year file, naming the file and (if known) the entry."""
    return CalendarError(message, Location(file=file, label=entry))
