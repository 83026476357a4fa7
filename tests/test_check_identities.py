"""The identities of both formats, evaluated generically over the format's data."""

from __future__ import annotations

import pytest

from gongkai import check
from gongkai.check.finding import Finding
from gongkai.report import CellKind

from .factories import make_report

FORMATS = ("2019", "2021")


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_zero_report_has_no_finding(fmt: str) -> None:
    assert check(make_report(fmt)) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_consistent_report_passes_every_identity(fmt: str) -> None:
    report = make_report(
        fmt,
        t3={
            "r2": {"natural": 2, "commercial": 1},
            "a": {"natural": 10, "commercial": 1, "legal_services": 1},
            "b": {"natural": 3},
            "c4": {"research": 2},
            "d1": {"natural": 5, "other": 1},
            "e2": {"public_interest": 1},
            "r4": {"natural": 4},
        },
        t4={"review_upheld": 3, "review_corrected": 1, "direct_pending": 2, "after_other": 1},
    )
    assert errors(check(report)) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_t3_1_names_the_numbers(fmt: str) -> None:
    report = make_report(
        fmt,
        t3={
            "r1": {"natural": 30},
            "a": {"natural": 29},
        },
    )
    # r1 natural given as 30, t natural derived as 29, r4 and r2 0: T3-1 breaks in 自然人
    # and, through the derived row totals, in 总计.
    found = by_rule(check(report), "T3-1")
    assert [f.message for f in found] == [
        "表三「自然人」列：第一项(30)+第二项(0)=30，但（七）总计(29)+第四项(0)=29，相差1",
        "表三「总计」列：第一项(30)+第二项(0)=30，但（七）总计(29)+第四项(0)=29，相差1",
    ]
    f = found[0]
    assert f.severity == "error"
    assert [(c.row, c.column) for c in f.cells] == [
        ("r1", "natural"),
        ("r2", "natural"),
        ("t", "natural"),
        ("r4", "natural"),
    ]
    assert f.cells[0].label.startswith("一、本年新收政府信息公开申请数量")
    assert f.location is not None and f.location.table == "t3"
    assert "表三左上角的注" in f.source


def test_t3_2_row_total() -> None:
    report = make_report("2021", t3={"a": {"natural": 2, "commercial": 1, "total": 5}})
    found = by_rule(check(report), "T3-2")
    assert len(found) == 1
    f = found[0]
    assert f.message == (
        "表三「（一）予以公开」行：总计(5)，但自然人(2)+商业企业(1)+科研机构(0)+社会公益组织(0)"
        "+法律服务机构(0)+其他(0)=3，相差2"
    )
    # The location is the total cell: the single-cell side of the identity.
    assert f.location is not None and f.location.column == 7


@pytest.mark.parametrize(("fmt", "last"), [("2019", "f"), ("2021", "f3")])
def test_t3_3_lists_only_non_zero_terms(fmt: str, last: str) -> None:
    report = make_report(fmt, t3={"a": {"natural": 3}, last: {"natural": 2}, "t": {"natural": 4}})
    found = [f for f in by_rule(check(report), "T3-3") if f.cells[0].column == "natural"]
    assert len(found) == 1
    msg = found[0].message
    assert msg.startswith("表三「自然人」列：（七）总计(4)，但（一）予以公开(3)+")
    assert "其余" in msg and msg.endswith("=5，相差1")
    # every result row of the format takes part, listed in the cells
    assert len(found[0].cells) == (20 if fmt == "2019" else 22)


def test_sub_rows_are_named_with_their_group() -> None:
    report = make_report(
        "2021", t3={"c1": {"natural": 1}, "d1": {"natural": 2}, "t": {"natural": 0}}
    )
    msg = next(f.message for f in check(report) if f.rule == "T3-3")
    assert "（三）1.属于国家秘密(1)" in msg and "（四）1.本机关不掌握相关政府信息(2)" in msg


@pytest.mark.parametrize(
    ("rule", "given", "expected"),
    [
        (
            "T4-1",
            {"review_upheld": 8, "review_corrected": 1, "review_total": 8},
            "表四「行政复议」：总计(8)，但结果维持(8)+结果纠正(1)+其他结果(0)+尚未审结(0)=9，相差1",
        ),
        (
            "T4-2",
            {"direct_pending": 2, "direct_total": 3},
            "表四「行政诉讼·未经复议直接起诉」：总计(3)，但结果维持(0)+结果纠正(0)+其他结果(0)"
            "+尚未审结(2)=2，相差1",
        ),
        (
            "T4-3",
            {"after_other": 1, "after_total": 0},
            "表四「行政诉讼·复议后起诉」：总计(0)，但结果维持(0)+结果纠正(0)+其他结果(1)"
            "+尚未审结(0)=1，相差1",
        ),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_t4_identities(fmt: str, rule: str, given: dict[str, int], expected: str) -> None:
    found = check(make_report(fmt, t4=given))
    assert [f.message for f in found if f.rule.startswith("T4")] == [expected]
    f = by_rule(found, rule)[0]
    assert f.location is not None and f.location.label is not None
    assert f.cells[0].column.endswith("_total")


def test_blank_counts_as_zero_but_is_shown_as_blank() -> None:
    # r1 says 1, r2 is blank, no result: 1 + 空 ≠ 0 + 0, and the blank is shown as such.
    report = make_report("2021", t3={"r2": {"natural": None}, "r1": {"natural": 1}})
    found = [f for f in by_rule(check(report), "T3-1") if f.cells[0].column == "natural"]
    assert len(found) == 1
    f = found[0]
    assert "第二项(空)" in f.message
    r2 = next(c for c in f.cells if c.row == "r2")
    assert r2.value is None and r2.raw == ""


def test_blank_cells_that_add_up_give_no_finding() -> None:
    blank_row = dict.fromkeys(
        ["natural", "commercial", "research", "public_interest", "legal_services", "other"]
    )
    report = make_report("2019", t3={"r2": {**blank_row, "total": None}, "b": blank_row})
    assert errors(check(report)) == []


def test_slash_counts_as_zero_in_identities() -> None:
    report = make_report("2021", t3={"r2": {"natural": "/", "total": "-"}})
    found = check(report)
    assert errors(found) == []
    assert [f.rule for f in found] == ["C-1"]


def test_text_cell_skips_the_identity_and_is_a_type_error() -> None:
    report = make_report("2021", t3={"a": {"natural": "若干"}})
    found = check(report)
    assert [f.rule for f in errors(found)] == ["T3-4"]


def test_missing_row_skips_its_identities_silently() -> None:
    report = make_report("2021", t3={"r1": {"natural": 5}}, omit_rows={"t3": ["r2"]})
    found = check(report)
    assert by_rule(found, "T3-1") == []  # r2 missing: not evaluable
    assert by_rule(found, "T3-2") == []  # r1 total derived from its cells: consistent


def test_missing_table_skips_its_identities() -> None:
    report = make_report("2021", t4={"review_total": 3}, derive=False, omit_tables=["t4"])
    assert [f.rule for f in check(report)] == ["T0-2"]  # the absent table, nothing else


def test_t2_4_at_most_2019() -> None:
    report = make_report(
        "2019", t2={"normative": {"new_made": 5, "new_published": 5, "total_published": 3}}
    )
    found = by_rule(check(report), "T2-4")
    assert [f.message for f in found] == [
        "表二「规范性文件」行：本年新公开数量(5)大于对外公开总数量(3)，多2"
    ]
    assert found[0].severity == "warning"


def test_t2_4_equal_is_fine() -> None:
    report = make_report(
        "2019", t2={"rules": {"new_made": 8, "new_published": 8, "total_published": 8}}
    )
    assert check(report) == []


def test_cell_refs_keep_kind_information() -> None:
    report = make_report("2021", t3={"r1": {"natural": 1}, "a": {"natural": 0}})
    f = by_rule(check(report), "T3-1")[0]
    assert all(c.raw is not None for c in f.cells)
    assert report.cell("t3", "r1", "natural") is not None
    assert report.cell("t3", "r1", "natural").kind is CellKind.NUMBER  # type: ignore[union-attr]
