"""The demo: agency A's draft report for last year, from its complete register of that year;
and the seams that the catalogue and appeals apps plug into (exercised once they are merged)."""

from __future__ import annotations

import datetime as dt
import importlib
import tempfile
from pathlib import Path
from typing import Any

import pytest

from gongkai.parse import parse
from gongkai.register.reviews import ReviewCase
from gongkai.render import render
from gongkai.report import Report, Table
from gongkai.web import demo
from gongkai.web.reports import sources
from gongkai.web.reports.models import AnnualReport

pytestmark = pytest.mark.django_db
# Today: the public side's demo records its online applications as submitted now.
TODAY = dt.date.today()


def _values(table: Table) -> set[tuple[str, str, Any]]:
    return {(r.key, c.column, c.value) for r in table.rows for c in r.cells}


def test_the_demo_has_agency_as_draft_report_for_last_year() -> None:
    orgs, _ = demo.load(600, today=TODAY)
    report = AnnualReport.objects.get(organisation=orgs.agency_a)
    assert (report.year, report.state, report.format) == (TODAY.year - 1, "draft", "2021")
    version = report.latest()
    assert version is not None and version.intact()
    errors = [f for f in version.findings if f["severity"] == "error"]
    if sources.table_two_available():
        assert errors == []
    else:  # only table 二's absence may be an error until the catalogue is merged
        assert all(f["rule"] == "T0-2" and "表二" in f["message"] for f in errors)
    assert not [f for f in version.findings if f["rule"].startswith("X-")]
    data = Report.from_json(version.data)
    assert data.tables["t3"].row("r1").cell("total").value > 0  # type: ignore[union-attr]
    assert all(s.text for s in data.sections)
    # The DOCX export reads back with `gongkai parse` to the same tables.
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "a.docx"
        path.write_bytes(render(data, "docx"))
        back = parse(path)
    for key in ("t3", "t4"):
        assert _values(back.tables[key]) == _values(data.tables[key])
    # Idempotent: loading again changes nothing.
    demo.load(600, today=TODAY)
    assert AnnualReport.objects.count() == 1 and report.versions.count() == version.number


def _skip_unless(module: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        pytest.skip(f"{module} is not installed yet (merged by the integrator)")


def test_reviews_come_from_the_appeals_app() -> None:
    _skip_unless("gongkai.web.appeals")
    orgs = demo.load_orgs()
    found = sources.reviews(orgs.agency_a, 2024)
    assert sources.reviews_available()
    assert isinstance(found, list) and all(isinstance(r, ReviewCase) for r in found)


def test_table_two_comes_from_the_catalogue_app() -> None:
    _skip_unless("gongkai.web.catalogue")
    orgs = demo.load_orgs()
    assert sources.table_two_available()
    table = sources.table_two(orgs.agency_a, 2024)
    assert table is None or table.key == "t2"


def test_without_the_optional_apps_the_sources_are_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "REVIEWS_SOURCES", (("gongkai.web.no_such_app", "x"),))
    monkeypatch.setattr(sources, "TABLE_TWO_SOURCES", (("gongkai.web.no_such_app", "x"),))
    orgs = demo.load_orgs()
    assert sources.reviews(orgs.agency_a, 2024) == []
    assert sources.table_two(orgs.agency_a, 2024) is None
    assert not sources.reviews_available() and not sources.table_two_available()
