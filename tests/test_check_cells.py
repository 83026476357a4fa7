"""Cell types (T2-1, T3-4, T4-4), "/" and "-" (C-1), amount units (C-2), surplus cells (T0-1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai import check
from gongkai.report import Cell, CellKind

from .factories import make_report


def rules(report_findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.rule for f in report_findings]


@pytest.mark.parametrize(
    ("fmt", "table", "row", "column", "rule"),
    [
        ("2021", "t2", "rules", "issued", "T2-1"),
        ("2019", "t2", "licensing", "decisions", "T2-1"),
        ("2021", "t3", "a", "natural", "T3-4"),
        ("2019", "t3", "f", "other", "T3-4"),
        ("2021", "t4", "cases", "review_upheld", "T4-4"),
    ],
)
def test_text_cell_is_an_error_of_the_table_type_rule(
    fmt: str, table: str, row: str, column: str, rule: str
) -> None:
    report = make_report(fmt, derive=False, **{table: {row: {column: "见附件"}}})  # type: ignore[arg-type]
    found = check(report)
    assert [(f.rule, f.severity) for f in found] == [(rule, "error")]
    f = found[0]
    assert "“见附件”" in f.message and "无法读作" in f.message
    assert f.cells[0].raw == "见附件" and f.cells[0].value is None
    assert f.location is not None and f.location.table == table


def test_negative_count_is_an_error() -> None:
    report = make_report("2021", t2={"licensing": {"decisions": -3}})
    found = check(report)
    assert rules(found) == ["T2-1"]
    assert found[0].message == "表二「行政许可」「本年处理决定数量」：-3为负数，件数不能为负"


def test_fractional_count_is_an_error_but_integral_decimal_is_not() -> None:
    bad = make_report("2021", t2={"penalty": {"decisions": Decimal("2.5")}})
    assert rules(check(bad)) == ["T2-1"]
    assert "2.5不是整数" in check(bad)[0].message
    fine = make_report("2021", t2={"penalty": {"decisions": Decimal("3.0")}})
    assert check(fine) == []


def test_signed_change_may_be_negative_in_2019() -> None:
    report = make_report("2019", t2={"licensing": {"prev_items": 10, "change": "-2"}})
    assert check(report) == []
    report = make_report("2019", t2={"licensing": {"change": "+4"}})
    assert check(report) == []


def test_negative_amount_is_an_error() -> None:
    report = make_report("2021", t2={"fees": {"fee_amount": Decimal("-1.5")}})
    found = check(report)
    assert rules(found) == ["T2-1"]
    assert "金额-1.5为负数" in found[0].message


def test_slash_and_dash_are_one_info_per_table() -> None:
    report = make_report(
        "2021",
        t2={"rules": {"issued": "/", "repealed": "/"}},
        t3={"e3": {"natural": "-", "total": "—"}},
    )
    found = check(report)
    assert [(f.rule, f.severity) for f in found] == [("C-1", "info"), ("C-1", "info")]
    t2, t3 = found
    assert t2.message.startswith("表二有2个单元格写作“/”或“-”，按0计算：")
    assert "「规章」「本年制发件数」(/)" in t2.message
    assert [c.raw for c in t3.cells] == ["-", "—"]
    assert all(c.value is None for c in t3.cells)


def test_amount_without_unit_in_2019_is_a_warning() -> None:
    report = make_report("2019", t2={"procurement": {"purchase_amount": "1.68"}})
    found = check(report)
    assert [(f.rule, f.severity) for f in found] == [("C-2", "warning")]
    assert "1.68未写单位" in found[0].message


@pytest.mark.parametrize("written", ["1.68万元", "251000元", "0", None])
def test_amount_with_unit_or_zero_is_fine(written: str | None) -> None:
    report = make_report("2019", t2={"procurement": {"purchase_amount": written}})
    assert check(report) == []


def test_amount_unit_from_the_header_counts_as_stated() -> None:
    report = make_report("2019", t2={"procurement": {"purchase_amount": "33565"}})
    row = report.tables["t2"].row("procurement")
    assert row is not None
    cell = row.cell("purchase_amount")
    assert cell is not None
    cell.unit = "万元"  # what the parser records when the header says 单位：万元
    assert check(report) == []


def test_2021_fee_amount_label_states_the_unit() -> None:
    report = make_report("2021", t2={"fees": {"fee_amount": "4068.208"}})
    assert check(report) == []


def test_surplus_cells_are_a_warning() -> None:
    report = make_report("2019")
    row = report.tables["t2"].row("fees")
    assert row is not None
    row.extra = [Cell(column="extra1", raw="0", value=0, kind=CellKind.NUMBER)]
    found = check(report)
    assert [(f.rule, f.severity) for f in found] == [("T0-1", "warning")]
    assert (
        found[0].message == "表二「行政事业性收费」：表头只有2列，却多出1个值（0），多出的值未计入"
    )


def test_blank_surplus_cells_are_not_reported() -> None:
    report = make_report("2019")
    row = report.tables["t2"].row("fees")
    assert row is not None
    row.extra = [Cell(column="extra1", raw=" ", kind=CellKind.BLANK)]
    assert check(report) == []
