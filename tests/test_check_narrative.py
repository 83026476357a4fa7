"""Narrative ↔ table cross-checks (X-1 … X-4, X-6, X-8): clear phrasings only, never a guess.

Sentences marked "seed" or with a report's name are copied from the seed texts and from the
real reports in shared/corpus/real.
"""

from __future__ import annotations

from typing import Any

import pytest

from gongkai import check
from gongkai.check.finding import Finding

from .factories import make_report

T4_004 = {
    "review_upheld": 8,
    "review_corrected": 1,
    "direct_upheld": 2,
    "after_upheld": 2,
}


def narrative(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith("X-")]


def run(
    text: str, fmt: str = "2021", section: int = 1, year: int | None = None, **tables: Any
) -> list[Finding]:
    year = year or (2020 if fmt == "2019" else 2023)
    return narrative(check(make_report(fmt, year=year, sections={section: text}, **tables)))


def received(n: int, carried: int = 0) -> dict[str, Any]:
    """A consistent table 三 with ``n`` new applications and ``carried`` carried over."""
    return {"t3": {"a": {"natural": n + carried}, "r2": {"natural": carried}}}


# --- X-1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n"),
    [
        # seed 004
        ("2020年，区政府层面全年共收到政府信息依申请公开33件，全部如期答复。", 33),
        # seed 003
        ("2023年我局收到依申请公开件2件，政府信息公开的行政复议1件。", 2),
        # 淮安 2024, with the PDF's line breaks and spaces
        (
            "2024 年，全市共受理政府信息公开申请 3119 件，答\n"
            "复 3050 件（含上年度结转申请 34 件）。",
            3119,
        ),
        ("全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件。", 34),  # 上海市科委
        ("本年度收到申请两件，均已按期答复。", 2),
        ("共受理政府信息公开申请十二件。", 12),
    ],
)
def test_x1_agrees(text: str, n: int) -> None:
    assert [f for f in run(text, **received(n)) if f.rule == "X-1"] == []


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("2020年，区政府层面全年共收到政府信息依申请公开33件，全部如期答复。", 32),
        ("本年度收到申请两件，均已按期答复。", 3),
    ],
)
def test_x1_disagrees(text: str, n: int) -> None:
    found = run(text, **received(n))
    assert [(f.rule, f.severity) for f in found] == [("X-1", "warning")]
    assert f"表三第一项总计为{n}" in found[0].message
    assert [c.row for c in found[0].cells] == ["r1", "r2"]


def test_x1_accepts_new_plus_carried_over() -> None:
    # 沭阳 2025: 749 = 713 new + 36 carried over
    text = "全县全年共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件。"
    report = make_report(
        "2021",
        year=2025,
        t3={"a": {"natural": 741, "legal_services": 8}, "r2": {"natural": 36}},
        sections={1: text},
    )
    assert narrative(check(report)) == []


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2020年，我局没有发生依申请公开政府信息的情况。", 2020),  # seed 000
        (
            "我局2020年度未收到公民、法人和其他组织提出的政府信息公开申请，"
            "也未发生政府信息公开收费及减免情况。",
            2020,
        ),  # seed 001
        ("区科技局2021年度未收到依申请公开政府信息件。", 2021),  # seed 002
    ],
)
def test_x1_none_received(text: str, year: int) -> None:
    assert run(text, year=year) == []
    found = run(text, year=year, **received(2))
    assert [f.rule for f in found] == ["X-1"]
    assert "称收到申请0件" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "受理行政许可申请500件。",
        "收到信访件5件。",
        "2019年收到政府信息公开申请10件。",  # another year
        "较上年收到政府信息公开申请10件有所减少。",
        "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",  # 上海市政府办公厅 2025
        "未收到针对依申请公开答复的投诉。",
        "收到申请十余件。",
        "共办理政府信息公开申请答复3050件。",
    ],
)
def test_x1_ignores_what_is_not_a_count_received(text: str) -> None:
    assert run(text, **received(7)) == []


# --- X-2 -------------------------------------------------------------------------------------


SEED_002 = (
    "区科技局2021年度未收到依申请公开政府信息件，未发生针对本单位的有关政府信息公开的"
    "行政复议、行政诉讼。"
)


def test_x2_agrees_when_table_four_is_zero() -> None:
    assert run(SEED_002) == []


def test_x2_names_the_non_zero_cells() -> None:
    found = run(SEED_002, t4={"after_pending": 1})
    assert [f.rule for f in found] == ["X-2"]
    assert "「行政诉讼·复议后起诉·尚未审结」为1" in found[0].message
    assert "「行政诉讼·复议后起诉·总计」为1" in found[0].message


def test_x2_review_only() -> None:
    text = "本年度未发生因政府信息公开被申请行政复议的情况，被提起行政诉讼1件。"
    assert run(text, t4={"direct_upheld": 1}) == []
    found = run(text, t4={"review_upheld": 1})
    assert [f.rule for f in found] == ["X-2"]


@pytest.mark.parametrize(
    "text",
    [
        "全年共收到政府信息依申请公开33件，全部如期答复，未出现行政复议纠错和行政诉讼败诉情况。",
        "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",
        "涉及的行政诉讼数为 0 件。",
        "无法通过行政复议解决的，依法应诉。",
    ],
)
def test_x2_ignores_outcomes(text: str) -> None:
    found = run(text, t4=T4_004, t3={"a": {"natural": 33}})
    assert [f for f in found if f.rule == "X-2"] == []


# --- X-3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("2023年我局收到依申请公开件2件，政府信息公开的行政复议1件。", 1),  # seed 003
        ("政府信息公开行政复议 351 件，其中结果维持 72 件。", 351),  # 淮安 2024
        ("2023年市科委有 1 件涉及政府信息公开工作的行政复议。", 1),  # 上海市科委 2024
        ("因政府信息公开被申请行政复议一件。", 1),
    ],
)
def test_x3(text: str, n: int) -> None:
    t3 = {"a": {"natural": 2}}
    assert [f.rule for f in run(text, t3=t3, t4={"review_upheld": n})] == []
    found = run(text, t3=t3, t4={"review_upheld": n + 1})
    assert [f.rule for f in found] == ["X-3"]
    assert f"称行政复议{n}件" in found[0].message
    assert f"「总计」为{n + 1}" in found[0].message


def test_x3_needs_disclosure_in_the_clause() -> None:
    # A city's count of all 行政复议 cases is not the disclosure count.
    text = "全市行政复议机关共办理行政复议案件500件，其中政府信息公开类3件。"
    assert run(text, t4={"review_upheld": 3}) == []


# --- X-4 -------------------------------------------------------------------------------------

SEED_004 = "全年共收到政府信息依申请公开33件，全部如期答复，未出现行政复议纠错和行政诉讼败诉情况。"


def test_x4_seed_004() -> None:
    found = run(SEED_004, fmt="2019", t3={"a": {"natural": 30, "commercial": 3}}, t4=T4_004)
    assert [(f.rule, f.severity) for f in found] == [("X-4", "warning")]
    f = found[0]
    assert "未出现行政复议纠错" in f.message
    assert "「行政复议·结果纠正」为1" in f.message
    assert [(c.table, c.column) for c in f.cells] == [("t4", "review_corrected")]


def test_x4_litigation_lost() -> None:
    found = run(SEED_004, t3={"a": {"natural": 33}}, t4={"direct_corrected": 1})
    assert [f.rule for f in found] == ["X-4"]
    assert "没有行政诉讼败诉" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "2024 年市科委有 1 件涉及政府信息公开工作的行政复议，该行政复议件未被复议审查机关纠错。",
        "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",
    ],
)
def test_x4_other_phrasings(text: str) -> None:
    assert [f.rule for f in run(text, t4={"review_upheld": 1})] == []
    found = run(text, t4={"review_corrected": 1})
    assert "X-4" in [f.rule for f in found]


def test_x4_ignores_a_positive_statement() -> None:
    assert run("行政复议纠错1件，已整改。", t4={"review_corrected": 1}) == []


# --- X-6 -------------------------------------------------------------------------------------


def test_x6_fee_without_applications() -> None:
    text = "2023年，收取政府信息公开信息处理费 3940 元。"
    found = run(text, section=6)
    assert [f.rule for f in found] == ["X-6"]
    assert "3940元" in found[0].message
    assert run(text, section=6, **received(3)) == []
    assert run("本年度未收取信息处理费。", section=6) == []  # seed 003


# --- X-8 -------------------------------------------------------------------------------------


def test_x8_seed_004_is_info() -> None:
    text = "以区政府及区府办名义全年制发并对外发布行政规范性文件19件，全部实现图文解读。"
    report = make_report(
        "2019",
        t2={"normative": {"new_made": 8, "new_published": 8, "total_published": 20}},
        sections={1: text},
    )
    found = narrative(check(report))
    assert [(f.rule, f.severity) for f in found] == [("X-8", "info")]
    assert "本年新制作数量8" in found[0].message


def test_x8_agrees_2021() -> None:
    text = "全年新增公开市政府规章 1 件、市政府及市政府办政策性文件 11 件。"  # 淮安 2024
    report = make_report(
        "2021", year=2024, t2={"rules": {"issued": 1, "in_force": 11}}, sections={1: text}
    )
    assert narrative(check(report)) == []


def test_x8_combined_count_is_not_read() -> None:
    text = "全年制发规章和规范性文件共5件。"
    assert run(text, t2={"rules": {"issued": 1}}) == []


# --- whole reports: no false warnings ---------------------------------------------------------


def test_real_report_narratives_agree_with_their_tables() -> None:
    # 淮安 2024: the narrative restates table 三 and table 四.
    text = (
        "（二）依申请公开情况。2024 年，全市共受理政府信息公开申请 3119 件，答\n"
        "复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度\n答复），"
        "均在法定期限内予以答复。政府信息公开行政复议 351\n件，其中结果维持 72 件，结果纠正 64 件，"
        "其他结果 178 件，尚\n未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25\n件，"
        "结果纠正 5 件，其他结果 9 件，尚未审结 7 件。"
    )
    report = make_report(
        "2021",
        year=2024,
        agency="淮安市人民政府",
        t3={
            "a": {"natural": 2932, "commercial": 53, "legal_services": 61, "other": 4},
            "r2": {"natural": 34},
            "r4": {"natural": 103},
        },
        t4={
            "review_upheld": 72,
            "review_corrected": 64,
            "review_other": 178,
            "review_pending": 37,
            "direct_upheld": 13,
            "direct_corrected": 4,
            "direct_other": 8,
            "direct_pending": 1,
            "after_upheld": 12,
            "after_corrected": 1,
            "after_other": 1,
            "after_pending": 6,
        },
        sections={1: text, 6: "全年收取政府信息公开信息处理费 3940 元。"},
    )
    assert report.number("t3", "r1", "total") == 3119
    assert check(report) == []


@pytest.mark.parametrize(
    "text",
    [
        "本年度收到政府信息公开申请3件，未收到法人或其他组织的政府信息公开申请。",
        "本年度未收到法人或其他组织提出的政府信息公开申请。",
        "收到网上申请3件，未收到当面提交的政府信息公开申请。",
    ],
)
def test_x1_none_received_of_a_subset_is_not_zero(text: str) -> None:
    assert run(text, **received(3)) == []
