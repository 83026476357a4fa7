"""The supervisor's dashboard in the browser, over the demo data: the charts are drawn by the
vendored ECharts (a canvas in every chart box) from the page's own JSON, every file loaded is
the test server's, no console error (CSP), axe-core clean. Screenshot 50-supervise-dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.web import demo

from .conftest import MISSING, check_a11y, login, screenshot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect if not MISSING else None


@pytest.fixture
def demo_data(transactional_db: Any) -> demo.DemoOrgs:
    orgs, _ = demo.load(80, today=dt.date(2026, 6, 30))
    return orgs


def test_dashboard_draws_every_chart_from_local_files(
    page: Any, live_server: Any, demo_data: demo.DemoOrgs
) -> None:
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    login(page, "supervisor")
    page.goto("/supervise/")
    page.wait_for_selector("#dashboard[data-ready='1']")
    charts = page.locator("[data-chart]")
    n = charts.count()
    assert n >= 8  # trend, errors, outcomes, four groupings, timeliness
    for i in range(n):
        expect(charts.nth(i).locator("canvas")).to_have_count(1)
    # The tables beside the charts carry the numbers without JS.
    expect(page.locator("#n-reports")).to_have_text("9")
    expect(page.get_by_role("rowheader", name="2025年度").first).to_be_visible()
    assert all(u.startswith(live_server.url) for u in loaded), loaded
    assert any(u.endswith("/echarts.min.js") for u in loaded)
    assert any("/supervise/dashboard/data.json" in u for u in loaded)
    check_a11y(page, exclude=["[data-chart]"])  # the canvas is labelled by its box
    screenshot(page, "50-supervise-dashboard")
