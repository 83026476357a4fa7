"""Cutting a digit run into cells (gongkai.parse.digitruns): by the column count and types, the
row identities, then the column identities across rows; never a guess."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import formats
from gongkai.formats import CellType
from gongkai.parse import digitruns
from gongkai.parse.digitruns import cell_value, solve, splits
from gongkai.parse.infer import hard_identities
from gongkai.report import Report

from .factories import make_report

T2_2019 = formats.V2019.table("t2")
T3 = formats.V2021.table("t3")
T4 = formats.V2021.table("t4")


def runs_of(report: Report, key: str) -> dict[str, str]:
    """Each row of a table written the way a crawler flattens it: its cells, nothing between."""
    return {row.key: "".join(c.raw for c in row.cells) for row in report.tables[key].rows}


def cells_of(report: Report, key: str) -> dict[str, tuple[str, ...]]:
    return {row.key: tuple(c.raw for c in row.cells) for row in report.tables[key].rows}


def solve_table(report: Report, key: str, table: formats.Table) -> dict[str, digitruns.Outcome]:
    return solve(table, runs_of(report, key), hard_identities(table))


def test_a_zero_is_a_cell_of_its_own_and_no_count_starts_with_zero() -> None:
    assert cell_value("0", CellType.COUNT) == 0
    assert cell_value("04", CellType.COUNT) is None
    assert cell_value("1.68", CellType.COUNT) is None
    assert cell_value("1.68", CellType.AMOUNT) == Decimal("1.68")
    assert cell_value("-3", CellType.SIGNED) == -3
    assert cell_value("/", CellType.COUNT) == 0
    # "1004" in two count columns: 100|4 only (1|004 and 10|04 start with a zero).
    values, ends, capped = splits("1004", [CellType.COUNT] * 2)
    assert values == [(100, 4)] and ends == [(3, 4)] and not capped


def test_the_row_sum_picks_the_one_split_of_a_table_three_row() -> None:
    out = solve(T3, {"a": "640020470"}, hard_identities(T3))["a"]
    assert out.reason == "unique"
    assert out.cells == ("64", "0", "0", "2", "0", "4", "70")
    assert out.ids == ("T3-2",) and not out.by_length


def test_one_digit_per_cell_needs_no_identity() -> None:
    out = solve(T3, {"b": "1000001"}, hard_identities(T3))["b"]
    assert out.reason == "unique" and out.by_length and out.ids == ()
    assert out.cells == ("1", "0", "0", "0", "0", "0", "1")


def test_a_row_whose_numbers_break_the_row_sum_has_no_split() -> None:
    out = solve(T3, {"a": "1234567"}, hard_identities(T3))["a"]  # 1+…+6 = 21, not 7
    assert out.reason == "none" and out.cells is None and out.ids == ("T3-2",)


def test_table_two_rows_have_no_sums_only_the_column_count() -> None:
    out = solve(T2_2019, {"rules": "120", "normative": "1200"}, hard_identities(T2_2019))
    assert out["rules"].cells == ("1", "2", "0") and out["rules"].by_length
    # 1|20|0 and 12|0|0 both fit three count columns: nothing decides between them.
    assert out["normative"].reason == "ambiguous" and out["normative"].cells is None
    assert set(out["normative"].options) == {("1", "20", "0"), ("12", "0", "0")}
    assert out["normative"].count == 2


def test_money_with_decimals_and_a_signed_change() -> None:
    out = solve(
        T2_2019,
        {"procurement": "21.68", "fees": "3+4", "licensing": "10-35"},
        hard_identities(T2_2019),
    )
    assert out["procurement"].cells == ("2", "1.68")  # a count, then an amount
    assert out["fees"].cells == ("3", "+4")
    # 10 | - | 35 (a dash cell) or 10 | -3 | 5: both are cells of these columns.
    assert out["licensing"].reason == "ambiguous"


def test_table_four_fifteen_numbers_in_one_run_with_multi_digit_totals() -> None:
    report = make_report(t4={"review_upheld": 12, "review_other": 3, "direct_pending": 10})
    out = solve_table(report, "t4", T4)["cases"]
    assert out.reason == "unique" and out.cells == cells_of(report, "t4")["cases"]
    assert out.ids == ("T4-1", "T4-2", "T4-3")


def test_the_column_sums_decide_a_row_its_own_sum_leaves_open() -> None:
    # Row a is 1 10 0 0 0 0 11 ("110000011"): 11|0|…|11 fits its row sum too. The 总计 row
    # (3 10 0 0 0 0 13) has one split, and T3-3 column by column leaves row a only 1|10.
    report = make_report(t3={"a": {"natural": 1, "commercial": 10}, "d1": {"natural": 2}})
    runs = runs_of(report, "t3")
    assert runs["a"] == "110000011"
    alone = solve(T3, {"a": runs["a"]}, hard_identities(T3))["a"]
    assert alone.reason == "ambiguous" and alone.count == 2
    out = solve(T3, runs, hard_identities(T3))
    assert out["a"].reason == "unique" and out["a"].cells == cells_of(report, "t3")["a"]
    assert "T3-3" in out["a"].ids and "T3-2" in out["a"].ids


def test_rows_the_identities_cannot_tell_apart_stay_undecided() -> None:
    # Only row a has numbers, so （七）总计 and 第一项 repeat it: 1|10 and 11|0 satisfy every
    # identity together.
    report = make_report(t3={"a": {"natural": 1, "commercial": 10}})
    out = solve_table(report, "t3", T3)
    for key in ("a", "t", "r1"):
        assert out[key].reason == "ambiguous" and out[key].cells is None, key
        assert out[key].count == 2
    assert out["b"].reason == "unique"


def test_column_sums_that_never_hold_fall_back_to_each_rows_own_identity() -> None:
    # The report's own （七）总计 is wrong in 自然人 (5 instead of 1): no combination satisfies
    # T3-3, so row a, which its own sum leaves open, stays undecided; nothing is forced.
    report = make_report(
        t3={"a": {"natural": 1, "commercial": 10}, "t": {"natural": 5, "total": 15}}
    )
    out = solve_table(report, "t3", T3)
    assert out["a"].reason == "ambiguous"
    assert out["b"].reason == "unique"


def test_too_many_splits_is_undecided_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digitruns, "MAX_STEPS", 50)
    out = solve(T3, {"a": "123456789123456789"}, hard_identities(T3))["a"]
    assert out.reason == "too-many" and out.cells is None


def test_a_long_run_is_searched_within_the_bounds() -> None:
    # 35 digits into 7 cells: 1.3 million cuts; the row sum bounds the search.
    report = make_report(
        t3={"a": {c: 12345 + i for i, c in enumerate(formats._common.T3_APPLICANT_COLUMNS)}}
    )
    run = runs_of(report, "t3")["a"]
    out = solve(T3, {"a": run}, hard_identities(T3))["a"]
    assert out.reason == "unique" and out.cells == cells_of(report, "t3")["a"]


_counts = st.integers(min_value=0, max_value=120)
_row = st.fixed_dictionaries(
    {c: st.one_of(st.just(0), _counts) for c in formats._common.T3_APPLICANT_COLUMNS}
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.dictionaries(st.sampled_from(["a", "b", "c4", "d1", "d2", "e2", "f3"]), _row),
    carried=_row,
    t4=st.fixed_dictionaries({k: _counts for k in ("review_upheld", "after_other")}),
)
def test_a_split_is_always_the_source_numbers(
    rows: dict[str, dict[str, int]], carried: dict[str, int], t4: dict[str, int]
) -> None:
    """For any consistent report, every row the solver decides is cut exactly as written."""
    report = make_report(t3={**rows, "r4": carried}, t4=t4)
    for key, table in (("t3", T3), ("t4", T4)):
        want = cells_of(report, key)
        for row, out in solve_table(report, key, table).items():
            if out.reason == "unique":
                assert out.cells == want[row], (key, row)
            else:
                assert out.cells is None


def test_the_bounds_are_documented() -> None:
    from gongkai.parse import flattened

    text = (Path(__file__).resolve().parents[1] / "docs" / "limits.md").read_text(encoding="utf-8")
    for figure in (
        digitruns.MAX_STEPS,
        digitruns.MAX_SPLITS,
        digitruns.MAX_SUMS,
        digitruns.MAX_COMBINATIONS,
    ):
        assert f"{figure:,}" in text
    assert f"{flattened.MIN_GLUED_ROWS} rows" in text and f"{flattened.MIN_FLAT_LINE} char" in text
