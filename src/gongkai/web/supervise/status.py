"""A round member's status (未提交, 已提交, 退回, 已接收, 已发布, 逾期), derived — never stored —
from the dates of its steps, the round's due date and today, by :func:`status` alone.

The rule, in order (the first that holds):

1. published (``published_at`` set) → 已发布;
2. accepted, and not returned after that acceptance → 已接收;
3. returned, and not submitted again after that return → 退回, or 逾期 once today is after
   the due date;
4. submitted → 已提交 (a late submission is 已提交: it has arrived);
5. nothing → 未提交, or 逾期 once today is after the due date.

"After the due date" is ``today > due``: the due date itself is still in time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NOT_SUBMITTED = "not_submitted"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    PUBLISHED = "published"
    OVERDUE = "overdue"


LABELS: dict[Status, str] = {
    Status.NOT_SUBMITTED: "未提交",
    Status.SUBMITTED: "已提交",
    Status.RETURNED: "退回",
    Status.ACCEPTED: "已接收",
    Status.PUBLISHED: "已发布",
    Status.OVERDUE: "逾期",
}


@dataclass(frozen=True)
class Steps:
    """When each step last happened (None: never)."""

    submitted_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    accepted_at: dt.datetime | None = None
    published_at: dt.datetime | None = None


def _after(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    """Whether ``a`` happened, and after ``b`` (or ``b`` never did)."""
    return a is not None and (b is None or a > b)


def status(steps: Steps, due: dt.date, today: dt.date) -> Status:
    late = today > due
    if steps.published_at is not None:
        return Status.PUBLISHED
    if steps.accepted_at is not None and not _after(steps.returned_at, steps.accepted_at):
        return Status.ACCEPTED
    if steps.returned_at is not None and not _after(steps.submitted_at, steps.returned_at):
        return Status.OVERDUE if late else Status.RETURNED
    if steps.submitted_at is not None:
        return Status.SUBMITTED
    return Status.OVERDUE if late else Status.NOT_SUBMITTED
