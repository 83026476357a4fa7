"""Sums stated in the text (X-9): "主动公开信息233条，其中…62条，…170条" must add up.

A breakdown is checked only when it is unmistakably one: the clause right before 其中 ends
with the total (a number and its unit), the sentence after 其中 is nothing but parts, every
part holds exactly one count in the total's unit, and nothing says the list is partial (等,
包括), approximate (约, 近, 超, 余) or a comparison (同比, 较, 增长). Anything else is left
alone: a breakdown that is not a partition (seed 003: "共发文275件，其中…公开信息15条，主动公开
15件") must never be reported.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..report import Report
from .finding import Finding, fmt_number
from .prose import ARABIC, drop_parentheses, mentions_other_year, passages, quote, sentences
from .rules import RULES

# Longer units first, so that 人次 is not read as 人 and 万元 not as 元.
UNITS = ("人次", "万元", "件", "条", "篇", "个", "项", "次", "场", "期", "份", "宗", "起", "人",
         "家", "户", "例", "元")  # fmt: skip
_UNIT = "|".join(UNITS)
_COUNT = re.compile(rf"(?<![\d.])(?P<n>{ARABIC})(?P<u>{_UNIT})")
_TOTAL_AT_END = re.compile(rf"(?<![\d.])(?P<n>{ARABIC})(?P<u>{_UNIT})$")
_APPROXIMATE_BEFORE = re.compile(r"(?:约|近|超|超过|逾|突破|将近|大约|不到|不足)$")
_APPROXIMATE_AFTER = re.compile(r"^(?:余|多|以上|左右|上下)")
_NOT_A_PARTITION = re.compile(
    r"等|包括|包含|同比|环比|较|比上年|比去年|增加|减少|增长|下降|提高|上升|占|累计|分别|均|各"
)
_PART_SEPARATOR = re.compile(r"[,、]")


def check_sums(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    for passage in passages(report):
        for sentence in sentences(drop_parentheses(passage.text)):
            for start in (m.start() for m in re.finditer("其中", sentence)):
                found = _breakdown(sentence, start)
                if found is None:
                    continue
                total, unit, parts, shown = found
                if mentions_other_year(shown, report.year):
                    continue
                added = sum((Decimal(p) for p in parts), start=Decimal(0))
                if added == total:
                    continue
                findings.append(
                    RULES["X-9"].finding(
                        location=passage.at(shown),
                        quote=quote(shown, 80),
                        parts="+".join(fmt_number(p) for p in parts),
                        total_parts=fmt_number(_plain(added)),
                        total=f"{fmt_number(total)}{unit}",
                        diff=fmt_number(_plain(abs(added - Decimal(total)))),
                    )
                )
    return findings


def _plain(v: Decimal) -> int | Decimal:
    return int(v) if v == v.to_integral_value() else v


def _breakdown(
    sentence: str, start: int
) -> tuple[int | Decimal, str, list[int | Decimal], str] | None:
    """(total, unit, parts, the text read) for the 其中 at ``start``, or None if unsure."""
    before, after = sentence[:start], sentence[start + 2 :]
    if not before.endswith(","):
        return None
    head = re.split(r"[,:]", before[:-1])[-1]
    m = _TOTAL_AT_END.search(head)
    if m is None or _APPROXIMATE_BEFORE.search(head[: m.start()]):
        return None
    total = _number(m.group("n"))
    unit = m.group("u")
    body = after.lstrip(",:")
    if not body or _NOT_A_PARTITION.search(body) or "其中" in body:
        return None
    parts = _parts(body, unit)
    if parts is None or len(parts) < 2 or total == 0:
        return None
    return total, unit, parts, f"{head},其中{body}"


def _parts(body: str, unit: str) -> list[int | Decimal] | None:
    """One count per part, all in ``unit``. Pieces with no count (a name cut at 、) join the
    next piece; a piece with two counts, another unit, or a trailing piece with no count
    makes the whole reading unsure."""
    parts: list[int | Decimal] = []
    pending = ""
    for piece in _PART_SEPARATOR.split(body):
        text = pending + piece
        counts = list(_COUNT.finditer(text))
        if not counts:
            pending = text
            continue
        if len(counts) > 1:
            return None
        c = counts[0]
        if c.group("u") != unit:
            return None
        if _APPROXIMATE_BEFORE.search(text[: c.start()]) or _APPROXIMATE_AFTER.search(
            text[c.end() :]
        ):
            return None
        parts.append(_number(c.group("n")))
        pending = ""
    if pending:
        return None
    return parts


def _number(token: str) -> int | Decimal:
    d = Decimal(token)
    return int(d) if d == d.to_integral_value() and "." not in token else d
