"""Soft table checks: T3-7 (much carried forward) and T3-8 (unpaid fees, 2021 format)."""

from __future__ import annotations

from gongkai import check

from .factories import make_report


def test_t3_7_more_carried_forward_than_received_is_info() -> None:
    report = make_report(
        "2021", t3={"a": {"natural": 1}, "r2": {"natural": 5}, "r4": {"natural": 4}}
    )
    # r1 = t + r4 - r2 = 1 + 4 - 5 = 0, r4 = 4
    found = [f for f in check(report) if f.rule == "T3-7"]
    assert [(f.rule, f.severity) for f in found] == [("T3-7", "info")]
    assert "「第四项」总计为4，大于「第一项」总计0" in found[0].message
    assert check(make_report("2021", t3={"a": {"natural": 5}, "r4": {"natural": 4}})) == []


def test_t3_8_unpaid_fee_needs_a_word_in_section_six() -> None:
    t3 = {"f2": {"natural": 6}}
    found = [f for f in check(make_report("2021", t3=t3, sections={6: "无。"})) if f.rule == "T3-8"]
    assert [(f.rule, f.severity) for f in found] == [("T3-8", "warning")]
    assert "第六部分" in found[0].message
    ok = make_report("2021", t3=t3, sections={6: "全年收取政府信息公开信息处理费 3940 元。"})
    assert [f for f in check(ok) if f.rule == "T3-8"] == []


def test_t3_8_without_section_six_reads_the_whole_text() -> None:
    report = make_report("2021", t3={"f2": {"natural": 1}}, sections={3: "发出收费通知1件。"})
    assert [f for f in check(report) if f.rule == "T3-8"] == []
    report = make_report("2021", t3={"f2": {"natural": 1}})
    found = [f for f in check(report) if f.rule == "T3-8"]
    assert len(found) == 1 and "报告文字" in found[0].message


def test_t3_8_does_not_apply_to_2019() -> None:
    report = make_report("2019", t3={"f": {"natural": 3}}, sections={6: "无。"})
    assert [f for f in check(report) if f.rule == "T3-8"] == []
