"""Copy detection: reports whose narrative is near-identical (rule DUP-1, info).

The 2021 format warns against reports that are “内容雷同” (国办公开办函〔2021〕30号). Two reports
are compared when they are the same body's consecutive years or any two reports of the same
year. Comparing every pair does not scale (10 000 reports are 50 million pairs), so:

1. **Features, in the workers.** Each section's text is normalised (NFKC, no whitespace, every
   run of digits masked as ``#`` so that changed numbers do not hide a copy) and cut into
   character 5-grams, hashed to 32 bits. The report's shingle set is the union of its
   sections'; a MinHash signature (one-permutation hashing, see :func:`signature`)
   summarises it.
2. **Candidates.** Same year: the signatures of each year go into a ``datasketch.MinHashLSH``
   tuned below the threshold (``threshold − 0.2``) so that true matches are rarely missed;
   only reports sharing a band bucket are candidates. Same body, previous year: at most one
   or two reports per body, compared directly without an index.
3. **Verification.** Candidates whose MinHash estimate is near the threshold are verified with
   the exact Jaccard similarity of the two shingle sets, kept on disk (a temporary SQLite file)
   so memory does not grow with the batch; at most ``max_matches`` per report are reported.

The finding goes on the later report (later year, or later in the batch for the same year) and
quotes the best-matching pair of same-numbered sections.
"""

from __future__ import annotations

import pickle
import re
import sqlite3
import tempfile
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ..check.rules import Rule
from ..formats.labels import nfkc
from ..report import Location
from .crossyear import GROUP, BatchFinding

RULE = Rule(
    "DUP-1",
    "info",
    "正文与同年度另一份报告或同一机关上一年度的报告高度雷同（5字片段杰卡德相似度不低于阈值，"
    "数字不计）",
    "国办公开办函〔2021〕30号（对“内容雷同、敷衍塞责”等问题依条例第四十七条追责）；"
    "MinHash/LSH 近似查找后精确核对",
    "正文与{other}高度雷同：相似度{exact}（阈值{threshold}，MinHash估计{estimate}）。"
    "最相似的是本报告{here_part}“{here}”与对方{there_part}“{there}”",
    GROUP,
)
SEED = 1  # LeanMinHash wants a seed; signatures compare only within one batch

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class CopyOptions:
    threshold: float = 0.8  # exact Jaccard at or above which two reports are reported
    num_perm: int = 128
    shingle: int = 5  # characters per shingle
    min_chars: int = 200  # shorter narratives (after normalising) are not compared
    max_matches: int = 3  # findings per report at most (the most similar first)
    passage_chars: int = 60  # quoted characters of each passage


DEFAULT_COPY = CopyOptions()


# One section's features: (number, heading, shingle hashes as uint32 bytes).
SectionFeatures = tuple[int, str, bytes]
# A report's features, as the worker sends them: (signature, union of the sections' shingle
# hashes, sections), all arrays as bytes.
Features = tuple[bytes, bytes, list[SectionFeatures]]

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def normalise_text(text: str) -> str:
    """NFKC, no whitespace, digit runs masked: the text the shingles are cut from."""
    return _DIGITS.sub("#", _SPACE.sub("", nfkc(text)))


def shingles(text: str, k: int = 5) -> U32:
    """Sorted unique 32-bit hashes of the ``k``-character shingles of normalised ``text``.

    A polynomial rolling hash over code points, vectorised with numpy (no per-shingle Python
    call); deterministic across processes, unlike ``hash()``.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if codes.size < k:
        return np.empty(0, dtype=np.uint32)
    n = codes.size - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * np.uint64(1_000_003) + codes[j : j + n]
    # Final mix (splitmix64's finaliser): neighbouring shingles spread over the whole range,
    # which one-permutation hashing (:func:`signature`) relies on.
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return np.unique((h & np.uint64(0xFFFFFFFF)).astype(np.uint32))


_SPAN = 1 << 32


def signature(hashes: U32, num_perm: int) -> U64:
    """A MinHash signature of a set of 32-bit hashes by one-permutation hashing.

    The hash range is cut into ``num_perm`` equal bins and each bin keeps its smallest hash
    (Li, Owen & Zhang 2012); an empty bin borrows from the next non-empty one, shifted by the
    distance, so that two sets agree on it only when they agree on the bin it borrowed from
    (rotation densification, Shrivastava & Li 2014). The fraction of equal positions estimates
    the Jaccard similarity as a ``num_perm``-permutation MinHash does, and the signature goes
    into ``datasketch.MinHashLSH`` the same way. Why not ``datasketch.MinHash.update_batch``:
    it applies ``num_perm`` permutations to every shingle (3.8 ms for a 3 000-shingle report,
    a third of the time to parse and check it); this is one ``searchsorted`` on the sorted set
    (about 20 µs). The shingle hashes are already well mixed (:func:`shingles`).
    """
    if hashes.size == 0:
        return np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    bounds = (np.arange(num_perm + 1, dtype=np.uint64) * np.uint64(_SPAN)) // np.uint64(num_perm)
    starts = np.searchsorted(hashes, bounds.astype(np.int64), side="left")
    filled = starts[:-1] < starts[1:]
    mins = np.where(filled, hashes[np.minimum(starts[:-1], hashes.size - 1)], 0).astype(np.uint64)
    if filled.all():
        return mins
    positions = np.arange(num_perm)
    nonempty = np.where(filled, positions, 2 * num_perm)
    doubled = np.concatenate([nonempty, np.where(filled, positions + num_perm, 2 * num_perm)])
    nxt = np.minimum.accumulate(doubled[::-1])[::-1][:num_perm]  # next non-empty bin, circular
    distance = (nxt - positions).astype(np.uint64)
    dense: U64 = mins[nxt % num_perm] + distance * np.uint64(_SPAN)
    return dense


def features(sections: Sequence[tuple[int, str, str]], options: CopyOptions) -> Features | None:
    """The features of one report's sections ``(number, heading, text)``; None if too short."""
    per: list[SectionFeatures] = []
    parts: list[U32] = []
    total = 0
    for number, heading, text in sections:
        norm = normalise_text(text)
        total += len(norm)
        sh = shingles(norm, options.shingle)
        per.append((number, heading, sh.tobytes()))
        parts.append(sh)
    if total < options.min_chars:
        return None
    union = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.uint32)
    return signature(union, options.num_perm).tobytes(), union.tobytes(), per


def jaccard(a: U32, b: U32) -> float:
    if a.size == 0 and b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


@dataclass(frozen=True, slots=True)
class Member:
    """What copy detection needs to know of a report besides its features."""

    id: int
    file: str
    agency: str | None
    year: int | None


# A section as kept for quoting: number, heading, shingle hashes, the start of its text.
_Section = tuple[int, str, U32, str]


class CopyDetector:
    """Collects features as reports stream in, then finds the near-duplicate pairs.

    ``add`` keeps the signature in memory (``num_perm × 8`` bytes per report) and spills the
    shingle sets and passages to a temporary SQLite file; ``find`` yields the findings.
    """

    UNION_CACHE = 2048  # shingle sets kept in memory while verifying (about 12 KB each)

    def __init__(self, options: CopyOptions | None = None, workdir: str | None = None) -> None:
        self.options = options or CopyOptions()
        self._dir = tempfile.TemporaryDirectory(prefix="gongkai-dup-", dir=workdir)
        self._db = sqlite3.connect(Path(self._dir.name) / "features.sqlite")
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE f (pos INTEGER PRIMARY KEY, u BLOB, detail BLOB)")
        self._members: list[Member] = []
        self._sigs: list[bytes] = []
        self._pending = 0
        self._unions: OrderedDict[int, U32] = OrderedDict()
        self._details: OrderedDict[int, list[_Section]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._members)

    def add(self, member: Member, feats: Features, texts: dict[int, str]) -> None:
        """Add one report: its features and its section texts by number (for the passages)."""
        if member.year is None:
            return  # no year, no scope to compare in
        pos = len(self._members)
        sig, union, per = feats
        passages = [
            (number, heading, sh, _passage(texts.get(number, ""), self.options.passage_chars))
            for number, heading, sh in per
        ]
        # Not compressed: the passages are short and the shingle hashes do not compress.
        detail = pickle.dumps(passages, protocol=pickle.HIGHEST_PROTOCOL)
        self._db.execute("INSERT INTO f VALUES (?, ?, ?)", (pos, union, detail))
        self._pending += 1
        if self._pending >= 500:
            self._db.commit()
            self._pending = 0
        self._members.append(member)
        self._sigs.append(sig)

    def find(self, agency_keys: dict[int, str | None]) -> Iterator[BatchFinding]:
        """The DUP-1 findings, as they are found. ``agency_keys``: report id → final key."""
        self._db.commit()
        n = len(self._members)
        if n < 2:
            return
        opts = self.options
        sigs = np.frombuffer(b"".join(self._sigs), dtype=np.uint64).reshape(n, opts.num_perm)
        years = np.array([m.year for m in self._members], dtype=np.int64)
        ids = np.array([m.id for m in self._members], dtype=np.int64)
        # A finding goes on the later report of a pair: later year, or later in the batch.
        order = np.lexsort((ids, years))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        same_year = _Buckets(sigs, years, opts)
        by_key_year: dict[tuple[str, int], list[int]] = {}
        for pos, m in enumerate(self._members):
            key = agency_keys.get(m.id)
            if key and m.year is not None:
                by_key_year.setdefault((key, m.year), []).append(pos)
        for pos in order.tolist():
            m = self._members[pos]
            key = agency_keys.get(m.id)
            earlier = same_year.candidates(pos)
            earlier = earlier[rank[earlier] < rank[pos]]
            if key and m.year is not None:  # the same body's previous year: no index needed
                last_year = by_key_year.get((key, m.year - 1), [])
                earlier = np.concatenate([earlier, np.array(last_year, dtype=np.int64)])
            if earlier.size == 0:
                continue
            est = (sigs[earlier] == sigs[pos]).mean(axis=1)
            keep = est >= opts.threshold - 0.1
            earlier, est = earlier[keep], est[keep]
            matches = 0
            for j in np.argsort(-est, kind="stable")[: opts.max_matches * 3].tolist():
                other = int(earlier[j])
                exact = jaccard(self._union(pos), self._union(other))
                if exact >= opts.threshold:
                    yield self._finding(pos, other, exact, float(est[j]))
                    matches += 1
                    if matches >= opts.max_matches:
                        break

    def _finding(self, pos: int, other: int, exact: float, estimate: float) -> BatchFinding:
        a, b = self._detail(pos), self._detail(other)
        best: tuple[float, _Section | None, _Section | None] = (-1.0, None, None)
        theirs = {s[0]: s for s in b}
        for mine in a:
            match = theirs.get(mine[0])
            if match is not None:
                score = jaccard(mine[2], match[2])
                if score > best[0]:
                    best = (score, mine, match)
        _, here, there = best
        here_m, there_m = self._members[pos], self._members[other]
        who = "同一机关上一年度的报告" if here_m.year != there_m.year else "同年度另一份报告"
        other_name = f"{who}（{there_m.agency or '未知机关'}{there_m.year}年度，{there_m.file}）"
        finding = RULE.finding(
            location=Location(file=Path(here_m.file).name, label=here[1] if here else None),
            other=other_name,
            exact=f"{exact:.0%}",
            threshold=f"{self.options.threshold:.0%}",
            estimate=f"{estimate:.0%}",
            here_part=_part(here[0]) if here else "",
            here=here[3] if here else "",
            there_part=_part(there[0]) if there else "",
            there=there[3] if there else "",
        )
        return BatchFinding(here_m.id, there_m.id, finding)

    def _union(self, pos: int) -> U32:
        hit = self._unions.get(pos)
        if hit is not None:
            self._unions.move_to_end(pos)
            return hit
        (blob,) = self._db.execute("SELECT u FROM f WHERE pos = ?", (pos,)).fetchone()
        union: U32 = np.frombuffer(blob, dtype=np.uint32)
        self._unions[pos] = union
        if len(self._unions) > self.UNION_CACHE:
            self._unions.popitem(last=False)
        return union

    def _detail(self, pos: int) -> list[_Section]:
        # A report is "here" for up to max_matches findings in a row: keep the last few.
        hit = self._details.get(pos)
        if hit is not None:
            self._details.move_to_end(pos)
            return hit
        (blob,) = self._db.execute("SELECT detail FROM f WHERE pos = ?", (pos,)).fetchone()
        raw: list[tuple[int, str, bytes, str]] = pickle.loads(blob)
        detail = [(n, h, np.frombuffer(sh, dtype=np.uint32), p) for n, h, sh, p in raw]
        self._details[pos] = detail
        if len(self._details) > 64:
            self._details.popitem(last=False)
        return detail

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


class _Buckets:
    """Same-year LSH candidates: ``datasketch.MinHashLSH`` bands, one index per year.

    The index is used to cut the signatures into bands and bucket them; its buckets are then
    read out into numpy arrays so that a report's candidates are a few array slices (the
    index's own ``query`` adds candidates one by one in Python, which dominates when thousands
    of reports share a template).
    """

    def __init__(self, sigs: U64, years: npt.NDArray[np.int64], opts: CopyOptions) -> None:
        # Imported here, in the parent only: datasketch pulls in scipy (about 50 MB), which the
        # workers, computing signatures with numpy alone, do not need.
        from datasketch import LeanMinHash, MinHashLSH  # type: ignore[import-untyped]

        n = len(years)
        bands: npt.NDArray[np.int64] | None = None
        next_bucket = 0
        for year in np.unique(years).tolist():
            members = np.flatnonzero(years == year)
            lsh = MinHashLSH(threshold=max(0.1, opts.threshold - 0.2), num_perm=opts.num_perm)
            with lsh.insertion_session() as session:
                for pos in members.tolist():
                    m = LeanMinHash(seed=SEED, hashvalues=sigs[pos])
                    session.insert(pos, m, check_duplication=False)
            if bands is None:
                bands = np.full((n, len(lsh.hashtables)), -1, dtype=np.int64)
            for j, table in enumerate(lsh.hashtables):
                for key in table.keys():  # noqa: SIM118 - a datasketch storage, not a dict
                    bands[np.fromiter(table.get(key), dtype=np.int64), j] = next_bucket
                    next_bucket += 1
        self.bands = bands if bands is not None else np.full((n, 1), -1, dtype=np.int64)
        # Per band, the reports sorted by bucket; each report's bucket is the slice lo:hi.
        self.order = np.argsort(self.bands, axis=0, kind="stable")
        ordered = np.take_along_axis(self.bands, self.order, axis=0)
        self.lo = np.empty_like(self.bands)
        self.hi = np.empty_like(self.bands)
        for j in range(self.bands.shape[1]):
            self.lo[:, j] = np.searchsorted(ordered[:, j], self.bands[:, j], side="left")
            self.hi[:, j] = np.searchsorted(ordered[:, j], self.bands[:, j], side="right")

    def candidates(self, pos: int) -> npt.NDArray[np.int64]:
        """Reports sharing at least one band bucket with ``pos`` (itself excluded)."""
        lo, hi = self.lo[pos], self.hi[pos]
        parts = [self.order[lo[j] : hi[j], j] for j in np.flatnonzero(hi - lo > 1).tolist()]
        if not parts:
            return np.empty(0, dtype=np.int64)
        found: npt.NDArray[np.int64] = np.unique(np.concatenate(parts))
        others: npt.NDArray[np.int64] = found[found != pos]
        return others


_NUMBERS = "一二三四五六"


def _part(number: int) -> str:
    return f"第{_NUMBERS[number - 1]}部分" if 1 <= number <= 6 else f"第{number}部分"


_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


def _passage(text: str, limit: int) -> str:
    # Line breaks of PDF text fall inside words; between Chinese characters they are dropped.
    flat = _CJK_GAP.sub("", _SPACE.sub(" ", text).strip())
    return flat if len(flat) <= limit else flat[:limit] + "…"
