"""Every report of tests/corpus/ (seeds at the top, variants in sub-folders, any input kind)
parses to its hand-checked golden file, findings included."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CORPUS
from .golden import compare

SUFFIXES = {".txt", ".md", ".docx", ".html", ".htm", ".pdf"}
REPORTS = sorted(p for p in CORPUS.rglob("*") if p.suffix in SUFFIXES)


def test_corpus_is_not_empty() -> None:
    assert len([p for p in REPORTS if p.parent == CORPUS]) == 5  # the five seeds


@pytest.mark.parametrize("path", REPORTS, ids=[str(p.relative_to(CORPUS)) for p in REPORTS])
def test_corpus_report(path: Path, update_golden: bool) -> None:
    compare(path, update_golden)
