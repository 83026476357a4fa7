"""Applications, the transition table, and deadlines computed from a case's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongkai import formats
from gongkai.errors import GongkaiError
from gongkai.register import deadlines
from gongkai.register.cases import (
    EVENT_LABELS,
    STATE_LABELS,
    TRANSITIONS,
    ApplicantType,
    Application,
    Event,
    EventKind,
    RegisterError,
    State,
    answered_late,
    applicant_label,
    due_date,
    due_within,
    overdue,
    supplement_notice_due,
)
from tests.factories_cases import make_case

D = dt.date


class Weekdays:
    """A fake calendar: Monday to Friday are working days, nothing else."""

    def is_workday(self, d: dt.date) -> bool:
        return d.weekday() < 5


CAL = Weekdays()
MON = D(2024, 3, 4)  # a Monday; 20 working days later is Monday 2024-04-01


def new(id: str = "A1") -> Application:
    return Application(id, channel="网络", applicant="natural").receive(MON)


# --- the transition table -----------------------------------------------------------------


def test_the_table_covers_every_state_and_event() -> None:
    assert set(TRANSITIONS) == set(State)
    assert TRANSITIONS[State.CLOSED] == {}
    used = {k for moves in TRANSITIONS.values() for k in moves}
    assert used == set(EventKind)
    targets = {s for moves in TRANSITIONS.values() for s in moves.values()}
    assert targets | {State.NEW} == set(State)  # every state is reachable
    assert set(STATE_LABELS) == set(State) and set(EVENT_LABELS) == set(EventKind)
    for state, moves in TRANSITIONS.items():
        if state not in {State.NEW, State.CLOSED}:
            assert moves[EventKind.WITHDRAWN] is State.CLOSED  # withdrawal is always possible


def test_applicant_types_are_table_3_columns() -> None:
    columns = [c.key for c in formats.V2021.table("t3").columns if c.key != "total"]
    assert [a.value for a in ApplicantType] == columns
    assert applicant_label("natural") == "自然人"
    assert applicant_label("other") == "其他（法人或其他组织）"


def test_an_illegal_event_raises_in_chinese_and_changes_nothing() -> None:
    case = new()
    with pytest.raises(RegisterError, match="当前状态为「办理中」，不能记录「收到补正」") as info:
        case.receive_supplement(MON)
    assert isinstance(info.value, GongkaiError)
    assert case.state is State.PROCESSING and len(case.events) == 1
    case.answer(MON, "disclosed")
    with pytest.raises(RegisterError, match="此时可记录：无"):
        case.withdraw(MON)
    with pytest.raises(RegisterError, match="不能记录「答复」"):
        Application("X").answer(MON, "disclosed")


def test_events_must_be_in_date_order() -> None:
    case = new()
    with pytest.raises(RegisterError, match="早于上一事件「收到申请」"):
        case.answer(MON - dt.timedelta(days=1), "disclosed")
    case.answer(MON, "disclosed")  # the same day is fine (当场答复, 第三十三条第一款)
    assert case.closed == MON


def test_one_supplement_notice_only() -> None:
    case = new().request_supplement(MON).receive_supplement(MON + dt.timedelta(days=2))
    with pytest.raises(RegisterError, match="一次性告知"):
        case.request_supplement(MON + dt.timedelta(days=3))


def test_extensions_add_up_to_at_most_20_working_days_and_need_an_approver() -> None:
    case = new().extend(MON, 15, by="李主任")
    with pytest.raises(RegisterError, match="合计 21 个工作日，超过最长20个工作日"):
        case.extend(MON, 6, by="李主任")
    case.extend(MON, 5, by="李主任")
    assert case.extension_days == 20
    with pytest.raises(RegisterError, match="请写明批准人"):
        new().extend(MON, 5, by=" ")
    with pytest.raises(RegisterError, match="正整数"):
        new().extend(MON, 0, by="李主任")


def test_outcomes_fit_their_closing_event() -> None:
    with pytest.raises(RegisterError, match="须写明办理结果"):
        new().record(Event(EventKind.ANSWERED, MON))
    with pytest.raises(RegisterError, match="未知的办理结果"):
        new().answer(MON, "lost")
    with pytest.raises(RegisterError, match="不是一种答复，应记录为「申请人撤回申请」"):
        new().answer(MON, "withdrawn")
    with pytest.raises(RegisterError, match="须先有收到补正的记录"):
        new().answer(MON, "unclear_after_supplement")
    with pytest.raises(RegisterError, match="不带办理结果"):
        new().record(Event(EventKind.WITHDRAWN, MON, outcome="disclosed"))
    assert new().withdraw(MON).outcome == "withdrawn"
    assert new().request_supplement(MON).supplement_overdue(MON).outcome == "no_supplement"
    assert new().notify_fee(MON, Decimal(100)).fee_not_paid(MON).outcome == "fee_unpaid"


def test_unknown_channel_or_applicant() -> None:
    with pytest.raises(RegisterError, match="未知的提交方式「飞鸽」"):
        Application("A", channel="飞鸽")
    with pytest.raises(RegisterError, match="未知的申请人类型"):
        Application("A", applicant="alien")


def test_open_at_end_of_and_as_of() -> None:
    case = new().answer(D(2024, 3, 20), "disclosed")
    assert case.open_at_end_of(MON) and case.open_at_end_of(D(2024, 3, 19))
    assert not case.open_at_end_of(D(2024, 3, 20))
    assert not case.open_at_end_of(MON - dt.timedelta(days=1))
    earlier = case.as_of(D(2024, 3, 10))
    assert earlier.state is State.PROCESSING and earlier.closed is None


# --- deadlines: each branch of due_date(case) ----------------------------------------------


def due(case: Application) -> D:
    deadline = due_date(case, calendar=CAL)
    assert deadline is not None
    return deadline.due


def test_plain_20_working_days() -> None:
    deadline = due_date(new(), calendar=CAL)
    assert deadline is not None and deadline.due == D(2024, 4, 1)
    assert deadline.articles == [deadlines.ART_33_2]
    assert due_date(Application("X"), calendar=CAL) is None


def test_supplement_restarts_the_clock() -> None:
    case = new().request_supplement(D(2024, 3, 6))
    assert due_date(case, calendar=CAL) is None  # 第三十条: nothing runs until the 补正 arrives
    case.receive_supplement(D(2024, 3, 11))
    deadline = due_date(case, calendar=CAL)
    assert deadline is not None and deadline.due == D(2024, 4, 8)
    assert deadline.articles[0] == deadlines.ART_30
    assert supplement_notice_due(case, calendar=CAL) == D(2024, 3, 13)


def test_extension_adds_working_days() -> None:
    assert due(new().extend(D(2024, 3, 20), 10, by="李主任")) == D(2024, 4, 15)


def test_consultation_time_is_not_counted_and_is_capped_at_15_working_days() -> None:
    answered = new().start_consultation(D(2024, 3, 11)).consultation_answered(D(2024, 3, 15))
    assert due(answered) == D(2024, 4, 5)  # 4 working days (12–15 March) not counted
    pending = new().start_consultation(D(2024, 3, 11))
    assert due(pending) == D(2024, 4, 22)  # open: paused for at most 15 working days
    late = new().start_consultation(D(2024, 3, 11)).consultation_answered(D(2024, 5, 1))
    assert due(late) == D(2024, 4, 22)  # a late answer does not stretch the pause
    deadline = due_date(answered, calendar=CAL)
    assert deadline is not None and deadlines.ART_33_3 in deadline.articles


def test_fee_period_is_not_counted() -> None:
    case = new().notify_fee(D(2024, 3, 11), Decimal(500)).fee_paid(D(2024, 3, 15))
    deadline = due_date(case, calendar=CAL)
    assert deadline is not None and deadline.due == D(2024, 4, 5)
    assert deadlines.ART_33_3 not in deadline.articles
    assert any("109号" in a for a in deadline.articles)


def test_delay_notice_replaces_the_date() -> None:
    deadline = due_date(new().notify_delay(D(2024, 3, 20), D(2024, 5, 10)), calendar=CAL)
    assert deadline is not None and deadline.due == D(2024, 5, 10)
    assert deadline.articles[-1] == deadlines.ART_35
    with pytest.raises(deadlines.DeadlineError, match="不构成延迟答复"):
        due_date(new().notify_delay(D(2024, 3, 20), D(2024, 3, 25)), calendar=CAL)
    with pytest.raises(RegisterError, match="第三十五条"):
        new().notify_delay(D(2024, 3, 20), D(2024, 3, 19))


def test_real_calendar_across_national_day() -> None:
    case = Application("N").receive(D(2024, 9, 30))
    deadline = due_date(case)
    assert deadline is not None and deadline.due == D(2024, 11, 1)


# --- queries ------------------------------------------------------------------------------


def test_overdue_and_due_within() -> None:
    on_time = make_case("ok", MON, outcome="disclosed", closed=D(2024, 3, 20))
    late_open = make_case("late", MON)  # due 2024-04-01
    extended = make_case("ext", MON, extension=(D(2024, 3, 25), 20))  # due 2024-04-29
    soon = make_case("soon", D(2024, 3, 18))  # due 2024-04-15
    later_closed = make_case("closed-later", MON, outcome="disclosed", closed=D(2024, 4, 5))
    cases = [on_time, late_open, extended, soon, later_closed]
    found = overdue(cases, D(2024, 4, 3), calendar=CAL)
    assert [(c.id, d.due) for c, d in found] == [
        ("closed-later", D(2024, 4, 1)),  # still open on 3 April: history after it is ignored
        ("late", D(2024, 4, 1)),
    ]
    within = due_within(cases, D(2024, 4, 3), 10, calendar=CAL)
    assert [c.id for c, _ in within] == ["soon"]
    within = due_within(cases, D(2024, 4, 3), 20, calendar=CAL)
    assert [c.id for c, _ in within] == ["soon", "ext"]
    assert answered_late(later_closed, calendar=CAL)
    assert not answered_late(on_time, calendar=CAL)
    assert not answered_late(late_open, calendar=CAL)
