"""Reconsideration (行政复议) and litigation (行政诉讼) cases about disclosure, for table 四.

条例第五十一条 lets an applicant apply for 行政复议 or sue; table 四 counts the cases in three
groups — 行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉 — each by result: 结果维持,
结果纠正, 其他结果, 尚未审结, 总计. The groups and results are the columns of the format's table
四 (``review_upheld`` …); their Chinese labels are read from the format data.

Counting rule for report year Y (spec §5, T4-6), decided here and documented in
``docs/register.md``:

* a case decided in Y counts under its result;
* a case filed on or before 31 December Y and not decided by then counts as 尚未审结 — so a
  case pending over two year ends appears as 尚未审结 in both years, and under its result in
  the year it is decided;
* a case decided before Y, or filed after Y, does not count in Y.

So each year's table 四 describes the cases the agency had in hand that year: those it closed
and those still open at its end, the same "concluded + carried forward" reading as table 三.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..formats import V2021
from ..formats import Table as FormatTable
from ..workdays.datafile import format_date
from .cases import RegisterError


class ReviewKind(StrEnum):
    """The three groups of table 四 (the column-key prefixes)."""

    RECONSIDERATION = "review"  # 行政复议
    DIRECT_SUIT = "direct"  # 行政诉讼：未经复议直接起诉
    SUIT_AFTER_REVIEW = "after"  # 行政诉讼：复议后起诉


class ReviewResult(StrEnum):
    """A decided case's result (the column-key suffixes); a pending case has no result."""

    UPHELD = "upheld"  # 结果维持
    CORRECTED = "corrected"  # 结果纠正
    OTHER = "other"  # 其他结果


PENDING = "pending"  # 尚未审结: the column suffix for cases not decided by 31 December


def _t4() -> FormatTable:
    # Table 四 is the same in both formats (spec §5).
    return V2021.table("t4")


def kind_label(kind: ReviewKind | str) -> str:
    """``行政复议``, ``行政诉讼（未经复议直接起诉）`` or ``行政诉讼（复议后起诉）``, from the
    format's table 四."""
    groups = _t4().column("cases", f"{ReviewKind(kind).value}_total").groups
    return groups[0] if len(groups) == 1 else f"{groups[0]}（{groups[-1]}）"


def result_label(result: ReviewResult | str) -> str:
    """``结果维持``, ``结果纠正``, ``其他结果``, ``尚未审结``, from the format."""
    value = result if result == PENDING else ReviewResult(result).value
    return _t4().column("cases", f"review_{value}").label


@dataclass(slots=True)
class ReviewCase:
    """One reconsideration or lawsuit about a disclosure decision."""

    id: str
    kind: ReviewKind
    filed: dt.date  # 收到复议申请 / 收到起诉状副本 (the day the agency learned of it)
    decided: dt.date | None = None  # 复议决定 / 判决、裁定 date
    result: ReviewResult | None = None
    application_id: str | None = None  # the disclosure application it is about, if known
    note: str = ""

    def __post_init__(self) -> None:
        try:
            self.kind = ReviewKind(self.kind)
        except ValueError:
            raise RegisterError(f"案件 {self.id}：未知的案件类型「{self.kind}」") from None
        if self.result is not None:
            try:
                self.result = ReviewResult(self.result)
            except ValueError:
                raise RegisterError(f"案件 {self.id}：未知的审结结果「{self.result}」") from None
        if (self.decided is None) != (self.result is None):
            raise RegisterError(f"案件 {self.id}：审结日期和审结结果须同时填写或同时留空")
        if self.decided is not None and self.decided < self.filed:
            raise RegisterError(
                f"案件 {self.id}：审结日期 {format_date(self.decided)} 早于收案日期 "
                f"{format_date(self.filed)}"
            )

    def status_in(self, year: int) -> str | None:
        """The table-四 column suffix this case counts under in ``year``: a result, ``pending``,
        or None if it does not count that year (see the module's counting rule)."""
        end = dt.date(year, 12, 31)
        if self.filed > end:
            return None
        if self.decided is None or self.decided > end:
            return PENDING
        if self.decided.year == year:
            assert self.result is not None  # __post_init__: decided and result go together
            return self.result.value
        return None  # decided in an earlier year


def t4_counts(reviews: Iterable[ReviewCase], year: int) -> dict[str, int]:
    """The 15 cells of table 四 for ``year``, totals included."""
    counts = {c.key: 0 for c in _t4().columns}
    for case in reviews:
        status = case.status_in(year)
        if status is not None:
            counts[f"{case.kind.value}_{status}"] += 1
            counts[f"{case.kind.value}_total"] += 1
    return counts


__all__ = [
    "PENDING",
    "ReviewCase",
    "ReviewKind",
    "ReviewResult",
    "kind_label",
    "result_label",
    "t4_counts",
]
