"""Behaviour that only a real multi-connection database shows. These run when the web tests
run on PostgreSQL (``DATABASE_URL=postgres://…``, as ``.ci/run`` does); on the default
in-memory SQLite they skip (one connection, and SQLite's BEGIN IMMEDIATE serialises writers)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from gongkai.web import demo
from gongkai.web.cases import register
from gongkai.web.cases.models import Case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://…; .ci/run starts one)",
)


def intake(description: str) -> register.Intake:
    return register.Intake("当面", "natural", dt.date(2025, 3, 3), description, "李娜")


def test_two_intakes_at_once_get_consecutive_numbers(transactional_db: Any) -> None:
    orgs = demo.load_orgs()
    first_inserted = threading.Event()
    release = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcome["a"] = register.create_case(orgs.agency_a, intake("甲"), None).number
                first_inserted.set()
                release.wait(10)  # holds its transaction open while the second one starts
        finally:
            connections.close_all()

    def second() -> None:
        try:
            outcome["b"] = register.create_case(orgs.agency_a, intake("乙"), None).number
        except Exception as e:  # the failure this test is about: a duplicate number
            outcome["b"] = e
        finally:
            connections.close_all()

    a = threading.Thread(target=first)
    a.start()
    assert first_inserted.wait(10)
    b = threading.Thread(target=second)
    b.start()
    b.join(0.5)  # the second intake waits for the first (it must not read a stale MAX)
    release.set()
    a.join(10)
    b.join(10)
    assert outcome == {"a": "2025-00001", "b": "2025-00002"}, outcome
    assert sorted(Case.objects.values_list("number", flat=True)) == ["2025-00001", "2025-00002"]


def test_search_ignores_case_on_postgresql_too(client_as: Any, orgs: Any) -> None:
    # SQLite's LIKE ignores ASCII case; PostgreSQL's does not — the filter must use ILIKE.
    register.create_case(orgs.agency_a, intake("Annual Report of the PPP projects"), None)
    page = client_as("officer_a").get("/cases/?q=ppp").content.decode()
    assert "2025-00001" in page
