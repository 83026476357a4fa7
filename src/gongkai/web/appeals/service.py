"""The one way to create and change an appeal, and the bridge to :mod:`gongkai.register.reviews`.

Every row is checked by building the library's :class:`ReviewCase` from it (the kinds, the
results, "审结日期和审结结果须同时填写", "审结日期不早于收案日期"), saved with an
:class:`~.models.AppealEvent` in one transaction, and refused on a stale ``version``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.register.cases import Application, RegisterError
from gongkai.register.ledger_read import EARLIEST_DATE, LATEST_DATE
from gongkai.register.reviews import PENDING, ReviewCase, result_label, t4_counts
from gongkai.workdays.datafile import format_date

from ..cases import register
from ..cases.models import Case, CaseEvent
from ..orgs.models import Organisation
from .models import Appeal, AppealEvent

EDITABLE = (
    "number",
    "kind",
    "case",
    "application_number",
    "filed",
    "authority",
    "result",
    "concluded",
    "note",
)
LABELS = {f: str(Appeal._meta.get_field(f).verbose_name) for f in EDITABLE}


class StaleVersion(Exception):
    """The appeal changed since the form or API call read it."""

    def __init__(self, current: int, given: int) -> None:
        super().__init__(
            f"该复议诉讼案件已被他人修改（当前版本 {current}，提交的版本 {given}），"
            "未保存任何改动；请刷新后重新操作"
        )
        self.message = str(self)
        self.current = current


class AppealError(Exception):
    """A value the library refuses, or a duplicate 编号; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class AppealData:
    number: str
    kind: str
    filed: dt.date
    result: str = PENDING
    concluded: dt.date | None = None
    authority: str = ""
    note: str = ""
    case: Case | None = None
    application_number: str = ""


def review_of(a: Appeal | AppealData) -> ReviewCase:
    """The library's view of a stored (or about to be stored) appeal. Raises
    :class:`~gongkai.register.cases.RegisterError` for what the library refuses."""
    case = a.case
    return ReviewCase(
        id=a.number,
        kind=a.kind,  # type: ignore[arg-type]  # ReviewCase checks and converts it
        filed=a.filed,
        decided=a.concluded,
        result=None if a.result == PENDING else a.result,  # type: ignore[arg-type]
        application_id=(case.number if case is not None else a.application_number) or None,
        note=a.note,
    )


def date_problem(data: AppealData) -> AppealError | None:
    """A date outside the life of the 条例 (the ledger's own bounds, :mod:`gongkai.register.
    ledger_read`) or after today: a typing slip, never a real case."""
    today = timezone.localdate()
    for field in ("filed", "concluded"):
        value = getattr(data, field)
        if value is None:
            continue
        label = LABELS[field]
        if value < EARLIEST_DATE:
            return AppealError(
                f"{label} {format_date(value)} 早于《政府信息公开条例》施行之日"
                f"（{format_date(EARLIEST_DATE)}），请检查年份",
                field,
            )
        if value > min(today, LATEST_DATE):
            return AppealError(f"{label} {format_date(value)} 晚于今天，请检查日期", field)
    return None


def check(org: Organisation, data: AppealData, *, exclude: int | None = None) -> None:
    """Raise :class:`AppealError` (Chinese, with the field) for data that cannot be saved."""
    if not data.number.strip():
        raise AppealError("请填写编号", "number")
    problem = date_problem(data)
    if problem is not None:
        raise problem
    if data.case is not None and data.case.organisation_id != org.pk:
        raise AppealError("关联的申请不属于本机关", "case")
    try:
        review_of(data)  # the library's rules, and its Chinese reasons
    except RegisterError as e:
        message = e.message.removeprefix(f"案件 {data.number}：")
        if "同时" in message:
            message += f"（未审结的案件请选择「{result_label(PENDING)}」，不填审结日期）"
        field = "kind" if "类型" in message else "concluded"
        raise AppealError(message, field) from None
    taken = Appeal.objects.filter(organisation=org, number=data.number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise AppealError(f"编号「{data.number}」在本机关已被使用", "number")


def _refuse_if_locked(org: Organisation, old: ReviewCase | None, new: ReviewCase) -> None:
    """A submitted report's table 四 must not change under it (reports.locks): compare this
    case's contribution to each locked year's counts before and after."""
    from ..reports.locks import YearLocked, refuse_if_tables_change

    try:
        refuse_if_tables_change(
            org,
            "复议诉讼案件的改动",
            lambda y: t4_counts([old] if old else [], y),
            lambda y: t4_counts([new], y),
        )
    except YearLocked as e:
        raise AppealError(e.message) from None


def _value(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Case):
        return v.number
    return v


def create(
    org: Organisation,
    data: AppealData,
    user: Any,
    *,
    kind: str = AppealEvent.Kind.FILED,
    note: str = "",
) -> Appeal:
    """Save a new appeal and its first event (on the filing date), one transaction."""
    check(org, data)
    with transaction.atomic():
        _refuse_if_locked(org, None, review_of(data))
        appeal = Appeal.objects.create(
            organisation=org,
            number=data.number.strip(),
            kind=data.kind,
            case=data.case,
            application_number="" if data.case else data.application_number,
            filed=data.filed,
            authority=data.authority,
            result=data.result,
            concluded=data.concluded,
            note=data.note,
            version=1,
            created_by=user,
        )
        changes = {f: [None, _value(getattr(data, f))] for f in EDITABLE if getattr(data, f)}
        AppealEvent.objects.create(
            appeal=appeal,
            seq=1,
            kind=kind,
            on=data.filed,
            recorded_by=user,
            changes=changes,
            note=note,
        )
    return appeal


def update(appeal_id: int, version: int, values: Mapping[str, Any], user: Any) -> Appeal:
    """Change the given fields if ``version`` is current and the library accepts the result;
    write one event with every field changed (old → new). Raises :class:`StaleVersion` or
    :class:`AppealError`; nothing is written then."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise AppealError(f"不能修改：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        # of=self: PostgreSQL cannot lock the nullable side of the outer join to the case.
        appeal = (
            Appeal.objects.select_for_update(of=("self",)).select_related("case").get(pk=appeal_id)
        )
        if appeal.version != version:
            raise StaleVersion(appeal.version, version)
        merged = {f: getattr(appeal, f) for f in EDITABLE} | dict(values)
        if merged["case"] is not None:
            merged["application_number"] = ""
        data = AppealData(**merged)
        check(appeal.organisation, data, exclude=appeal.pk)
        _refuse_if_locked(appeal.organisation, review_of(appeal), review_of(data))
        changes = {
            f: [_value(getattr(appeal, f)), _value(merged[f])]
            for f in EDITABLE
            if getattr(appeal, f) != merged[f]
        }
        if not changes:
            return appeal
        was_open = appeal.result == PENDING
        for f in EDITABLE:
            setattr(appeal, f, merged[f])
        if was_open and data.result != PENDING:
            kind, on = AppealEvent.Kind.CONCLUDED, data.concluded
        elif not was_open and data.result == PENDING:
            kind, on = AppealEvent.Kind.REOPENED, timezone.localdate()
        else:
            kind, on = AppealEvent.Kind.CHANGED, timezone.localdate()
        appeal.version += 1
        appeal.save()
        AppealEvent.objects.create(
            appeal=appeal,
            seq=appeal.events.count() + 1,
            kind=kind,
            on=on,
            recorded_by=user,
            changes=changes,
        )
    return appeal


# --- the annual report's input --------------------------------------------------------------


def table4_input(org: Organisation, year: int) -> list[ReviewCase]:
    """The reviews of ``org`` for table 四 of ``year``, as the library's objects: pass them to
    :func:`gongkai.register.annual.build_report` (or :func:`~gongkai.register.reviews.t4_counts`),
    which decides which of them count in ``year`` and under which column. Only cases filed
    after the year are left out here (they can never count in it)."""
    rows = Appeal.objects.filter(organisation=org, filed__lte=dt.date(year, 12, 31))
    return [review_of(a) for a in rows.select_related("case").order_by("filed", "id")]


def table3_input(org: Organisation, year: int) -> list[Application]:
    """The applications of ``org`` for table 三 of ``year`` (their histories replayed through
    the register); cases received after the year are left out (they can never count in it)."""
    end = dt.date(year, 12, 31)
    cases = list(Case.objects.filter(organisation=org, received__lte=end).order_by("id"))
    events: dict[int, list[CaseEvent]] = {c.pk: [] for c in cases}
    rows = CaseEvent.objects.filter(case__organisation=org, case__received__lte=end)
    for e in rows.order_by("case_id", "seq"):
        events[e.case_id].append(e)
    return [register.application(c, events[c.pk]) for c in cases]


def report_input(org: Organisation, year: int) -> tuple[list[Application], list[ReviewCase]]:
    """``build_report(*report_input(org, year), year, org.name)`` is the body's annual report
    with tables 三 and 四 from the register."""
    return table3_input(org, year), table4_input(org, year)
