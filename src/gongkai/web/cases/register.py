"""The bridge to :mod:`gongkai.register`: rows → :class:`Application`, and the one way to
record an event (checked by the register's transition table, stored with the recomputed state
and due date in one transaction, refused on a stale version)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from gongkai.errors import GongkaiError
from gongkai.register.cases import Application, Event, EventKind, RegisterError, due_date
from gongkai.register.deadlines import Deadline, WorkdayCalendar

from .. import database
from ..orgs.models import Organisation
from ..reports.locks import refuse_if_locked
from .models import Case, CaseEvent


class StaleVersion(Exception):
    """The case changed since the form or API call read it."""

    def __init__(self, current: int, given: int) -> None:
        super().__init__(
            f"该申请已被他人修改（当前版本 {current}，提交的版本 {given}），"
            "未保存任何改动；请刷新后重新操作"
        )
        self.message = str(self)
        self.current = current


def event_of(row: CaseEvent) -> Event:
    return Event(
        EventKind(row.kind),
        row.on,
        by=row.by,
        note=row.note,
        outcome=row.outcome,
        days=row.days,
        until=row.until,
        amount=row.amount,
    )


def application(case: Case, rows: Iterable[CaseEvent] | None = None) -> Application:
    """The register's view of a stored case (its events replayed)."""
    events = case.events.order_by("seq") if rows is None else rows
    return Application(
        case.number,
        channel=case.channel,
        applicant=case.applicant_type,
        content=case.description,
        applicant_name=case.applicant_name,
        events=[event_of(r) for r in events],
    )


def deadline(app: Application, calendar: WorkdayCalendar | None = None) -> Deadline | None:
    """The case's deadline, or None when no clock runs — or when the calendar cannot answer
    honestly (a year with no holiday notice on file): then the page says so, never guesses."""
    try:
        return due_date(app, calendar=calendar)
    except GongkaiError:
        return None


def derived(app: Application, calendar: WorkdayCalendar | None = None) -> dict[str, Any]:
    """The stored fields the register derives from a history."""
    d = deadline(app, calendar)
    return {
        "state": app.state.value,
        "due": d.due if d else None,
        "closed": app.closed,
        "outcome": app.outcome,
    }


def event_fields(event: Event) -> dict[str, Any]:
    """The stored fields of one register event (the row less its case, seq and recorder)."""
    return {
        "kind": event.kind.value,
        "on": event.on,
        "by": event.by,
        "note": event.note,
        "outcome": event.outcome,
        "days": event.days,
        "until": event.until,
        "amount": event.amount,
    }


def event_row(case: Case, seq: int, event: Event, user: Any) -> CaseEvent:
    """The stored row of one register event."""
    return CaseEvent(case=case, seq=seq, recorded_by=user, **event_fields(event))


def next_number(org: Organisation, year: int) -> tuple[int, str]:
    """The next 登记号 of ``org`` in ``year`` (call inside the creating transaction)."""
    seq = (Case.objects.filter(organisation=org, year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
    return seq, format_number(year, seq)


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:05d}"


@dataclass(frozen=True)
class Intake:
    channel: str
    applicant_type: str
    received: dt.date
    description: str
    applicant_name: str = ""
    applicant_contact: str = ""
    applicant_id_number: str = ""
    requested_form: str = "paper"
    note: str = ""


def create_case(org: Organisation, intake: Intake, user: Any) -> Case:
    """Register a new application: the case row and its 收到申请 event, one transaction.
    Raises :class:`RegisterError` for a channel or applicant type the register does not know,
    or for a date of receipt in a year whose annual report is submitted (``YearLocked``)."""
    with transaction.atomic():
        # The body's row is the lock that serialises numbering: on PostgreSQL two intakes at
        # once would otherwise both read the same MAX(seq) and the second would fail on the
        # unique number (SQLite's BEGIN IMMEDIATE already serialises writers; there this is
        # a no-op).
        list(Organisation.objects.select_for_update().filter(pk=org.pk).values_list("pk"))
        refuse_if_locked(org, intake.received, "申请登记")
        seq, number = next_number(org, intake.received.year)
        app = Application(number, channel=intake.channel, applicant=intake.applicant_type)
        first = Event(EventKind.RECEIVED, intake.received, by=_name(user), note=intake.note)
        app.record(first)
        case = Case.objects.create(
            organisation=org,
            year=intake.received.year,
            seq=seq,
            number=number,
            channel=app.channel.value,
            applicant_type=app.applicant.value,
            applicant_name=intake.applicant_name,
            applicant_contact=intake.applicant_contact,
            applicant_id_number=intake.applicant_id_number,
            description=intake.description,
            requested_form=intake.requested_form,
            received=intake.received,
            version=1,
            created_by=user,
            **derived(app),
        )
        event_row(case, 1, first, user).save()
    transaction.on_commit(lambda: database.analyze_if_grown(case.pk))
    return case


def record(case_id: int, version: int, event: Event, user: Any) -> Case:
    """Append ``event`` to the case if its ``version`` is current and the register allows it.

    Raises :class:`StaleVersion` (nothing written) or :class:`RegisterError` (the register's
    Chinese reason, or ``YearLocked`` for a date in a year whose annual report is submitted;
    nothing written)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.version != version:
            raise StaleVersion(case.version, version)
        refuse_if_locked(case.organisation_id, event.on, "办理事件")
        rows = list(case.events.order_by("seq"))
        app = application(case, rows)
        # 经办人 defaults to whoever records the event — except the approving head of an
        # extension (第三十三条第二款), whom the register insists be named.
        if not event.by.strip() and event.kind is not EventKind.EXTENSION_APPROVED:
            event = dataclasses.replace(event, by=_name(user))
        app.record(event)
        event_row(case, len(rows) + 1, event, user).save()
        for field, value in derived(app).items():
            setattr(case, field, value)
        case.version += 1
        case.save(update_fields=["state", "due", "closed", "outcome", "version"])
    return case


@dataclass(frozen=True)
class Imported:
    """One application of an import: its intake, its whole history (starting with 收到申请 on
    ``intake.received``) and the 年度序号 to keep, or None for the next number."""

    intake: Intake
    events: Sequence[Event]
    seq: int | None = None
    label: str = ""  # how the source names it (a ledger 编号), for the register's messages


def import_cases(org: Organisation, items: Sequence[Imported], user: Any) -> list[Case]:
    """Register applications with their whole histories (a ledger import): every event of
    every history passes the register's transition table (:meth:`Application.record`) before
    anything is saved; then the cases and their events are inserted in bulk, in one
    transaction. A kept ``seq`` must be free (the caller checks). Raises
    :class:`RegisterError` (nothing written)."""
    who = _name(user)
    checked: list[tuple[Imported, Application, list[Event]]] = []
    for item in items:
        intake, events = item.intake, item.events
        if (
            not events
            or events[0].kind is not EventKind.RECEIVED
            or events[0].on != intake.received
        ):
            raise RegisterError("导入的申请须以「收到申请」开始，日期为收到申请之日")
        label = item.label or (format_number(intake.received.year, item.seq) if item.seq else "")
        app = Application(label, channel=intake.channel, applicant=intake.applicant_type)
        recorded = []
        for event in events:
            if not event.by.strip() and event.kind is not EventKind.EXTENSION_APPROVED:
                event = dataclasses.replace(event, by=who)
            app.record(event)
            recorded.append(event)
        checked.append((item, app, recorded))
    with transaction.atomic():
        # New numbers follow every number of the year: in the register, or kept by this import.
        top: dict[int, int] = {}
        for item, _, _ in checked:
            year = item.intake.received.year
            if year not in top:
                top[year] = next_number(org, year)[0] - 1
            if item.seq is not None:
                top[year] = max(top[year], item.seq)
        cases = []
        for item, app, recorded in checked:
            year = item.intake.received.year
            seq = item.seq
            if seq is None:
                top[year] += 1
                seq = top[year]
            intake = item.intake
            cases.append(
                Case(
                    organisation=org,
                    year=year,
                    seq=seq,
                    number=format_number(year, seq),
                    channel=app.channel.value,
                    applicant_type=app.applicant.value,
                    applicant_name=intake.applicant_name,
                    applicant_contact=intake.applicant_contact,
                    applicant_id_number=intake.applicant_id_number,
                    description=intake.description,
                    requested_form=intake.requested_form,
                    received=intake.received,
                    version=len(recorded),
                    created_by=user,
                    **derived(app),
                )
            )
        Case.objects.bulk_create(cases, batch_size=500)  # sets the ids (RETURNING)
        CaseEvent.objects.bulk_create(
            (
                event_row(case, i, e, user)
                for case, (_, _, recorded) in zip(cases, checked, strict=True)
                for i, e in enumerate(recorded, start=1)
            ),
            batch_size=1000,
        )
    return cases


def import_case(
    org: Organisation,
    intake: Intake,
    events: Sequence[Event],
    user: Any,
    *,
    seq: int | None = None,
) -> Case:
    """One application with its whole history (see :func:`import_cases`)."""
    return import_cases(org, [Imported(intake, events, seq)], user)[0]


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def parse_amount(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


__all__ = [
    "Imported",
    "Intake",
    "RegisterError",
    "StaleVersion",
    "application",
    "create_case",
    "import_case",
    "import_cases",
    "record",
]
