"""Finding which official row a piece of label text belongs to.

Labels in real reports arrive whole, with a merged group label glued in front
(``（三）不予公开 4.保护第三方合法权益``), without their numbering (``予以公开``), or broken
around their numbers (``（二）部分公开（区分处理的，只计这一情`` … ``形，不计其他情形）``).
The matcher scores a fragment against every row of a table; the table reader decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from ..formats import Row, Table, normalise

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、,]|\([一二三四五六七八九十]+\)|\d{1,2}\.)")

MIN_CONTAINED = 4  # a label shorter than this must match exactly (规章 is not in 市政府规章)
MIN_PREFIX = 6  # a broken label must keep at least this much of its start
MIN_BARE = 4  # a label without its numbering must keep this much (not 其他 for 3.其他)
MIN_PIECE = 2  # the shortest piece of a header word that counts as that word
# A label read through OCR with one character wrong ((一)予以公开 read (一)子以公开) is still its
# row's from this length on. No two labels of one table are one character apart (a test holds
# the formats to it); shorter text near a label by accident is a header word or a piece of a
# wrapped label.
MIN_NEAR = 5
NEAR_SHARE = 0.3  # of a label's characters a misreading may have changed, lost or added
NEAR_MARGIN = 2  # edits by which the nearest label must beat the next one
CACHE_LIMIT = 4096  # fragments per table; a report has a few hundred


class How(IntEnum):
    PREFIX = 1  # the fragment ends with the start of the label: the label wraps on
    CONTAINED = 2  # the label (or its bare form) is inside the fragment
    EXACT = 3


@dataclass(frozen=True, slots=True)
class Match:
    index: int  # position of the row in the table's official order
    row: Row
    how: How
    length: int  # characters of the label matched, to rank rivals


def edits(a: str, b: str) -> int:
    """Levenshtein distance: characters changed, lost or added to turn ``a`` into ``b``."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _allowed(length: int) -> int:
    return max(1, int(length * NEAR_SHARE))


def bare(norm: str) -> str:
    """A normalised label without its leading numbering (一、 (一) 1.)."""
    return _NUMBERING.sub("", norm, count=1)


class RowMatcher:
    """Scores fragments against one table's rows. Built once per table (:func:`matcher_for`);
    the scores of a fragment are cached, because every report repeats the same labels."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._forms: list[tuple[int, Row, tuple[str, ...]]] = []
        self._weak: dict[str, list[int]] = {}
        self._labels: list[tuple[str, ...]] = []
        for i, row in enumerate(table.rows):
            full = tuple(dict.fromkeys(normalise(s) for s in (row.label, *row.variants)))
            bares = tuple(
                b for b in (bare(f) for f in full) if len(b) >= MIN_BARE and b not in full
            )
            self._forms.append((i, row, (*full, *bares)))
            self._labels.append(full)
            for w in row.weak_variants:
                self._weak.setdefault(normalise(w), []).append(i)
        known = [
            *(normalise(s) for s in table.group_labels),
            *(normalise(s) for s in table.header_labels),
            *(normalise(c.label) for c in table.all_columns),
            *(normalise(b.caption) for b in table.blocks),
            normalise(table.note or ""),
            normalise(table.title),
        ]
        self._known_texts = tuple(k for k in known if k)
        self._strong: dict[str, tuple[Match, ...]] = {}
        self._known_cache: dict[str, bool] = {}
        self._part_cache: dict[tuple[str, int], bool] = {}

    def candidates(self, norm: str, expected: int, *, weak: bool = True) -> list[Match]:
        """Every row the fragment may name, best first.

        ``weak=False`` when the fragment cannot be a row label on its own (no value follows
        it): a bare 总计 in a header row must not name （七）总计.
        """
        strong = self._strong.get(norm)
        if strong is None:
            strong = self._score_all(norm)
            if len(self._strong) > CACHE_LIMIT:
                self._strong.clear()
            self._strong[norm] = strong
        found = list(strong)
        # Weak variants (a bare 总计) name the row only where it is the next one expected.
        if weak:
            seen = {m.index for m in found}
            for i in self._weak.get(norm, ()):
                if i not in seen and expected <= i <= expected + 1:
                    found.append(Match(i, self.table.rows[i], How.EXACT, len(norm)))
        found.sort(key=lambda m: (-m.how, -m.length, abs(m.index - expected)))
        return found

    def _score_all(self, norm: str) -> tuple[Match, ...]:
        out: list[Match] = []
        for i, row, forms in self._forms:
            best: Match | None = None
            for form in forms:
                m = self._score(i, row, norm, form)
                if m and (best is None or (m.how, m.length) > (best.how, best.length)):
                    best = m
            if best:
                out.append(best)
        return tuple(out)

    @staticmethod
    def _score(i: int, row: Row, norm: str, form: str) -> Match | None:
        if norm == form:
            return Match(i, row, How.EXACT, len(form))
        if len(form) >= MIN_CONTAINED and form in norm:
            return Match(i, row, How.CONTAINED, len(form))
        # The fragment ends with the label's first k characters: the rest wraps to a later line.
        if len(norm) < MIN_PREFIX or form[:MIN_PREFIX] not in norm:
            return None
        for k in range(min(len(form) - 1, len(norm)), MIN_PREFIX - 1, -1):
            if norm.endswith(form[:k]):
                return Match(i, row, How.PREFIX, k)
        return None

    def near(self, norm: str) -> tuple[int, int] | None:
        """The one row whose label (whole or without its numbering) ``norm`` is a near
        misreading of: what a recogniser that got a few characters wrong, or lost one, leaves
        (（一）予以公开 read （一）子以公开), and the edits between them. Near: at most
        :data:`NEAR_SHARE` of the label's characters edited; the one row: every other row's
        label at least :data:`NEAR_MARGIN` edits further. None when no row, or no single row,
        is that near."""
        if len(norm) < MIN_NEAR:
            return None
        best: dict[int, tuple[int, int]] = {}  # row → (edits, the allowed edits of that form)
        for i, _, forms in self._forms:
            for form in forms:
                allowed = _allowed(len(form))
                if len(form) >= MIN_NEAR and abs(len(form) - len(norm)) <= allowed:
                    found = (edits(norm, form), allowed)
                    best[i] = min(best[i], found) if i in best else found
        ranked = sorted((d, i, allowed) for i, (d, allowed) in best.items())
        if not ranked:
            return None
        d, i, allowed = ranked[0]
        if d == 0 or d > allowed:
            return None
        if len(ranked) > 1 and ranked[1][0] < d + NEAR_MARGIN:
            return None
        return i, d

    def is_part_of(self, norm: str, index: int) -> bool:
        """Whether the fragment is a piece of the label of row ``index`` (a wrapped
        continuation)."""
        key = (norm, index)
        hit = self._part_cache.get(key)
        if hit is None:
            hit = any(norm in form for form in self._labels[index])
            self._part_cache[key] = hit
        return hit

    def is_known_text(self, norm: str) -> bool:
        """Header words, group labels, the note: text that belongs to the table but no row.

        A PDF conversion may glue the pieces of two merged cells together (``三、本`` of
        ``三、本年度办理结果`` and ``法提供`` of ``（四）无法提供``): such a fragment is known
        text too.
        """
        hit = self._known_cache.get(norm)
        if hit is None:
            hit = self._contains_known(norm) or self._two_pieces(norm)
            self._known_cache[norm] = hit
        return hit

    def _contains_known(self, norm: str) -> bool:
        return any(norm in k or k in norm for k in self._known_texts)

    def _two_pieces(self, norm: str) -> bool:
        for cut in range(MIN_PIECE, len(norm) - MIN_PIECE + 1):
            head, tail = norm[:cut], norm[cut:]
            if any(k.startswith(head) for k in self._known_texts) and self._contains_known(tail):
                return True
        return False


_MATCHERS: dict[int, tuple[Table, RowMatcher]] = {}


def matcher_for(table: Table) -> RowMatcher:
    """The matcher of a table, built once: format tables are module-level constants."""
    hit = _MATCHERS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    m = RowMatcher(table)
    _MATCHERS[id(table)] = (table, m)
    return m
