"""The register back to an Excel ledger: each application and review as one row of the
``gongkai ledger`` format, so that :func:`~.ledger.read_ledger` reads the same register again.

A row holds one date per column; a history with more than one of a kind of event the format
has one column for (two consultations, two extensions, two fee notices, two 延迟答复 notices)
cannot be written whole. Such a row takes the first consultation and fee notice, the last
延迟答复 notice and the sum of the extensions (on the first approval's date) — what the reply
deadline needs except for the later consultations — and its 备注 says in words what the
ledger could not hold (:func:`application_cells`), so nothing is dropped silently. The
经办人 and notes of single events are not in the format at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..formats import outcomes as _outcomes
from ..workdays.datafile import format_date
from .cases import Application, EventKind, applicant_label
from .ledger_read import _RANK, NO_APPROVER
from .reviews import ReviewCase, kind_label, result_label

Cells = dict[str, Any]


def application_cells(app: Application, note: str = "") -> tuple[Cells, list[str]]:
    """The cells of ``app``'s row by column key (dates as :class:`datetime.date`, the
    amount as :class:`~decimal.Decimal`, choices as their labels), and one Chinese line for
    each part of its history the format cannot hold (also appended to the 备注 cell)."""
    by_kind: dict[EventKind, list[Any]] = {}
    for e in app.events:
        by_kind.setdefault(e.kind, []).append(e)
    lost: list[str] = []
    cells: Cells = {
        "id": app.id,
        "received": app.received,
        "channel": app.channel.value,
        "applicant": applicant_label(app.applicant),
        "applicant_name": app.applicant_name,
        "content": app.content,
        "supplement_requested": app.supplement_requested,
        "supplement_received": app.supplement_received,
    }
    extensions = by_kind.get(EventKind.EXTENSION_APPROVED, [])
    if extensions:
        approvers = [e.by for e in extensions if e.by and e.by != NO_APPROVER]
        cells["extension_on"] = extensions[0].on
        cells["extension_days"] = sum(e.days for e in extensions)
        cells["extension_by"] = "、".join(dict.fromkeys(approvers))
        if len(extensions) > 1:
            lost.append(
                "延长答复期限共"
                + "、".join(f"{format_date(e.on)} {e.days}个工作日" for e in extensions)
                + "，台账合并为一次"
            )
    if app.consultations:
        cells["consultation_start"], cells["consultation_end"] = app.consultations[0]
        for start, end in app.consultations[1:]:
            lost.append(
                f"另有征求意见 {format_date(start)}–{format_date(end) if end else '未收到意见'}"
            )
    delays = by_kind.get(EventKind.DELAY_NOTIFIED, [])
    if delays:
        cells["delay_notified"], cells["delay_until"] = delays[-1].on, delays[-1].until
        for e in delays[:-1]:
            lost.append(f"另有告知延迟答复 {format_date(e.on)}（至 {format_date(e.until)}）")
    notices = by_kind.get(EventKind.FEE_NOTIFIED, [])
    if notices:
        cells["fee_notified"], cells["fee_paid"] = app.fee_periods[0]
        cells["fee_amount"] = notices[0].amount
        for (start, paid), e in zip(app.fee_periods[1:], notices[1:], strict=True):
            amount = f" {e.amount}元" if e.amount is not None else ""
            lost.append(
                f"另有收费通知 {format_date(start)}{amount}"
                f"（{'缴费 ' + format_date(paid) if paid else '未缴费'}）"
            )
    # The ledger reads one day's events in a fixed order (补正 before consultation before
    # extension …); a history whose same-day events went otherwise cannot come back as it was.
    middle = [e for e in app.events[1:] if e.kind in _RANK]
    if middle != sorted(middle, key=lambda e: (e.on, _RANK[e.kind])):
        lost.append(
            "同一天的事件顺序与台账的固定顺序不同（"
            + "、".join(f"{format_date(e.on)} {e.label}" for e in middle)
            + "）"
        )
    if app.outcome is not None:
        cells["closed"] = app.closed
        cells["outcome"] = _outcomes.BY_KEY[app.outcome].label
    text = note
    if lost:
        text = "；".join(filter(None, [note, "台账格式未能容纳：" + "；".join(lost)]))
    cells["note"] = text
    return cells, lost


def review_cells(review: ReviewCase) -> Cells:
    return {
        "id": review.id,
        "kind": kind_label(review.kind),
        "filed": review.filed,
        "application_id": review.application_id or "",
        "decided": review.decided,
        "result": result_label(review.result) if review.result is not None else "",
        "note": review.note,
    }


def write_ledger(
    path: Any,
    applications: Iterable[Application | tuple[Application, str]],
    reviews: Iterable[ReviewCase] = (),
) -> list[tuple[str, list[str]]]:
    """Write a filled ledger (the template's sheets, dropdowns and help, plus one row per
    application and review) to ``path`` (a file name or a binary file object), streaming
    rows (xlsxwriter ``constant_memory``). An application may come with a note for its 备注.
    Returns, per application whose history the format cannot hold whole, its id and what was
    left out (see the module docstring)."""
    from .ledger_template import write_filled

    lost: list[tuple[str, list[str]]] = []

    def app_rows() -> Iterable[Cells]:
        for item in applications:
            app, note = item if isinstance(item, tuple) else (item, "")
            cells, missing = application_cells(app, note)
            if missing:
                lost.append((app.id, missing))
            yield cells

    write_filled(path, app_rows(), (review_cells(r) for r in reviews))
    return lost


__all__ = ["application_cells", "review_cells", "write_ledger"]
