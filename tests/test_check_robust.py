"""check() never raises: missing tables and rows, odd cells, unknown formats, broken rules."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gongkai
from gongkai import check
from gongkai.check import GROUPS
from gongkai.report import Cell, CellKind, Report, Row, Section, Table

from .factories import make_report


def test_empty_report() -> None:
    """No table at all: each absent table is said once (T0-2, T0-4 for 2021's 表二, which no
    identity uses), and nothing else."""
    for fmt, t2 in (("2019", "T0-4"), ("2021", "T0-4")):
        found = check(Report(agency=None, year=None, format=fmt))
        assert [(f.rule, f.location.table if f.location else None) for f in found] == [
            ("T0-2", "t3"),
            ("T0-2", "t4"),
            (t2, "t2"),
        ]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("table", ["t2", "t3", "t4"])
def test_missing_tables(fmt: str, table: str) -> None:
    report = make_report(fmt, omit_tables=[table], sections={1: "收到申请2件，行政复议1件。"})
    found = check(report)
    assert [f for f in found if f.rule == "CHK-0"] == []


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_row_missing(fmt: str) -> None:
    spec = gongkai.formats.get(fmt)
    omit = {t.key: [r.key for r in t.rows] for t in spec.tables}
    report = make_report(
        fmt,
        omit_rows=omit,
        sections={1: "未发生行政复议、行政诉讼。收到申请2件。未出现行政复议纠错。", 6: "收费"},
    )
    # Only the absent rows are reported, one finding per table.
    found = check(report)
    assert sorted((f.rule, f.location.table if f.location else None) for f in found) == [
        ("T0-2", "t3"),
        ("T0-2", "t4"),
        ("T0-4", "t2"),
    ]


def test_rows_cells_and_columns_the_format_does_not_know() -> None:
    report = make_report("2021")
    report.tables["t3"].rows.append(
        Row(key="zz", label="?", cells=[Cell(column="natural", raw="x", kind=CellKind.TEXT)])
    )
    r1 = report.tables["t3"].row("r1")
    assert r1 is not None
    r1.cells.append(Cell(column="nope", raw="1", value=1, kind=CellKind.NUMBER))
    r1.cells = [c for c in r1.cells if c.column != "total"]  # a missing cell counts as 0
    report.tables["t9"] = Table(key="t9")
    report.tables["t4"].rows.clear()
    assert [f for f in check(report) if f.rule == "CHK-0"] == []


def test_number_kind_without_value() -> None:
    report = make_report("2021")
    row = report.tables["t3"].row("a")
    assert row is not None
    row.cells[0] = Cell(column="natural", raw="?", kind=CellKind.NUMBER)
    assert check(report) == []


def test_odd_sections() -> None:
    report = make_report("2021", year=None, title=None, agency=None)
    report.sections = [
        Section(number=9, heading="", text=""),
        Section(number=6, heading="六、", text="\n\n2024年13月40日\n"),
        Section(number=1, heading="", text="其中，其中其中。收到申请件。，，；；" * 3),
    ]
    report.preamble = "统计期限自2023年1月1日起至2024年12月31日止。"
    found = check(report)
    assert [f for f in found if f.rule == "CHK-0"] == []
    assert [f.rule for f in found] == ["X-7"]  # the period spans two years


def test_unknown_format_is_a_finding_not_an_exception() -> None:
    found = check(Report(agency=None, year=2017, format="2007"))
    assert [(f.rule, f.severity) for f in found] == [("CHK-1", "warning")]
    assert "未知的年报格式" in found[0].message


def test_a_broken_rule_becomes_chk_0(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(report: Report) -> list[gongkai.Finding]:
        raise RuntimeError("坏了")

    groups = (("坏规则", boom), *GROUPS)
    monkeypatch.setattr(sys.modules["gongkai.check"], "GROUPS", groups)
    report = make_report("2021", t3={"r1": {"natural": 1}})
    found = check(report)
    chk = [f for f in found if f.rule == "CHK-0"]
    assert len(chk) == 1
    assert chk[0].severity == "info" and "坏规则" in chk[0].message and "坏了" in chk[0].message
    assert any(f.rule == "T3-1" for f in found)  # the other rules still ran


def test_findings_are_sorted_by_severity_then_table() -> None:
    report = make_report(
        "2019",
        t2={"procurement": {"purchase_amount": "2"}, "rules": {"new_made": "/"}},
        t3={"r1": {"natural": 1}},
        t4={"review_total": 1},
        sections={1: "本年度收到申请两件。"},
    )
    found = check(report)
    order = {"error": 0, "warning": 1, "info": 2}
    keys = [order[f.severity] for f in found]
    assert keys == sorted(keys)
    errors = [f for f in found if f.severity == "error"]
    tables = [f.cells[0].table for f in errors]
    assert tables == sorted(tables)  # t3 before t4
    assert [f.rule for f in found if f.severity == "warning"] == ["C-2", "X-1"]
    assert [f.rule for f in found if f.severity == "info"] == ["C-1"]


def test_findings_round_trip_as_json() -> None:
    report = make_report("2021", t3={"r2": {"natural": None}, "r1": {"natural": 1}})
    for f in check(report):
        again = gongkai.Finding.model_validate_json(f.model_dump_json())
        assert again == f
        assert str(f).startswith(f"[{f.rule}]")


NARRATIVE_BITS = st.sampled_from(
    [
        "收到", "受理", "申请", "政府信息公开", "依申请公开", "行政复议", "行政诉讼", "未", "没有",
        "发生", "纠错", "败诉", "其中", "共", "件", "条", "元", "万", "两", "十", "一", "2020年",
        "1月1日", "统计期限自", "至", "12月31日", "，", "。", "；", "、", "（", "）", "(", ")",
        "\n", " ", "3", "33", "0", "1.5", "收取", "处理费", "制发", "规范性文件", "规章", "等",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(NARRATIVE_BITS, max_size=60).map("".join), st.text(max_size=200))
def test_any_narrative_is_read_without_error(built: str, noise: str) -> None:
    report = make_report(
        "2021",
        t3={"r1": {"natural": 3}},
        t4={"review_corrected": 1},
        sections={1: built, 6: noise + built},
        preamble=noise,
    )
    found = check(report)
    assert [f for f in found if f.rule == "CHK-0"] == []
    assert all(f.severity != "error" for f in found if f.rule.startswith("X-"))
