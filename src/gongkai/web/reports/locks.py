"""Submission locks the year (issue 11 §2): once a body's report for year Y is submitted, and
while it stays submitted, accepted or published, the register and the catalogue refuse every
change dated in Y.

Refused, not recorded-after-the-lock: a change dated in Y could only change Y's tables, which
the submitted version already states; accepting it silently would leave the register and the
published report disagreeing. The message says what to do instead (the 公开办 returns the
report, or the body 更正s a published one — both unlock the year). What the lock guards is
the *legal date* of the change (an event's ``on``, an intake's date of receipt, a catalogue
item's dates), not the day it is typed: an event dated in Y+1 on a case carried over from Y
changes nothing in Y's report (its table 三 counts it as 结转下年度 either way) and is allowed.

Callers: :func:`gongkai.web.cases.register.create_case` and ``record`` (the one write path of
the register); the catalogue's write path calls :func:`refuse_if_locked` too.
"""

from __future__ import annotations

import datetime as dt

from gongkai.register.cases import RegisterError
from gongkai.workdays.datafile import format_date

from ..orgs.models import Organisation
from .models import AnnualReport
from .states import LOCKING, STATE_LABELS, State


class YearLocked(RegisterError):
    """A change dated in a year whose report is submitted."""


def year_locked(org: Organisation | int, year: int) -> AnnualReport | None:
    """The report that locks ``org``'s ``year`` (submitted, accepted or published), or None."""
    org_id = org if isinstance(org, int) else org.pk
    return (
        AnnualReport.objects.filter(organisation_id=org_id, year=year, state__in=list(LOCKING))
        .select_related("organisation")
        .first()
    )


def refuse_if_locked(org: Organisation | int, on: dt.date, what: str = "改动") -> None:
    """Raise :class:`YearLocked` (a Chinese message) if ``on`` falls in a locked year."""
    report = year_locked(org, on.year)
    if report is None:
        return
    state = STATE_LABELS[State(report.state)]
    raise YearLocked(
        f"{report.organisation.name}{report.year}年度政府信息公开工作年度报告已{state.removeprefix('已')}"
        f"（第{report.version}版），{report.year}年度的数据已锁定：不能记录日期为"
        f"{format_date(on)}的{what}。如确需更改，请先由公开办退回报告（已发布的报告请走“更正”）"
    )
