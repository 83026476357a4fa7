"""Where things are in a report: its title (agency, year), its six sections and the line
ranges (regions) that hold tables 二, 三 and 四."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..formats import FORMATS, Format, normalise
from ..formats._common import T4_COLUMNS
from .document import Line
from .matcher import bare
from .tokens import tokenise

_TITLE = re.compile(
    r"^(?P<pre>.*?)(?P<year>(?:19|20)\d{2})年度?(?P<post>.*?)政府信息公开(?:工作)?(?:年度)?报告"
)
# The year after the title: 某某局政府信息公开工作年度报告（2023年度）.
_TITLE_YEAR_AFTER = re.compile(
    r"^(?P<pre>.*?)政府信息公开(?:工作)?(?:年度)?报告[(（](?P<year>(?:19|20)\d{2})年?度?[)）]"
)
# Words around the agency's name that are not part of it: 关于…的 报告.
_AGENCY_TRIM = re.compile(r"^关于|关于$|的$")
_PERIOD = re.compile(r"(?:自|从|为)?((?:19|20)\d{2})年1月1日(?:起)?(?:至|到|—|-)")
_JUNK_PREFIX = re.compile(r"^(?:正文|附件\d*|#+)")
_HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、,]|[1-9][、.]|\([一二三四五六]\)|第[一二三四五六]部分)"
)

HEAD_LINES = 8  # the title is within the first lines of a report
MAX_TITLE_LINE = 60


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    agency: str | None
    year: int
    end: int  # index of the line after the title


def find_title(lines: Sequence[Line]) -> Title | None:
    head = [i for i, line in enumerate(lines[: HEAD_LINES * 2]) if line.text.strip()][:HEAD_LINES]
    for a in range(len(head)):
        for size in (1, 2, 3):
            window = head[a : a + size]
            if len(window) < size or any(len(lines[i].text) > MAX_TITLE_LINE for i in window):
                break
            joined = "".join("".join(lines[i].text.split()) for i in window)
            m = _TITLE.match(joined.lstrip("#")) or _TITLE_YEAR_AFTER.match(joined.lstrip("#"))
            if m:
                pre = _AGENCY_TRIM.sub("", _JUNK_PREFIX.sub("", m.group("pre")).strip())
                post = _AGENCY_TRIM.sub("", m.groupdict().get("post") or "").strip()
                agency = post or pre or None
                # A converter's page label (正文, 附件1) is not part of the title.
                text = _JUNK_PREFIX.sub("", joined.lstrip("#")) or joined
                return Title(text, agency, int(m.group("year")), window[-1] + 1)
    return None


def year_from_period(text: str) -> int | None:
    """The year of the statistics period (统计期限自2020年1月1日起至…), if stated."""
    m = _PERIOD.search("".join(text.split()))
    return int(m.group(1)) if m else None


def heading_number(line: Line, fmt: Format) -> int | None:
    """The statutory section (1–6) this line is the heading of, or None."""
    if len(line.cells) > 2:
        return None
    text = normalise(line.text).lstrip("#")
    if not text or len(text) > 40:
        return None
    core = _HEADING_NUMBER.sub("", text, count=1).rstrip("。")
    for section in fmt.sections:
        for form in (section.heading, *section.variants):
            if core == normalise(form):
                return section.number
    return None


@dataclass(frozen=True, slots=True)
class Regions:
    """Half-open line ranges [start, end) of each table found."""

    t2: tuple[int, int] | None
    t3: tuple[int, int] | None
    t4: tuple[int, int] | None

    def covers(self, i: int) -> bool:
        return any(r is not None and r[0] <= i < r[1] for r in (self.t2, self.t3, self.t4))


def _anchors() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Words that mark where each table starts, from the formats' own labels (normalised):
    the common start of table 二's block captions and its header word; the start of table
    三's note (the rest is often wrapped), its first header word and its first row without
    numbering; table 四's first header word, and as a fallback its first column label."""
    t2, t3, t4, t4_fallback = set(), set(), set(), set()
    for fmt in FORMATS.values():
        two, three, four = fmt.table("t2"), fmt.table("t3"), fmt.table("t4")
        t2.add(_common_start([normalise(b.caption) for b in two.blocks]))
        t2.update(normalise(h) for h in two.header_labels)
        t3.add(normalise(three.note or "")[1 : NOTE_ANCHOR + 1])
        t3.add(normalise(three.header_labels[0]))
        t3.add(bare(normalise(three.rows[0].label)))
        t4.add(normalise(four.header_labels[0]))
        t4_fallback.add(normalise(four.columns[0].label))
    return tuple(t2), tuple(t3), tuple(t4), tuple(t4_fallback)


def _common_start(texts: list[str]) -> str:
    first, last = min(texts), max(texts)
    k = 0
    while k < min(len(first), len(last)) and first[k] == last[k]:
        k += 1
    return first[:k]


NOTE_ANCHOR = 9  # characters of table 三's note that survive a line wrap
_T2_ANCHORS, _T3_ANCHORS, _T4_ANCHORS, _T4_FALLBACK = _anchors()


def _first(lines: Sequence[Line], anchors: tuple[str, ...], start: int, end: int) -> int | None:
    for i in range(start, end):
        text = normalise(lines[i].text)
        if any(a in text for a in anchors):
            return i
    return None


def find_regions(lines: Sequence[Line], headings: dict[int, int]) -> Regions:
    """Locate the tables by the words they contain, not by section headings, which real
    reports renumber or drop."""
    n = len(lines)
    t2 = _first(lines, _T2_ANCHORS, 0, n)
    t3 = _first(lines, _T3_ANCHORS, t2 if t2 is not None else 0, n)
    t4 = _first(lines, _T4_ANCHORS, t3, n) if t3 is not None else None
    if t4 is None and t3 is None:
        t4 = _first(lines, _T4_FALLBACK, t2 if t2 is not None else 0, n)
    after_t4 = [i for num, i in headings.items() if num >= 5 and t4 is not None and i > t4]
    limit = min(after_t4) if after_t4 else n
    t4_end = limit
    if t4 is not None:
        t4_end, _ = _values_end(lines, t4, limit)
        # Table 四 again before the next section (a report that pastes it twice): its header
        # words and fifteen values are a second copy for the table reader, not text.
        while (again := _first(lines, _T4_ANCHORS, t4_end, limit)) is not None:
            end, seen = _values_end(lines, again, limit)
            if seen < len(T4_COLUMNS):
                break
            t4_end = end
    return Regions(
        t2=(t2, t3 if t3 is not None else (t4 if t4 is not None else n))
        if t2 is not None
        else None,
        t3=(t3, t4 if t4 is not None else n) if t3 is not None else None,
        t4=(t4, t4_end) if t4 is not None else None,
    )


def _values_end(lines: Sequence[Line], start: int, end: int) -> tuple[int, int]:
    """Where table 四 ends when the heading after it is missing: at the first line after its
    fifteen values that holds words (the next section's text must not vanish into the table);
    and how many values it saw."""
    need = len(T4_COLUMNS)
    seen = 0
    for i in range(start, end):
        tokens = tokenise(lines[i])
        only_values = bool(tokens) and all(t.kind == "value" for t in tokens)
        if seen >= need and not only_values:
            return i, seen
        if only_values:
            seen += len(tokens)
    return end, seen


def find_headings(lines: Sequence[Line], fmt: Format, start: int) -> dict[int, int]:
    """Section number → line index of its heading, in increasing order of both."""
    found: dict[int, int] = {}
    last = 0
    for i in range(start, len(lines)):
        num = heading_number(lines[i], fmt)
        if num is not None and num > last:
            found[num] = i
            last = num
    return found
