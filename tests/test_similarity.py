"""Copy detection (DUP-1): near-duplicate narratives found by MinHash/LSH and verified exactly."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

import gongkai
from gongkai.batch import CopyOptions, ingest, read_table
from gongkai.batch.similarity import (
    CopyDetector,
    Member,
    features,
    jaccard,
    normalise_text,
    shingles,
)

from .test_batch_helpers import SEEDS, seed, variant


def narrative_set(path: Path) -> np.ndarray:
    report = gongkai.parse(path)
    parts = [shingles(normalise_text(s.text)) for s in report.sections]
    return np.unique(np.concatenate(parts))


def test_unrelated_seeds_are_far_below_the_threshold() -> None:
    # Why 0.8: the five seeds share a template's headings and stock phrases, yet their
    # narratives score at most ~0.03; a copy with a changed name scores 0.96 or more.
    sets = [narrative_set(p) for p in SEEDS]
    for a, b in itertools.combinations(sets, 2):
        assert jaccard(a, b) < 0.1


def test_numbers_are_masked() -> None:
    assert normalise_text("2020年，我局 主动公开信息 233 条。") == "#年,我局主动公开信息#条。"


def test_signature_estimates_the_jaccard_similarity() -> None:
    base = normalise_text("".join(s.text for s in gongkai.parse(seed("004")).sections))
    full = shingles(base)
    opts = CopyOptions()
    errors = []
    for cut in (0.05, 0.2, 0.4):
        n = int(len(base) * cut)
        part = shingles(base[n:])
        f1 = features([(1, "", base)], opts)
        f2 = features([(1, "", base[n:])], opts)
        assert f1 and f2
        s1 = np.frombuffer(f1[0], dtype=np.uint64)
        s2 = np.frombuffer(f2[0], dtype=np.uint64)
        errors.append(abs(float((s1 == s2).mean()) - jaccard(full, part)))
    assert max(errors) < 0.12


def test_too_short_narratives_are_not_compared() -> None:
    assert features([(1, "一、总体情况", "本年度无。")], CopyOptions()) is None


def dup_findings(out: Path) -> list[dict[str, object]]:
    return [f for f in read_table(out, "findings") if f["rule"] == "DUP-1"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_copy_with_another_agency_name_is_a_near_duplicate(tmp_path: Path, prefix: str) -> None:
    src = seed(prefix)
    agency = gongkai.parse(src).agency
    assert agency
    copy = variant(src, tmp_path / "copy.txt", agency=(agency, "某某县农业农村局"))
    out = tmp_path / "out.sqlite"
    ingest([src, copy], out)
    found = dup_findings(out)
    assert len(found) == 1
    f = found[0]
    assert f["severity"] == "info"
    assert (f["report_id"], f["related_report_id"]) == (2, 1)  # on the later one, citing the first
    message = str(f["message"])
    assert "同年度另一份报告" in message and src.name in message and "相似度" in message
    assert "最相似的是本报告第" in message and "对方第" in message


def test_the_seeds_alone_have_no_near_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    ingest(SEEDS, out)
    assert dup_findings(out) == []


def test_scope_same_year_or_same_body_consecutive_years(tmp_path: Path) -> None:
    src = seed("003")  # 2023
    agency = gongkai.parse(src).agency
    assert agency
    other_body_other_year = variant(
        src, tmp_path / "a.txt", agency=(agency, "某某县农业农村局"), year=(2023, 2021)
    )
    same_body_last_year = variant(src, tmp_path / "b.txt", year=(2023, 2022))
    out = tmp_path / "out.sqlite"
    ingest([src, other_body_other_year, same_body_last_year], out)
    found = dup_findings(out)
    assert len(found) == 1
    assert (found[0]["report_id"], found[0]["related_report_id"]) == (1, 3)
    assert "同一机关上一年度的报告" in str(found[0]["message"])


def test_threshold_is_configurable(tmp_path: Path) -> None:
    src = seed("002")  # the copy scores about 0.96: its agency name is in the narrative
    agency = gongkai.parse(src).agency
    assert agency
    copy = variant(src, tmp_path / "copy.txt", agency=(agency, "某某县农业农村局"))
    out = tmp_path / "strict.sqlite"
    ingest([src, copy], out, copy=CopyOptions(threshold=0.99))
    assert dup_findings(out) == []
    ingest([src, copy], tmp_path / "off.sqlite", copy=None)
    assert dup_findings(tmp_path / "off.sqlite") == []


def test_many_copies_are_capped_per_report() -> None:
    opts = CopyOptions(max_matches=2)
    detector = CopyDetector(opts)
    text = normalise_text("".join(s.text for s in gongkai.parse(seed("004")).sections))
    feats = features([(1, "一、总体情况", text)], opts)
    assert feats
    try:
        for i in range(1, 8):
            detector.add(Member(i, f"{i}.txt", f"机关{i}", 2020), feats, {1: text})
        found = list(detector.find({i: f"机关{i}" for i in range(1, 8)}))
    finally:
        detector.close()
    per_report: dict[int, int] = {}
    for f in found:
        per_report[f.report_id] = per_report.get(f.report_id, 0) + 1
    assert max(per_report.values()) == 2
    assert 1 not in per_report  # the first report has no earlier one to be a copy of
