"""The report year and the signature date (X-7, X-7b; 条例第四十九条, spec §6, §8).

The title names the year Y, the preamble's 统计期限 runs from 1 January of Y, and a report for
Y is signed and published in Y+1: by 31 January for a department (条例第四十九条第一款), by 31
March for the report on a 县级以上地方人民政府 (第二款). The signature is a line holding only
a date, at the very end of the report (seed 000) or right under the title (沭阳 2025).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from ..report import Location, Report
from .finding import Finding
from .prose import flatten, passages, to_number
from .rules import RULES

_YEAR = r"(?:19|20)\d{2}"
_PERIOD = re.compile(
    r"统计(?:期限|周期|时限|时段|区间|范围|时间)?[^。]{0,15}?"
    rf"(?P<y>{_YEAR})年0?1月0?1日[^。]{{0,6}}?(?:至|到|-|—|~)(?:(?P<y2>{_YEAR})年)?12月31日"
)
_TITLE_YEAR = re.compile(rf"({_YEAR})\s*年")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_DATE_LINE = re.compile(
    r"^[(（]?(?P<y>\d{4}|[〇零一二三四五六七八九]{4})年"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日[)）]?$"
)
# Art. 49: the report on a 人民政府 is due by 31 March, a department's by 31 January.
GOVERNMENT_SUFFIX = "人民政府"


def check_dates(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    title_year = _title_year(report.title)
    period = _period(report)
    details: list[str] = []
    years = {
        label: y
        for label, y in (
            ("报告年度", report.year),
            ("标题", title_year),
            ("统计期限", period[0] if period else None),
        )
        if y is not None
    }
    if len(set(years.values())) > 1:
        details.append("，".join(f"{label}为{y}年" for label, y in years.items()))
    if period and period[1] is not None and period[1] != period[0]:
        details.append(f"统计期限自{period[0]}年1月1日起至{period[1]}年12月31日止，跨了年度")
    if details:
        findings.append(
            RULES["X-7"].finding(
                location=Location(label=report.title or "标题"), detail="；".join(details)
            )
        )
    year = report.year or title_year or (period[0] if period else None)
    signed = _signature(report)
    if year is None or signed is None:
        return findings
    when, location = signed
    shown = f"{when.year}年{when.month}月{when.day}日"
    if when.year != year + 1:
        findings.append(
            RULES["X-7"].finding(
                location=location,
                detail=f"落款日期为{shown}，应在报告年度（{year}年）的次年",
            )
        )
        return findings
    government = (report.agency or "").strip().endswith(GOVERNMENT_SUFFIX) or not report.agency
    deadline = date(year + 1, 3, 31) if government else date(year + 1, 1, 31)
    if when > deadline:
        findings.append(
            RULES["X-7b"].finding(
                location=location,
                date=shown,
                who="人民政府年度报告" if government else "政府部门年度报告",
                deadline=f"{deadline.year}年{deadline.month}月{deadline.day}日",
            )
        )
    return findings


def _title_year(title: str | None) -> int | None:
    if not title:
        return None
    m = _TITLE_YEAR.search(unicodedata.normalize("NFKC", title))
    return int(m.group(1)) if m else None


def _period(report: Report) -> tuple[int, int | None] | None:
    for p in passages(report):
        m = _PERIOD.search(p.text)
        if m:
            end = m.group("y2")
            return int(m.group("y")), int(end) if end else None
    return None


def _signature(report: Report) -> tuple[date, Location] | None:
    """The date on a line of its own at the end of the last section, or under the title."""
    candidates: list[tuple[str, Location]] = []
    if report.sections:
        last = max(report.sections, key=lambda s: s.number)
        place = last.location or Location(label=last.heading)
        lines = [ln for ln in last.text.splitlines() if ln.strip()]
        candidates.extend((ln, place) for ln in reversed(lines[-3:]))
    head = [ln for ln in report.preamble.splitlines() if ln.strip()][:3]
    candidates.extend((ln, Location(label="前言")) for ln in head)
    for line, place in candidates:
        when = _read_date(flatten(line))
        if when is not None:
            return when, place
    return None


def _read_date(line: str) -> date | None:
    m = _DATE_LINE.match(line)
    if m is None:
        return None
    year = int(m.group("y").translate(_CN_DIGITS))
    month, day = to_number(m.group("m")), to_number(m.group("d"))
    if not isinstance(month, int) or not isinstance(day, int):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
