"""Property: any consistent table 三 and 四, in either format, gives no error finding."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import check, formats

from .factories import make_report

COUNTS = st.integers(min_value=0, max_value=10_000)


@st.composite
def consistent_tables(draw: st.DrawFn) -> tuple[str, dict[str, Any], dict[str, Any]]:
    fmt = draw(st.sampled_from(["2019", "2021"]))
    t3_spec = formats.get(fmt).table("t3")
    applicants = [c.key for c in t3_spec.columns if c.key != "total"]
    results = formats.t3_result_rows(t3_spec)

    t3: dict[str, dict[str, Any]] = {}
    for row in results:
        t3[row] = {c: draw(COUNTS) for c in applicants}
    t3["t"] = {c: sum(t3[r][c] for r in results) for c in applicants}
    t3["r4"] = {c: draw(COUNTS) for c in applicants}
    # r2 can be anything up to t + r4, and r1 makes the table's own note hold.
    t3["r2"] = {c: draw(st.integers(0, t3["t"][c] + t3["r4"][c])) for c in applicants}
    t3["r1"] = {c: t3["t"][c] + t3["r4"][c] - t3["r2"][c] for c in applicants}
    for cells in t3.values():
        cells["total"] = sum(cells[c] for c in applicants)
    # A blank stands for 0 anywhere (spec §4.1).
    blanks = draw(st.sets(st.sampled_from(results), max_size=5))
    for row in blanks:
        for c in applicants:
            if t3[row][c] == 0:
                t3[row][c] = None

    t4: dict[str, Any] = {}
    for group in ("review", "direct", "after"):
        parts = {f"{group}_{k}": draw(COUNTS) for k in ("upheld", "corrected", "other", "pending")}
        t4.update(parts)
        t4[f"{group}_total"] = sum(parts.values())
    return fmt, t3, t4


@settings(max_examples=200, deadline=None)
@given(consistent_tables())
def test_consistent_tables_have_no_error(
    tables: tuple[str, dict[str, Any], dict[str, Any]],
) -> None:
    fmt, t3, t4 = tables
    report = make_report(fmt, t3=t3, t4=t4, derive=False)
    found = check(report)
    assert [f for f in found if f.severity == "error"] == []
    assert {f.rule for f in found} <= {"T3-7", "T3-8"}  # soft, not arithmetic


@settings(max_examples=100, deadline=None)
@given(consistent_tables(), st.data())
def test_one_changed_cell_breaks_an_identity(
    tables: tuple[str, dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    fmt, t3, t4 = tables
    row = data.draw(st.sampled_from(sorted(t3)))
    column = data.draw(st.sampled_from(sorted(t3[row])))
    old = t3[row][column] or 0
    t3[row][column] = old + data.draw(st.integers(1, 5))
    found = check(make_report(fmt, t3=t3, t4=t4, derive=False))
    assert any(f.severity == "error" and f.rule.startswith("T3-") for f in found)
