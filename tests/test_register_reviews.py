"""Reconsideration and litigation cases, counted for table 四."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import formats
from gongkai.register.cases import RegisterError
from gongkai.register.reviews import (
    ReviewCase,
    ReviewKind,
    ReviewResult,
    kind_label,
    result_label,
    t4_counts,
)

D = dt.date


def test_labels_come_from_table_4() -> None:
    assert [kind_label(k) for k in ReviewKind] == [
        "行政复议",
        "行政诉讼（未经复议直接起诉）",
        "行政诉讼（复议后起诉）",
    ]
    assert [result_label(r) for r in ReviewResult] == ["结果维持", "结果纠正", "其他结果"]
    assert result_label("pending") == "尚未审结"


def test_counting_rule_for_a_year() -> None:
    cases = [
        ReviewCase(
            "1", ReviewKind.RECONSIDERATION, D(2024, 2, 1), D(2024, 4, 1), ReviewResult.UPHELD
        ),
        ReviewCase("2", ReviewKind.RECONSIDERATION, D(2023, 11, 1), D(2024, 1, 10), "corrected"),
        ReviewCase("3", ReviewKind.DIRECT_SUIT, D(2024, 6, 1)),  # pending
        ReviewCase("4", ReviewKind.SUIT_AFTER_REVIEW, D(2024, 8, 1), D(2025, 2, 1), "other"),
        ReviewCase("5", ReviewKind.SUIT_AFTER_REVIEW, D(2022, 5, 1)),  # pending for years
        ReviewCase("6", ReviewKind.RECONSIDERATION, D(2023, 1, 1), D(2023, 3, 1), "upheld"),
        ReviewCase("7", ReviewKind.RECONSIDERATION, D(2025, 1, 2)),
    ]
    counts = t4_counts(cases, 2024)
    assert set(counts) == {c.key for c in formats.V2021.table("t4").columns}
    assert counts["review_upheld"] == 1 and counts["review_corrected"] == 1
    assert counts["review_total"] == 2  # 6 was decided in 2023, 7 filed in 2025
    assert counts["direct_pending"] == 1 and counts["direct_total"] == 1
    assert counts["after_pending"] == 2  # 4 undecided on 31 Dec 2024; 5 still pending
    assert counts["after_other"] == 0
    nxt = t4_counts(cases, 2025)
    assert nxt["after_other"] == 1 and nxt["after_pending"] == 1 and nxt["review_pending"] == 1
    assert cases[3].status_in(2023) is None


def test_invalid_cases() -> None:
    with pytest.raises(RegisterError, match="同时填写或同时留空"):
        ReviewCase("1", ReviewKind.RECONSIDERATION, D(2024, 1, 1), D(2024, 2, 1))
    with pytest.raises(RegisterError, match="早于收案日期"):
        ReviewCase("1", ReviewKind.RECONSIDERATION, D(2024, 3, 1), D(2024, 2, 1), "upheld")
    with pytest.raises(RegisterError, match="未知的案件类型"):
        ReviewCase("1", "appeal", D(2024, 3, 1))  # type: ignore[arg-type]
    with pytest.raises(RegisterError, match="未知的审结结果"):
        ReviewCase("1", ReviewKind.RECONSIDERATION, D(2024, 3, 1), D(2024, 4, 1), "won")  # type: ignore[arg-type]
