"""The checker on the parsed seed reports and the real reports: the known facts, and no more.

Seeds 000 and 004 carry the two narrative inconsistencies named in the seeds' README; every
seed's tables are consistent, so no seed has an ``error``. The real reports' narratives restate
their tables correctly, so no X-1 … X-4 warning may appear on them.
"""

from __future__ import annotations

import pytest

import gongkai

from .conftest import CORPUS, SHARED_REAL

SEEDS = sorted(CORPUS.glob("*.txt"))
REAL = sorted(SHARED_REAL.glob("*.txt")) if SHARED_REAL.is_dir() else []


def findings(path: object) -> list[gongkai.Finding]:
    return gongkai.check(gongkai.parse(path))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_seeds_have_no_error(path: object) -> None:
    assert [str(f) for f in findings(path) if f.severity == "error"] == []


def test_seed_000_narrative_sum() -> None:
    found = [f for f in findings(CORPUS / "000_d46c6233cefb6b7a.txt") if f.rule == "X-9"]
    assert len(found) == 1
    assert "62+170=232" in found[0].message and "233条" in found[0].message


def test_seed_004_no_correction_claimed() -> None:
    found = [f for f in findings(CORPUS / "004_8662c94b6d75781e.txt") if f.rule == "X-4"]
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert "未出现行政复议纠错" in found[0].message and "为1" in found[0].message


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_narratives_agree_with_their_tables(path: object) -> None:
    rules = {"X-1", "X-2", "X-3", "X-4", "X-6", "X-7"}
    assert [str(f) for f in findings(path) if f.rule in rules] == []
