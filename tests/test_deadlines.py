"""Reply deadlines under 《条例》第三十条至第三十五条 (spec §7), checked by hand.

The 2024 National Day arrangement (国办发明电〔2023〕7号): 10-01..10-07 off; Sunday 09-29 and
Saturday 10-12 worked. Working days after Monday 2024-09-30, numbered:

    10-08 1, 10-09 2, 10-10 3, 10-11 4, 10-12 (Sat) 5,
    10-14..18 6–10, 10-21..25 11–15, 10-28..31 16–19, 11-01 20,
    11-04..08 21–25, 11-11..15 26–30, 11-18..22 31–35, 11-25..29 36–40
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.register import (
    Channel,
    DeadlineError,
    consultation_reply_due,
    due_date,
    receipt_date,
    supplement_notice_due,
)
from gongkai.register.deadlines import ART_30, ART_33_2, ART_33_3, ART_35
from gongkai.workdays import CalendarError, default_calendar

D = dt.date
RECEIVED = D(2024, 9, 30)


class WeekdaysOnly:
    """A fake calendar: Monday to Friday, for checking that the calendar is really passed in."""

    def is_workday(self, d: dt.date) -> bool:
        return d.weekday() < 5


# 第三十三条第二款: 20 working days from receipt, the day of receipt not counted.
def test_national_day_2024_by_hand() -> None:
    deadline = due_date(RECEIVED)
    assert deadline.due == D(2024, 11, 1)
    assert deadline.start == RECEIVED
    assert deadline.workdays_counted == 20
    assert deadline.paused_workdays == 0
    assert deadline.articles == [ART_33_2] == ["《条例》第三十三条第二款"]
    assert deadline.due_text == "2024年11月1日"


def test_the_calendar_is_passed_in() -> None:
    # With weekends only, the holiday week counts: 20 weekdays after Monday 09-30 is 10-28.
    assert due_date(RECEIVED, calendar=WeekdaysOnly()).due == D(2024, 10, 28)
    assert due_date(RECEIVED, calendar=default_calendar()).due == D(2024, 11, 1)


# 第三十条: 答复期限自行政机关收到补正的申请之日起计算.
def test_supplement_restarts_the_clock() -> None:
    # Corrected application received Thursday 10-10: day 1 is 10-11, day 2 Saturday 10-12,
    # 10-14..18 are 3–7, 10-21..25 8–12, 10-28..11-01 13–17, 11-04, 05, 06 are 18, 19, 20.
    deadline = due_date(RECEIVED, supplement_received=D(2024, 10, 10))
    assert deadline.start == D(2024, 10, 10)
    assert deadline.received == RECEIVED
    assert deadline.due == D(2024, 11, 6)
    assert deadline.articles == [ART_30, ART_33_2]


def test_supplement_before_receipt_is_an_error() -> None:
    with pytest.raises(DeadlineError, match="第三十条"):
        due_date(RECEIVED, supplement_received=D(2024, 9, 29))


# 第三十条: the 补正 notice within 7 working days of receipt.
def test_supplement_notice_due() -> None:
    # 10-08 1, 10-09 2, 10-10 3, 10-11 4, 10-12 5, 10-14 6, 10-15 7.
    assert supplement_notice_due(RECEIVED) == D(2024, 10, 15)


# 第三十三条第二款: an approved extension of at most 20 working days.
def test_extension() -> None:
    deadline = due_date(RECEIVED, extension_days=20)
    assert deadline.due == D(2024, 11, 29)
    assert deadline.workdays_counted == 40
    assert deadline.extension_days == 20
    assert due_date(RECEIVED, extension_days=5).due == D(2024, 11, 8)


@pytest.mark.parametrize("days", [21, 40, -1])
def test_extension_beyond_the_statute_is_an_error(days: int) -> None:
    with pytest.raises(DeadlineError) as info:
        due_date(RECEIVED, extension_days=days)
    if days > 0:
        assert str(info.value) == (
            f"延长答复期限最长不得超过20个工作日，得到 {days} 个（《条例》第三十三条第二款）"
        )


# 第三十三条第三款: consultation time is not counted; the working days in (sent, answered].
def test_pause() -> None:
    # Request sent Monday 10-14 (still counted, day 6), answer received Friday 10-18:
    # 10-15..18 are not counted, so the due date moves from 11-01 by four working days.
    deadline = due_date(RECEIVED, pauses=[(D(2024, 10, 14), D(2024, 10, 18))])
    assert deadline.due == D(2024, 11, 7)
    assert deadline.paused_workdays == 4
    assert deadline.workdays_counted == 20
    assert deadline.articles == [ART_33_2, ART_33_3]


def test_pause_over_a_holiday_counts_only_working_days() -> None:
    # Sent 09-30, answered 10-12: the working days in (09-30, 10-12] are 10-08..10-12, five
    # days; the holiday week in between was never counted anyway.
    deadline = due_date(RECEIVED, pauses=[(RECEIVED, D(2024, 10, 12))])
    assert deadline.paused_workdays == 5
    assert deadline.due == D(2024, 11, 8)


def test_overlapping_pauses_count_a_day_once() -> None:
    one = due_date(RECEIVED, pauses=[(D(2024, 10, 14), D(2024, 10, 18))])
    two = due_date(
        RECEIVED,
        pauses=[(D(2024, 10, 14), D(2024, 10, 16)), (D(2024, 10, 15), D(2024, 10, 18))],
    )
    assert one.due == two.due and two.paused_workdays == 4


def test_pause_after_the_due_date_changes_nothing() -> None:
    deadline = due_date(RECEIVED, pauses=[(D(2024, 12, 2), D(2024, 12, 6))])
    assert deadline.due == D(2024, 11, 1)
    assert deadline.paused_workdays == 0


def test_pause_ending_before_it_starts_is_an_error() -> None:
    with pytest.raises(DeadlineError, match="第三十三条第三款"):
        due_date(RECEIVED, pauses=[(D(2024, 10, 18), D(2024, 10, 14))])


def test_everything_together() -> None:
    # 补正 received 10-10, a 20-day extension, a consultation (10-14, 10-18]:
    # 10-11 1, 10-12 2, 10-14 3, [10-15..18 paused], then 37 more working days → 12-10.
    deadline = due_date(
        RECEIVED,
        supplement_received=D(2024, 10, 10),
        extension_days=20,
        pauses=[(D(2024, 10, 14), D(2024, 10, 18))],
    )
    assert deadline.due == D(2024, 12, 10)
    assert deadline.articles == [ART_30, ART_33_2, ART_33_3]


# 第三十五条: a notified 延迟答复 date replaces the computed one.
def test_notified_delay_replaces_the_due_date() -> None:
    deadline = due_date(RECEIVED, delay_notified_due=D(2024, 12, 31))
    assert deadline.due == D(2024, 12, 31)
    assert deadline.articles == [ART_33_2, ART_35]
    assert deadline.workdays_counted == default_calendar().workdays_between(
        RECEIVED, D(2024, 12, 31)
    )


def test_a_delay_cannot_shorten_the_period() -> None:
    with pytest.raises(DeadlineError, match="不构成延迟答复"):
        due_date(RECEIVED, delay_notified_due=D(2024, 10, 31))


# Year boundary: 2025 元旦 (01-01 off), 春节 01-28..02-04 off, Sunday 01-26 worked.
def test_across_the_year_boundary() -> None:
    # From Tuesday 2024-12-31: 01-02 1, 01-03 2, 01-06..10 3–7, 01-13..17 8–12,
    # 01-20..24 13–17, Sunday 01-26 18, 01-27 19, then 春节, 02-05 20.
    assert due_date(D(2024, 12, 31)).due == D(2025, 2, 5)
    # From Friday 2024-12-20: 12-23..27 1–5, 12-30, 31 6–7, 01-02, 03 8–9, 01-06..10 10–14,
    # 01-13..17 15–19, 01-20 20.
    assert due_date(D(2024, 12, 20)).due == D(2025, 1, 20)


def test_uncovered_year_is_an_error_not_a_guess() -> None:
    # Only 12 working days are left in 2026 after 12-15; the rest would fall in 2027.
    with pytest.raises(CalendarError) as info:
        due_date(D(2026, 12, 15))
    assert str(info.value).startswith("2027年的节假日安排尚未收录")


# 第三十二条/第三十四条: 15 working days to answer a request for opinion.
def test_consultation_reply_due() -> None:
    # 10-08..12 1–5, 10-14..18 6–10, 10-21..25 11–15.
    assert consultation_reply_due(RECEIVED) == D(2024, 10, 25)


# 第三十一条: the date of receipt by channel.
def test_receipt_date_by_channel() -> None:
    day = D(2024, 9, 27)
    later = D(2024, 9, 30)
    assert receipt_date(Channel.IN_PERSON, submitted=day) == day  # 第一项
    assert receipt_date("邮寄", submitted=day, signed_for=later) == later  # 第二项: 签收之日
    assert receipt_date("邮寄", confirmed=later) == later  # 第二项: 平常信函, 确认之日
    assert receipt_date("网络", submitted=day, confirmed=later) == later  # 第三项
    assert receipt_date(Channel.FAX, confirmed=later) == later  # 第三项
    assert receipt_date(Channel.EMAIL, confirmed=later) == later  # 互联网渠道 (interpretation)
    assert receipt_date(Channel.OTHER, confirmed=later) == later


@pytest.mark.parametrize(
    ("channel", "kwargs", "message"),
    [
        ("当面", {}, "需要提交之日（《条例》第三十一条第一项）"),
        ("邮寄", {"submitted": D(2024, 9, 27)}, "第三十一条第二项"),
        ("网络", {"submitted": D(2024, 9, 27)}, "需要双方确认之日（《条例》第三十一条第三项）"),
        ("网络", {"submitted": D(2024, 9, 27), "confirmed": D(2024, 9, 26)}, "早于提交之日"),
        ("飞鸽传书", {}, "未知的提交方式"),
    ],
)
def test_receipt_date_errors(channel: str, kwargs: dict[str, dt.date], message: str) -> None:
    with pytest.raises(DeadlineError, match=re.escape(message)):
        receipt_date(channel, **kwargs)


def test_the_rules_import_neither_django_nor_click() -> None:
    code = (
        "import sys, gongkai.register, gongkai.workdays\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'click', 'rich'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


class _OnlyIsWorkday:
    """The real calendar seen through the bare protocol: forces the day-by-day walk."""

    def __init__(self, cal: object) -> None:
        self._cal = cal

    def is_workday(self, d: dt.date) -> bool:
        return self._cal.is_workday(d)  # type: ignore[attr-defined, no-any-return]


_days = st.dates(dt.date(2019, 1, 1), dt.date(2025, 10, 31))


@settings(max_examples=200, deadline=None)
@given(
    received=_days,
    extension=st.integers(0, 20),
    pauses=st.lists(st.tuples(_days, st.integers(0, 40)), max_size=3),
)
def test_bisection_agrees_with_the_walk(
    received: dt.date, extension: int, pauses: list[tuple[dt.date, int]]
) -> None:
    cal = default_calendar()
    spans = [(d, d + dt.timedelta(days=k)) for d, k in pauses]
    fast = due_date(received, calendar=cal, extension_days=extension, pauses=spans)
    slow = due_date(received, calendar=_OnlyIsWorkday(cal), extension_days=extension, pauses=spans)
    assert fast == slow
