"""The checker: ``check(report) -> list[Finding]``; never raises on a Report.

Each group of rules lives in a module named for its concept:

==================  =====================================================================
``identities``      the 勾稽关系 of the format (T3-1 …, T4-3, T2-4), generic over its data
``complete``        each table there, whole and once: absent tables, rows, cells (T0-2,
                    T0-4), a table printed twice (T0-3, T0-3b)
``cells``           what a cell may hold (T2-1, T3-4, T4-4), "/" and "-" (C-1), units (C-2),
                    values beyond the header (T0-1)
``soft``            rarely-true table facts (T3-7, T3-8)
``narrative``       the text against the tables (X-1 … X-4, X-6, X-8)
``sums``            breakdowns stated in the text that do not add up (X-9)
``dates``           report year and signature date (X-7, X-7b)
``rules``           the registry: every id with its severity, description, source, template
==================  =====================================================================

Findings come sorted by severity (error, warning, info), then by table (二, 三, 四, then the
narrative), then in the order the rules found them.
"""

from __future__ import annotations

from collections.abc import Callable

from .._gc import without_gc
from ..report import Report
from .cells import check_cells
from .complete import check_complete
from .dates import check_dates
from .finding import SEVERITY_ORDER, CellRef, Finding
from .identities import check_identities
from .narrative import check_narrative
from .prose import reading
from .rules import NOT_CHECKED, RULES, Rule, all_rules
from .soft import check_soft
from .sums import check_sums

__all__ = [
    "NOT_CHECKED",
    "RULES",
    "CellRef",
    "Finding",
    "Rule",
    "all_rules",
    "check",
    "sort_findings",
]

RuleGroup = Callable[[Report], list[Finding]]

GROUPS: tuple[tuple[str, RuleGroup], ...] = (
    ("勾稽关系", check_identities),
    ("表格完整性", check_complete),
    ("单元格", check_cells),
    ("合理性", check_soft),
    ("文字与表格", check_narrative),
    ("文字中的分项之和", check_sums),
    ("报告年度", check_dates),
)


@without_gc
def check(report: Report) -> list[Finding]:
    """Every finding about ``report``. Never raises: an arithmetic mismatch is a finding, and
    a bug in a rule becomes a CHK-0 finding instead of losing the other rules' findings."""
    try:
        tables = [t.key for t in report.spec.tables]
    except KeyError as exc:
        message = exc.args[0] if exc.args else str(exc)
        return [RULES["CHK-1"].finding(error=message)]
    findings: list[Finding] = []
    with reading():
        for name, group in GROUPS:
            try:
                findings.extend(group(report))
            except Exception as exc:  # the safety net: one broken rule must not hide the others
                error = f"{type(exc).__name__}: {exc}"
                findings.append(RULES["CHK-0"].finding(rule=name, error=error))
    return sort_findings(findings, tables)


def sort_findings(findings: list[Finding], tables: list[str]) -> list[Finding]:
    """Severity first, then table order, then the order found (a stable sort)."""

    def table_of(f: Finding) -> int:
        key = f.cells[0].table if f.cells else (f.location.table if f.location else None)
        return tables.index(key) if key in tables else len(tables)

    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], table_of(f)))
