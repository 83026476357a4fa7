"""信息处理费: the fee for applications beyond a reasonable number or frequency.

《条例》第四十二条 allows a 信息处理费 only when the number or frequency of applications clearly
exceeds a reasonable range; the rates are set by 国办函〔2020〕109号《政府信息公开信息处理费
管理办法》 (spec §9). Both ways of charging are 超额累进 (progressive: each unit is charged at
the rate of the band it falls in), and an agency picks one of them per application, never both
(第三条):

* 按件计收 (第四条): per applicant per 自然月, cumulative — 件 1–10 free, 11–30 at 100 元/件,
  then bands of 10 件, each 100 元/件 more (31–40 at 200, 41–50 at 300, …).
* 按量计收 (第五条): per application, by pages — 1–30 free, 31–100 at 10 元/页, 101–200 at
  20 元/页, 201 and up at 40 元/页.

Pure arithmetic, amounts in ``Decimal`` 元.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from ..errors import GongkaiError

ART_42 = "《条例》第四十二条"
MEASURES = "国办函〔2020〕109号《政府信息公开信息处理费管理办法》"
ART_FEE_3 = f"{MEASURES}第三条"
ART_FEE_4 = f"{MEASURES}第四条"
ART_FEE_5 = f"{MEASURES}第五条"

FREE_COUNT = 10  # 第四条（一）
FIRST_BAND_LAST = 30  # 第四条（二）: 11–30 件
FIRST_BAND_PRICE = Decimal(100)
BAND_SIZE = 10  # 第四条（三）: 以10件为一档
BAND_STEP = Decimal(100)  # 每增加一档，收费标准提高100元/件

# 第五条: (last page of the band, or None for no limit; 元 per page)
PAGE_BANDS: tuple[tuple[int | None, Decimal], ...] = (
    (30, Decimal(0)),
    (100, Decimal(10)),
    (200, Decimal(20)),
    (None, Decimal(40)),
)


class FeeError(GongkaiError):
    """A fee question with impossible input (a negative count, zero pages…)."""


class FeeBasis(StrEnum):
    BY_COUNT = "按件"
    BY_PAGES = "按量"


class FeeBand(BaseModel):
    """The units of one rate band that this charge covers."""

    model_config = ConfigDict(frozen=True)

    first: int  # first unit (件 of the month, or page) in this band covered by the charge
    last: int  # last unit covered, inclusive
    units: int  # last - first + 1
    unit: str  # 件 or 页
    unit_price: Decimal  # 元 per unit
    amount: Decimal  # units × unit_price, 元

    def describe(self) -> str:
        """``第11–30件：20件 × 100元/件 = 2000元`` (``免费`` for a free band)."""
        span = (
            f"第{self.first}{self.unit}"
            if self.first == self.last
            else (f"第{self.first}–{self.last}{self.unit}")
        )
        if not self.unit_price:
            return f"{span}：{self.units}{self.unit}，免费"
        return (
            f"{span}：{self.units}{self.unit} × {self.unit_price}元/{self.unit} = {self.amount}元"
        )


class Fee(BaseModel):
    """A 信息处理费 and its breakdown by band."""

    model_config = ConfigDict(frozen=True)

    basis: FeeBasis
    quantity: int  # 件 charged now, or pages
    total: Decimal  # 元
    bands: list[FeeBand]
    articles: list[str]

    def breakdown(self) -> list[str]:
        return [b.describe() for b in self.bands]


def count_unit_price(ordinal: int) -> Decimal:
    """The fee for the ``ordinal``-th application (1-based) of one applicant in one month."""
    if ordinal < 1:
        raise FeeError(f"件次应从1开始，得到 {ordinal}")
    if ordinal <= FREE_COUNT:
        return Decimal(0)
    if ordinal <= FIRST_BAND_LAST:
        return FIRST_BAND_PRICE
    # 第四条（三）: 31–40 is the first band above 30 (200 元/件), 41–50 the second (300), …
    band = (ordinal - FIRST_BAND_LAST - 1) // BAND_SIZE + 1
    return FIRST_BAND_PRICE + BAND_STEP * band


def page_unit_price(page: int) -> Decimal:
    """The fee for the ``page``-th page (1-based) of one application."""
    if page < 1:
        raise FeeError(f"页码应从1开始，得到 {page}")
    for last, price in PAGE_BANDS:
        if last is None or page <= last:
            return price
    raise AssertionError("unreachable: the last band has no limit")


def _bands(first: int, last: int, price_of: Callable[[int], Decimal], unit: str) -> list[FeeBand]:
    # Group consecutive units with the same price into one line of the breakdown.
    runs: list[tuple[int, int, Decimal]] = []
    for n in range(first, last + 1):
        price = price_of(n)
        if runs and runs[-1][2] == price:
            runs[-1] = (runs[-1][0], n, price)
        else:
            runs.append((n, n, price))
    return [
        FeeBand(
            first=a,
            last=b,
            units=b - a + 1,
            unit=unit,
            unit_price=price,
            amount=price * (b - a + 1),
        )
        for a, b, price in runs
    ]


def fee_by_count(count: int = 1, *, earlier_this_month: int = 0) -> Fee:
    """按件计收 (第四条): the fee for ``count`` new 件 from one applicant, given
    ``earlier_this_month`` 件 already received from the same applicant in the same 自然月.

    The count is cumulative over the month, so the 11th application costs 100 元 whether it
    arrives alone or with ten others. A multi-item application may be split into 件 by the
    "一事一申请" principle before calling this (第四条第一款).
    """
    if count < 1:
        raise FeeError(f"件数应至少为1，得到 {count}")
    if earlier_this_month < 0:
        raise FeeError(f"本月此前的件数不能为负数，得到 {earlier_this_month}")
    first = earlier_this_month + 1
    last = earlier_this_month + count
    bands = _bands(first, last, count_unit_price, "件")
    return Fee(
        basis=FeeBasis.BY_COUNT,
        quantity=count,
        total=sum((b.amount for b in bands), Decimal(0)),
        bands=bands,
        articles=[ART_42, ART_FEE_3, ART_FEE_4],
    )


def fee_by_pages(pages: int) -> Fee:
    """按量计收 (第五条): the fee for one application answered with ``pages`` pages (paper,
    e-mail or copied electronic data)."""
    if pages < 0:
        raise FeeError(f"页数不能为负数，得到 {pages}")
    bands = _bands(1, pages, page_unit_price, "页") if pages else []
    return Fee(
        basis=FeeBasis.BY_PAGES,
        quantity=pages,
        total=sum((b.amount for b in bands), Decimal(0)),
        bands=bands,
        articles=[ART_42, ART_FEE_3, ART_FEE_5],
    )


__all__ = [
    "ART_42",
    "ART_FEE_3",
    "ART_FEE_4",
    "ART_FEE_5",
    "Fee",
    "FeeBand",
    "FeeBasis",
    "FeeError",
    "count_unit_price",
    "fee_by_count",
    "fee_by_pages",
    "page_unit_price",
]
