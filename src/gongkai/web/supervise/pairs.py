"""The two sides of a cross-report finding (stage ``batch``), for the report page.

* Cross-year (T3-6, T2-2, T2-3, T2-5): the finding's cells are the terms of the format's
  :class:`~gongkai.formats.Carry` in order (``lhs`` then ``rhs``), each of the previous
  (``prev``) or this (``cur``) year — so the previous year's cells and this year's are told
  apart even where they share a key (T2-2's 现行有效件数).
* Copy detection (DUP-1): the two reports' same-numbered sections (``IngestedSection``), with
  the differences marked — ``<del>`` for text only in the other report, ``<ins>`` for text
  only in this one (:func:`diff_html`, difflib on characters, or on sentences for long text).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ... import formats
from ...batch import crossyear, similarity
from ..reports.present import cell_id
from .models import IngestedFinding, IngestedReport, IngestedSection, Stage

Cells = list[dict[str, Any]]
# Above this many characters (both sides) the diff is on sentences: difflib's matching is
# quadratic in the worst case.
CHAR_DIFF_LIMIT = 6000
_SENTENCE = re.compile(r"[^。；！？;!?\n]*[。；！？;!?\n]?")
_NUMBERS = "一二三四五六"
_HERE_PART = re.compile(r"本报告第([一二三四五六])部分")


def _carry(report: IngestedReport, rule: str) -> formats.Carry | None:
    try:
        fmt = formats.get(report.format)
    except Exception:
        return None
    return next((c for c in fmt.carries if c.id == rule), None)


def split_cells(
    report: IngestedReport, row: IngestedFinding, finding: dict[str, Any]
) -> tuple[Cells, Cells]:
    """(this year's cells, the previous year's cells) of a finding; every cell is this
    report's unless the finding is a cross-year one."""
    cells: Cells = finding["cells"]
    if row.stage != Stage.BATCH or row.rule not in crossyear.RULES:
        return cells, []
    carry = _carry(report, row.rule)
    terms = (*carry.lhs, *carry.rhs) if carry else ()
    if len(terms) == len(cells):
        cur = [c for c, t in zip(cells, terms, strict=True) if t.year == "cur"]
        prev = [c for c, t in zip(cells, terms, strict=True) if t.year == "prev"]
        return cur, prev
    # Not the carry's shape (a format changed since): tell them apart by file name.
    mine = Path(report.file).name
    related = Path(row.related_report.file).name if row.related_report else None
    if related is None or related == mine:
        return cells, []
    prev = [c for c in cells if (c.get("location") or {}).get("file") == related]
    return [c for c in cells if c not in prev], prev


def _value(cell: dict[str, Any]) -> str:
    raw = cell.get("raw")
    if raw not in (None, ""):
        return str(raw)
    value = cell.get("value")
    return "空" if value in (None, "") else str(value)


def _cell_rows(cells: Cells, url: str = "") -> list[dict[str, str]]:
    return [
        {
            "label": c.get("label", ""),
            "value": _value(c),
            "href": f"{url}#{cell_id((c['table'], c['row'], c['column']))}",
        }
        for c in cells
    ]


def _tokens(text: str, by_sentence: bool) -> list[str]:
    if not by_sentence:
        return list(text)
    return [s for s in _SENTENCE.findall(text) if s]


def diff_html(other: str, mine: str) -> tuple[SafeString, SafeString, float]:
    """(the other text with what only it has in ``<del>``, this text with what only it has
    in ``<ins>``, the share of characters in common)."""
    by_sentence = len(other) + len(mine) > CHAR_DIFF_LIMIT
    a, b = _tokens(other, by_sentence), _tokens(mine, by_sentence)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    same = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        x, y = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(x)
            right.append(y)
            same += sum(len(t) for t in a[i1:i2])
            continue
        if x:
            left.append(f"<del>{x}</del>")
        if y:
            right.append(f"<ins>{y}</ins>")
    total = max(len(other), len(mine), 1)

    def br(parts: list[str]) -> SafeString:
        return mark_safe("".join(parts).replace("\n", "<br>"))

    return br(left), br(right), same / total


def _copy_pair(
    row: IngestedFinding, mine: dict[int, IngestedSection], theirs: dict[int, IngestedSection]
) -> list[dict[str, Any]]:
    m = _HERE_PART.search(row.message)
    best = _NUMBERS.index(m.group(1)) + 1 if m else None
    parts = []
    for number in sorted(set(mine) & set(theirs)):
        here, there = mine[number], theirs[number]
        left, right, ratio = diff_html(there.text or "", here.text or "")
        parts.append(
            {
                "number": number,
                "heading": here.heading or there.heading or similarity._part(number),
                "left": left,
                "right": right,
                "ratio": f"{ratio:.0%}",
                "share": ratio,
                "best": number == best,
            }
        )
    if best is None and parts:
        max(parts, key=lambda p: p["share"])["best"] = True
    return parts


def side_by_side(
    report: IngestedReport,
    rows: list[IngestedFinding],
    split: list[tuple[Cells, Cells]],
    visible: set[int],
) -> dict[int, dict[str, Any]]:
    """Finding id → what its side-by-side block shows (cross-report findings only)."""
    out: dict[int, dict[str, Any]] = {}
    copies = [r for r in rows if r.rule == similarity.RULE.id and r.related_report_id in visible]
    sections: dict[int, dict[int, IngestedSection]] = defaultdict(dict)
    if copies:
        ids = {report.pk, *(r.related_report_id for r in copies)}
        for s in IngestedSection.objects.filter(report_id__in=ids).order_by("number"):
            sections[s.report_id][s.number] = s
    for row, (cur, prev) in zip(rows, split, strict=True):
        related = row.related_report
        if row.stage != Stage.BATCH or related is None or related.pk not in visible:
            continue
        url = reverse("supervise:report", kwargs={"pk": related.pk})
        if row.rule == similarity.RULE.id:
            out[row.pk] = {
                "kind": "copy",
                "related": related,
                "url": url,
                "parts": _copy_pair(row, sections[report.pk], sections[related.pk]),
            }
        elif row.rule in crossyear.RULES:
            out[row.pk] = {
                "kind": "carry",
                "related": related,
                "url": url,
                "prev": _cell_rows(prev, url),
                "cur": _cell_rows(cur),
            }
    return out
