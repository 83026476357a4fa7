"""The list filters shared by the pages and the API (one implementation of "overdue" and "due
within N working days", both on the stored due date and state, so an index answers them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from gongkai.errors import GongkaiError
from gongkai.register.cases import State
from gongkai.register.deadlines import add_workdays
from gongkai.workdays import default_calendar

from .models import Case

# Every state but 已办结, named (an IN list, not "state <> closed"), so that the index on
# (organisation, state, due) answers "overdue" and "due within" with a range per state.
OPEN_STATES = tuple(s.value for s in State if s is not State.CLOSED)


def open_cases(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.filter(state__in=OPEN_STATES)


def overdue(qs: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """Open cases whose reply deadline was before today."""
    return open_cases(qs).filter(due__lt=today)


def due_within(qs: QuerySet[Case], today: dt.date, workdays: int) -> QuerySet[Case]:
    """Open cases due from today to ``workdays`` working days after it (inclusive), counted
    on the 调休 calendar."""
    qs = open_cases(qs).filter(due__gte=today)
    try:
        limit = add_workdays(default_calendar(), today, workdays)
    except GongkaiError:
        # The calendar ends before the N-th working day: every day it covers after today is
        # within N working days, and a stored due date always lies in a covered year.
        return qs
    return qs.filter(due__lte=limit)


def apply(
    qs: QuerySet[Case], params: Mapping[str, str], today: dt.date, user: Any = None
) -> QuerySet[Case]:
    """Filters from query parameters: mine=1 (registered by ``user``), state, channel,
    applicant, outcome, year, overdue=1, due_within=N, q (search in the description). Unknown
    values are ignored."""
    if str(params.get("mine", "")).lower() in ("1", "true") and user is not None:
        qs = qs.filter(created_by=user)
    if params.get("state") in State._value2member_map_:
        qs = qs.filter(state=params["state"])
    for param, field in (
        ("channel", "channel"),
        ("applicant", "applicant_type"),
        ("outcome", "outcome"),
    ):
        if params.get(param):
            qs = qs.filter(**{field: params[param]})
    if str(params.get("year", "")).isdigit():
        qs = qs.filter(year=int(params["year"]))
    if str(params.get("overdue", "")).lower() in ("1", "true"):
        qs = overdue(qs, today)
    within = str(params.get("due_within", ""))
    if within.isdigit() and 0 < int(within) <= 100:
        qs = due_within(qs, today, int(within))
    if str(params.get("q", "")).strip():
        qs = qs.filter(description__icontains=params["q"].strip())
    return qs
