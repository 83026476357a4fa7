"""The supervisor's review of an uploaded report: accept it, or return it with a note.

The note of a return is composed from the findings the supervisor selected (their messages,
numbered as on the report page) and free text. Who reviewed and when stay on the report's row
(``IngestedReport.review``/``review_note``/``reviewed_at``/``reviewed_by``); when the report is
the one assigned to a round's member (``RoundMember.ingested``), the member's dates follow:
``accepted_at`` on accepting, ``returned_at`` and ``note`` on returning (a return clears an
earlier acceptance, so that the member's derived status reads 退回).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import FileStatus, IngestedReport, Review, RoundMember


class ReviewError(Exception):
    """A review that cannot be taken; ``message`` is Chinese, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _readable(report: IngestedReport) -> None:
    if report.status != FileStatus.OK:
        why = f"：{report.error}" if report.error else "（尚未读取）"
        raise ReviewError(f"文件“{report.file}”无法读取{why}，不能接收或退回")


def compose_note(report: IngestedReport, finding_ids: Iterable[int | str], text: str) -> str:
    """The selected findings of ``report`` (in the page's order, each ``[rule] message``),
    then the free text. Ids of other reports' findings are ignored."""
    wanted = {int(i) for i in finding_ids if str(i).isdigit()}
    lines = []
    for pk, rule, message in report.findings.order_by("pk").values_list("pk", "rule", "message"):
        if pk in wanted:
            lines.append(f"{len(lines) + 1}. [{rule}] {message}")
    text = text.strip()
    if text:
        lines.append(text)
    return "\n".join(lines)


@transaction.atomic
def accept(report: IngestedReport, user: Any) -> IngestedReport:
    """接收: the report is accepted (its round member too)."""
    _readable(report)
    now = timezone.now()
    report.review = Review.ACCEPTED
    report.review_note = ""
    report.reviewed_at = now
    report.reviewed_by = user
    report.save(update_fields=["review", "review_note", "reviewed_at", "reviewed_by"])
    RoundMember.objects.filter(ingested=report).update(accepted_at=now)
    return report


@transaction.atomic
def return_report(
    report: IngestedReport, user: Any, note: str, finding_ids: Iterable[int | str] = ()
) -> IngestedReport:
    """退回 with a note composed of the selected findings and ``note`` (free text); a return
    without either is refused."""
    _readable(report)
    composed = compose_note(report, finding_ids, note)
    if not composed:
        raise ReviewError("退回须选择至少一项检查结果或填写退回意见")
    now = timezone.now()
    report.review = Review.RETURNED
    report.review_note = composed
    report.reviewed_at = now
    report.reviewed_by = user
    report.save(update_fields=["review", "review_note", "reviewed_at", "reviewed_by"])
    RoundMember.objects.filter(ingested=report).update(
        returned_at=now, note=composed, accepted_at=None
    )
    return report
