"""Disclosure applications (依申请公开) and their event history.

An :class:`Application` is its history: every state change is an :class:`Event` (what, when,
who, why), appended through :meth:`Application.record`, which checks it against the ONE table
of allowed transitions, :data:`TRANSITIONS` (state → event kind → next state), plus a few
guards the table cannot express (dates in order, one 补正 notice, extensions summing to at
most 20 working days, an outcome that fits the closing event). An illegal event raises
:class:`RegisterError` with a Chinese message naming the article.

The reply deadline of a case, :func:`due_date`, is computed by :mod:`.deadlines` from the
history: 补正 restarts the clock (第三十条), an approved extension adds at most 20 working days
(第三十三条第二款), consultation time is not counted (第三十三条第三款, capped at the 15
working days of 第三十二条/第三十四条), a notified 延迟答复 date replaces the computed one
(第三十五条), and the time between a fee notice and payment is not counted (国办函〔2020〕
109号, see :data:`FEE_PERIOD_PAUSES_CLOCK`).

Pure Python: no Django, no clock. Events are frozen dataclasses (not pydantic) because a
register of 100 000 cases is replayed in a benchmark and must stay fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..errors import GongkaiError
from ..formats import V2021
from ..formats import outcomes as _outcomes
from ..workdays.datafile import format_date
from . import deadlines as _dl
from .deadlines import Channel

# The time from a fee notice to payment is not counted in the reply period. The 办法 after
# 第五条 was not readable when this was written (spec §9, [UNVERIFIED]); a provincial notice
# implementing it (四川省财政厅、发展改革委《关于政府信息公开信息处理费有关事项的通知》,
# 2021-01-18) says the notice is sent within the reply period, the applicant pays within 20
# working days, and non-payment is abandonment. Not counting the wait is the only reading under
# which a notice sent late in the 20 days leaves time to answer; it is one switch here if it
# proves wrong.
FEE_PERIOD_PAUSES_CLOCK = True


class RegisterError(GongkaiError):
    """An event the register does not allow (wrong state, dates out of order, an extension
    beyond 20 working days …). The message is Chinese and cites the article."""


class ApplicantType(StrEnum):
    """The applicant columns of table 三 (the keys are the format's column keys)."""

    NATURAL = "natural"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICES = "legal_services"
    OTHER = "other"


def applicant_label(applicant: ApplicantType | str) -> str:
    """The Chinese label from the format's data; the bare 其他 gets its group, so that an
    officer never confuses 其他（法人或其他组织） with a missing value."""
    column = V2021.table("t3").column("r1", str(applicant))
    if column.groups and column.label == "其他":
        return f"{column.label}（{column.groups[-1]}）"
    return column.label


class State(StrEnum):
    NEW = "new"  # not yet received (no event)
    PROCESSING = "processing"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    CLOSED = "closed"


STATE_LABELS: dict[State, str] = {
    State.NEW: "未收到",
    State.PROCESSING: "办理中",
    State.AWAITING_SUPPLEMENT: "待补正",
    State.CONSULTING: "征求意见中",
    State.AWAITING_FEE: "待缴费",
    State.CLOSED: "已办结",
}


class EventKind(StrEnum):
    RECEIVED = "received"  # 第三十一条: the statutory date of receipt
    SUPPLEMENT_REQUESTED = "supplement_requested"  # 第三十条
    SUPPLEMENT_RECEIVED = "supplement_received"  # 第三十条
    SUPPLEMENT_OVERDUE = "supplement_overdue"  # 第三十条: 视为放弃申请
    EXTENSION_APPROVED = "extension_approved"  # 第三十三条第二款
    CONSULTATION_STARTED = "consultation_started"  # 第三十二条, 第三十四条
    CONSULTATION_ANSWERED = "consultation_answered"
    DELAY_NOTIFIED = "delay_notified"  # 第三十五条
    FEE_NOTIFIED = "fee_notified"  # 第四十二条; 国办函〔2020〕109号
    FEE_PAID = "fee_paid"
    FEE_NOT_PAID = "fee_not_paid"
    ANSWERED = "answered"  # 第三十六条 …
    WITHDRAWN = "withdrawn"


EVENT_LABELS: dict[EventKind, str] = {
    EventKind.RECEIVED: "收到申请",
    EventKind.SUPPLEMENT_REQUESTED: "告知补正",
    EventKind.SUPPLEMENT_RECEIVED: "收到补正",
    EventKind.SUPPLEMENT_OVERDUE: "逾期未补正",
    EventKind.EXTENSION_APPROVED: "批准延长答复期限",
    EventKind.CONSULTATION_STARTED: "征求第三方或其他机关意见",
    EventKind.CONSULTATION_ANSWERED: "收到意见（或征求意见期满）",
    EventKind.DELAY_NOTIFIED: "告知延迟答复",
    EventKind.FEE_NOTIFIED: "发出收费通知",
    EventKind.FEE_PAID: "缴纳费用",
    EventKind.FEE_NOT_PAID: "逾期未缴费",
    EventKind.ANSWERED: "答复",
    EventKind.WITHDRAWN: "申请人撤回申请",
}

S, E = State, EventKind
# THE transition table: from a state, the events allowed and the state each leads to.
# Anything not listed is illegal. Withdrawal is possible in every open state.
TRANSITIONS: dict[State, dict[EventKind, State]] = {
    S.NEW: {E.RECEIVED: S.PROCESSING},
    S.PROCESSING: {
        E.SUPPLEMENT_REQUESTED: S.AWAITING_SUPPLEMENT,
        E.EXTENSION_APPROVED: S.PROCESSING,
        E.CONSULTATION_STARTED: S.CONSULTING,
        E.DELAY_NOTIFIED: S.PROCESSING,
        E.FEE_NOTIFIED: S.AWAITING_FEE,
        E.ANSWERED: S.CLOSED,
        E.WITHDRAWN: S.CLOSED,
    },
    S.AWAITING_SUPPLEMENT: {
        E.SUPPLEMENT_RECEIVED: S.PROCESSING,
        E.SUPPLEMENT_OVERDUE: S.CLOSED,
        E.WITHDRAWN: S.CLOSED,
    },
    S.CONSULTING: {
        E.CONSULTATION_ANSWERED: S.PROCESSING,
        # The 20 days keep running during a consultation only in the sense that the pause is
        # capped (第三十二条); the head may still approve an extension meanwhile.
        E.EXTENSION_APPROVED: S.CONSULTING,
        E.WITHDRAWN: S.CLOSED,
    },
    S.AWAITING_FEE: {
        E.FEE_PAID: S.PROCESSING,
        E.FEE_NOT_PAID: S.CLOSED,
        E.WITHDRAWN: S.CLOSED,
    },
    S.CLOSED: {},
}
del S, E

# The outcome a closing event implies; ANSWERED carries its own (an outcome closed "by answer").
_IMPLIED_OUTCOME: dict[EventKind, str] = {
    EventKind.SUPPLEMENT_OVERDUE: "no_supplement",
    EventKind.FEE_NOT_PAID: "fee_unpaid",
    EventKind.WITHDRAWN: "withdrawn",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a case's history."""

    kind: EventKind
    on: dt.date
    by: str = ""  # who did it (经办人; for an extension, the approving head)
    note: str = ""  # why, or what was sent
    outcome: str | None = None  # ANSWERED: a key of gongkai.formats.outcomes
    days: int = 0  # EXTENSION_APPROVED: working days
    until: dt.date | None = None  # DELAY_NOTIFIED: the notified reply date
    amount: Decimal | None = None  # FEE_NOTIFIED: 元

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.kind]


class Application:
    """A disclosure application and its history. Derived facts (state, dates, outcome) are
    kept up to date by :meth:`record`, the only way to change a case."""

    __slots__ = (
        "_events",
        "applicant",
        "applicant_name",
        "channel",
        "closed",
        "consultations",
        "content",
        "delay_until",
        "extension_days",
        "fee_amount",
        "fee_periods",
        "id",
        "outcome",
        "received",
        "state",
        "supplement_received",
        "supplement_requested",
    )

    def __init__(
        self,
        id: str,
        *,
        channel: Channel | str = Channel.OTHER,
        applicant: ApplicantType | str = ApplicantType.NATURAL,
        content: str = "",
        applicant_name: str = "",
        events: Iterable[Event] = (),
    ) -> None:
        self.id = id
        try:
            self.channel = Channel(channel)
        except ValueError:
            allowed = "、".join(c.value for c in Channel)
            raise RegisterError(
                f"申请 {id}：未知的提交方式「{channel}」（可选：{allowed}）"
            ) from None
        try:
            self.applicant = ApplicantType(applicant)
        except ValueError:
            allowed = "、".join(applicant_label(a) for a in ApplicantType)
            raise RegisterError(
                f"申请 {id}：未知的申请人类型「{applicant}」（可选：{allowed}）"
            ) from None
        self.content = content
        self.applicant_name = applicant_name
        self._events: list[Event] = []
        self.state = State.NEW
        self.received: dt.date | None = None
        self.closed: dt.date | None = None
        self.outcome: str | None = None
        self.supplement_requested: dt.date | None = None
        self.supplement_received: dt.date | None = None
        self.extension_days = 0
        self.consultations: list[tuple[dt.date, dt.date | None]] = []
        self.fee_periods: list[tuple[dt.date, dt.date | None]] = []
        self.fee_amount: Decimal | None = None
        self.delay_until: dt.date | None = None
        for event in events:
            self.record(event)

    def __repr__(self) -> str:
        return f"Application({self.id!r}, state={self.state.value}, received={self.received})"

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    @property
    def last_event_on(self) -> dt.date | None:
        return self._events[-1].on if self._events else None

    @property
    def is_closed(self) -> bool:
        return self.state is State.CLOSED

    def open_at_end_of(self, day: dt.date) -> bool:
        """Received on or before ``day`` and not concluded by the end of it."""
        return (
            self.received is not None
            and self.received <= day
            and (self.closed is None or self.closed > day)
        )

    def allowed(self) -> tuple[EventKind, ...]:
        """The event kinds the transition table allows now."""
        return tuple(TRANSITIONS[self.state])

    def as_of(self, day: dt.date) -> Application:
        """The case as it stood at the end of ``day`` (events after it left out)."""
        return Application(
            self.id,
            channel=self.channel,
            applicant=self.applicant,
            content=self.content,
            applicant_name=self.applicant_name,
            events=[e for e in self._events if e.on <= day],
        )

    # --- the one way to change a case ---------------------------------------------------

    def record(self, event: Event) -> Application:
        """Append ``event`` if the transition table and the guards allow it; else raise
        :class:`RegisterError` and leave the case unchanged."""
        nxt = TRANSITIONS[self.state].get(event.kind)
        if nxt is None:
            allowed = "、".join(EVENT_LABELS[k] for k in TRANSITIONS[self.state]) or "无"
            raise RegisterError(
                f"申请 {self.id}：当前状态为「{STATE_LABELS[self.state]}」，不能记录"
                f"「{event.label}」（此时可记录：{allowed}）"
            )
        if self._events and event.on < self._events[-1].on:
            last = self._events[-1]
            raise RegisterError(
                f"申请 {self.id}：「{event.label}」的日期 {format_date(event.on)} 早于上一事件"
                f"「{last.label}」的日期 {format_date(last.on)}"
            )
        self._guard(event)
        self._apply(event)
        self.state = nxt
        self._events.append(event)
        return self

    def _fail(self, message: str) -> RegisterError:
        return RegisterError(f"申请 {self.id}：{message}")

    def _guard(self, e: Event) -> None:
        k = e.kind
        if k is EventKind.SUPPLEMENT_REQUESTED and self.supplement_requested is not None:
            # 第三十条: 一次性告知申请人作出补正 — one consolidated notice, never a second one.
            raise self._fail("已告知过补正；补正应一次性告知（《条例》第三十条）")
        if k is EventKind.EXTENSION_APPROVED:
            if e.days < 1:
                raise self._fail(f"延长的工作日数应为正整数，得到 {e.days}")
            total = self.extension_days + e.days
            if total > _dl.MAX_EXTENSION_WORKDAYS:
                raise self._fail(
                    f"延长答复期限合计 {total} 个工作日，超过最长20个工作日（{_dl.ART_33_2}）"
                )
            if not e.by.strip():
                raise self._fail(
                    f"延长答复期限须经政府信息公开工作机构负责人同意，请写明批准人（{_dl.ART_33_2}）"
                )
        if k is EventKind.DELAY_NOTIFIED and (e.until is None or e.until < e.on):
            raise self._fail(f"告知延迟答复时须写明不早于告知之日的答复期限（{_dl.ART_35}）")
        if k is EventKind.FEE_NOTIFIED and e.amount is not None and e.amount < 0:
            raise self._fail(f"收费金额不能为负数，得到 {e.amount}")
        if k is EventKind.ANSWERED:
            if e.outcome is None:
                raise self._fail("答复时须写明办理结果")
            outcome = _outcomes.BY_KEY.get(e.outcome)
            if outcome is None:
                raise self._fail(f"未知的办理结果「{e.outcome}」")
            if outcome.closes_by != "answer":
                raise self._fail(
                    f"「{outcome.label}」不是一种答复，应记录为「"
                    f"{EVENT_LABELS[EventKind(outcome.closes_by)]}」"
                )
            if e.outcome == "unclear_after_supplement" and self.supplement_received is None:
                raise self._fail(
                    "「补正后申请内容仍不明确」须先有收到补正的记录（《条例》第三十条）"
                )
        elif e.outcome is not None and e.outcome != _IMPLIED_OUTCOME.get(k):
            raise self._fail(f"「{e.label}」不带办理结果，得到「{e.outcome}」")

    def _apply(self, e: Event) -> None:
        k = e.kind
        if k is EventKind.RECEIVED:
            self.received = e.on
        elif k is EventKind.SUPPLEMENT_REQUESTED:
            self.supplement_requested = e.on
        elif k is EventKind.SUPPLEMENT_RECEIVED:
            self.supplement_received = e.on
        elif k is EventKind.EXTENSION_APPROVED:
            self.extension_days += e.days
        elif k is EventKind.CONSULTATION_STARTED:
            self.consultations.append((e.on, None))
        elif k is EventKind.CONSULTATION_ANSWERED:
            self.consultations[-1] = (self.consultations[-1][0], e.on)
        elif k is EventKind.DELAY_NOTIFIED:
            self.delay_until = e.until
        elif k is EventKind.FEE_NOTIFIED:
            self.fee_periods.append((e.on, None))
            self.fee_amount = e.amount
        elif k is EventKind.FEE_PAID:
            self.fee_periods[-1] = (self.fee_periods[-1][0], e.on)
        if TRANSITIONS[self.state][k] is State.CLOSED:
            self.closed = e.on
            self.outcome = e.outcome if k is EventKind.ANSWERED else _IMPLIED_OUTCOME[k]

    # --- convenience, one per event kind ------------------------------------------------

    def receive(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        """``on`` is the statutory date of receipt; see :func:`.deadlines.receipt_date`."""
        return self.record(Event(EventKind.RECEIVED, on, by=by, note=note))

    def request_supplement(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.SUPPLEMENT_REQUESTED, on, by=by, note=note))

    def receive_supplement(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.SUPPLEMENT_RECEIVED, on, by=by, note=note))

    def supplement_overdue(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.SUPPLEMENT_OVERDUE, on, by=by, note=note))

    def extend(self, on: dt.date, days: int, *, by: str, note: str = "") -> Application:
        return self.record(Event(EventKind.EXTENSION_APPROVED, on, by=by, note=note, days=days))

    def start_consultation(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.CONSULTATION_STARTED, on, by=by, note=note))

    def consultation_answered(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.CONSULTATION_ANSWERED, on, by=by, note=note))

    def notify_delay(
        self, on: dt.date, until: dt.date, *, by: str = "", note: str = ""
    ) -> Application:
        return self.record(Event(EventKind.DELAY_NOTIFIED, on, by=by, note=note, until=until))

    def notify_fee(
        self, on: dt.date, amount: Decimal | None = None, *, by: str = "", note: str = ""
    ) -> Application:
        """``amount`` in 元, e.g. ``fees.fee_by_count(…).total`` (:mod:`.fees`)."""
        return self.record(Event(EventKind.FEE_NOTIFIED, on, by=by, note=note, amount=amount))

    def fee_paid(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.FEE_PAID, on, by=by, note=note))

    def fee_not_paid(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.FEE_NOT_PAID, on, by=by, note=note))

    def answer(self, on: dt.date, outcome: str, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.ANSWERED, on, by=by, note=note, outcome=outcome))

    def withdraw(self, on: dt.date, *, by: str = "", note: str = "") -> Application:
        return self.record(Event(EventKind.WITHDRAWN, on, by=by, note=note))


# The deadline functions live in their own module; they are part of this module's API.
from .case_deadlines import (  # noqa: E402
    FEE_PAYMENT_WORKDAYS,
    answered_late,
    due_date,
    due_within,
    overdue,
    supplement_notice_due,
)

__all__ = [
    "EVENT_LABELS",
    "FEE_PAYMENT_WORKDAYS",
    "FEE_PERIOD_PAUSES_CLOCK",
    "STATE_LABELS",
    "TRANSITIONS",
    "ApplicantType",
    "Application",
    "Channel",
    "Event",
    "EventKind",
    "RegisterError",
    "State",
    "answered_late",
    "applicant_label",
    "due_date",
    "due_within",
    "overdue",
    "supplement_notice_due",
]
