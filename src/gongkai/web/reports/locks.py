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
the register) call :func:`refuse_if_locked`; the catalogue (items, entered table 二 counts) and
the appeals (table 四) call :func:`refuse_if_tables_change` with their own contribution to a
year's counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

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


def _refusal(report: AnnualReport, why: str) -> YearLocked:
    """The one wording of a refusal: which report locks the year, why, and what to do."""
    state = STATE_LABELS[State(report.state)].removeprefix("已")
    return YearLocked(
        f"{report.organisation.name}{report.year}年度政府信息公开工作年度报告已{state}"
        f"（第{report.version}版），{report.year}年度的数据已锁定：{why}。"
        "如确需更改，请先由公开办退回报告（已发布的报告请走“更正”）"
    )


def refuse_if_locked(org: Organisation | int, on: dt.date, what: str = "改动") -> None:
    """Raise :class:`YearLocked` (a Chinese message) if ``on`` falls in a locked year."""
    report = year_locked(org, on.year)
    if report is not None:
        raise _refusal(report, f"不能记录日期为{format_date(on)}的{what}")


def refuse_if_tables_change(
    org: Organisation | int,
    what: str,
    before: Callable[[int], object],
    after: Callable[[int], object],
) -> None:
    """Raise :class:`YearLocked` if a change alters a locked year's tables: ``before(y)`` and
    ``after(y)`` are the changed object's contribution to year ``y``'s counts (e.g. its table
    四 counts) without and with the change. Exact where a date test is not: an appeal filed in
    a locked year and decided two years later may still be decided — it stays 尚未审结 in that
    year's table — but changing its filing date may not."""
    org_id = org if isinstance(org, int) else org.pk
    locked = AnnualReport.objects.filter(
        organisation_id=org_id, state__in=list(LOCKING)
    ).select_related("organisation")
    for report in locked:
        if before(report.year) != after(report.year):
            raise _refusal(report, f"这项{what}会改变该年度报告的表格")
