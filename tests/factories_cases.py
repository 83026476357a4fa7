"""Applications and review cases built in code, for tests and the register benchmark.

``make_case`` builds one application from a few dates (the common shapes of a ledger row);
``random_history`` walks the transition table of :mod:`gongkai.register.cases` with any source
of choices — ``random.Random`` for the benchmark, hypothesis's ``data.draw`` in property tests
— so every history it makes is legal by construction; ``write_ledger`` writes a ledger sheet
the way an officer would fill the template (plain openpyxl, dates as date cells).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from gongkai.formats import outcomes
from gongkai.register.cases import (
    TRANSITIONS,
    ApplicantType,
    Application,
    Channel,
    Event,
    EventKind,
)
from gongkai.register.deadlines import MAX_EXTENSION_WORKDAYS
from gongkai.register.reviews import ReviewCase, ReviewKind, ReviewResult

T = TypeVar("T")
D = dt.date
ANSWER_OUTCOMES = tuple(o.key for o in outcomes.OUTCOMES if o.closes_by == "answer")


def make_case(
    id: str,
    received: D,
    *,
    applicant: ApplicantType | str = ApplicantType.NATURAL,
    channel: Channel | str = Channel.ONLINE,
    outcome: str | None = None,
    closed: D | None = None,
    supplement: tuple[D, D | None] | None = None,
    extension: tuple[D, int] | None = None,
    consultation: tuple[D, D | None] | None = None,
    delay: tuple[D, D] | None = None,
    fee: tuple[D, Decimal, D | None] | None = None,
) -> Application:
    """One application; ``outcome`` with ``closed`` concludes it (by the event the outcome
    needs: an answer, 逾期不补正, 逾期未缴费 or 撤回)."""
    case = Application(id, channel=channel, applicant=applicant)
    case.receive(received)
    if supplement:
        case.request_supplement(supplement[0])
        if supplement[1]:
            case.receive_supplement(supplement[1])
    if consultation:
        case.start_consultation(consultation[0])
        if consultation[1]:
            case.consultation_answered(consultation[1])
    if extension:
        case.extend(extension[0], extension[1], by="张主任")
    if delay:
        case.notify_delay(delay[0], delay[1])
    if fee:
        case.notify_fee(fee[0], fee[1])
        if fee[2]:
            case.fee_paid(fee[2])
    if outcome is not None:
        assert closed is not None, "an outcome needs its date"
        closes_by = outcomes.get(outcome).closes_by
        if closes_by == "answer":
            case.answer(closed, outcome)
        else:
            case.record(Event(EventKind(closes_by), closed))
    return case


Choose = Callable[[Sequence[T]], T]
Between = Callable[[int, int], int]


def random_history(
    id: str,
    received: D,
    choose: Choose[Any],
    between: Between,
    *,
    applicant: ApplicantType | None = None,
    stop_weight: int = 1,
    max_gap: int = 20,
) -> Application:
    """A legal history: from 收到申请, repeatedly pick an event the transition table allows
    (or stop, leaving the case open) until the case closes. Gaps between events are 0 to
    ``max_gap`` days, so cases cross year ends."""
    case = Application(
        id,
        channel=choose(list(Channel)),
        applicant=applicant or choose(list(ApplicantType)),
    )
    case.receive(received)
    day = received
    while not case.is_closed:
        options = [k for k in TRANSITIONS[case.state] if _possible(case, k)]
        kind = choose([*options, *([None] * stop_weight)])
        if kind is None:
            break
        day += dt.timedelta(days=between(0, max_gap))
        case.record(_event(case, kind, day, choose, between))
    return case


def _possible(case: Application, kind: EventKind) -> bool:
    if kind is EventKind.SUPPLEMENT_REQUESTED:
        return case.supplement_requested is None
    if kind is EventKind.EXTENSION_APPROVED:
        return case.extension_days < MAX_EXTENSION_WORKDAYS
    return True


def _event(
    case: Application, kind: EventKind, day: D, choose: Choose[Any], between: Between
) -> Event:
    if kind is EventKind.EXTENSION_APPROVED:
        days = between(1, MAX_EXTENSION_WORKDAYS - case.extension_days)
        return Event(kind, day, by="负责人", days=days)
    if kind is EventKind.DELAY_NOTIFIED:
        return Event(kind, day, until=day + dt.timedelta(days=between(30, 90)))
    if kind is EventKind.FEE_NOTIFIED:
        return Event(kind, day, amount=Decimal(between(0, 50) * 100))
    if kind is EventKind.ANSWERED:
        allowed = [
            o
            for o in ANSWER_OUTCOMES
            if o != "unclear_after_supplement" or case.supplement_received is not None
        ]
        return Event(kind, day, outcome=choose(allowed))
    return Event(kind, day)


def random_register(
    n: int, first: D, last: D, *, seed: int = 0, stop_weight: int = 1
) -> list[Application]:
    """``n`` applications received between ``first`` and ``last`` with random legal
    histories (``random.Random(seed)``)."""
    rng = random.Random(seed)
    span = (last - first).days
    return [
        random_history(
            f"{i:06d}",
            first + dt.timedelta(days=rng.randint(0, span)),
            rng.choice,
            rng.randint,
            stop_weight=stop_weight,
        )
        for i in range(n)
    ]


def typical_register(n: int, first: D, last: D, *, seed: int = 0) -> list[Application]:
    """``n`` applications shaped like a real office's year: most answered within the 20 days,
    one in ten extended, one in twenty sent out for consultation, a few asked to 补正."""
    rng = random.Random(seed)
    span = (last - first).days
    out = []
    for i in range(n):
        received = first + dt.timedelta(days=rng.randint(0, span))
        case = Application(
            f"{i:06d}", channel=rng.choice(list(Channel)), applicant=rng.choice(list(ApplicantType))
        )
        case.receive(received)
        day = received
        roll = rng.random()
        if roll < 0.05:
            day += dt.timedelta(days=rng.randint(1, 5))
            case.start_consultation(day)
            day += dt.timedelta(days=rng.randint(5, 20))
            case.consultation_answered(day)
        elif roll < 0.15:
            day += dt.timedelta(days=rng.randint(15, 25))
            case.extend(day, rng.choice((10, 15, 20)), by="负责人")
        elif roll < 0.2:
            day += dt.timedelta(days=rng.randint(1, 7))
            case.request_supplement(day)
            day += dt.timedelta(days=rng.randint(1, 10))
            case.receive_supplement(day)
        replies = [o for o in ANSWER_OUTCOMES if o != "unclear_after_supplement"]
        case.answer(day + dt.timedelta(days=rng.randint(0, 15)), rng.choice(replies))
        out.append(case)
    return out


def random_reviews(n: int, first: D, last: D, *, seed: int = 0) -> list[ReviewCase]:
    rng = random.Random(seed)
    span = (last - first).days
    out = []
    for i in range(n):
        filed = first + dt.timedelta(days=rng.randint(0, span))
        decided = None if rng.random() < 0.3 else filed + dt.timedelta(days=rng.randint(0, 200))
        out.append(
            ReviewCase(
                id=f"R{i:04d}",
                kind=rng.choice(list(ReviewKind)),
                filed=filed,
                decided=decided,
                result=rng.choice(list(ReviewResult)) if decided else None,
            )
        )
    return out


# --- ledgers written the way an officer fills the template ------------------------------


def write_ledger(
    path: Any,
    applications: Iterable[Mapping[str, Any]] = (),
    reviews: Iterable[Mapping[str, Any]] = (),
    *,
    template: bool = True,
) -> None:
    """Fill a ledger: start from the real template (``template=True``) or a bare workbook, and
    write each row given as ``{header: value}`` under the header of that name."""
    from openpyxl import Workbook, load_workbook

    from gongkai.register.ledger import (
        APPLICATION_COLUMNS,
        APPLICATIONS_SHEET,
        REVIEW_COLUMNS,
        REVIEWS_SHEET,
        write_template,
    )

    if template:
        write_template(str(path))
        book = load_workbook(path)
    else:
        book = Workbook()
        assert book.active is not None
        book.remove(book.active)
        for name, columns in (
            (APPLICATIONS_SHEET, APPLICATION_COLUMNS),
            (REVIEWS_SHEET, REVIEW_COLUMNS),
        ):
            book.create_sheet(name).append([c.header for c in columns])
    for name, rows in ((APPLICATIONS_SHEET, applications), (REVIEWS_SHEET, reviews)):
        sheet = book[name]
        headers = [str(c.value).rstrip("*") if c.value else "" for c in sheet[1]]
        for i, data in enumerate(rows, start=2):
            unknown = set(data) - set(headers)
            assert not unknown, f"no such columns: {unknown}"
            for header, value in data.items():
                sheet.cell(row=i, column=headers.index(header) + 1, value=value)
    book.save(path)


def ledger_row(case: Application) -> dict[str, Any]:
    """The ledger row an officer would write for ``case`` (one consultation, one fee notice)."""
    from gongkai.register.cases import applicant_label

    row: dict[str, Any] = {
        "编号": case.id,
        "收到申请日期": case.received,
        "提交方式": case.channel.value,
        "申请人类型": applicant_label(case.applicant),
    }
    for event in case.events:
        k = event.kind
        if k is EventKind.SUPPLEMENT_REQUESTED:
            row["告知补正日期"] = event.on
        elif k is EventKind.SUPPLEMENT_RECEIVED:
            row["收到补正日期"] = event.on
        elif k is EventKind.EXTENSION_APPROVED:
            row["延长批准日期"] = event.on
            row["延长工作日数"] = event.days
            row["延长批准人"] = event.by
        elif k is EventKind.CONSULTATION_STARTED:
            row["征求意见日期"] = event.on
        elif k is EventKind.CONSULTATION_ANSWERED:
            row["收到意见日期"] = event.on
        elif k is EventKind.DELAY_NOTIFIED:
            row["告知延迟答复日期"] = event.on
            row["延迟答复期限"] = event.until
        elif k is EventKind.FEE_NOTIFIED:
            row["收费通知日期"] = event.on
            row["收费金额（元）"] = float(event.amount) if event.amount is not None else None
        elif k is EventKind.FEE_PAID:
            row["缴费日期"] = event.on
    if case.closed is not None and case.outcome is not None:
        row["办结日期"] = case.closed
        row["办理结果"] = outcomes.get(case.outcome).label
    return row
