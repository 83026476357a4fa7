"""Splitting a run of digits that stands for several cells (text flattened by a crawler).

A crawler that takes a report out of its web page drops every whitespace: a table row becomes
its label followed by its numbers with nothing between them (``640020470`` for 64 0 0 2 0 4 70).
The cells are recovered from what the format knows, never guessed:

* the number of columns and the type of each (a count is ``0`` or has no leading zero, so a
  zero is always a cell of its own; an amount may have decimals: ``1.68``);
* the hard identities of the table (:func:`.infer.hard_identities`): within a row (表三's 总计
  is the sum of the applicant columns, 表四's three totals), and across rows (表三's column
  sums T3-1 and T3-3), which couple the splits of different rows.

Every split of every run is enumerated (bounded: see the limits below), the row identities
filter each row's splits, and the column identities filter the combinations (propagation, then
a bounded search). A row gets a split only when every surviving combination gives it the same
one; otherwise it gets none and the caller leaves it blank with a warning.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..formats import CellType, Identity, Table
from .infer import _instances

Number = int | Decimal

MAX_STEPS = 50_000  # search steps for one row's splits; beyond: too many to decide
MAX_SPLITS = 2_000  # splits of one row that satisfy its own identities; beyond: undecided
MAX_SUMS = 20_000  # partial sums formed while propagating one column identity
MAX_COMBINATIONS = 5_000  # combinations of the still-open rows searched after propagation

# The longest cell of each type: counts in these reports stay below ten million.
_MAX_LENGTH = {CellType.COUNT: 7, CellType.SIGNED: 8, CellType.AMOUNT: 16}
_PATTERNS = {
    CellType.COUNT: re.compile(r"0|[1-9][0-9]*"),
    CellType.SIGNED: re.compile(r"0|[+-]?[1-9][0-9]*"),
    CellType.AMOUNT: re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"),
}
# A cell written as "/" or "-" (counts as 0 in every identity, spec §4.1).
_MARKS = frozenset("/-—")

Reason = Literal["unique", "ambiguous", "none", "too-many"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one row's run."""

    reason: Reason
    cells: tuple[str, ...] | None = None  # the run cut into cells (reason "unique")
    ids: tuple[str, ...] = ()  # the identities that decided, or that no split satisfied
    by_length: bool = False  # the only split the column count and types allow at all
    options: tuple[tuple[str, ...], ...] = ()  # a few of the splits that fit (ambiguous)
    count: int = 0  # how many splits fit (ambiguous; a lower bound when capped)


def normal_run(run: str) -> str:
    """The run with full-width digits and signs as ASCII (one character for one)."""
    return unicodedata.normalize("NFKC", run)


def cell_value(piece: str, kind: CellType) -> Number | None:
    """The value of one piece as a cell of this type, or None if it cannot be one."""
    if piece in _MARKS:
        return 0
    if len(piece) > _MAX_LENGTH[kind] or not _PATTERNS[kind].fullmatch(piece):
        return None
    return Decimal(piece) if "." in piece else int(piece)


@dataclass(slots=True)
class _Check:
    """A row identity: Σ cells[lhs] = Σ cells[rhs]. The search places cells right to left, so
    the check is decided when its leftmost cell ``first`` is placed."""

    id: str
    lhs: tuple[int, ...]
    rhs: tuple[int, ...]
    first: int
    # The single cell one side consists of, when it stands right of every cell of the other
    # side and those are counts (a 总计 column): placed first, it bounds the cells before it.
    total: int | None = None
    parts: tuple[int, ...] = ()


class _Budget(Exception):
    pass


def splits(
    run: str, types: Sequence[CellType], checks: Sequence[_Check] = (), limit: int = MAX_SPLITS
) -> tuple[list[tuple[Number, ...]], list[tuple[int, ...]], bool]:
    """Every way to cut ``run`` (ASCII) into ``len(types)`` cells that satisfies ``checks``:
    the cells' values, their end offsets, and whether a limit stopped the search.

    Right to left: a row's 总计 comes last, so it is placed first and the cells before it must
    add up to it (what is left can never go below 0, nor above what the characters left can
    write). A place already searched with the same sums left open is not searched again."""
    k, n = len(types), len(run)
    if k == 0 or n < k:
        return [], [], False
    values: list[Number] = [0] * k
    ends: list[int] = [0] * k
    found_v: list[tuple[Number, ...]] = []
    found_e: list[tuple[int, ...]] = []
    at: dict[int, list[_Check]] = {}
    for c in checks:
        at.setdefault(c.first, []).append(c)
    bounds = [c for c in checks if c.total is not None]
    longest = [_MAX_LENGTH[t] for t in types]
    room_before = [sum(longest[:i]) for i in range(k)]  # what cells 0..i-1 can hold at most
    # Every piece's value, once per type (the search tries the same pieces many times).
    piece = {
        t: [[cell_value(run[p : p + m], t) for m in range(_MAX_LENGTH[t] + 1)] for p in range(n)]
        for t in set(types)
    }
    # Checks with cells on both sides of position i: what the cells right of i left open.
    open_at = [[c for c in checks if c.first <= i < max((*c.lhs, *c.rhs))] for i in range(k)]
    dead: set[tuple[int, int, tuple[Number, ...]]] = set()  # states with no completion
    steps = 0

    def walk(i: int, end: int) -> bool:
        nonlocal steps
        state = (i, end, tuple(_open_sum(c, values, i) for c in open_at[i]))
        if state in dead:
            return False  # the same place and open sums as a search that found nothing
        found = False
        for length in range(1, longest[i] + 1):
            start = end - length
            if start < i:
                break  # the cells before this one need a character each
            if start > room_before[i]:
                continue
            steps += 1
            if steps > MAX_STEPS:
                raise _Budget
            v = piece[types[i]][start][length]
            if v is None:
                continue
            values[i], ends[i] = v, end
            if not _holds(at.get(i, ()), values) or _out_of_reach(bounds, values, i, start):
                continue
            if i == 0:
                found_v.append(tuple(values))
                found_e.append(tuple(ends))
                found = True
                if len(found_v) > limit:
                    raise _Budget
            elif walk(i - 1, start):
                found = True
        if not found:
            dead.add(state)
        return found

    try:
        walk(k - 1, n)
    except _Budget:
        return found_v, found_e, True
    return found_v, found_e, False


def _open_sum(c: _Check, values: Sequence[Number], i: int) -> Number:
    """Σ lhs − Σ rhs over the cells of ``c`` right of position ``i`` (already placed)."""
    return sum(values[p] for p in c.lhs if p > i) - sum(values[p] for p in c.rhs if p > i)


def _holds(checks: Sequence[_Check], values: Sequence[Number]) -> bool:
    return all(sum(values[p] for p in c.lhs) == sum(values[p] for p in c.rhs) for c in checks)


def _out_of_reach(bounds: Sequence[_Check], values: Sequence[Number], i: int, left: int) -> bool:
    """Whether the parts still to place (left of cell i, in ``left`` characters) can no longer
    make up what their total still lacks: below 0, or more than those characters can write."""
    for c in bounds:
        assert c.total is not None
        if i > c.total or i <= min(c.parts):
            continue  # the total is not placed yet, or every part is (the check decides)
        lacking = values[c.total] - sum(values[p] for p in c.parts if p >= i)
        if lacking < 0:
            return True
        todo = sum(1 for p in c.parts if p < i)
        others = i - todo  # cells left of i that are not parts: a character each at least
        room = left - others - (todo - 1)  # the longest a single part can be
        if room <= 0 or lacking >= todo * 10**room:
            return True
    return False


@dataclass(slots=True)
class _Term:
    row: str
    pos: int
    sign: int


def solve(
    table: Table, runs: Mapping[str, str], identities: Sequence[Identity]
) -> dict[str, Outcome]:
    """Split each row's run (row key → run as written) into the row's cells."""
    instances = list(_instances(table, tuple(identities)))
    row_checks: dict[str, list[_Check]] = {}
    across: list[tuple[str, list[_Term]]] = []
    for ident, lhs, rhs in instances:
        rows = {r for r, _ in (*lhs, *rhs)}
        if not rows <= set(runs):
            continue  # a row not in the text: this equation says nothing here
        if len(rows) == 1:
            row = rows.pop()
            pos = {c.key: p for p, c in enumerate(table.columns_for(row))}
            row_checks.setdefault(row, []).append(_row_check(ident.id, lhs, rhs, pos, table, row))
        else:
            terms = [
                *(_Term(r, _position(table, r, c), 1) for r, c in lhs),
                *(_Term(r, _position(table, r, c), -1) for r, c in rhs),
            ]
            across.append((ident.id, terms))

    out: dict[str, Outcome] = {}
    options: dict[str, list[tuple[Number, ...]]] = {}
    cuts: dict[str, list[tuple[int, ...]]] = {}
    for row, run in runs.items():
        types = [c.type for c in table.columns_for(row)]
        checks = row_checks.get(row, [])
        ids = tuple(dict.fromkeys(c.id for c in checks))
        values, ends, capped = splits(normal_run(run), types, checks)
        if capped:
            out[row] = Outcome("too-many", ids=ids, count=len(values))
        elif not values:
            out[row] = Outcome("none", ids=ids)
        else:
            options[row], cuts[row] = values, ends
    open_terms = [(i, t) for i, t in across if all(term.row in options for term in t)]
    joint = _joint(options, open_terms)
    for row, values in options.items():
        run = runs[row]
        own = tuple(dict.fromkeys(c.id for c in row_checks.get(row, [])))
        pieces = [_cut(run, e) for e in cuts[row]]
        if len(values) == 1:
            types = [c.type for c in table.columns_for(row)]
            alone = len(splits(normal_run(run), types, (), limit=1)[0]) == 1
            out[row] = Outcome("unique", pieces[0], () if alone else own, by_length=alone)
            continue
        used = tuple(
            dict.fromkeys((*own, *(i for i, t in open_terms if any(x.row == row for x in t))))
        )
        kept = joint.get(row) if joint is not None else None
        if kept is not None and len(kept) == 1:
            out[row] = Outcome("unique", pieces[kept[0]], used)
        else:
            shown = kept if kept else list(range(len(values)))
            out[row] = Outcome(
                "ambiguous",
                ids=used if kept else own,
                options=tuple(pieces[j] for j in shown[:3]),
                count=len(shown),
            )
    return out


def _row_check(
    id: str,
    lhs: list[tuple[str, str]],
    rhs: list[tuple[str, str]],
    pos: dict[str, int],
    table: Table,
    row: str,
) -> _Check:
    left = tuple(pos[c] for _, c in lhs)
    right = tuple(pos[c] for _, c in rhs)
    check = _Check(id, left, right, min((*left, *right)))
    types = table.columns_for(row)
    for one, many in ((left, right), (right, left)):
        counts = all(types[p].type is CellType.COUNT for p in many)
        if len(one) == 1 and max(many) < one[0] and counts:
            check.total, check.parts = one[0], many
    return check


def _position(table: Table, row: str, column: str) -> int:
    return [c.key for c in table.columns_for(row)].index(column)


def _cut(run: str, ends: tuple[int, ...]) -> tuple[str, ...]:
    starts = (0, *ends[:-1])
    return tuple(run[a:b] for a, b in zip(starts, ends, strict=True))


def _joint(
    options: dict[str, list[tuple[Number, ...]]], across: list[tuple[str, list[_Term]]]
) -> dict[str, list[int]] | None:
    """For each row, the indices of its splits that some combination satisfying every column
    identity uses; None when no combination does (the report's own numbers disagree, or a
    split was not among the candidates) or when the combinations are too many to search."""
    alive = {row: list(range(len(v))) for row, v in options.items()}
    if not _propagate(options, alive, across):
        return None
    open_rows = [r for r, keep in alive.items() if len(keep) > 1]
    involved = [t for t in across if any(term.row in open_rows for term in t[1])]
    if not open_rows or not involved:
        return alive
    total = 1
    for r in open_rows:
        total *= len(alive[r])
        if total > MAX_COMBINATIONS:
            return {r: keep for r, keep in alive.items() if len(keep) == 1}
    seen: dict[str, set[int]] = {r: set() for r in open_rows}
    for combo in itertools.product(*(alive[r] for r in open_rows)):
        chosen = dict(zip(open_rows, combo, strict=True))
        if all(_sum(options, alive, chosen, terms) == 0 for _, terms in involved):
            for r, j in chosen.items():
                seen[r].add(j)
    if not any(seen.values()):
        return None
    return {r: sorted(seen[r]) if r in seen else keep for r, keep in alive.items()}


def _sum(
    options: dict[str, list[tuple[Number, ...]]],
    alive: dict[str, list[int]],
    chosen: dict[str, int],
    terms: list[_Term],
) -> Number:
    total: Number = 0
    for t in terms:
        j = chosen[t.row] if t.row in chosen else alive[t.row][0]
        total += t.sign * options[t.row][j][t.pos]
    return total


def _propagate(
    options: dict[str, list[tuple[Number, ...]]],
    alive: dict[str, list[int]],
    across: list[tuple[str, list[_Term]]],
) -> bool:
    """Drop every split that no choice of the other rows can complete to satisfy a column
    identity (each equation in turn, until nothing changes). False: some row has none left."""
    changed = True
    while changed:
        changed = False
        for _, terms in across:
            rows = list(dict.fromkeys(t.row for t in terms))
            if all(len(alive[r]) == 1 for r in rows):
                if _sum(options, alive, {}, terms) != 0:
                    return False
                continue
            mine = {r: [t for t in terms if t.row == r] for r in rows}
            share = {r: _shares(options[r], alive[r], mine[r]) for r in rows}
            for r in rows:
                others = _sumset(share[o] for o in rows if o != r)
                if others is None:
                    continue
                keep = [j for j, v in zip(alive[r], share[r], strict=True) if -v in others]
                if not keep:
                    return False
                if len(keep) < len(alive[r]):
                    alive[r] = keep
                    share[r] = _shares(options[r], keep, mine[r])
                    changed = True
    return True


def _shares(values: list[tuple[Number, ...]], keep: list[int], terms: list[_Term]) -> list[Number]:
    return [sum((t.sign * values[j][t.pos] for t in terms), start=0) for j in keep]


def _sumset(groups: Iterator[list[Number]]) -> set[Number] | None:
    sums: set[Number] = {0}
    for group in groups:
        values = set(group)
        if len(sums) * len(values) > MAX_SUMS:
            return None  # checked before adding: the pairs, not only the sums, cost time
        sums = {a + b for a in sums for b in values}
    return sums
