"""X-9: a breakdown stated in the text ("共N条，其中A条、B条") must add up — when it is one."""

from __future__ import annotations

import pytest

from gongkai import check
from gongkai.check.finding import Finding

from .factories import make_report


def sums(text: str, year: int = 2020) -> list[Finding]:
    report = make_report("2019", year=year, sections={2: text})
    return [f for f in check(report) if f.rule == "X-9"]


SEED_000 = (
    "2020年，我局主动公开信息233条，其中主动公开政府信息数62条，临安区科技局新浪官方微博、"
    "临安科技微信公众号公开信息数170条。重要报告1条，公开2020年度政府信息公开工作年度报告。"
)


def test_seed_000_233_is_not_62_plus_170() -> None:
    found = sums(SEED_000)
    assert [(f.rule, f.severity) for f in found] == [("X-9", "warning")]
    msg = found[0].message
    assert "分项62+170=232，与所述总数233条不符，相差1" in msg
    assert "主动公开信息233条，其中" in msg  # the quote uses full-width punctuation again
    assert found[0].location is not None and found[0].location.label == "主动公开政府信息情况"


@pytest.mark.parametrize(
    "text",
    [
        # 淮安 2024: adds up
        "政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，"
        "尚未审结 37 件；",
        # 沭阳 2025: adds up, counts before their nouns
        "年度涌现爆款内容52条，其中1条播放量破亿、2条破千万、49条破百万。",
        "共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；",
    ],
)
def test_breakdowns_that_add_up(text: str) -> None:
    assert sums(text, year=2024) == []


@pytest.mark.parametrize(
    "text",
    [
        # seed 003: not a partition (units differ)
        "2023年，我局共发文275件，其中通过政府门户网站公开信息15条，主动公开15件。",
        # seed 002: 等 = the list is partial
        "2021年我局主动公开政府信息共65条，其中工作动态39条、通知公告20条等。",
        # one part only
        "微信公众号共编发文章 1640 篇，其中原创文章 294 篇。",
        # approximate total (上海市政府办公厅 2025)
        "粉丝数累积超 3170 万，其中，微信公众号粉丝达 1360 万，海外平台粉丝突破 300 万。",
        # 其中包括: a selection (上海市科委 2024)
        "当年发布政府信息 393 件，其中包括：行政规范性文件 13 件；规划计划文件 2 件；",
        # a comparison after the parts
        "收到申请10件，其中自然人5件，法人3件，较上年增加2件。",
        # a trailing clause without a count
        "收到申请10件，其中自然人5件，法人3件，均已办结。",
        # 余: approximate part
        "发布信息500条，其中网站300余条，微信100条。",
        # 其中 not right after the total
        "累计发布解读类信息 21 条，打造全品类解读产品矩阵，其中图文及视频类产品共 17 篇，"
        "占比超八成。",
        # percentages in brackets are dropped, the breakdown starts a new sentence
        "办结 1191 件（含上年结转 189 件）。其中，予以公开 208 件（17.46%），"
        "不予公开 20 件（1.68%）。",
    ],
)
def test_what_is_not_surely_a_breakdown_is_left_alone(text: str) -> None:
    assert sums(text, year=2024) == []


def test_parts_that_exceed_the_total() -> None:
    # 上海市科委 2024: 1744+393+21+2 = 2160, not 2139 (解读类 probably overlaps).
    text = (
        "“上海科技”网站全年累计发布信息 2139 条，其中动态类信息发布 1744 条，政务信息发布 393 条，"
        "解读类信息发布 21 条，回应公众关注热点信息 2 条。"
    )
    found = sums(text, year=2024)
    assert len(found) == 1
    assert "1744+393+21+2=2160" in found[0].message and "相差21" in found[0].message


def test_bracketed_notes_inside_parts_are_dropped() -> None:
    text = "收到申请10件，其中自然人8件（含撤回2件），法人2件（20%）。"
    assert sums(text) == []
    assert len(sums("收到申请10件，其中自然人8件（含撤回2件），法人3件（30%）。")) == 1
