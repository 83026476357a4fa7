"""A finding: one thing the checker has to say about a report."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from ..report import Location, Value

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


class CellRef(BaseModel):
    """A cell a finding is about, with its value as read and where it was found."""

    table: str
    row: str
    column: str
    label: str  # official row label and column label, for people
    value: Value = None
    raw: str | None = None
    location: Location | None = None


class Finding(BaseModel):
    rule: str  # stable id, documented in docs/rules.md (e.g. T3-1)
    severity: Severity
    message: str  # Chinese, names the numbers involved
    source: str  # the rule's source: a 条例 article, the table's note, or "inferred"
    cells: list[CellRef] = Field(default_factory=list)
    location: Location | None = None  # where to look first (a cell, or a line of text)

    def __str__(self) -> str:
        place = self.location.describe() if self.location else ""
        head = f"[{self.rule}] {SEVERITY_ZH[self.severity]}"
        return f"{head} {place}：{self.message}" if place else f"{head}：{self.message}"


def fmt_number(v: int | Decimal | None) -> str:
    """Numbers in messages: integers plainly, amounts without trailing zeros."""
    if v is None:
        return "空"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return str(v)
