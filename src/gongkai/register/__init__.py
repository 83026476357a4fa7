"""The case register's domain: statutory deadlines and fees for disclosure applications.

Everything here is pure (no Django, no clock): :mod:`.deadlines` computes reply deadlines under
《条例》第三十条至第三十五条 with the working-day calendar passed in, and :mod:`.fees` computes
the 信息处理费 under 国办函〔2020〕109号.
"""

from __future__ import annotations

from .deadlines import (
    ARTICLE_NOTES,
    Channel,
    Deadline,
    DeadlineError,
    consultation_reply_due,
    due_date,
    receipt_date,
    supplement_notice_due,
)
from .fees import Fee, FeeBand, FeeBasis, FeeError, fee_by_count, fee_by_pages

__all__ = [
    "ARTICLE_NOTES",
    "Channel",
    "Deadline",
    "DeadlineError",
    "Fee",
    "FeeBand",
    "FeeBasis",
    "FeeError",
    "consultation_reply_due",
    "due_date",
    "fee_by_count",
    "fee_by_pages",
    "receipt_date",
    "supplement_notice_due",
]
