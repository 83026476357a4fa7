"""Keeping SQLite's query planner informed.

Without statistics SQLite guesses that ``organisation_id IN (…)`` picks a few rows, so a
公开办 seeing every body's cases got a sort of the whole register for each page (~200 ms at
100 000 cases) instead of a walk down the index in the order of receipt (< 1 ms). ``ANALYZE``
records how many rows each index prefix selects (``sqlite_stat1``); what the planner needs
from it are proportions (how many cases per body), which change slowly. So statistics are
taken:

* by :func:`analyze`: after the demo's bulk load and each time ``gongkai serve`` starts
  (about a second per 100 000 cases);
* by :func:`analyze_if_grown`, after a case is registered, when the register has no
  statistics yet or has doubled since they were taken — a register that starts empty gets
  them without a restart, at an amortised cost of microseconds per case.

(``PRAGMA optimize`` would do the second but, in SQLite 3.40, analyses an empty table again on
every call, i.e. a write on every request.) PostgreSQL keeps its own statistics
(autovacuum): both do nothing there.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

_TABLE = "cases_case"


def analyze(using: str = DEFAULT_DB_ALIAS) -> None:
    conn = connections[using]
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE")


def analyze_if_grown(rows: int, using: str = DEFAULT_DB_ALIAS) -> bool:
    """ANALYZE the cases table if ``rows`` (about its size now; the newest id will do) is more
    than twice the size its statistics were taken at, or it has none. Returns whether it
    did."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        row = None
        if cursor.fetchone():  # else nothing was ever analysed
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [_TABLE])
            row = cursor.fetchone()
        taken = int(str(row[0]).split()[0]) if row else 0
        if rows <= 2 * taken:
            return False
        cursor.execute(f'ANALYZE "{_TABLE}"')
    return True
