"""The Excel ledger (台账) that officers keep today, as a bridge into the register.

One workbook, three sheets an officer sees:

* ``说明`` — how to fill it in, every column explained, the outcome list with its table-三 row;
* ``依申请公开台账`` — one row per application (:data:`APPLICATION_COLUMNS`);
* ``复议诉讼台账`` — one row per reconsideration or lawsuit (:data:`REVIEW_COLUMNS`);

plus a hidden ``选项`` sheet holding the dropdown lists. The dropdown labels come from the
format data (:mod:`gongkai.formats.outcomes`, table 三's applicant columns, table 四's groups and
results), never from text written here.

:func:`write_template` (:mod:`.ledger_template`) writes an empty ledger; :func:`read_ledger`
(:mod:`.ledger_read`) reads one back into :class:`~.cases.Application` and
:class:`~.reviews.ReviewCase` objects and lists every bad row with its sheet and row number.
A row with an error never reaches the report unless the caller asks to exclude it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from ..formats import outcomes as _outcomes
from .cases import ApplicantType, Application, Channel, applicant_label
from .deadlines import Deadline, WorkdayCalendar
from .reviews import ReviewCase, ReviewKind, ReviewResult, kind_label, result_label

APPLICATIONS_SHEET = "依申请公开台账"
REVIEWS_SHEET = "复议诉讼台账"
HELP_SHEET = "说明"
LISTS_SHEET = "选项"

ColumnKind = Literal["text", "date", "int", "money", "choice"]


@dataclass(frozen=True, slots=True)
class LedgerColumn:
    key: str
    header: str
    kind: ColumnKind = "text"
    required: bool = False
    width: int = 14
    help: str = ""


APPLICATION_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("id", "编号", required=True, width=12, help="本机关的申请编号，不得重复"),
    LedgerColumn(
        "received",
        "收到申请日期",
        "date",
        required=True,
        help="《条例》第三十一条：当面提交为提交之日；邮寄为签收之日（平常信函为确认之日）；"
        "网络、传真为双方确认之日",
    ),
    LedgerColumn("channel", "提交方式", "choice", required=True, width=10),
    LedgerColumn("applicant", "申请人类型", "choice", required=True, width=20),
    LedgerColumn("applicant_name", "申请人", width=16),
    LedgerColumn("content", "申请内容", width=36),
    LedgerColumn(
        "supplement_requested",
        "告知补正日期",
        "date",
        help="《条例》第三十条：申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正",
    ),
    LedgerColumn(
        "supplement_received",
        "收到补正日期",
        "date",
        help="《条例》第三十条：答复期限自收到补正的申请之日起计算",
    ),
    LedgerColumn("extension_on", "延长批准日期", "date", help="《条例》第三十三条第二款"),
    LedgerColumn(
        "extension_days",
        "延长工作日数",
        "int",
        width=10,
        help="《条例》第三十三条第二款：延长的期限最长不得超过20个工作日",
    ),
    LedgerColumn(
        "extension_by",
        "延长批准人",
        width=12,
        help="延长须经政府信息公开工作机构负责人同意",
    ),
    LedgerColumn(
        "consultation_start",
        "征求意见日期",
        "date",
        help="《条例》第三十二条、第三十四条：发出征求意见书之日；征求意见时间不计入答复期限"
        "（第三十三条第三款）",
    ),
    LedgerColumn(
        "consultation_end",
        "收到意见日期",
        "date",
        help="收到第三方或其他机关意见之日（最多按15个工作日计）",
    ),
    LedgerColumn("delay_notified", "告知延迟答复日期", "date", help="《条例》第三十五条"),
    LedgerColumn(
        "delay_until", "延迟答复期限", "date", help="《条例》第三十五条：告知申请人的答复期限"
    ),
    LedgerColumn(
        "fee_notified", "收费通知日期", "date", help="《条例》第四十二条；国办函〔2020〕109号"
    ),
    LedgerColumn("fee_amount", "收费金额（元）", "money", width=12),
    LedgerColumn(
        "fee_paid",
        "缴费日期",
        "date",
        help="收费通知至缴费期间不计入答复期限",
    ),
    LedgerColumn(
        "closed",
        "办结日期",
        "date",
        help="答复之日；逾期不补正、逾期未缴费或撤回的，为办结（不再处理）之日",
    ),
    LedgerColumn(
        "outcome",
        "办理结果",
        "choice",
        width=40,
        help="从下拉列表选择；每个结果计入表三的一行（见本页下方）",
    ),
    LedgerColumn("note", "备注", width=24),
)

REVIEW_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("id", "编号", required=True, width=12),
    LedgerColumn("kind", "案件类型", "choice", required=True, width=28),
    LedgerColumn(
        "filed",
        "收案日期",
        "date",
        required=True,
        help="收到复议申请书或起诉状副本之日",
    ),
    LedgerColumn("application_id", "关联申请编号", width=14),
    LedgerColumn(
        "decided", "审结日期", "date", help="复议决定书或判决书、裁定书的日期；未审结的留空"
    ),
    LedgerColumn(
        "result", "审结结果", "choice", width=12, help="未审结的留空，表四计入「尚未审结」"
    ),
    LedgerColumn("note", "备注", width=24),
)


def channel_labels() -> list[str]:
    return [c.value for c in Channel]


def applicant_labels() -> list[str]:
    return [applicant_label(a) for a in ApplicantType]


def outcome_labels() -> list[str]:
    return [o.label for o in _outcomes.OUTCOMES]


def review_kind_labels() -> list[str]:
    return [kind_label(k) for k in ReviewKind]


def review_result_labels() -> list[str]:
    return [result_label(r) for r in ReviewResult]


# The dropdown list of each choice column, by sheet and column key.
CHOICES = {
    (APPLICATIONS_SHEET, "channel"): channel_labels,
    (APPLICATIONS_SHEET, "applicant"): applicant_labels,
    (APPLICATIONS_SHEET, "outcome"): outcome_labels,
    (REVIEWS_SHEET, "kind"): review_kind_labels,
    (REVIEWS_SHEET, "result"): review_result_labels,
}

Severity = Literal["error", "warning"]
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True, slots=True)
class LedgerIssue:
    """One problem with one row (or a whole sheet when ``row`` is None)."""

    sheet: str
    row: int | None  # the Excel row number, as the officer sees it
    message: str
    severity: Severity = "error"
    column: str | None = None  # the column header
    case_id: str | None = None

    def place(self) -> str:
        parts = [f"「{self.sheet}」"]
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.case_id:
            parts.append(f"（编号 {self.case_id}）")
        if self.column:
            parts.append(f"「{self.column}」")
        return "".join(parts)

    def __str__(self) -> str:
        return f"{SEVERITY_ZH[self.severity]} {self.place()}：{self.message}"


@dataclass(slots=True)
class LedgerCase:
    """An application read from one row, with its deadline as far as it can be computed."""

    row: int
    application: Application
    deadline: Deadline | None = None


@dataclass(slots=True)
class LedgerReview:
    row: int
    review: ReviewCase


@dataclass(slots=True)
class Ledger:
    """What :func:`read_ledger` found: the good rows and every issue."""

    path: str
    cases: list[LedgerCase] = field(default_factory=list)
    reviews: list[LedgerReview] = field(default_factory=list)
    issues: list[LedgerIssue] = field(default_factory=list)
    checked_on: dt.date | None = None

    @property
    def errors(self) -> list[LedgerIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[LedgerIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def structural(self) -> list[LedgerIssue]:
        """Errors about a whole sheet (missing, or its header unreadable): no row can be
        trusted, so no report can be made from the ledger, even by excluding rows."""
        return [i for i in self.errors if i.row is None]

    @property
    def t4_unreadable(self) -> bool:
        """Whether table 四 cannot be computed: the review sheet is missing or its header is
        unreadable. Table 三 does not depend on that sheet, so a report without table 四 can
        still be made (``ledger report --force``), saying so, never showing 0 cases."""
        return any(i.sheet == REVIEWS_SHEET for i in self.structural)

    @property
    def excluded(self) -> list[tuple[str, int, str | None]]:
        """The rows with an error, as (sheet, row, case id): never counted in a report."""
        seen: dict[tuple[str, int], str | None] = {}
        for issue in self.errors:
            if issue.row is not None:
                seen.setdefault((issue.sheet, issue.row), issue.case_id)
        return [(sheet, row, cid) for (sheet, row), cid in sorted(seen.items())]

    @property
    def applications(self) -> list[Application]:
        return [c.application for c in self.cases]

    @property
    def review_cases(self) -> list[ReviewCase]:
        return [r.review for r in self.reviews]


def write_template(path: str) -> None:
    """Write an empty ledger to ``path`` (see :mod:`.ledger_template`)."""
    from .ledger_template import write_template as write

    write(path)


def read_ledger(
    path: str,
    *,
    calendar: WorkdayCalendar | None = None,
    on: dt.date | None = None,
) -> Ledger:
    """Read and check the ledger at ``path`` (see :mod:`.ledger_read`). ``on`` is the day the
    open cases are checked against their deadlines (default: none checked)."""
    from .ledger_read import read_ledger as read

    return read(path, calendar=calendar, on=on)


__all__ = [
    "APPLICATIONS_SHEET",
    "APPLICATION_COLUMNS",
    "CHOICES",
    "HELP_SHEET",
    "LISTS_SHEET",
    "REVIEWS_SHEET",
    "REVIEW_COLUMNS",
    "Ledger",
    "LedgerCase",
    "LedgerColumn",
    "LedgerIssue",
    "LedgerReview",
    "applicant_labels",
    "channel_labels",
    "outcome_labels",
    "read_ledger",
    "review_kind_labels",
    "review_result_labels",
    "write_template",
]
