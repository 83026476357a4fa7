"""Fuzzing the parser: whatever the input, the result is a Report or a ParseError — never any
other exception — and it comes back quickly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gongkai
from gongkai.errors import ParseError

from .conftest import CORPUS

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def parse_or_error(data: str | bytes) -> None:
    try:
        report = gongkai.parse(data)
    except ParseError as e:
        assert str(e)  # a message for the user
        return
    assert isinstance(report, gongkai.Report)
    gongkai.check(report)  # checks never raise on a parsed report


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace_char"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=40)))
        elif lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            c = draw(
                st.sampled_from(["\t", " ", "0", "9", "/", "—", "（", "、", "x", "\u00a0", "|"])
            )
            lines[i] = lines[i][:k] + c + lines[i][k + 1 :]
    return "\n".join(lines)


@FUZZ
@given(mutated_seed())
def test_mutated_seeds(text: str) -> None:
    parse_or_error(text)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    parse_or_error(data)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    parse_or_error(text)


def test_very_long_inputs() -> None:
    seed = SEED_TEXTS[0]
    parse_or_error(seed * 50)  # a report repeated: many tables
    parse_or_error(seed + "\n" + "0\t" * 200_000)  # one huge row
    parse_or_error(seed.replace("\n", " ") * 20)  # no line breaks at all
    parse_or_error("第二十条第（一）项\n" + "规章 1 2 3\n" * 50_000)
