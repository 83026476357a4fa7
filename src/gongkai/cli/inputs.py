"""Expanding the paths given on the command line into the report files to read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

REPORT_SUFFIXES = (".txt", ".md", ".text", ".docx", ".html", ".htm", ".pdf", ".json")
# The test corpus keeps each report's golden file beside it; it is not a report.
GOLDEN_SUFFIX = ".expected.json"


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Files as given; folders walked (sorted) for report files. Golden files are skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and _is_report_name(p) and p.suffix.lower() != ".json":
                    yield p
        elif not path.name.endswith(GOLDEN_SUFFIX):
            yield path


def _is_report_name(p: Path) -> bool:
    return p.suffix.lower() in REPORT_SUFFIXES and not p.name.endswith(GOLDEN_SUFFIX)
