"""Read an Excel ledger (openpyxl, read-only) into the register, listing every bad row.

Every cell is read for what it is: a date cell or a typed date (``2024-03-01``, ``2024/3/1``,
``2024年3月1日``), an integer, an amount, or a label from a dropdown list. A row with an error
— a missing or unreadable date, an unknown label, dates out of order, an extension over 20
working days, a history the transition table refuses — is listed with its sheet and row number
and left out of :attr:`Ledger.cases`; nothing is guessed, so a wrong row never silently changes
a number of the report. Warnings (an answer after the deadline, a late 补正 notice, a missing
approver) are listed but do not stop the row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..formats import outcomes as _outcomes
from ..workdays.datafile import MAX_YEAR, format_date
from ..workdays.errors import CalendarError
from . import cases as _cases
from .cases import ApplicantType, Application, Event, EventKind, RegisterError, applicant_label
from .deadlines import (
    ART_30,
    ART_33_2,
    MAX_EXTENSION_WORKDAYS,
    REGULATION_IN_FORCE,
    Channel,
    DeadlineError,
    WorkdayCalendar,
)
from .ledger import (
    APPLICATION_COLUMNS,
    APPLICATIONS_SHEET,
    REVIEW_COLUMNS,
    REVIEWS_SHEET,
    Ledger,
    LedgerCase,
    LedgerColumn,
    LedgerIssue,
    LedgerReview,
    Severity,
)
from .reviews import ReviewCase, ReviewKind, ReviewResult, kind_label, result_label

_ZH_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_NUM_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# A ledger date must fall in the life of the 条例 (from REGULATION_IN_FORCE, 1 May 2008): no
# disclosure application, 补正 or lawsuit can be older. An earlier date is a typing slip or,
# far more often, an empty or zero date cell, which Excel shows as 1900-01-00 (serial 0, read
# as a time of day) or 1900-01-01 (serial 1). The latest date is the end of the working-day
# calendar's range: no deadline can be computed beyond it, and 9999-12-31 would overflow the
# date arithmetic.
EARLIEST_DATE = REGULATION_IN_FORCE
LATEST_DATE = dt.date(MAX_YEAR, 12, 31)
_EXCEL_ZERO = dt.date(1900, 1, 1)  # serials 0 and 1 and Excel's phantom 1900-01-00
NO_APPROVER = "（台账未填写批准人）"


def _norm(text: str) -> str:
    return "".join(str(text).split()).rstrip("*＊").replace("(", "（").replace(")", "）")


def _choice_map(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return {_norm(label): key for label, key in pairs}


_CHANNELS = _choice_map(
    [(c.value, c.value) for c in Channel]
    + [
        ("现场", "当面"),
        ("信函", "邮寄"),
        ("互联网", "网络"),
        ("网上", "网络"),
        ("邮件", "电子邮件"),
    ]
)
_APPLICANTS = _choice_map(
    [(applicant_label(a), a.value) for a in ApplicantType]
    + [("其他", ApplicantType.OTHER.value), ("法人或其他组织-其他", ApplicantType.OTHER.value)]
)
_KINDS = _choice_map(
    [(kind_label(k), k.value) for k in ReviewKind]
    + [("复议", "review"), ("直接起诉", "direct"), ("复议后起诉", "after")]
)
_RESULTS = _choice_map(
    [(result_label(r), r.value) for r in ReviewResult]
    + [("维持", "upheld"), ("纠正", "corrected"), ("其他", "other")]
)


class _Row:
    """One row's cells by column key, and the issues found reading them."""

    def __init__(
        self, sheet: str, number: int, cells: dict[str, Any], columns: tuple[LedgerColumn, ...]
    ) -> None:
        self.sheet, self.number, self.cells = sheet, number, cells
        self.columns = {c.key: c for c in columns}
        self.issues: list[LedgerIssue] = []
        raw_id = cells.get("id")
        self.id = _text(raw_id) or None

    def issue(self, message: str, column: str | None = None, severity: Severity = "error") -> None:
        header = self.columns[column].header if column else None
        self.issues.append(LedgerIssue(self.sheet, self.number, message, severity, header, self.id))

    @property
    def failed(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def header(self, key: str) -> str:
        return self.columns[key].header

    def raw(self, key: str) -> Any:
        value = self.cells.get(key)
        return None if isinstance(value, str) and not value.strip() else value

    def date(self, key: str) -> dt.date | None:
        value = self.raw(key)
        if value is None:
            if self.columns[key].required:
                self.issue(f"缺少{self.header(key)}", key)
            return None
        parsed = _as_date(value)
        if isinstance(value, dt.time):  # a date cell holding 0 (or a time of day) reads so
            self.issue(
                f"「{value}」是时刻而不是日期：多半是为0的日期单元格（Excel 显示为1900-01-00），"
                "请填写实际日期",
                key,
            )
        elif parsed is None:
            self.issue(f"「{value}」不是日期（应写作 2024-03-01）", key)
        elif parsed < EARLIEST_DATE:
            hint = (
                "：多半是空白或为0的日期单元格（Excel 显示为1900-01-00或1900-01-01），"
                "请填写实际日期"
                if parsed <= _EXCEL_ZERO
                else "，请检查年份"
            )
            self.issue(
                f"日期 {format_date(parsed)} 不合理，早于《政府信息公开条例》施行之日"
                f"（{format_date(EARLIEST_DATE)}）{hint}",
                key,
            )
            return None
        elif parsed > LATEST_DATE:
            self.issue(
                f"日期 {format_date(parsed)} 不合理，晚于{format_date(LATEST_DATE)}"
                "（工作日历可计算的范围），请检查年份",
                key,
            )
            return None
        return parsed

    def choice(self, key: str, table: dict[str, str] | Callable[[str], str | None]) -> str | None:
        value = self.raw(key)
        if value is None:
            if self.columns[key].required:
                self.issue(f"缺少{self.header(key)}", key)
            return None
        found = table(_text(value)) if callable(table) else table.get(_norm(_text(value)))
        if found is None:
            self.issue(f"未知的{self.header(key)}「{_text(value)}」（请从下拉列表中选择）", key)
        return found

    def integer(self, key: str) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value():
            self.issue(f"「{value}」不是整数", key)
            return None
        return int(number)

    def money(self, key: str) -> Decimal | None:
        value = self.raw(key)
        if value is None:
            return None
        text = str(value).strip().removesuffix("元").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or amount < 0:
            self.issue(f"「{value}」不是不小于0的金额（元）", key)
            return None
        return amount


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an 编号 typed as a number, 12 not 12.0
    return str(value).strip()


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date typed into a cell without a date format arrives as Excel's serial number.
        if 30000 <= value <= 80000 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    text = str(value).strip()
    match = _ZH_DATE.match(text) or _NUM_DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _outcome_key(text: str) -> str | None:
    found = _outcomes.by_label(text)
    return found.key if found else None


# Events of one day happen in this order (a 补正 asked for and received on the day it was
# asked, an extension approved the day a consultation ends …); the closing event is last.
_RANK = {
    EventKind.RECEIVED: 0,
    EventKind.SUPPLEMENT_REQUESTED: 1,
    EventKind.SUPPLEMENT_RECEIVED: 2,
    EventKind.CONSULTATION_STARTED: 3,
    EventKind.CONSULTATION_ANSWERED: 4,
    EventKind.EXTENSION_APPROVED: 5,
    EventKind.DELAY_NOTIFIED: 6,
    EventKind.FEE_NOTIFIED: 7,
    EventKind.FEE_PAID: 8,
}


def _application(row: _Row) -> Application | None:
    if row.id is None:
        row.issue("缺少编号", "id")
    received = row.date("received")
    channel = row.choice("channel", _CHANNELS)
    applicant = row.choice("applicant", _APPLICANTS)
    d = {
        k: row.date(k)
        for k in (
            "supplement_requested",
            "supplement_received",
            "extension_on",
            "consultation_start",
            "consultation_end",
            "delay_notified",
            "delay_until",
            "fee_notified",
            "fee_paid",
            "closed",
        )
    }
    days = row.integer("extension_days")
    amount = row.money("fee_amount")
    outcome_key = row.choice("outcome", _outcome_key)
    outcome = _outcomes.BY_KEY.get(outcome_key) if outcome_key else None
    if row.failed or received is None:
        return None

    def h(key: str) -> str:
        return row.header(key)

    closed = d["closed"]
    if (closed is None) != (outcome is None):
        missing = "办理结果" if closed is not None else "办结日期"
        row.issue(
            f"办结日期与办理结果应同时填写，缺少{missing}",
            "closed" if closed is None else "outcome",
        )
    if closed is not None and closed < received:
        row.issue(
            f"办结日期 {format_date(closed)} 早于收到申请日期 {format_date(received)}", "closed"
        )
    for key, value in d.items():
        if key == "closed" or value is None:
            continue
        if value < received:
            row.issue(
                f"{h(key)} {format_date(value)} 早于收到申请日期 {format_date(received)}", key
            )
        elif closed is not None and value > closed and key != "delay_until":
            row.issue(f"{h(key)} {format_date(value)} 晚于办结日期 {format_date(closed)}", key)

    asked, got = d["supplement_requested"], d["supplement_received"]
    if got is not None and asked is None:
        row.issue(
            f"有{h('supplement_received')}，却没有{h('supplement_requested')}",
            "supplement_requested",
        )
    if asked is not None and got is not None and got < asked:
        row.issue(
            f"补正日期顺序颠倒：收到补正 {format_date(got)} 早于告知补正 {format_date(asked)}"
            f"（{ART_30}）",
            "supplement_received",
        )
    okey = outcome.key if outcome else None
    if okey == "no_supplement" and (asked is None or got is not None):
        row.issue("办理结果为逾期不补正，应有告知补正日期且没有收到补正日期", "outcome")
    if okey == "unclear_after_supplement" and got is None:
        row.issue("办理结果为补正后申请内容仍不明确，却没有收到补正日期", "outcome")

    ext_on = d["extension_on"]
    if days is not None:
        if days < 1:
            row.issue(f"延长工作日数应为正整数，得到 {days}", "extension_days")
        elif days > MAX_EXTENSION_WORKDAYS:
            row.issue(
                f"延长 {days} 个工作日，超过最长{MAX_EXTENSION_WORKDAYS}个工作日（{ART_33_2}）",
                "extension_days",
            )
        if ext_on is None:
            row.issue(f"有{h('extension_days')}，却没有{h('extension_on')}", "extension_on")
    elif ext_on is not None:
        row.issue(f"有{h('extension_on')}，却没有{h('extension_days')}", "extension_days")
    approver = _text(row.raw("extension_by"))
    if days and not approver:
        row.issue(
            f"延长答复期限须经政府信息公开工作机构负责人同意，请填写批准人（{ART_33_2}）",
            "extension_by",
            "warning",
        )

    start, end = d["consultation_start"], d["consultation_end"]
    if end is not None and start is None:
        row.issue(
            f"有{h('consultation_end')}，却没有{h('consultation_start')}", "consultation_start"
        )
    if start is not None and end is not None and end < start:
        row.issue(
            f"收到意见日期 {format_date(end)} 早于征求意见日期 {format_date(start)}",
            "consultation_end",
        )

    if (d["delay_notified"] is None) != (d["delay_until"] is None):
        missing = "delay_until" if d["delay_until"] is None else "delay_notified"
        row.issue(f"告知延迟答复日期与延迟答复期限应同时填写，缺少{h(missing)}", missing)

    notified, paid = d["fee_notified"], d["fee_paid"]
    if notified is None and (paid is not None or amount is not None):
        row.issue(
            f"有{h('fee_paid') if paid else h('fee_amount')}，却没有{h('fee_notified')}",
            "fee_notified",
        )
    if notified is not None and paid is not None and paid < notified:
        row.issue(
            f"缴费日期 {format_date(paid)} 早于收费通知日期 {format_date(notified)}", "fee_paid"
        )
    if okey == "fee_unpaid" and (notified is None or paid is not None):
        row.issue("办理结果为逾期未缴费，应有收费通知日期且没有缴费日期", "outcome")
    if row.failed:
        return None

    events: list[Event] = [Event(EventKind.RECEIVED, received)]
    if asked:
        events.append(Event(EventKind.SUPPLEMENT_REQUESTED, asked))
    if got:
        events.append(Event(EventKind.SUPPLEMENT_RECEIVED, got))
    if start:
        events.append(Event(EventKind.CONSULTATION_STARTED, start))
    if end:
        events.append(Event(EventKind.CONSULTATION_ANSWERED, end))
    if days and ext_on:
        by = approver or NO_APPROVER
        events.append(Event(EventKind.EXTENSION_APPROVED, ext_on, by=by, days=days))
    if d["delay_notified"] and d["delay_until"]:
        events.append(Event(EventKind.DELAY_NOTIFIED, d["delay_notified"], until=d["delay_until"]))
    if notified:
        events.append(Event(EventKind.FEE_NOTIFIED, notified, amount=amount))
    if paid:
        events.append(Event(EventKind.FEE_PAID, paid))
    events.sort(key=lambda e: (e.on, _RANK[e.kind]))
    if closed is not None and outcome is not None:
        kind = EventKind.ANSWERED if outcome.closes_by == "answer" else EventKind(outcome.closes_by)
        events.append(Event(kind, closed, outcome=outcome.key))
    try:
        return Application(
            row.id or "",
            channel=channel or Channel.OTHER,
            applicant=applicant or ApplicantType.NATURAL,
            content=_text(row.raw("content")),
            applicant_name=_text(row.raw("applicant_name")),
            events=events,
        )
    except RegisterError as exc:
        row.issue(exc.message.removeprefix(f"申请 {row.id}："))
        return None


def _deadline_warnings(
    row: _Row, case: LedgerCase, calendar: WorkdayCalendar, on: dt.date | None
) -> None:
    app = case.application
    try:
        case.deadline = _cases.due_date(app, calendar=calendar)
        notice_due = _cases.supplement_notice_due(app, calendar=calendar)
    except (DeadlineError, CalendarError) as exc:
        row.issue(f"无法计算答复期限：{exc}", None, "warning")
        return
    if app.supplement_requested and notice_due and app.supplement_requested > notice_due:
        row.issue(
            f"告知补正超过7个工作日，应不晚于 {format_date(notice_due)}（{ART_30}）",
            "supplement_requested",
            "warning",
        )
    due = case.deadline.due if case.deadline else None
    if due is None:
        return
    hint = "，且未办理延长" if not app.extension_days else ""
    answered = app.outcome is not None and _outcomes.BY_KEY[app.outcome].closes_by == "answer"
    if answered and app.closed is not None and app.closed > due:
        row.issue(
            f"逾期答复：答复期限为 {format_date(due)}，办结日期为 {format_date(app.closed)}{hint}",
            "closed",
            "warning",
        )
    elif on is not None and app.closed is None and due < on:
        row.issue(f"已超过答复期限 {format_date(due)}，仍未办结{hint}", None, "warning")


def _review(row: _Row) -> ReviewCase | None:
    if row.id is None:
        row.issue("缺少编号", "id")
    kind = row.choice("kind", _KINDS)
    filed = row.date("filed")
    decided = row.date("decided")
    result = row.choice("result", _RESULTS)
    if row.failed or kind is None or filed is None:
        return None
    if (decided is None) != (result is None):
        missing = "result" if result is None else "decided"
        row.issue(f"审结日期与审结结果应同时填写，缺少{row.header(missing)}", missing)
    if decided is not None and decided < filed:
        row.issue(f"审结日期 {format_date(decided)} 早于收案日期 {format_date(filed)}", "decided")
    if row.failed:
        return None
    return ReviewCase(
        id=row.id or "",
        kind=ReviewKind(kind),
        filed=filed,
        decided=decided,
        result=ReviewResult(result) if result else None,
        application_id=_text(row.raw("application_id")) or None,
        note=_text(row.raw("note")),
    )


def _rows(
    sheet: Any, name: str, columns: tuple[LedgerColumn, ...], ledger: Ledger
) -> Iterator[_Row]:
    by_header = {_norm(c.header): c for c in columns}
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    position: dict[str, int] = {}
    for j, text in enumerate(header):
        column = by_header.get(_norm(text)) if text is not None else None
        if column is not None:
            position.setdefault(column.key, j)
    missing = [c.header for c in columns if c.required and c.key not in position]
    if missing:
        ledger.issues.append(
            LedgerIssue(
                name,
                None,  # the whole sheet is unreadable, not one row
                f"第1行（表头）缺少必填列：{'、'.join(missing)}"
                "（请使用 gongkai ledger template 生成的台账）",
            )
        )
        return
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        cells = {key: values[j] if j < len(values) else None for key, j in position.items()}
        row = _Row(name, number, cells, columns)
        if row.id is not None:
            if row.id in seen:
                row.issue(f"编号与第{seen[row.id]}行重复", "id")
            seen.setdefault(row.id, number)
        yield row


def read_ledger(
    path: str, *, calendar: WorkdayCalendar | None = None, on: dt.date | None = None
) -> Ledger:
    """Read the ledger at ``path``. Raises :class:`~.cases.RegisterError` only when the file
    is not a readable workbook; every problem inside it becomes a :class:`LedgerIssue`."""
    import openpyxl  # type: ignore[import-untyped]  # imported here: only the ledger needs it

    name = Path(path).name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise RegisterError(f"台账 {name} 不存在") from None
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise RegisterError(
            f"无法读取台账 {name}：不是有效的 Excel 工作簿（.xlsx），或文件已损坏；"
            "旧版 .xls 请在 Excel 中另存为 .xlsx"
        ) from None
    cal = calendar if calendar is not None else _default_calendar()
    ledger = Ledger(path=name, checked_on=on)
    try:
        if APPLICATIONS_SHEET not in book.sheetnames:
            ledger.issues.append(LedgerIssue(APPLICATIONS_SHEET, None, "台账中没有这个工作表"))
        else:
            for row in _rows(
                book[APPLICATIONS_SHEET], APPLICATIONS_SHEET, APPLICATION_COLUMNS, ledger
            ):
                app = _application(row)
                if app is not None:
                    case = LedgerCase(row.number, app)
                    _deadline_warnings(row, case, cal, on)
                    ledger.cases.append(case)
                ledger.issues.extend(row.issues)
        if REVIEWS_SHEET not in book.sheetnames:
            ledger.issues.append(
                LedgerIssue(
                    REVIEWS_SHEET,
                    None,
                    "台账中没有这个工作表，无法计算表四（行政复议、行政诉讼情况）；"
                    "请使用 gongkai ledger template 生成的台账（没有案件也保留此表，只留表头）",
                )
            )
        else:
            for row in _rows(book[REVIEWS_SHEET], REVIEWS_SHEET, REVIEW_COLUMNS, ledger):
                review = _review(row)
                if review is not None:
                    ledger.reviews.append(LedgerReview(row.number, review))
                ledger.issues.extend(row.issues)
    finally:
        book.close()
    return ledger


def _default_calendar() -> WorkdayCalendar:
    from ..workdays import default_calendar

    return default_calendar()


__all__ = ["NO_APPROVER", "read_ledger"]
