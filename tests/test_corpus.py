"""Every report of tests/corpus/ (seeds at the top, variants in sub-folders, any input kind)
parses to its hand-checked golden file, findings included."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai

from .conftest import CORPUS
from .golden import compare
from .test_roundtrip import assert_same_tables

SUFFIXES = {".txt", ".md", ".docx", ".html", ".htm", ".pdf"}
REPORTS = sorted(p for p in CORPUS.rglob("*") if p.suffix in SUFFIXES)


def test_corpus_is_not_empty() -> None:
    assert len([p for p in REPORTS if p.parent == CORPUS]) == 5  # the five seeds


@pytest.mark.parametrize("path", REPORTS, ids=[str(p.relative_to(CORPUS)) for p in REPORTS])
def test_corpus_report(path: Path, update_golden: bool) -> None:
    compare(path, update_golden)


# The DOCX and HTML variants are seeds written another way (tests/make_corpus_variants.py):
# beyond their golden files, their tables must be the seed's, cell by cell.
DERIVED = sorted([*(CORPUS / "docx").glob("*.docx"), *(CORPUS / "html").glob("*.html")])


@pytest.mark.parametrize("path", DERIVED, ids=[str(p.relative_to(CORPUS)) for p in DERIVED])
def test_variant_has_its_seeds_tables(path: Path) -> None:
    seed = next(CORPUS.glob(f"{path.name[:3]}_*.txt"))
    want = gongkai.parse(seed)
    got = gongkai.parse(path)
    # Seed 001 pasted as Word paragraphs with tabs: the DOCX reader drops the empty pieces
    # between tabs, so the seed's written blanks have no cell there (absent, not blank).
    blanks_absent = path.name == "001_paragraph_tables.docx"
    assert_same_tables(want, got, path.name, blanks_absent=blanks_absent)
    assert (got.agency, got.year, got.format) == (want.agency, want.year, want.format)
