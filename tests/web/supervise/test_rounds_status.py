"""Every branch of the round member's derived status (supervise/status.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.web.supervise.status import Status, Steps, status

DUE = dt.date(2026, 1, 31)
IN_TIME, ON_DUE, LATE = dt.date(2026, 1, 20), DUE, dt.date(2026, 2, 1)


def at(day: int, month: int = 1) -> dt.datetime:
    return dt.datetime(2026, month, day, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("steps", "today", "expected"),
    [
        # Nothing yet: 未提交 up to and including the due date, 逾期 the day after.
        (Steps(), IN_TIME, Status.NOT_SUBMITTED),
        (Steps(), ON_DUE, Status.NOT_SUBMITTED),
        (Steps(), LATE, Status.OVERDUE),
        # Submitted: 已提交, in time or late (it has arrived).
        (Steps(submitted_at=at(10)), IN_TIME, Status.SUBMITTED),
        (Steps(submitted_at=at(3, 2)), LATE, Status.SUBMITTED),
        # Returned and not resubmitted: 退回, then 逾期 after the due date.
        (Steps(submitted_at=at(10), returned_at=at(12)), IN_TIME, Status.RETURNED),
        (Steps(submitted_at=at(10), returned_at=at(12)), LATE, Status.OVERDUE),
        (Steps(returned_at=at(12)), IN_TIME, Status.RETURNED),  # an upload returned at once
        # Resubmitted after the return: 已提交 again, even after the due date.
        (Steps(submitted_at=at(14), returned_at=at(12)), LATE, Status.SUBMITTED),
        # Accepted: 已接收; a return after the acceptance undoes it.
        (Steps(submitted_at=at(10), accepted_at=at(11)), LATE, Status.ACCEPTED),
        (
            Steps(submitted_at=at(14), returned_at=at(12), accepted_at=at(15)),
            LATE,
            Status.ACCEPTED,
        ),
        (
            Steps(submitted_at=at(10), accepted_at=at(11), returned_at=at(12)),
            IN_TIME,
            Status.RETURNED,
        ),
        (
            Steps(submitted_at=at(10), accepted_at=at(11), returned_at=at(12)),
            LATE,
            Status.OVERDUE,
        ),
        # Published: 已发布 whatever else.
        (
            Steps(submitted_at=at(10), accepted_at=at(11), published_at=at(13)),
            LATE,
            Status.PUBLISHED,
        ),
        (Steps(published_at=at(13)), LATE, Status.PUBLISHED),
    ],
)
def test_status(steps: Steps, today: dt.date, expected: Status) -> None:
    assert status(steps, DUE, today) is expected
