"""Where the report's tables come from — one module, three sources:

* :func:`register_cases` — table 三: the body's stored cases replayed through the register
  (:func:`gongkai.web.cases.register.application`), every case that can count in year Y:
  received on or before 31 December Y and not concluded before 1 January Y (the 上年结转 ones
  included). :func:`gongkai.register.annual.t3_counts` decides which row each one counts in.
* :func:`reviews` — table 四: the body's 行政复议/行政诉讼 cases as the library's
  :class:`~gongkai.register.reviews.ReviewCase` list, from the ``appeals`` app when it is
  installed; ``[]`` (a table 四 of zeros) until then.
* :func:`table_two` — table 二: the catalogue's computed （一） rows plus the entered counts,
  from the ``catalogue`` app when it is installed; None (table 二 absent: the page says it is
  not yet available, and the checker's completeness findings say so) until then.

The two optional apps are looked up by module name at call time, so nothing here changes
when they are merged.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db.models import Q

from gongkai.register.cases import Application
from gongkai.register.reviews import ReviewCase
from gongkai.report import Table

from ..cases.models import Case, CaseEvent
from ..cases.register import application
from ..orgs.models import Organisation

# (module, function) candidates for the optional sources, first found wins.
REVIEWS_SOURCES = (
    ("gongkai.web.appeals.service", "table4_input"),
    ("gongkai.web.appeals", "reviews"),
)
TABLE_TWO_SOURCES = (
    ("gongkai.web.catalogue.table_two", "table_two"),
    ("gongkai.web.catalogue", "table_two"),
    ("gongkai.web.catalogue.service", "table_two"),
    ("gongkai.web.catalogue.tables", "table_two"),
)


CASE_FIELDS = ("id", "number", "channel", "applicant_type", "description", "applicant_name")
EVENT_FIELDS = ("case_id", "kind", "on", "by", "note", "outcome", "days", "until", "amount")


def register_cases(org: Organisation, year: int) -> list[Application]:
    """The body's cases that can count in ``year``'s table 三, replayed through the register's
    bridge (:func:`gongkai.web.cases.register.application`). Two queries; the rows are read as
    plain values (model instances cost most of the time for a large register)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counted = Q(organisation=org, received__lte=end) & (
        Q(closed__isnull=True) | Q(closed__gte=start)
    )
    cases = [
        SimpleNamespace(**row)
        for row in Case.objects.filter(counted).order_by("received", "id").values(*CASE_FIELDS)
    ]
    events: dict[int, list[Any]] = {c.id: [] for c in cases}
    rows = CaseEvent.objects.filter(case__organisation=org, case__received__lte=end).filter(
        Q(case__closed__isnull=True) | Q(case__closed__gte=start)
    )
    for row in rows.order_by("case_id", "seq").values(*EVENT_FIELDS).iterator(chunk_size=5000):
        events[row["case_id"]].append(SimpleNamespace(**row))
    return [application(c, events[c.id]) for c in cases]  # type: ignore[arg-type]


def _optional(candidates: tuple[tuple[str, str], ...]) -> Callable[..., Any] | None:
    for module, name in candidates:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def reviews_available() -> bool:
    return _optional(REVIEWS_SOURCES) is not None


def table_two_available() -> bool:
    return _optional(TABLE_TWO_SOURCES) is not None


def reviews(org: Organisation, year: int) -> list[ReviewCase]:
    """The body's reconsideration and litigation cases (table 四 decides which count)."""
    source = _optional(REVIEWS_SOURCES)
    return list(source(org, year)) if source is not None else []


def table_two(org: Organisation, year: int) -> Table | None:
    """Table 二 of ``org`` for ``year`` (computed from the catalogue plus the entered counts),
    or None while the catalogue is not installed or has nothing for the year."""
    source = _optional(TABLE_TWO_SOURCES)
    if source is None:
        return None
    table = source(org, year)
    return table if isinstance(table, Table) else None
