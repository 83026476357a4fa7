"""The report's dates (条例第四十九条) and the reminders before them.

* 县级以上人民政府部门: submit to the supervising office **and publish by 1月31日** of Y+1;
* the report on a 县级以上地方人民政府 (本级政府), published by its 主管部门: **by 3月31日** —
  a body is taken as a 人民政府 when its level is 省, 市 or 县/区 or its name ends in 人民政府
  (the checker's rule X-7b reads the name the same way);
* the supervising 公开办's own dates (:class:`~.models.ReportingCalendar`), often earlier.

A reminder is due from :data:`REMIND_DAYS` days before a date until the step is done; after the
date it says how late. Computed from dates on every request: never a stored status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.check.dates import GOVERNMENT_SUFFIX
from gongkai.workdays.datafile import format_date

from ..orgs.models import Level, Organisation
from .models import AnnualReport, ReportingCalendar
from .states import State

REMIND_DAYS = 14
GOVERNMENT_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
SUBMITTED_OR_LATER = (State.SUBMITTED, State.ACCEPTED, State.PUBLISHED)


@dataclass(frozen=True)
class Due:
    label: str  # 发布, 报送
    date: dt.date
    basis: str  # 条例第四十九条第一款 / the supervisor's note
    step: str  # "publish" or "submit": which state ends the reminder

    def done(self, report: AnnualReport | None) -> bool:
        if report is None:
            return False
        if self.step == "publish":
            return report.state == State.PUBLISHED or report.published() is not None
        return State(report.state) in SUBMITTED_OR_LATER

    @property
    def shown(self) -> str:
        return format_date(self.date)


def today() -> dt.date:
    """Today, in the server's time zone (one place, so that tests can set it)."""
    return dt.date.today()


def is_government(org: Organisation) -> bool:
    return org.level in GOVERNMENT_LEVELS or org.name.endswith(GOVERNMENT_SUFFIX)


def due_dates(org: Organisation, year: int) -> list[Due]:
    out: list[Due] = []
    if is_government(org):
        out.append(
            Due("发布本级政府年度报告", dt.date(year + 1, 3, 31), "条例第四十九条第二款", "publish")
        )
    else:
        out.append(
            Due("报送并发布年度报告", dt.date(year + 1, 1, 31), "条例第四十九条第一款", "publish")
        )
    if org.supervisor_id is not None:
        cal = ReportingCalendar.objects.filter(supervisor_id=org.supervisor_id, year=year).first()
        if cal is not None:
            basis = f"{org.supervisor}的要求" + (f"（{cal.note}）" if cal.note else "")
            if cal.submit_by:
                out.append(Due("报送公开办", cal.submit_by, basis, "submit"))
            if cal.publish_by:
                out.append(Due("发布", cal.publish_by, basis, "publish"))
    return sorted(out, key=lambda d: d.date)


def reminders(
    org: Organisation, year: int, report: AnnualReport | None, today: dt.date
) -> list[tuple[str, str]]:
    """(level, Chinese sentence) for each date coming up or passed with its step not done;
    level is ``warning`` (due within REMIND_DAYS) or ``error`` (passed)."""
    out = []
    for due in due_dates(org, year):
        if due.done(report):
            continue
        days = (due.date - today).days
        what = f"{org.name}{year}年度报告：{due.label}的截止日期是{due.shown}（{due.basis}）"
        if days < 0:
            out.append(("error", f"{what}，已逾期{-days}天"))
        elif days <= REMIND_DAYS:
            out.append(("warning", f"{what}，还有{days}天" if days else f"{what}，就是今天"))
    return out
