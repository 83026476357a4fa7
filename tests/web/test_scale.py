"""What keeps the pages fast at 100 000 cases (benchmarks/web.py measures the time; these
tests hold the behaviour that the time depends on, never a time):

* a page's number of queries does not grow with the rows it shows (no N+1) — each bound is
  a full page of 50 rows, so a query per row would exceed it by fifty;
* every list filter is read off an index in the order of receipt (no sort of the register),
  and its count from an index alone, once SQLite has statistics;
* the statistics are taken when the register has none or has doubled.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import Client

from gongkai.web import database, demo, permissions
from gongkai.web.cases import queries, register
from gongkai.web.cases.models import Case

TODAY = dt.date(2026, 6, 30)

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="query plans are SQLite's (PostgreSQL plans its own)"
)


@pytest.fixture
def register_of_120(orgs: demo.DemoOrgs) -> demo.DemoOrgs:
    """120 demo cases (60 per agency: a list page of 50 is full) with statistics."""
    assert demo.load_cases(orgs, 120, today=TODAY) == 120
    database.analyze()
    return orgs


def _busiest_case(orgs: demo.DemoOrgs) -> Case:
    """Agency A's case with the longest history (both officer_a and the supervisor see it)."""
    cases = Case.objects.filter(organisation=orgs.agency_a)
    return max(cases, key=lambda c: c.events.count())


# (user, url, the most queries, rows the response must show). The session, the user, the
# permission checks and the page's own queries: a list counts, fetches one page and names its
# bodies. Where rows is 50 (a full page), a query per row would show at once.
# Pages: 11 = 10 + the menu's one EXISTS query for the 公开办 entry (supervise.context.nav).
PAGES: list[tuple[str, str, int, int]] = [
    ("officer_a", "/cases/", 11, 50),
    ("officer_a", "/cases/?page=2", 11, 10),
    ("officer_a", "/cases/?overdue=1", 11, 0),
    ("officer_a", "/cases/?due_within=5&state=processing&channel=网络", 11, 0),
    ("officer_a", "/cases/?q=申请&year=2026&applicant=natural&outcome=disclosed", 11, 0),
    ("supervisor", "/cases/", 11, 50),
    ("supervisor", "/cases/?overdue=1", 11, 0),
    ("officer_a", "/cases/{busiest}/", 11, 0),
    ("supervisor", "/cases/{busiest}/", 11, 0),
    ("officer_a", "/api/v1/cases?page=1", 9, 50),
    ("supervisor", "/api/v1/cases?page=2&overdue=true", 9, 0),
    ("officer_a", "/api/v1/cases/{busiest}", 9, 0),
]


@pytest.mark.parametrize(("username", "url", "most", "rows"), PAGES)
def test_queries_per_page_do_not_grow_with_rows(
    register_of_120: demo.DemoOrgs,
    client_as: Callable[[str | None], Client],
    django_assert_max_num_queries: Any,
    username: str,
    url: str,
    most: int,
    rows: int,
) -> None:
    busiest = _busiest_case(register_of_120)
    assert busiest.events.count() >= 3
    c = client_as(username)
    url = url.format(busiest=busiest.pk)
    with django_assert_max_num_queries(most):
        r = c.get(url)
    assert r.status_code == 200
    if "/api/" in url and rows:
        assert len(r.json()["items"]) == rows
    elif rows:
        assert r.content.decode().count('<tr><td><a href="/cases/') == rows


def test_writes_make_a_bounded_number_of_queries(
    register_of_120: demo.DemoOrgs,
    client_as: Callable[[str | None], Client],
    django_assert_max_num_queries: Any,
) -> None:
    c = client_as("officer_a")
    case = (
        Case.objects.filter(organisation=register_of_120.agency_a, state="processing")
        .order_by("-id")
        .first()
    )
    assert case is not None
    on = max(e.on for e in case.events.all()).isoformat()
    with django_assert_max_num_queries(16):
        r = c.post(
            f"/api/v1/cases/{case.pk}/events",
            {"kind": "answered", "on": on, "version": case.version, "outcome": "disclosed"},
            content_type="application/json",
        )
    assert r.status_code == 201, r.content
    with django_assert_max_num_queries(12):
        r = c.post(
            "/api/v1/cases",
            {
                "channel": "网络",
                "applicant": "natural",
                "received": TODAY.isoformat(),
                "description": "申请公开某文件",
            },
            content_type="application/json",
        )
    assert r.status_code == 201, r.content


# --- query plans --------------------------------------------------------------------------


def _plans(run: Callable[[], object]) -> list[str]:
    """The query plans of the statements on cases that ``run`` executes, as Django sends them
    (with bound parameters: SQLite may plan a literal differently)."""
    sent: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        run()
    plans = []
    with connection.cursor() as cursor:
        for sql, params in sent:
            if "cases_case" in sql:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plans.append(" / ".join(str(row[-1]) for row in cursor.fetchall()))
    return plans


def _list(username: str, params: dict[str, str], user: Callable[[str], Any]) -> QuerySet[Case]:
    u = user(username)
    qs = queries.apply(permissions.cases_visible_to(u), params, TODAY, u)
    return qs.order_by("-received", "-id")


# The index on due dates (overdue, due within N working days).
DUE_INDEX = "case_org_state_due"

FILTERS = [
    {},
    {"state": "closed"},
    {"channel": "网络"},
    {"applicant": "natural"},
    {"outcome": "disclosed"},
    {"year": "2026"},
    {"mine": "1"},
    {"overdue": "1"},
    {"due_within": "5"},
]


def _index(plan: str) -> tuple[str, list[str]]:
    """The index a plan reads, and the columns it constrains by equality."""
    m = re.search(r"INDEX (\w+)(?: \((.*?)\))?", plan)
    assert m, plan
    terms = (m.group(2) or "").split(" AND ")
    return m.group(1), [t[:-2] for t in terms if re.fullmatch(r"\w+=\?", t)]


def _in_receipt_order(index: str, equal: list[str]) -> bool:
    """Whether the index, past its equality columns, is in the order of receipt: each part
    it reads (one per body, or one in all) comes newest first, as the page is shown."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA index_info({index})")
        columns = [row[2] for row in cursor.fetchall()]
    return columns[len(equal) : len(equal) + 2] == ["received", "id"]


@sqlite_only
@pytest.mark.parametrize("username", ["officer_a", "supervisor"])
@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p) or "all")
def test_list_pages_never_sort_the_register(
    register_of_120: demo.DemoOrgs,
    user: Callable[[str], Any],
    username: str,
    params: dict[str, str],
) -> None:
    qs = _list(username, params, user)
    [plan] = _plans(lambda: list(qs[10:60]))
    index, equal = _index(plan)
    if index == DUE_INDEX:
        # Overdue, due within: only the open cases in the date range are sorted (a few
        # hundred at 100 000 cases).
        assert set(params) & {"overdue", "due_within"}, plan
        return
    assert _in_receipt_order(index, equal), plan
    if username == "officer_a":  # one body: the page is read off the index as it stands
        assert "TEMP B-TREE" not in plan, plan
    # Several bodies: SQLite may read each body's part of the index in turn and merge them
    # in a sorter that stops reading a part once it is past the page — no sort of the
    # register (under a millisecond at 100 000 cases).


@sqlite_only
@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p) or "all")
def test_list_counts_read_an_index_alone(
    register_of_120: demo.DemoOrgs, user: Callable[[str], Any], params: dict[str, str]
) -> None:
    qs = _list("officer_a", params, user)
    [plan] = _plans(qs.count)
    assert "COVERING INDEX" in plan, plan  # no row of the table is read


# --- statistics -----------------------------------------------------------------------------


def _stat_rows() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone():
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'cases_case' LIMIT 1")
        row = cursor.fetchone()
    return int(row[0].split()[0]) if row else None


@sqlite_only
def test_statistics_taken_when_missing_and_when_doubled(
    orgs: demo.DemoOrgs, django_capture_on_commit_callbacks: Any
) -> None:
    def intake() -> Case:
        return register.create_case(
            orgs.agency_a, register.Intake("网络", "natural", TODAY, "x"), None
        )

    assert _stat_rows() is None
    with django_capture_on_commit_callbacks(execute=True):
        intake()  # the first case: the register had no statistics, now has them
    assert _stat_rows() == 1
    for _ in range(4):
        intake()  # (the commit hook is not run here)
    assert database.analyze_if_grown(2) is False and _stat_rows() == 1
    assert database.analyze_if_grown(3) is True and _stat_rows() == 5  # more than double
    assert database.analyze_if_grown(10) is False and _stat_rows() == 5


# --- the demo's generator ---------------------------------------------------------------------


def test_pick_draws_what_random_choices_draws() -> None:
    for table in (demo.CHANNELS, demo.APPLICANTS, demo.ANSWERS):
        for seed in range(20):
            a, b = random.Random(seed), random.Random(seed)
            values, weights = [v for v, _ in table], [w for _, w in table]
            assert [demo._pick(a, table) for _ in range(200)] == [
                b.choices(values, weights)[0] for _ in range(200)
            ]
