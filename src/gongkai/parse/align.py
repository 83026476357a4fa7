"""Which rows the value runs without a label belong to.

A conversion may separate a row's numbers from its label (the label floats a few lines away, or
is lost). The numbers still come in the official row order: between two rows whose numbers stand
beside their labels (the anchors), the unlabelled runs fill the rows in between (the slots) in
order. A run fills a slot when its length is the slot's column count; consecutive short runs
that add up to it are one row broken across lines. A run that fits nowhere is a stray.

Among all such alignments the best fills the most slots, then the most slots whose label was
found somewhere in the table, then breaks the fewest rows apart. When several alignments are
equally good, all of them are returned (up to a limit) and the caller decides, by the
identities or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PIECES = 3  # a row broken across more lines than this is not recognised
LIMIT = 16  # alignments returned at most; more than this is hopeless ambiguity
MAX_RUNS = 200  # beyond this a region is not a table: every run is a stray

Score = tuple[int, int, int]  # slots filled, labelled slots filled, -(rows broken apart)


@dataclass(frozen=True, slots=True)
class Slot:
    index: int  # the row's position in the table
    size: int  # its column count
    labelled: bool  # its label was found somewhere in the table


@dataclass(frozen=True, slots=True)
class Alignment:
    # (slot position, run positions) for every filled slot, in order.
    groups: tuple[tuple[int, tuple[int, ...]], ...]
    strays: tuple[int, ...]  # run positions that fit no slot


def align(lengths: list[int], slots: list[Slot]) -> list[Alignment]:
    """The best alignments of runs (by their lengths) to slots; one if it is unambiguous.

    A dynamic programme over (runs used, slots passed, whether the last step skipped a slot).
    Each alignment has exactly one derivation: between two filled slots the strays come before
    the skipped slots, so the counts of best derivations count alignments.
    """
    n_runs, n_slots = len(lengths), len(slots)
    if n_runs > MAX_RUNS:
        return [Alignment((), tuple(range(n_runs)))]
    # best[r][s][f] / count[r][s][f]; None marks a state with no valid completion.
    best: list[list[list[Score | None]]] = [
        [[None, None] for _ in range(n_slots + 1)] for _ in range(n_runs + 1)
    ]
    count = [[[0, 0] for _ in range(n_slots + 1)] for _ in range(n_runs + 1)]
    for s in range(n_slots + 1):
        best[n_runs][s] = [(0, 0, 0), (0, 0, 0)]
        count[n_runs][s] = [1, 1]
    for r in range(n_runs - 1, -1, -1):
        for s in range(n_slots, -1, -1):
            for skipped in (0, 1):
                top: Score | None = None
                total = 0
                for score, ways in _moves(r, s, skipped, lengths, slots, best, count):
                    if top is None or score > top:
                        top, total = score, ways
                    elif score == top:
                        total = min(total + ways, LIMIT + 1)
                best[r][s][skipped] = top
                count[r][s][skipped] = total
    paths: list[tuple[tuple[int, tuple[int, ...]], ...]] = []
    _collect(0, 0, 0, (), lengths, slots, best, paths)
    out: list[Alignment] = []
    for path in paths:
        used = {r for _, runs in path for r in runs}
        out.append(Alignment(path, tuple(r for r in range(n_runs) if r not in used)))
    return out


def _moves(
    r: int,
    s: int,
    skipped: int,
    lengths: list[int],
    slots: list[Slot],
    best: list[list[list[Score | None]]],
    count: list[list[list[int]]],
) -> list[tuple[Score, int]]:
    """(score, number of best derivations) of each move from state (r, s, skipped)."""
    out: list[tuple[Score, int]] = []
    for move in _steps(r, s, skipped, lengths, slots):
        nr, ns, nf, gain = move[0], move[1], move[2], move[3]
        sub = best[nr][ns][nf]
        if sub is not None:
            out.append(((sub[0] + gain[0], sub[1] + gain[1], sub[2] + gain[2]), count[nr][ns][nf]))
    return out


def _steps(
    r: int, s: int, skipped: int, lengths: list[int], slots: list[Slot]
) -> list[tuple[int, int, int, Score, tuple[int, ...]]]:
    """The moves from a state: (next r, next s, next skipped flag, gain, runs filled)."""
    steps: list[tuple[int, int, int, Score, tuple[int, ...]]] = []
    if not skipped:
        steps.append((r + 1, s, 0, (0, 0, 0), ()))  # run r is a stray
    if s < len(slots):
        steps.append((r, s + 1, 1, (0, 0, 0), ()))  # slot s stays empty
        total = 0
        for k in range(1, MAX_PIECES + 1):
            if r + k > len(lengths):
                break
            total += lengths[r + k - 1]
            if total > slots[s].size:
                break
            if total == slots[s].size:
                gain = (1, int(slots[s].labelled), -int(k > 1))
                steps.append((r + k, s + 1, 0, gain, tuple(range(r, r + k))))
    return steps


def _collect(
    r: int,
    s: int,
    skipped: int,
    path: tuple[tuple[int, tuple[int, ...]], ...],
    lengths: list[int],
    slots: list[Slot],
    best: list[list[list[Score | None]]],
    out: list[tuple[tuple[int, tuple[int, ...]], ...]],
) -> None:
    """Follow only best moves to enumerate best alignments, up to LIMIT + 1 of them."""
    if len(out) > LIMIT:
        return
    if r == len(lengths):
        out.append(path)
        return
    here = best[r][s][skipped]
    for nr, ns, nf, gain, runs in _steps(r, s, skipped, lengths, slots):
        sub = best[nr][ns][nf]
        if sub is None or (sub[0] + gain[0], sub[1] + gain[1], sub[2] + gain[2]) != here:
            continue
        step = ((s, runs),) if runs else ()
        _collect(nr, ns, nf, path + step, lengths, slots, best, out)
