"""Reading the report's own words: passages, sentences, clauses and the numbers in them.

Text extracted from PDF or DOCX breaks lines in mid-sentence and puts spaces around numbers
(``受理政府信息公开申请 3119 件``), so every passage is *flattened* first: NFKC (full-width
punctuation and digits become half-width, so ``，`` is ``,`` and ``（`` is ``(``), page footers
dropped, and whitespace next to a Chinese character removed. Rules then work on sentences
(split at 。;!?) and clauses (split at , and :), and only ever match inside one clause unless
they say otherwise: a number and the words that qualify it are in the same clause.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import cn2an

from ..formats.labels import nfkc
from ..report import Location, Report

ARABIC = r"\d+(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千万]+"
# A count as written in a sentence: arabic digits, or Chinese numerals (收到申请两件).
NUMBER = rf"(?:{ARABIC}|{CHINESE})"
# Words that put a statement in another year than the report's: its number is not this year's.
OTHER_PERIOD = re.compile(r"上年|去年|上一年|前年|往年|历年|累计至今|同期")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_FOOTER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$", re.MULTILINE)
_MARKUP = re.compile(r"\[bookmark:[^\]]*\]|^#+\s*", re.MULTILINE)
# A space (whitespace runs are single spaces by then) next to a non-ASCII character. Written
# to start with the space itself, so that the regex engine can skip to each space.
_NON_ASCII_GAP = re.compile(r" (?:(?=[^\x00-\x7f])|(?<=[^\x00-\x7f] ))")
_SENTENCE_END = re.compile(r"[。;!?]")
_CLAUSE_END = re.compile(r"[,:]")
_PARENTHESES = re.compile(r"\([^()]*\)")


@dataclass(frozen=True, slots=True)
class Passage:
    """One stretch of narrative: the preamble or a section, flattened."""

    name: str  # 前言, or the section's heading as found
    text: str
    location: Location
    # (source line, text) of each line, to point a finding at its sentence's line.
    raw_lines: tuple[tuple[int | None, str], ...] = ()
    _index: list[_LineIndex] = field(default_factory=list, repr=False, compare=False)

    def at(self, fragment: str) -> Location:
        """The passage's location, narrowed to the source line where ``fragment`` starts."""
        probe = flatten(fragment).strip(" ,")[:8]
        if not probe:
            return self.location
        index = self._lines_index()
        if probe not in index.found:
            index.found[probe] = index.line_of(probe)
        line = index.found[probe]
        return self.location if line is None else self.location.with_(line=line)

    def _lines_index(self) -> _LineIndex:
        # Built on the first finding and kept: every finding of a long passage searched its
        # re-flattened lines again, which made check quadratic in the input.
        if not self._index:
            self._index.append(_LineIndex(self.raw_lines))
        return self._index[0]


class _LineIndex:
    """The flattened source lines of one passage, joined, to find a fragment's line by one
    ``str.find`` rather than a loop over lines."""

    __slots__ = ("_by_line", "_joined", "_line_starts", "_numbers", "_starts", "found")

    def __init__(self, raw_lines: tuple[tuple[int | None, str], ...]) -> None:
        texts = [flatten(t) for _, t in raw_lines]
        self._numbers = [n for n, _ in raw_lines]
        # A flattened line holds no newline, so a probe found here lies within one line.
        self._by_line = "\n".join(texts)
        self._line_starts: list[int] = []
        self._starts: list[int] = []
        by_line = joined = 0
        for text in texts:
            self._line_starts.append(by_line)
            self._starts.append(joined)
            by_line += len(text) + 1
            joined += len(text)
        self._joined = "".join(texts)
        self.found: dict[str, int | None] = {}

    def line_of(self, probe: str) -> int | None:
        """The first numbered line that holds ``probe``; else the line where ``probe`` starts
        in the lines run together (a sentence wrapped across lines, as in PDF text)."""
        pos = self._by_line.find(probe)
        while pos >= 0:
            i = bisect.bisect_right(self._line_starts, pos) - 1
            if self._numbers[i] is not None:
                return self._numbers[i]
            pos = self._by_line.find(probe, pos + 1)  # that line has no number: look further
        pos = self._joined.find(probe)
        if pos < 0:
            return None
        i = bisect.bisect_right(self._starts, pos) - 1
        # Empty lines share their start with the next line: the first of them is taken.
        i = bisect.bisect_left(self._starts, self._starts[i])
        return self._numbers[i]


def flatten(text: str) -> str:
    s = nfkc(text)
    s = _FOOTER.sub("", s)
    s = _MARKUP.sub("", s)
    s = " ".join(s.split())  # whitespace runs → one space, none at either end
    return _NON_ASCII_GAP.sub("", s)


# Within one check() call every rule reads the same passages and clauses: flatten them once.
_memo: ContextVar[dict[tuple[int, str], Any] | None] = ContextVar("gongkai_prose", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """Share the flattened text between the rules of one check() call."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _remembered(report: Report, what: str, make: Callable[[Report], Any]) -> Any:
    memo = _memo.get()
    if memo is None:
        return make(report)
    key = (id(report), what)
    if key not in memo:
        memo[key] = make(report)
    return memo[key]


def passages(report: Report) -> list[Passage]:
    """The report's passages: the preamble and each section, flattened."""
    return cast(list[Passage], _remembered(report, "passages", _passages))


def _passages(report: Report) -> list[Passage]:
    out: list[Passage] = []
    if report.preamble.strip():
        lines = _numbered(report.preamble, report.preamble_lines)
        out.append(Passage("前言", flatten(report.preamble), Location(label="前言"), lines))
    for s in sorted(report.sections, key=lambda s: s.number):
        heading = s.heading.strip() or f"第{s.number}部分"
        loc = s.location.with_(label=s.location.label or heading) if s.location else None
        lines = _numbered(s.text, s.lines)
        out.append(Passage(heading, flatten(s.text), loc or Location(label=heading), lines))
    return out


def _numbered(text: str, numbers: list[int | None]) -> tuple[tuple[int | None, str], ...]:
    texts = text.split("\n")
    if len(numbers) != len(texts):
        return ()
    return tuple(zip(numbers, texts, strict=True))


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s]


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(sentence) if c]


def all_clauses(report: Report) -> list[tuple[Passage, str, str]]:
    """Every (passage, sentence, clause) of the narrative, in order."""
    return cast(list[tuple[Passage, str, str]], _remembered(report, "clauses", _all_clauses))


def _all_clauses(report: Report) -> list[tuple[Passage, str, str]]:
    return [
        (p, sentence, clause)
        for p in passages(report)
        for sentence in sentences(p.text)
        for clause in clauses(sentence)
    ]


def drop_parentheses(text: str) -> str:
    """Remove bracketed notes ``(17.46%)`` ``(含上年结转189件)``, innermost first."""
    previous = None
    while previous != text:
        previous, text = text, _PARENTHESES.sub("", text)
    return text


def to_number(token: str) -> int | Decimal | None:
    """A count or amount as written; None when the token is not a clean number."""
    token = token.strip()
    if re.fullmatch(ARABIC, token):
        try:
            d = Decimal(token)
        except InvalidOperation:
            return None
        return int(d) if d == d.to_integral_value() and "." not in token else d
    if re.fullmatch(CHINESE, token):
        try:
            v = cn2an.cn2an(token, "smart")
        except (ValueError, KeyError, IndexError, TypeError):
            return None
        if isinstance(v, int | float) and v >= 0 and float(v).is_integer():
            return int(v)
    return None


@functools.lru_cache(maxsize=8192)  # every narrative rule asks this of every clause
def mentions_other_year(text: str, year: int | None) -> bool:
    """Whether ``text`` speaks of a period other than the report year (then skip it)."""
    if OTHER_PERIOD.search(text):
        return True
    if year is None:
        return False
    return any(int(m.group(1)) != year for m in _YEAR.finditer(text))


_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def quote(text: str, limit: int = 60) -> str:
    """Flattened text as shown to people: full-width punctuation again, cut if long."""
    text = text.strip(" ,").translate(_FULL_WIDTH)
    return text if len(text) <= limit else text[: limit - 1] + "…"
