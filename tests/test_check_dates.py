"""X-7 and X-7b: the report year and the signature date (条例第四十九条)."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai import check
from gongkai.check.finding import Finding

from .factories import make_report

PERIOD_000 = "报告所列数据统计期限自2020年1月1日起至2020年12月31日止。"
SIGNED_000 = "本年度无其它需报告事项。\n\n                杭州市临安区科技局\n\n2021年1月20日\n "


def dated(**kw: Any) -> list[Finding]:
    kw.setdefault("year", 2020)
    return [f for f in check(make_report("2019", **kw)) if f.rule.startswith("X-7")]


def test_seed_000_is_consistent() -> None:
    assert (
        dated(preamble=PERIOD_000, sections={6: SIGNED_000}, agency="杭州市临安区科学技术局") == []
    )


@pytest.mark.parametrize(
    "period",
    [
        "本年度报告中所列数据的统计期限从2020年1月1日到12月31日止。",  # seed 004
        "报告所列统计期限自 2020 年 1 月 1 日至 2020 年 12 月 31 日。",  # 淮安 (PDF spaces)
        "本年度报告中所列数据的统计周期为 2020 年 1 月 1 日至 12 月 31 日。",  # 上海市科委
    ],
)
def test_period_phrasings_agree(period: str) -> None:
    assert dated(preamble=period) == []


def test_period_of_another_year_is_a_warning() -> None:
    found = dated(preamble="报告所列数据统计期限自2019年1月1日起至2019年12月31日止。")
    assert [(f.rule, f.severity) for f in found] == [("X-7", "warning")]
    assert "标题为2020年" in found[0].message and "统计期限为2019年" in found[0].message


def test_title_year_differs_from_report_year() -> None:
    found = dated(title="某某局2019年政府信息公开工作年度报告")
    assert [f.rule for f in found] == ["X-7"]


def test_signature_in_the_report_year_is_a_warning() -> None:
    found = dated(sections={6: "无。\n某某局\n2020年12月30日"})
    assert [f.rule for f in found] == ["X-7"]
    assert "落款日期为2020年12月30日" in found[0].message


def test_late_signature_of_a_department_is_info() -> None:
    found = dated(sections={6: "无。\n某某局\n2021年2月20日"}, agency="某某市科学技术局")
    assert [(f.rule, f.severity) for f in found] == [("X-7b", "info")]
    assert "2021年1月31日" in found[0].message


def test_government_report_is_due_by_31_march() -> None:
    assert dated(sections={6: "无。\n2021年2月20日"}, agency="临安区人民政府") == []
    found = dated(sections={6: "无。\n2021年4月2日"}, agency="临安区人民政府")
    assert [f.rule for f in found] == ["X-7b"]
    assert "2021年3月31日" in found[0].message


def test_signature_under_the_title() -> None:
    # 沭阳 2025: the date in brackets right under the title
    found = dated(
        year=2025,
        preamble="沐阳县人民政府\n(2026年1月23日)\n依据《条例》……",
        agency="沐阳县人民政府",
    )
    assert found == []
    found = dated(year=2025, preamble="沐阳县人民政府\n(2027年1月23日)\n", agency="沐阳县人民政府")
    assert [f.rule for f in found] == ["X-7"]


def test_signature_in_chinese_numerals() -> None:
    assert dated(sections={6: "无。\n二〇二一年一月二十日"}) == []
    found = dated(sections={6: "无。\n二〇二一年二月二十日"})
    assert [f.rule for f in found] == ["X-7b"]


def test_a_date_inside_a_sentence_is_not_a_signature() -> None:
    assert dated(sections={6: "本单位于2022年5月1日修订了公开指南。"}) == []
