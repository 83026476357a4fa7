"""China's statutory working-day calendar (法定工作日), one data file per year.

Each year file cites the 国务院办公厅 notice that set the year's holidays (文号, dates) and
lists the days off and the 调休 make-up working days. The bundled files cover 2019 (the year
the revised 条例 took effect) to the latest published notice; users add later years with
``gongkai workdays add FILE``. A date in an uncovered year raises :class:`CalendarError`.

::

    from gongkai.workdays import default_calendar
    cal = default_calendar()
    cal.is_workday(date(2024, 10, 12))        # True: a Saturday worked for 国庆节
    cal.add_workdays(date(2024, 9, 30), 20)   # date(2024, 11, 1); the start day is not counted
    cal.workdays_between(a, b)                # working days in (a, b]
"""

from __future__ import annotations

from .calendar import (
    Calendar,
    bundled_year_files,
    default_calendar,
    install_user_file,
    user_data_dir,
)
from .datafile import Festival, Notice, YearData, format_date, load_year_file, parse_year
from .errors import CalendarError

__all__ = [
    "Calendar",
    "CalendarError",
    "Festival",
    "Notice",
    "YearData",
    "bundled_year_files",
    "default_calendar",
    "format_date",
    "install_user_file",
    "load_year_file",
    "parse_year",
    "user_data_dir",
]
