"""Which files of the paths a user names are reports: for ``gongkai check``, ``gongkai batch``
and the library alike; and closing an xlsxwriter workbook so that failures are OSErrors.

A report is one file, or the page images of a scanned report (:class:`Pages`, grouped by
:func:`group_images`): a folder holding only page images is one report; elsewhere, images whose
names differ only in a trailing page number are one report."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPORT_SUFFIXES = (".txt", ".md", ".text", ".docx", ".html", ".htm", ".pdf")
# Page images of a scanned report (here rather than in gongkai.parse.ocr, so
# that finding files does not import the OCR reader).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# The test corpus keeps each report's golden file beside it; it is not a report.
GOLDEN_SUFFIX = ".expected.json"
_GLOB_CHARS = set("*?[")

# A trailing page number: 某局2024_p3, 某局2024-3, 某局2024 第3页, 某局2024(3), 某局2024_003,
# page9, 3. At most three digits (leading zeros aside): 某局_2024 is a year, not page 2024.
_MARK = r"(?:p|page|P|Page|PAGE)"
_PAGE_NUMBER = re.compile(
    "|".join(
        (
            r"^(?P<b1>.*?)\s*第\s*0*(?P<n1>\d{1,3})\s*页$",
            r"^(?P<b2>.*?)\s*[(（\[]\s*0*(?P<n2>\d{1,3})\s*[)）\]]$",
            rf"^(?P<b3>.*?)[\s_\-.]+{_MARK}?\s*0*(?P<n3>\d{{1,3}})$",
            rf"^(?P<b4>(?:.*[^A-Za-z])?){_MARK}0*(?P<n4>\d{{1,3}})$",
            r"^(?P<b5>)0*(?P<n5>\d{1,3})$",
        )
    )
)


@dataclass(frozen=True, slots=True)
class Pages:
    """The page images of one scanned report, in page order.

    ``label`` is what a user sees as the report's path (the ``path`` column of a batch
    dataset): the folder, for a folder of page images; else the first page's path with its
    page number replaced by ``*`` (``scans/某局2024_p*.png``). ``numbers``: each page's number
    as its file name gives it (None: no number)."""

    label: str
    pages: tuple[Path, ...]
    numbers: tuple[int | None, ...]

    @property
    def missing(self) -> list[int]:
        return missing_pages(self.numbers)

    @property
    def title(self) -> str:
        """The report's own name: its folder's, or the pages' name without the page number
        (``某局2024_p1.png`` → ``某局2024``); empty for the top of a ZIP."""
        if not any(n is not None for n in self.numbers) or "*" not in Path(self.label).name:
            return Path(self.label).name
        m = _PAGE_NUMBER.match(os.path.splitext(self.pages[0].name)[0])
        assert m is not None  # a page of a numbered group has its number
        k = next(i for i in range(1, 6) if m.group(f"n{i}") is not None)
        return m.group(f"b{k}").rstrip(" _-.")


Source = Path | Pages  # one report: a file, or the page images of a scanned one


def page_number(name: str) -> tuple[str, int, tuple[int, int]] | None:
    """(the name without its page number, folded for comparing; the number; where the number
    stands in ``name``) for a page image's file name, or None when it has no page number."""
    stem, _ = os.path.splitext(name)
    m = _PAGE_NUMBER.match(stem)
    if m is None:
        return None
    k = next(i for i in range(1, 6) if m.group(f"n{i}") is not None)
    base = m.group(f"b{k}").rstrip(" _-.").casefold()
    return base, int(m.group(f"n{k}")), m.span(f"n{k}")


def missing_pages(numbers: Sequence[int | None]) -> list[int]:
    """The page numbers missing between the first and the last (p1, p2, p4 → [3]); none when
    a page has no number (pages are then in file-name order, nothing to check)."""
    if not numbers or any(n is None for n in numbers):
        return []
    have = {n for n in numbers if n is not None}
    return [n for n in range(min(have), max(have) + 1) if n not in have]


def natural_key(name: str) -> list[tuple[int, int | str]]:
    """page2.png before page10.png."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", name) if t]


def is_image_name(p: Path) -> bool:
    return p.suffix.lower() in IMAGE_SUFFIXES


def group_images(images: Sequence[Path], *, folder: str | None = None) -> list[Source]:
    """The reports that page images make (a pure function of their paths).

    With ``folder`` (the images of a folder holding no other report file): one report, its
    pages in natural file-name order, labelled ``folder``. Otherwise images in the same folder
    whose names are the same once a trailing page number is taken off are one report (pages in
    the order of their numbers: the natural order of their names when they are spelled
    alike); an image without a page number, or alone with its name, is
    a one-page report (its own path). The reports come in the order of their first page in
    ``images``."""
    if not images:
        return []
    if folder is not None:
        pages = tuple(sorted(images, key=lambda p: natural_key(p.name)))
        return [Pages(folder, pages, tuple(_number_or_none(p) for p in pages))]
    groups: dict[tuple[str, str], list[Path]] = {}
    order: list[tuple[str, str] | Path] = []
    for p in images:
        found = page_number(p.name)
        if found is None:
            order.append(p)
            continue
        key = (str(p.parent), found[0])
        if key not in groups:
            groups[key] = []
            order.append(key)
        if p not in groups[key]:
            groups[key].append(p)
    out: list[Source] = []
    for entry in order:
        if isinstance(entry, Path):
            out.append(entry)
            continue
        members = groups[entry]
        if len(members) == 1:
            out.append(members[0])
            continue
        pages = tuple(sorted(members, key=lambda p: (_number(p), natural_key(p.name))))
        out.append(Pages(_label(pages[0]), pages, tuple(_number(p) for p in pages)))
    return out


def _number(p: Path) -> int:
    found = page_number(p.name)
    return found[1] if found else -1


def _number_or_none(p: Path) -> int | None:
    found = page_number(p.name)
    return found[1] if found else None


def _label(first: Path) -> str:
    found = page_number(first.name)
    assert found is not None
    start, end = found[2]
    while start > 0 and first.name[start - 1] == "0":
        start -= 1  # 某局2024_003.tif → 某局2024_*.tif
    return str(first.with_name(first.name[:start] + "*" + first.name[end:]))


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Source]:
    """Reports: files as given, folders walked (sorted), globs expanded (sorted).

    In folders only report suffixes and page images count (golden ``*.expected.json`` files
    are skipped); a file named explicitly is always taken, so that a bad one shows up as an
    error, not silently. Page images are grouped into reports by :func:`group_images`: a
    folder holding page images and no other report file is one report; images named on the
    command line (or matched by a glob) are grouped by their page numbers, per folder."""
    out: list[Source] = []
    named: list[Path] = []  # explicitly named images, grouped where they first appear
    slots: list[int] = []
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
                elif is_image_name(p):
                    slots.append(len(out))
                    named.append(p)
                    out.append(p)
                elif is_report_name(p) or p.suffix.lower() == ".json":
                    out.append(p)
        elif is_image_name(path) and path.is_file():
            slots.append(len(out))
            named.append(path)
            out.append(path)
        elif not text.endswith(GOLDEN_SUFFIX):
            out.append(path)
    if len(named) < 2:
        return out
    group_of: dict[Path, Pages] = {}  # an image named → the report it is a page of
    for g in group_images(named):
        if isinstance(g, Pages):
            group_of.update((p, g) for p in g.pages)
    slot_set = set(slots)
    kept: list[Source] = []
    placed: set[str] = set()
    for i, item in enumerate(out):
        group = group_of.get(item) if i in slot_set and isinstance(item, Path) else None
        if group is None:
            kept.append(item)  # a one-page report (named twice: twice, as any file)
        elif group.label not in placed:  # the group where its first-named page was
            placed.add(group.label)
            kept.append(group)
    return kept


def _walk(folder: Path) -> list[Source]:
    found: list[tuple[Path, Source]] = []  # (where it sorts, the report)
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        here = Path(top)
        found.extend(in_folder(here, [here / n for n in sorted(names) if (here / n).is_file()]))
    found.sort(key=lambda e: e[0])
    return [s for _, s in found]


def in_folder(here: Path, files: Sequence[Path]) -> list[tuple[Path, Source]]:
    """The reports that the files directly in one folder make, each with where it sorts (a
    pure function of the paths: a ZIP's members are grouped by it too). Report files are
    reports; page images are grouped by :func:`group_images`, the whole folder being one
    report when it holds no other report file."""
    reports = [p for p in files if is_report_name(p)]
    images = [p for p in files if is_image_name(p)]
    found: list[tuple[Path, Source]] = [(p, p) for p in reports]
    if images and not reports:
        found.append((here, group_images(images, folder=str(here))[0]))
    else:
        for g in group_images(images):
            found.append((g.pages[0] if isinstance(g, Pages) else g, g))
    return found


def is_report_name(p: Path) -> bool:
    return p.suffix.lower() in REPORT_SUFFIXES and not p.name.endswith(GOLDEN_SUFFIX)


def source_path(source: Source) -> str:
    """What a user sees as the report's path: the file, or the pages' label."""
    return source.label if isinstance(source, Pages) else str(source)


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
