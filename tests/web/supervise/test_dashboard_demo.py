"""The dashboard over the demo data: the demo loader's uploaded reports (2022–2025, matched to
their bodies) fill every panel, the register's timeliness included."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest

from gongkai.web import demo
from gongkai.web.supervise.demo_reports import MISTAKES, YEARS, load_ingested
from gongkai.web.supervise.models import FileStatus, IngestedReport


@pytest.fixture
def demo_data(db: Any) -> demo.DemoOrgs:
    orgs, _ = demo.load(120, today=dt.date(2026, 6, 30))
    return orgs


def test_demo_loads_reports_of_both_bodies_every_year(demo_data: demo.DemoOrgs) -> None:
    rows = IngestedReport.objects.filter(supervisor=demo_data.district)
    ok = rows.filter(status=FileStatus.OK)
    assert ok.count() == 2 * len(YEARS) and rows.filter(status=FileStatus.ERROR).count() == 1
    assert sorted(set(ok.values_list("year", flat=True))) == list(YEARS)
    assert set(ok.values_list("organisation", flat=True)) == {
        demo_data.agency_a.pk,
        demo_data.agency_b.pk,
    }
    flagged = ok.filter(n_error__gt=0).count()
    assert flagged == len(MISTAKES)  # the planted mistakes, and only those
    assert load_ingested(demo_data) == 0  # once


def test_dashboard_panels_over_the_demo(
    demo_data: demo.DemoOrgs, client_as: Callable[..., Any]
) -> None:
    c = client_as("supervisor")
    data = c.get("/supervise/dashboard/data.json").json()
    # The unreadable file has no year: its own group, last.
    assert [r["group"] for r in data["trend"]] == [*(f"{y}年度" for y in YEARS), "未知年度"]
    panels = {p["by"]: p for p in data["panels"]}
    assert [r["group"] for r in panels["kind"]["rows"]] == ["政府部门", "未知类别"]
    assert [r["group"] for r in panels["region"]["rows"]] == ["示范区", "未知地区"]
    assert sum(o["count"] for o in data["outcomes"]) > 0
    # Shares of the reported （七）总计: a few demo reports overstate it, so a little under 1.
    assert 0.9 < sum(o["share"] for o in data["outcomes"]) <= 1.0001
    assert data["timeliness"] and all(t["received"] > 0 for t in data["timeliness"])
    html = c.get("/supervise/", {"year": "2024"}).content.decode()
    assert "2024年度" in html and "2023年度</th>" not in html


def test_demo_ingest_is_quick(db: Any) -> None:
    orgs = demo.load_orgs()
    demo.load_accounts(orgs)
    started = time.monotonic()
    assert load_ingested(orgs) == 2 * len(YEARS) + 1
    assert time.monotonic() - started < 30
