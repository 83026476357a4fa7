"""Cases stored through the register: state, due date and version recomputed with every event,
in one transaction; illegal or stale events write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.register.cases import Event, EventKind, RegisterError, State
from gongkai.register.deadlines import due_date as statutory_due
from gongkai.web.cases import register
from gongkai.web.cases.masking import mask_id
from gongkai.web.cases.models import Case, CaseEvent

from .conftest import RECEIVED


def test_intake_numbers_per_org_and_year_and_computes_due(case_a: Case, orgs: Any) -> None:
    assert case_a.number == "2025-00001"
    assert case_a.state == State.PROCESSING.value
    assert case_a.version == 1
    assert case_a.due == statutory_due(RECEIVED).due  # the register's arithmetic, not ours
    second = register.create_case(
        orgs.agency_a,
        register.Intake("邮寄", "commercial", dt.date(2025, 4, 1), "x"),
        None,
    )
    other_org = register.create_case(
        orgs.agency_b,
        register.Intake("邮寄", "commercial", dt.date(2025, 4, 1), "x"),
        None,
    )
    assert (second.number, other_org.number) == ("2025-00002", "2025-00001")


def test_events_recompute_state_due_and_version(case_a: Case) -> None:
    before = case_a.due
    case = register.record(
        case_a.pk,
        1,
        Event(EventKind.EXTENSION_APPROVED, RECEIVED + dt.timedelta(days=10), by="张主任", days=20),
        None,
    )
    assert case.version == 2 and case.state == State.PROCESSING.value
    assert case.due is not None and before is not None and case.due > before
    case = register.record(
        case.pk, 2, Event(EventKind.SUPPLEMENT_REQUESTED, RECEIVED + dt.timedelta(days=11)), None
    )
    assert case.state == State.AWAITING_SUPPLEMENT.value
    assert case.due is None  # 第三十条: no clock until the 补正 arrives
    stored = Case.objects.get(pk=case.pk)
    assert (stored.state, stored.version) == (State.AWAITING_SUPPLEMENT.value, 3)
    assert list(stored.events.values_list("kind", flat=True)) == [
        "received",
        "extension_approved",
        "supplement_requested",
    ]


def test_answer_closes_with_outcome(case_a: Case) -> None:
    case = register.record(
        case_a.pk,
        1,
        Event(EventKind.ANSWERED, RECEIVED + dt.timedelta(days=5), outcome="partial"),
        None,
    )
    assert (case.state, case.outcome, case.closed) == (
        State.CLOSED.value,
        "partial",
        RECEIVED + dt.timedelta(days=5),
    )


def test_illegal_transition_writes_nothing(case_a: Case) -> None:
    with pytest.raises(RegisterError, match="不能记录"):
        register.record(case_a.pk, 1, Event(EventKind.FEE_PAID, RECEIVED), None)
    stored = Case.objects.get(pk=case_a.pk)
    assert stored.version == 1 and CaseEvent.objects.filter(case=stored).count() == 1


def test_stale_version_refused_nothing_written(case_a: Case) -> None:
    register.record(case_a.pk, 1, Event(EventKind.CONSULTATION_STARTED, RECEIVED), None)
    with pytest.raises(register.StaleVersion, match="已被他人修改"):
        register.record(case_a.pk, 1, Event(EventKind.WITHDRAWN, RECEIVED), None)
    stored = Case.objects.get(pk=case_a.pk)
    assert (stored.version, stored.state) == (2, State.CONSULTING.value)
    assert stored.events.count() == 2


def test_stored_history_replays_to_the_stored_state(case_a: Case) -> None:
    register.record(case_a.pk, 1, Event(EventKind.FEE_NOTIFIED, RECEIVED, amount=100), None)
    case = Case.objects.get(pk=case_a.pk)
    app = register.application(case)
    assert app.state.value == case.state == State.AWAITING_FEE.value
    assert app.fee_amount == 100


def test_mask_id() -> None:
    assert mask_id("330102199001011234") == "3301**********1234"
    assert mask_id("") == ""
    assert "1990" not in mask_id("330102199001011234")
