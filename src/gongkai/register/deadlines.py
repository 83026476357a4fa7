"""Statutory deadlines for answering a disclosure application (《条例》第三十条至第三十五条).

Pure functions: no Django, no clock, no I/O. The working-day calendar is passed in (anything
with ``is_workday(date) -> bool``), so tests can use a fake one; by default the bundled
:func:`gongkai.workdays.default_calendar` is used.

Counting conventions (spec §7, ``docs/workdays.md``):

* A period of N working days "自收到申请之日起" does not count the starting day: day 1 is the
  first working day after it, and the due date is the N-th (so it is always a working day).
* 第三十三条第三款: a consultation pause ``(start, end)`` — ``start`` the day the request for
  opinion was sent, ``end`` the day the answer arrived (or the day the 15-working-day answer
  period of 第三十二条/第三十四条 ran out) — removes the working days in (start, end] from the
  count, measured like every other period: the day the request goes out still counts, counting
  resumes the working day after the answer arrives. Overlapping pauses remove a day once, and
  only paused days inside the running period matter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from ..errors import GongkaiError
from ..workdays.datafile import format_date

REPLY_WORKDAYS = 20  # 第三十三条第二款
# The first 《政府信息公开条例》 (国务院令第492号) took effect on this day: no disclosure
# application, and no annual report, can be older.
REGULATION_IN_FORCE = dt.date(2008, 5, 1)
MAX_EXTENSION_WORKDAYS = 20  # 第三十三条第二款
SUPPLEMENT_NOTICE_WORKDAYS = 7  # 第三十条
CONSULTATION_WORKDAYS = 15  # 第三十二条 (third party), 第三十四条 (co-author agencies)

ART_30 = "《条例》第三十条"
ART_31 = "《条例》第三十一条"
ART_32 = "《条例》第三十二条"
ART_33_2 = "《条例》第三十三条第二款"
ART_33_3 = "《条例》第三十三条第三款"
ART_34 = "《条例》第三十四条"
ART_35 = "《条例》第三十五条"

# What each article contributes to a deadline, for the CLI and the web pages.
ARTICLE_NOTES: dict[str, str] = {
    ART_30: (
        "申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正；"
        "答复期限自收到补正的申请之日起计算"
    ),
    ART_31: (
        "收到申请的时间：当面提交以提交之日，邮寄以签收之日（平常信函以确认之日），"
        "互联网渠道或传真以双方确认之日"
    ),
    ART_32: "第三方应当自收到征求意见书之日起15个工作日内提出意见",
    ART_33_2: (
        "自收到申请之日起20个工作日内答复；经政府信息公开工作机构负责人同意并告知申请人，"
        "可延长，最长不超过20个工作日"
    ),
    ART_33_3: "征求第三方和其他机关意见所需时间不计算在答复期限内",
    ART_34: "被征求意见机关应当自收到征求意见书之日起15个工作日内提出意见",
    ART_35: "申请数量、频次明显超过合理范围但理由合理的，可以确定延迟答复的合理期限并告知申请人",
}


class DeadlineError(GongkaiError):
    """Input that no statutory deadline can be computed from (an extension over 20 working
    days, a pause that ends before it starts, …). The message is Chinese and cites the article."""


class WorkdayCalendar(Protocol):
    """What the deadline rules need from a calendar."""

    def is_workday(self, d: dt.date) -> bool: ...

    def __hash__(self) -> int: ...  # deadlines are cached per calendar


Pause = tuple[dt.date, dt.date]


class Deadline(BaseModel):
    """A computed reply deadline and how it was reached."""

    model_config = ConfigDict(frozen=True)

    received: dt.date  # 收到申请之日 (第三十一条)
    start: dt.date  # the day the period runs from: ``received``, or the 补正 day (第三十条)
    due: dt.date  # the last day to answer
    workdays_counted: int  # working days in (start, due] that count toward the period
    paused_workdays: int  # working days in (start, due] not counted (第三十三条第三款)
    extension_days: int = 0  # approved extension, in working days
    articles: list[str]  # the articles applied, in order

    @property
    def due_text(self) -> str:
        return format_date(self.due)


def _default(calendar: WorkdayCalendar | None) -> WorkdayCalendar:
    if calendar is not None:
        return calendar
    from ..workdays import default_calendar  # loaded only when no calendar is passed

    return default_calendar()


Interval = tuple[dt.date, dt.date]  # the days d with start < d <= end


def _between(calendar: WorkdayCalendar, a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]: by bisection on a real calendar, by walking on a fake one."""
    fast = getattr(calendar, "workdays_between", None)
    if fast is not None:
        return int(fast(a, b))
    count, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        count += calendar.is_workday(d)
    return count


def _skipped(
    calendar: WorkdayCalendar, skip: Sequence[Interval], start: dt.date, end: dt.date
) -> int:
    """Paused working days in (start, end] (``skip`` is merged, so none is counted twice)."""
    total = 0
    for lo, hi in skip:
        lo, hi = max(lo, start), min(hi, end)
        if hi > lo:
            total += _between(calendar, lo, hi)
    return total


def _add_workdays(
    calendar: WorkdayCalendar, start: dt.date, n: int, skip: Sequence[Interval] = ()
) -> tuple[dt.date, int]:
    """The n-th counted working day after ``start``, and how many working days were skipped.

    The starting day is not counted; working days inside ``skip`` are passed over. The due
    date is pushed forward by the paused working days before it until it no longer moves."""
    add = getattr(calendar, "add_workdays", None)
    skipped = 0
    while True:
        if add is not None:
            due: dt.date = add(start, n + skipped)
        else:
            due, left = start, n + skipped
            while left:
                due += dt.timedelta(days=1)
                left -= calendar.is_workday(due)
        inside = _skipped(calendar, skip, start, due)
        if inside == skipped:
            return due, skipped
        skipped = inside


def add_workdays(calendar: WorkdayCalendar, start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (the starting day not counted), on any calendar."""
    return _add_workdays(calendar, start, n)[0]


def _pause_intervals(pauses: Iterable[Pause]) -> list[Interval]:
    """The pauses' (start, end] intervals, validated, sorted and merged."""
    intervals: list[Interval] = []
    for i, pause in enumerate(pauses, 1):
        try:
            begin, end = pause
        except (TypeError, ValueError):
            raise DeadlineError(f"第{i}个征求意见期间应为（开始日, 结束日）两个日期") from None
        if end < begin:
            raise DeadlineError(
                f"第{i}个征求意见期间的结束日 {format_date(end)} 早于开始日 {format_date(begin)}"
                f"（{ART_33_3}）"
            )
        intervals.append((begin, end))
    merged: list[Interval] = []
    for begin, end in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def due_date(
    received: dt.date,
    *,
    calendar: WorkdayCalendar | None = None,
    supplement_received: dt.date | None = None,
    extension_days: int = 0,
    pauses: Sequence[Pause] = (),
    delay_notified_due: dt.date | None = None,
) -> Deadline:
    """The last day to answer an application received on ``received`` (spec §7).

    ``received`` is the statutory date of receipt (see :func:`receipt_date`). ``extension_days``
    is an extension approved by the head of the disclosure office and notified to the applicant
    (0 if none). ``pauses`` are consultation periods ``(sent, answered)``. ``delay_notified_due``
    is a 延迟答复 date notified under 第三十五条. Raises :class:`DeadlineError` for input the
    条例 does not allow and :class:`~gongkai.workdays.CalendarError` for a year with no
    holiday data.
    """
    cal = _default(calendar)
    articles: list[str] = []

    # 第三十条: 答复期限自行政机关收到补正的申请之日起计算 — the clock restarts from the day
    # the corrected application arrives; the days before it do not count at all.
    start = received
    if supplement_received is not None:
        if supplement_received < received:
            raise DeadlineError(
                f"收到补正的日期 {format_date(supplement_received)} 早于收到申请的日期 "
                f"{format_date(received)}（{ART_30}）"
            )
        start = supplement_received
        articles.append(ART_30)

    # 第三十三条第二款: 20 working days from receipt; an extension needs the approval of the
    # head of the disclosure office and notice to the applicant, and is at most 20 more.
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise DeadlineError(f"延长的工作日数应为整数，得到 {extension_days!r}")
    if extension_days < 0:
        raise DeadlineError(f"延长的工作日数不能为负数，得到 {extension_days}")
    if extension_days > MAX_EXTENSION_WORKDAYS:
        raise DeadlineError(
            f"延长答复期限最长不得超过{MAX_EXTENSION_WORKDAYS}个工作日，得到 {extension_days} 个"
            f"（{ART_33_2}）"
        )
    articles.append(ART_33_2)
    period = REPLY_WORKDAYS + extension_days

    # 第三十三条第三款: 征求第三方和其他机关意见所需时间不计算在前款规定的期限内 — the
    # working days of each consultation (sent, answered] are skipped while counting.
    paused = _pause_intervals(pauses)
    if pauses:
        articles.append(ART_33_3)
    due, skipped = _add_workdays(cal, start, period, paused)
    counted = period

    # 第三十五条: for a clearly unreasonable number or frequency of applications with good
    # reasons, the agency may set a reasonable 延迟答复 period and tell the applicant; the
    # notified date then replaces the computed one. It is a delay, so it cannot be earlier.
    if delay_notified_due is not None:
        if delay_notified_due < due:
            raise DeadlineError(
                f"告知的延迟答复期限 {format_date(delay_notified_due)} 早于按{ART_33_2}计算的"
                f"答复期限 {format_date(due)}，不构成延迟答复（{ART_35}）"
            )
        counted, skipped = _count_until(cal, start, delay_notified_due, paused)
        due = delay_notified_due
        articles.append(ART_35)

    return Deadline(
        received=received,
        start=start,
        due=due,
        workdays_counted=counted,
        paused_workdays=skipped,
        extension_days=extension_days,
        articles=articles,
    )


def _count_until(
    calendar: WorkdayCalendar, start: dt.date, end: dt.date, skip: Sequence[Interval]
) -> tuple[int, int]:
    """Working days in (start, end]: (counted, skipped as paused)."""
    skipped = _skipped(calendar, skip, start, end)
    return _between(calendar, start, end) - skipped, skipped


def supplement_notice_due(received: dt.date, *, calendar: WorkdayCalendar | None = None) -> dt.date:
    """第三十条: the last day to send the one consolidated 补正 notice — 7 working days after
    receipt (the day of receipt not counted)."""
    due, _ = _add_workdays(_default(calendar), received, SUPPLEMENT_NOTICE_WORKDAYS)
    return due


def consultation_reply_due(sent: dt.date, *, calendar: WorkdayCalendar | None = None) -> dt.date:
    """第三十二条/第三十四条: the last day for a third party or a co-author agency to answer a
    request for opinion — 15 working days after it received the request.

    Pass the day the request was received (often the day it was sent, for hand delivery)."""
    due, _ = _add_workdays(_default(calendar), sent, CONSULTATION_WORKDAYS)
    return due


class Channel(StrEnum):
    """How an application was submitted (第三十一条)."""

    IN_PERSON = "当面"
    POST = "邮寄"
    ONLINE = "网络"
    FAX = "传真"
    EMAIL = "电子邮件"
    OTHER = "其他"


def receipt_date(
    channel: Channel | str,
    *,
    submitted: dt.date | None = None,
    signed_for: dt.date | None = None,
    confirmed: dt.date | None = None,
) -> dt.date:
    """The statutory date of receipt of an application (第三十一条).

    * 当面 (第一项): the day it was handed in — ``submitted``.
    * 邮寄 (第二项): the day the agency signed for it — ``signed_for``; for ordinary letters that
      need no signature, the day the office confirmed receipt with the applicant —
      ``confirmed``.
    * 网络, 传真 (第三项): the day both sides confirmed — ``confirmed``. 电子邮件 is treated as
      an internet channel (互联网渠道), an interpretation.
    * 其他: the 条例 has no rule; by analogy with 第三项 the confirmed day — ``confirmed``.

    ``submitted``, if given with another date, only guards against a receipt before submission.
    """
    try:
        ch = Channel(channel)
    except ValueError:
        allowed = "、".join(c.value for c in Channel)
        raise DeadlineError(f"未知的提交方式「{channel}」（可选：{allowed}）") from None

    def need(value: dt.date | None, what: str, item: str) -> dt.date:
        if value is None:
            raise DeadlineError(f"以「{ch.value}」方式提交的申请，需要{what}（{ART_31}{item}）")
        return value

    if ch is Channel.IN_PERSON:
        result = need(submitted, "提交之日", "第一项")
    elif ch is Channel.POST:
        # 第二项: 以行政机关签收之日为收到申请之日; 平常信函等无需签收的 → 确认之日.
        if signed_for is not None:
            result = signed_for
        else:
            result = need(confirmed, "签收之日，或（平常信函）与申请人确认之日", "第二项")
    else:
        # 第三项: 互联网渠道或者传真 → 以双方确认之日为收到申请之日.
        result = need(confirmed, "双方确认之日", "第三项")
    if submitted is not None and result < submitted:
        raise DeadlineError(
            f"收到申请之日 {format_date(result)} 早于提交之日 {format_date(submitted)}（{ART_31}）"
        )
    return result


__all__ = [
    "ARTICLE_NOTES",
    "ART_30",
    "ART_31",
    "ART_32",
    "ART_33_2",
    "ART_33_3",
    "ART_34",
    "ART_35",
    "CONSULTATION_WORKDAYS",
    "MAX_EXTENSION_WORKDAYS",
    "REPLY_WORKDAYS",
    "SUPPLEMENT_NOTICE_WORKDAYS",
    "Channel",
    "Deadline",
    "DeadlineError",
    "Pause",
    "WorkdayCalendar",
    "add_workdays",
    "consultation_reply_due",
    "due_date",
    "receipt_date",
    "supplement_notice_due",
]
