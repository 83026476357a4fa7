"""The official report formats as data (spec §1, §3–5, §11).

``FORMATS`` maps a format key to its :class:`Format`; :func:`for_year` picks the format a report
year must use and :func:`detect` confirms it from the label text found in a report.
"""

from __future__ import annotations

from ._common import t3_result_rows
from ._model import Block, Carry, CellType, Column, Format, Identity, Row, Section, Table, Term
from .labels import normalise
from .v2019 import FORMAT as V2019
from .v2021 import FORMAT as V2021

FORMATS: dict[str, Format] = {f.key: f for f in (V2019, V2021)}

__all__ = [
    "FORMATS",
    "V2019",
    "V2021",
    "Block",
    "Carry",
    "CellType",
    "Column",
    "Format",
    "Identity",
    "Row",
    "Section",
    "Table",
    "Term",
    "detect",
    "for_year",
    "get",
    "normalise",
    "t3_result_rows",
]


def get(key: str) -> Format:
    try:
        return FORMATS[key]
    except KeyError:
        raise KeyError(f"未知的年报格式：{key!r}（可用：{'、'.join(FORMATS)}）") from None


def for_year(year: int) -> Format | None:
    """The format a report for ``year`` must use, or None for pre-2019 years (out of scope)."""
    for f in FORMATS.values():
        if f.covers(year):
            return f
    return None


def marker_counts(text: str) -> dict[str, int]:
    """How many of each format's marker labels occur in ``text`` (normalised)."""
    norm = normalise(text)
    return {f.key: sum(normalise(m) in norm for m in f.markers) for f in FORMATS.values()}


def detect(text: str, year: int | None) -> tuple[Format | None, str | None]:
    """Pick the format from the labels found, cross-checked with the year (spec §1).

    Returns the format and, when the markers and the year disagree or neither decides, a
    Chinese explanation for a warning. The markers win over the year: some agencies used the
    wrong template, and the tables must be read as they were written.
    """
    counts = marker_counts(text)
    by_year = for_year(year) if year is not None else None
    best = max(counts, key=lambda k: counts[k])
    runner_up = min(counts.values())
    if counts[best] > runner_up:
        found = FORMATS[best]
        if by_year is not None and by_year.key != found.key:
            return found, (
                f"报告年度为{year}年，应使用{by_year.name}，但表格标签属于{found.name}；"
                f"按{found.name}读取"
            )
        return found, None
    if by_year is not None:
        return by_year, None
    return None, "无法确定年报格式：既没有年度，也没有可区分两种格式的表格标签"
