"""信息处理费 under 国办函〔2020〕109号 (spec §9): 第四条 按件, 第五条 按量, both 超额累进."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.register import FeeBasis, FeeError, fee_by_count, fee_by_pages
from gongkai.register.fees import count_unit_price, page_unit_price


# 第四条: ≤10 free; 11–30 at 100; then bands of 10, each +100 元/件.
@pytest.mark.parametrize(
    ("ordinal", "price"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_count_unit_price(ordinal: int, price: int) -> None:
    assert count_unit_price(ordinal) == Decimal(price)


def test_45_applications_in_a_month_cost_5500() -> None:
    # spec §9: 20×100 + 10×200 + 5×300.
    fee = fee_by_count(45)
    assert fee.total == Decimal(5500)
    assert fee.basis is FeeBasis.BY_COUNT
    assert fee.breakdown() == [
        "第1–10件：10件，免费",
        "第11–30件：20件 × 100元/件 = 2000元",
        "第31–40件：10件 × 200元/件 = 2000元",
        "第41–45件：5件 × 300元/件 = 1500元",
    ]
    assert "国办函〔2020〕109号《政府信息公开信息处理费管理办法》第四条" in fee.articles


def test_the_count_is_cumulative_over_the_month() -> None:
    # The 11th application of the month costs 100 元 given 10 earlier ones.
    fee = fee_by_count(1, earlier_this_month=10)
    assert fee.total == Decimal(100)
    assert fee.breakdown() == ["第11件：1件 × 100元/件 = 100元"]
    assert fee_by_count(1, earlier_this_month=9).total == 0
    # Charging month by month adds up to charging the month at once.
    assert fee_by_count(30).total + fee_by_count(15, earlier_this_month=30).total == Decimal(5500)


# 第五条: ≤30 pages free; 31–100 at 10; 101–200 at 20; 201+ at 40 元/页.
@pytest.mark.parametrize(
    ("page", "price"), [(1, 0), (30, 0), (31, 10), (100, 10), (101, 20), (200, 20), (201, 40)]
)
def test_page_unit_price(page: int, price: int) -> None:
    assert page_unit_price(page) == Decimal(price)


def test_250_pages_cost_4700() -> None:
    # spec §9: 70×10 + 100×20 + 50×40.
    fee = fee_by_pages(250)
    assert fee.total == Decimal(4700)
    assert fee.basis is FeeBasis.BY_PAGES
    assert [b.amount for b in fee.bands] == [Decimal(0), Decimal(700), Decimal(2000), Decimal(2000)]
    assert fee.breakdown()[-1] == "第201–250页：50页 × 40元/页 = 2000元"


def test_small_requests_are_free() -> None:
    assert fee_by_pages(30).total == 0
    assert fee_by_pages(0).total == 0 and fee_by_pages(0).bands == []
    assert fee_by_count(10).total == 0


def test_amounts_are_decimal() -> None:
    assert isinstance(fee_by_pages(31).total, Decimal)
    assert fee_by_pages(31).model_dump(mode="json")["total"] == "10"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fee_by_count(0), "件数应至少为1"),
        (lambda: fee_by_count(1, earlier_this_month=-1), "不能为负数"),
        (lambda: fee_by_pages(-1), "页数不能为负数"),
        (lambda: count_unit_price(0), "件次应从1开始"),
    ],
)
def test_bad_input(call: object, message: str) -> None:
    with pytest.raises(FeeError, match=message):
        call()  # type: ignore[operator]
