"""parse + check cost grows linearly with the input (issue 9): counted, not timed.

One seed report repeated N times is one long report whose narrative repeats a mismatched sum
(seed 000, rule X-9), so every copy adds a finding. Work is counted in operations — Python and
C function calls seen by ``sys.setprofile``, and characters handed to the narrative's
``flatten`` — for two sizes in one run: four times the input must cost about four times the
operations, not sixteen (each finding used to re-flatten every line of its passage).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import gongkai
from gongkai.check import prose

SEED = Path(__file__).parent / "corpus" / "000_d46c6233cefb6b7a.txt"
SMALL, LARGE = 10, 40
# Linear work gives LARGE / SMALL = 4; slack for per-report constants that don't repeat.
MAX_RATIO = 5.0


@contextmanager
def counting_calls() -> Iterator[list[int]]:
    count = [0]

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event in ("call", "c_call"):
            count[0] += 1

    sys.setprofile(profile)
    try:
        yield count
    finally:
        sys.setprofile(None)


def _flattened_chars(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    chars = [0]
    real = prose.flatten

    def counted(text: str) -> str:
        chars[0] += len(text)
        return real(text)

    monkeypatch.setattr(prose, "flatten", counted)
    return chars


def _run(copies: int) -> list[gongkai.Finding]:
    return gongkai.check(gongkai.parse(SEED.read_bytes() * copies))


def test_every_copy_of_the_seed_is_one_more_finding() -> None:
    # The premise of the other tests: the work per copy includes making a finding.
    small = [f for f in _run(SMALL) if f.rule == "X-9"]
    large = [f for f in _run(LARGE) if f.rule == "X-9"]
    assert len(small) >= SMALL
    assert len(large) >= LARGE


def test_function_calls_grow_linearly_with_the_input() -> None:
    _run(1)  # imports and caches
    with counting_calls() as small:
        _run(SMALL)
    with counting_calls() as large:
        _run(LARGE)
    assert large[0] / small[0] <= MAX_RATIO, (small[0], large[0])


def test_text_flattened_grows_linearly_with_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    chars = _flattened_chars(monkeypatch)
    _run(SMALL)
    small = chars[0]
    chars[0] = 0
    _run(LARGE)
    assert small > 0
    assert chars[0] / small <= MAX_RATIO, (small, chars[0])


def test_parse_and_check_leave_the_collector_as_they_found_it() -> None:
    # They pause the cycle collector while they run (see gongkai._gc).
    report = gongkai.parse(SEED.read_bytes())
    assert gc.isenabled()
    gongkai.check(report)
    assert gc.isenabled()
    with pytest.raises(gongkai.ParseError):
        gongkai.parse(b"")
    assert gc.isenabled()
    gc.disable()
    try:
        gongkai.check(gongkai.parse(SEED.read_bytes()))
        assert not gc.isenabled()  # paused by the caller: stays paused
    finally:
        gc.enable()


def test_parse_and_check_leave_no_reference_cycles() -> None:
    # What makes pausing the collector safe: what they allocate per line or cell is freed by
    # reference counts (a cycle per line would leave thousands of objects here).
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            gongkai.check(gongkai.parse(SEED.read_bytes() * 2))
        assert gc.collect() < 100
    finally:
        gc.enable()
