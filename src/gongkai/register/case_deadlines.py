"""The reply deadline of a case and the register's deadline queries.

:func:`due_date` hands a case's history to :func:`gongkai.register.deadlines.due_date`, each
branch citing its article: 补正 restarts the clock (第三十条), an approved extension adds at
most 20 working days (第三十三条第二款), consultation time is not counted (第三十三条第三款),
capped at the 15 working days the other side has (第三十二条/第三十四条), the time from a fee
notice to payment is not counted (国办函〔2020〕109号, see
:data:`~gongkai.register.cases.FEE_PERIOD_PAUSES_CLOCK`), and a notified 延迟答复 date replaces
the computed one (第三十五条). :func:`overdue` and :func:`due_within` answer "what is late" and
"what falls due soon" over a whole register. Re-exported by :mod:`.cases`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from . import deadlines as _dl
from .deadlines import Deadline, WorkdayCalendar

if TYPE_CHECKING:
    from .cases import Application

FEE_MEASURES = "国办函〔2020〕109号《政府信息公开信息处理费管理办法》"
FEE_PAYMENT_WORKDAYS = 20  # 收到收费通知次日起20个工作日内缴纳 (see cases.FEE_PERIOD_PAUSES_CLOCK)

Pauses = tuple[tuple[dt.date, dt.date], ...]


def _calendar(calendar: WorkdayCalendar | None) -> WorkdayCalendar:
    if calendar is not None:
        return calendar
    from ..workdays import default_calendar  # loaded only when no calendar is passed

    return default_calendar()


@functools.lru_cache(maxsize=1 << 14)
def _cap(cal: WorkdayCalendar, start: dt.date, limit: int) -> dt.date:
    return _dl.add_workdays(cal, start, limit)


def _capped_pauses(
    cal: WorkdayCalendar, periods: Sequence[tuple[dt.date, dt.date | None]], limit: int
) -> Pauses:
    """Each (start, end) period, its end capped at ``limit`` working days after the start: an
    open period, or an answer that came late, pauses the clock no longer than the period the
    law allows the other side."""
    out = []
    for start, end in periods:
        cap = _cap(cal, start, limit)
        out.append((start, cap if end is None or end > cap else end))
    return tuple(out)


@functools.lru_cache(maxsize=1 << 16)
def _due(
    cal: WorkdayCalendar,
    received: dt.date,
    supplement: dt.date | None,
    extension: int,
    consult: Pauses,
    fee: Pauses,
    delay: dt.date | None,
) -> Deadline:
    # Many cases share the same inputs (same day of receipt, no pauses): cached, so a register
    # of 100 000 cases takes well under a second.
    deadline = _dl.due_date(
        received,
        calendar=cal,
        supplement_received=supplement,
        extension_days=extension,
        pauses=consult + fee,
        delay_notified_due=delay,
    )
    if not fee:
        return deadline
    articles = list(deadline.articles)
    if not consult:
        articles.remove(_dl.ART_33_3)
    articles.append(f"{FEE_MEASURES}（收费通知至缴费期间不计入答复期限）")
    return deadline.model_copy(update={"articles": articles})


def due_date(case: Application, *, calendar: WorkdayCalendar | None = None) -> Deadline | None:
    """The case's reply deadline, or None when no clock is running.

    None before receipt, and while a 补正 was asked for and has not come: 第三十条 makes the
    period run from the day the corrected application is received, so until then there is no
    due date (the 补正 notice itself has one, see :func:`supplement_notice_due`).
    Raises :class:`.deadlines.DeadlineError` for a history the 条例 does not allow (a
    第三十五条 date earlier than the ordinary one) and ``CalendarError`` for an uncovered year.
    """
    if case.received is None:
        return None
    if case.supplement_requested is not None and case.supplement_received is None:
        return None  # 第三十条: the clock restarts only when the 补正 arrives
    cal = _calendar(calendar)
    # 第三十三条第三款 with 第三十二条/第三十四条: consultation time is not counted, and the
    # other side has 15 working days to answer, so no pause is longer than that.
    consult = _capped_pauses(cal, case.consultations, _dl.CONSULTATION_WORKDAYS)
    from .cases import FEE_PERIOD_PAUSES_CLOCK

    fee: Pauses = ()
    if FEE_PERIOD_PAUSES_CLOCK:
        fee = _capped_pauses(cal, case.fee_periods, FEE_PAYMENT_WORKDAYS)
    return _due(
        cal,
        case.received,
        case.supplement_received,
        case.extension_days,
        consult,
        fee,
        case.delay_until,  # 第三十五条: the notified date replaces the computed one
    )


def supplement_notice_due(
    case: Application, *, calendar: WorkdayCalendar | None = None
) -> dt.date | None:
    """第三十条: the last day for the one 补正 notice — 7 working days after receipt."""
    if case.received is None:
        return None
    return _dl.supplement_notice_due(case.received, calendar=calendar)


def answered_late(case: Application, *, calendar: WorkdayCalendar | None = None) -> bool:
    """Whether the case was concluded by an answer after its deadline."""
    if case.closed is None:
        return False
    deadline = due_date(case, calendar=calendar)
    return deadline is not None and case.closed > deadline.due


def overdue(
    cases: Iterable[Application], on: dt.date, *, calendar: WorkdayCalendar | None = None
) -> list[tuple[Application, Deadline]]:
    """Cases still open at the end of ``on`` whose deadline is before ``on``, as they stood
    that day (events recorded later are ignored), oldest deadline first."""
    found = []
    for case in _open_on(cases, on):
        deadline = due_date(case, calendar=calendar)
        if deadline is not None and deadline.due < on:
            found.append((case, deadline))
    return sorted(found, key=lambda pair: (pair[1].due, pair[0].id))


def due_within(
    cases: Iterable[Application],
    on: dt.date,
    workdays: int,
    *,
    calendar: WorkdayCalendar | None = None,
) -> list[tuple[Application, Deadline]]:
    """Cases open at the end of ``on`` due from ``on`` to ``workdays`` working days after it
    (inclusive), soonest first."""
    cal = _calendar(calendar)
    limit = _dl.add_workdays(cal, on, workdays)
    found = []
    for case in _open_on(cases, on):
        deadline = due_date(case, calendar=cal)
        if deadline is not None and on <= deadline.due <= limit:
            found.append((case, deadline))
    return sorted(found, key=lambda pair: (pair[1].due, pair[0].id))


def _open_on(cases: Iterable[Application], on: dt.date) -> Iterable[Application]:
    for case in cases:
        if case.open_at_end_of(on):
            last = case.last_event_on
            yield case if last is None or last <= on else case.as_of(on)


__all__ = [
    "FEE_PAYMENT_WORKDAYS",
    "answered_late",
    "due_date",
    "due_within",
    "overdue",
    "supplement_notice_due",
]
