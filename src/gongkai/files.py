"""Which files of the paths a user names are reports: for ``gongkai check``, ``gongkai batch``
and the library alike; and closing an xlsxwriter workbook so that failures are OSErrors."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPORT_SUFFIXES = (".txt", ".md", ".text", ".docx", ".html", ".htm", ".pdf")
# The test corpus keeps each report's golden file beside it; it is not a report.
GOLDEN_SUFFIX = ".expected.json"
_GLOB_CHARS = set("*?[")


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Report files: files as given, folders walked (sorted), globs expanded (sorted).

    In folders only report suffixes count (golden ``*.expected.json`` files are skipped); a file
    named explicitly is always taken, so that a bad one shows up as an error, not silently.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        text = str(raw)
        if path.is_dir():
            out.extend(_walk(path))
        elif not path.exists() and _GLOB_CHARS & set(text):
            for hit in sorted(glob.glob(text, recursive=True)):
                p = Path(hit)
                if p.is_dir():
                    out.extend(_walk(p))
                elif is_report_name(p) or p.suffix.lower() == ".json":
                    out.append(p)
        elif not text.endswith(GOLDEN_SUFFIX):
            out.append(path)
    return out


def _walk(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and is_report_name(p)]


def is_report_name(p: Path) -> bool:
    return p.suffix.lower() in REPORT_SUFFIXES and not p.name.endswith(GOLDEN_SUFFIX)


def close_xlsx(book: Any) -> None:
    """Close (write out) an xlsxwriter workbook. xlsxwriter creates the file only now and wraps
    the OSError (a missing folder, no permission) in its own exception; re-raise the OSError
    so that callers handle it as for any other output file."""
    from xlsxwriter.exceptions import FileCreateError  # type: ignore[import-untyped]

    try:
        book.close()
    except FileCreateError as e:
        cause = e.args[0] if e.args and isinstance(e.args[0], OSError) else None
        raise (cause or OSError(str(e))) from None
