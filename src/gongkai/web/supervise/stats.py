"""The supervisor's roll-up, computed from the database with the batch roll-up's own
accumulator (:class:`gongkai.batch.stats.Accumulator`): the same groups, totals, finding
counts, shares and row/column layout as ``gongkai stats`` on a dataset of the same reports —
four GROUP BY queries, no second formula.

Timeliness (答复时效) comes from the register of the bodies that keep it in gongkai.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FloatField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ...batch.stats import ALL, TABLE_KEYS, Accumulator, Rollup, group_label
from ..orgs.models import Kind, Level, Organisation
from .models import IngestedCell, IngestedFinding, IngestedReport

GROUPINGS = ("year", "region", "level", "kind", "format")
UNKNOWN_REGION = "未知地区"  # as RegionMap().unknown
UNKNOWN_LEVEL = "未知层级"
UNKNOWN_KIND = "未知类别"
# The report's field each grouping reads (through the matched body for region, level, kind).
_FIELD = {
    "year": "year",
    "format": "format",
    "region": "organisation__region_code",
    "level": "organisation__level",
    "kind": "organisation__kind",
}


def _labeller(by: str) -> Any:
    if by in ("year", "format"):
        return lambda v: group_label(by, (None, None, None, v, v), None)  # type: ignore[arg-type]
    if by == "level":
        names = dict(Level.choices)
        return lambda v: names.get(v, UNKNOWN_LEVEL) if v else UNKNOWN_LEVEL
    if by == "kind":
        names = dict(Kind.choices)
        return lambda v: names.get(v, UNKNOWN_KIND) if v else UNKNOWN_KIND
    # region: the name of the government of that code if the tree has one, else the code.
    governments = dict(
        Organisation.objects.filter(kind=Kind.GOVERNMENT)
        .exclude(region_code="")
        .values_list("region_code", "name")
    )
    return lambda v: governments.get(v, v) if v else UNKNOWN_REGION


def db_rollup(reports: QuerySet[IngestedReport], by: str = "year") -> Rollup:
    """:func:`gongkai.batch.rollup` over these reports (already scoped by the caller)."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    field, label = _FIELD[by], _labeller(by)
    acc = Accumulator(by)
    ids = reports.values("pk")
    for row in reports.order_by().values(field, "status", "format").annotate(n=Count("pk")):
        acc.report(label(row[field]), row["status"], row["format"], row["n"])
    cells = (
        IngestedCell.objects.filter(report__in=ids, table_key__in=TABLE_KEYS, extra=False)
        .order_by()
        .values(g=F(f"report__{field}"), t=F("table_key"), r=F("row_key"), c=F("column_key"))
        .annotate(total=Sum(Coalesce("value", Value(0.0), output_field=FloatField())))
    )
    for row in cells:
        acc.cell_total(label(row["g"]), row["t"], row["r"], row["c"], row["total"])
    findings = (
        IngestedFinding.objects.filter(report__in=ids)
        .order_by()
        .values(g=F(f"report__{field}"), ru=F("rule"), sev=F("severity"))
        .annotate(n=Count("pk"))
    )
    for row in findings:
        acc.finding_count(label(row["g"]), row["ru"], row["sev"], row["n"])
    flagged = (
        IngestedFinding.objects.filter(report__in=ids, severity="error")
        .order_by()
        .values(g=F(f"report__{field}"))
        .annotate(n=Count("report", distinct=True))
    )
    for row in flagged:
        acc.flagged(label(row["g"]), row["n"])
    return acc.result()


# --- timeliness of the register ------------------------------------------------------------


@dataclass
class Timeliness:
    organisation: str
    year: int
    received: int = 0
    answered: int = 0
    overdue: int = 0  # answered after the due date, or still open past it
    mean_days: float | None = None  # working days from receipt to the answer
    median_days: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "year": self.year,
            "received": self.received,
            "answered": self.answered,
            "overdue": self.overdue,
            "mean_workdays": self.mean_days,
            "median_workdays": self.median_days,
        }


def timeliness(cases: QuerySet[Any], today: dt.date | None = None) -> list[Timeliness]:
    """Per body and year of registration: cases received, answered, overdue, and the mean and
    median working days from receipt (第三十一条) to the answer."""
    from ...workdays import default_calendar

    today = today or dt.date.today()
    calendar = default_calendar()
    out: dict[tuple[str, int], Timeliness] = {}
    days: dict[tuple[str, int], list[int]] = {}
    rows = cases.order_by().values_list("organisation__name", "year", "received", "closed", "due")
    for name, year, received, closed, due in rows.iterator():
        t = out.setdefault((name, year), Timeliness(name, year))
        t.received += 1
        if closed is not None:
            t.answered += 1
            days.setdefault((name, year), []).append(
                int(calendar.workdays_between(received, closed))
            )
            t.overdue += bool(due and closed > due)
        elif due and due < today:
            t.overdue += 1
    for key, t in out.items():
        if key in days:
            t.mean_days = round(statistics.fmean(days[key]), 1)
            t.median_days = float(statistics.median(days[key]))
    return sorted(out.values(), key=lambda t: (t.organisation, t.year))


def headline(result: Rollup) -> dict[str, Any]:
    whole = next((g for g in result.groups if g.group == ALL), None)
    if whole is None:
        return {"reports": 0, "parsed": 0, "unreadable": 0, "with_errors": 0, "share": 0.0}
    return {
        "reports": whole.reports,
        "parsed": whole.parsed,
        "unreadable": whole.unreadable,
        "with_errors": whole.with_errors,
        "share": whole.share_with_errors,
    }
