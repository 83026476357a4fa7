"""Reading the report's own words: passages, sentences, clauses and the numbers in them.

Text extracted from PDF or DOCX breaks lines in mid-sentence and puts spaces around numbers
(``受理政府信息公开申请 3119 件``), so every passage is *flattened* first: NFKC (full-width
punctuation and digits become half-width, so ``，`` is ``,`` and ``（`` is ``(``), page footers
dropped, and whitespace next to a Chinese character removed. Rules then work on sentences
(split at 。;!?) and clauses (split at , and :), and only ever match inside one clause unless
they say otherwise: a number and the words that qualify it are in the same clause.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import cn2an

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
_NON_ASCII_GAP = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
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

    def at(self, fragment: str) -> Location:
        """The passage's location, narrowed to the source line where ``fragment`` starts."""
        probe = flatten(fragment).strip(" ,")[:8]
        if probe:
            lines = [(n, flatten(t)) for n, t in self.raw_lines]  # only when a finding is made
            for number, text in lines:
                if number is not None and probe in text:
                    return self.location.with_(line=number)
            # A sentence wrapped across lines (PDF text): find the line its start is on.
            joined, starts = "", []
            for number, text in lines:
                starts.append((len(joined), number))
                joined += text
            pos = joined.find(probe)
            if pos >= 0:
                line = max((s for s in starts if s[0] <= pos), key=lambda s: s[0])[1]
                if line is not None:
                    return self.location.with_(line=line)
        return self.location


def flatten(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = _FOOTER.sub("", s)
    s = _MARKUP.sub("", s)
    s = re.sub(r"\s+", " ", s)
    return _NON_ASCII_GAP.sub("", s).strip()


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
