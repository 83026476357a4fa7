"""``gongkai.parse``: any supported input → :class:`~gongkai.report.Report`.

A reader turns the input into the neutral :class:`~.document.Document`; the layout finds the
title, the sections and the table regions; the table reader reads the cells, generic over the
format. Lenient by default (the report comes back with located warnings); ``strict=True`` turns
the first warning into a :class:`~gongkai.errors.StrictParseError`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .. import formats
from .._gc import without_gc
from ..errors import ParseError, StrictParseError
from ..files import missing_pages, natural_key, page_number
from ..report import Location, ParseWarning, Report, Section
from ..report import Table as ReportTable
from . import ocr_doubt
from .document import Document, Line
from .flattened import mark_inferred, resolve
from .layout import Regions, find_headings, find_regions, find_title, year_from_period
from .ocr import IMAGE_SUFFIXES, is_image, read_images
from .readers import read_document
from .tables import TableReader, read_t4
from .text import read_text
from .tokens import is_prose

__all__ = ["Document", "parse", "parse_document", "parse_images"]

_MB = 1024 * 1024
# The largest input of each kind (docs/limits.md), checked before the file is read: a text, Word
# or web report is tens of KB, a digital PDF a few MB (fonts, a logo, a scanned seal).
MAX_TEXT_BYTES = 20 * _MB  # every input that is not a PDF
MAX_PDF_BYTES = 100 * _MB
_HEAD = 2048  # the bytes that tell a PDF apart (readers.sniff looks at the same)


@without_gc
def parse(
    source: str | bytes | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    strict: bool = False,
    name: str | None = None,
    ocr: bool | None = None,
) -> Report:
    """Parse a report from a path, the bytes of a file, or its text.

    A ``str`` that names an existing file is read as that file; any other ``str`` is the
    report's text. A file or bytes holding a Report JSON (``gongkai parse --format json``) is
    read back as that report. A folder of page images, or a list of image paths, is one report
    read through OCR, pages in file-name order (a list: in its order). ``ocr`` turns reading
    pictures on or off (default: on when the ``ocr`` extra is installed). Raises
    :class:`ParseError` (naming the file and the place) for input that is not a report or whose
    tables cannot be found.
    """
    if isinstance(source, list | tuple):
        paths = [Path(p) for p in source]
        return _parse_images(paths, name or (paths[0].name if paths else None), strict, ocr)
    if isinstance(source, os.PathLike | str) and _is_dir(source):
        folder = Path(source)
        paths = sorted(
            (p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES),
            key=lambda p: natural_key(p.name),
        )
        if not paths:
            raise ParseError("文件夹里没有页面图片（PNG、JPEG、TIFF）", Location(file=folder.name))
        return _parse_images(paths, name or folder.name, strict, ocr)
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and len(source) < 1024 and _is_file(source)
    ):
        path = Path(source)
        name = name or path.name
        source = _read_limited(path, name)
    if isinstance(source, bytes):
        limit, kind = _limit(source[:_HEAD])
        if len(source) > limit:
            raise ParseError(
                f"输入过大（{len(source) // _MB} MB），超过{kind}的上限{limit // _MB} MB",
                Location(file=name) if name else None,
            )
        if source.lstrip()[:1] == b"{":
            return _report_json(source, name)
        return parse_document(read_document(source, name, ocr=ocr), strict=strict)
    text = str(source)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (text decoded with surrogateescape) are no characters; they would
        # make the report impossible to write out as JSON.
        text = text.encode("utf-8", "replace").decode("utf-8")
    return parse_document(read_text(text, name), strict=strict)


def _parse_images(paths: list[Path], name: str | None, strict: bool, ocr: bool | None) -> Report:
    if ocr is False:  # refused before any page is read
        raise ParseError("图片年报需要OCR识别，但OCR已关闭", Location(file=name) if name else None)
    return parse_images([(p.name, _read_limited(p, p.name)) for p in paths], name, strict=strict)


def parse_images(
    pages: Sequence[tuple[str, bytes]],
    name: str | None,
    *,
    strict: bool = False,
    ocr: bool | None = None,
) -> Report:
    """One report from its page images, in page order: each page's file name (for messages
    and its page number) and bytes. A gap in the pages' numbers (p1, p2, p4) is a warning
    naming the missing pages; a page that is no image is an error naming it."""
    where = Location(file=name) if name else None
    if ocr is False:
        raise ParseError("图片年报需要OCR识别，但OCR已关闭", where)
    for own, data in pages:
        if not is_image(data[:16]):
            raise ParseError("不是页面图片（PNG、JPEG、TIFF）", Location(file=own))
    doc = read_images(pages, name)
    numbers = [(found[1] if (found := page_number(own)) else None) for own, _ in pages]
    missing = missing_pages(numbers)
    if missing:
        doc.warnings.append(
            ParseWarning(
                code="missing-page",
                message="页面图片的页码不连续：缺少第"
                + "、".join(str(n) for n in missing)
                + "页，请检查是否漏扫",
                location=where,
            )
        )
    return parse_document(doc, strict=strict)


def _is_dir(s: str | os.PathLike[str]) -> bool:
    if isinstance(s, str) and ("\n" in s or len(s) >= 1024):
        return False
    try:
        return Path(s).is_dir()
    except (OSError, ValueError):
        return False


def _report_json(data: bytes, name: str | None) -> Report:
    """A report written out by ``gongkai parse --format json`` (no report text starts with
    ``{``, so the content decides, not the suffix)."""
    try:
        return Report.from_json(data)
    except ValueError:  # pydantic's ValidationError included
        raise ParseError(
            "不是gongkai的年报JSON（应为 gongkai parse --format json 的输出）",
            Location(file=name) if name else None,
        ) from None


def _limit(head: bytes) -> tuple[int, str]:
    """The size limit for an input starting with ``head``, and what to call it in messages."""
    if head.lstrip().startswith(b"%PDF-"):
        return MAX_PDF_BYTES, "PDF年报"
    if is_image(head):
        return MAX_PDF_BYTES, "图片年报"
    return MAX_TEXT_BYTES, "文本年报"


def _read_limited(path: Path, name: str) -> bytes:
    """The file's bytes, refused by size before they are read. The read itself is capped too:
    a pipe or a device reports no size, and a file may grow while it is read."""
    where = Location(file=name)
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD)
            limit, kind = _limit(head)
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise ParseError(
                    f"文件过大（{size // _MB} MB），超过{kind}的上限{limit // _MB} MB", where
                )
            data = head + f.read(limit + 1 - len(head))
    except FileNotFoundError:
        raise ParseError("文件不存在", where) from None
    except OSError as e:
        raise ParseError(f"无法读取文件：{e.strerror or e}", where) from None
    if len(data) > limit:
        raise ParseError(f"文件过大，超过{kind}的上限{limit // _MB} MB", where)
    return data


def _is_file(s: str) -> bool:
    try:
        return Path(s).is_file()
    except (OSError, ValueError):
        return False


def parse_document(doc: Document, *, strict: bool = False) -> Report:
    """Read a report from a neutral document (what every reader produces)."""
    warnings: list[ParseWarning] = list(doc.warnings)
    file = doc.name
    where = Location(file=file)
    lines = doc.lines
    if not any(line.text.strip() for line in lines):
        raise ParseError("文件是空的，没有可读取的内容", where)

    title = find_title(lines)
    start = title.end if title else 0
    any_format = formats.V2021  # both formats share the six section headings
    headings = find_headings(lines, any_format, start)
    regions = find_regions(lines, headings)
    if regions.t2 is None and regions.t3 is None and regions.t4 is None:
        if title is None:
            raise ParseError("不是政府信息公开工作年度报告：既没有年报标题，也没有年报表格", where)
        raise ParseError("找不到年报的表格（表二、表三、表四均未找到）", where)

    year = title.year if title else None
    if year is None:
        year = year_from_period(_narrative(lines, start, len(lines), regions)[0])
        warnings.append(
            ParseWarning(
                code="no-title",
                message="未找到年报标题（机关名称和年度）"
                + (f"；年度按统计期限取{year}年" if year else ""),
                location=where,
            )
        )
    if year is not None and year < formats.V2019.first_year:
        raise ParseError(f"这是{year}年度的报告，使用2019年以前的旧格式，不在支持范围内", where)
    table_text = "\n".join(
        lines[i].text for r in (regions.t2, regions.t3, regions.t4) if r for i in range(*r)
    )
    fmt, why = formats.detect(table_text, year)
    if fmt is None:
        raise ParseError(why or "无法确定年报格式", where)
    if why:
        warnings.append(ParseWarning(code="format-mismatch", message=why, location=where))

    # Rows of crawler-flattened text: their digit runs cut into cells by the format.
    lines, splits = resolve(lines, regions, fmt, file, warnings)
    # Headings inside a table region (三、收到和处理… ends table 二's region) are not rows.
    heading_lines = set(headings.values())

    def region_lines(region: tuple[int, int]) -> list[Line]:
        return [lines[i] for i in range(*region) if i not in heading_lines]

    tables: dict[str, ReportTable] = {}
    for key, region in (("t2", regions.t2), ("t3", regions.t3)):
        if region is None:
            warnings.append(
                ParseWarning(
                    code="missing-table",
                    message=f"未找到表{fmt.table(key).number}（{fmt.table(key).title}）",
                    location=where,
                )
            )
            continue
        reader = TableReader(fmt.table(key), file, warnings)
        tables[key] = reader.read(region_lines(region))
    if regions.t4 is None:
        warnings.append(
            ParseWarning(
                code="missing-table", message="未找到表四（行政复议、行政诉讼情况）", location=where
            )
        )
    else:
        tables["t4"] = read_t4(fmt.table("t4"), region_lines(regions.t4), file, warnings)
    mark_inferred(tables, splits)
    if doc.ocr:
        ocr_doubt.review(tables, fmt, warnings)

    sections = _sections(lines, headings, regions, file)
    for s in fmt.sections:
        if s.number not in headings:
            warnings.append(
                ParseWarning(
                    code="missing-section",
                    message=f"未找到第{'一二三四五六'[s.number - 1]}部分「{s.heading}」的标题",
                    location=where,
                )
            )
    first_heading = min(headings.values(), default=len(lines))
    preamble, preamble_lines = _narrative(lines, start, first_heading, regions)
    report = Report(
        agency=title.agency if title else None,
        year=year,
        format=fmt.key,
        title=title.text if title else None,
        source=file,
        preamble=preamble,
        preamble_lines=preamble_lines,
        tables=tables,
        sections=sections,
        warnings=warnings,
    )
    if strict and warnings:
        raise StrictParseError(warnings[0].message, warnings[0].location)
    return report


def _narrative(
    lines: list[Line], start: int, end: int, regions: Regions
) -> tuple[str, list[int | None]]:
    """The text of lines [start, end) outside the tables, and the source line of each.

    Prose inside a table region (a sentence before or after the table under the same heading)
    is narrative too: the table reader skips it, so it would otherwise be lost."""
    kept = [
        lines[i]
        for i in range(start, end)
        if lines[i].text and (not regions.covers(i) or is_prose(lines[i]))
    ]
    return "\n".join(line.text for line in kept), [line.location.line for line in kept]


def _sections(
    lines: list[Line], headings: dict[int, int], regions: Regions, file: str | None
) -> list[Section]:
    order = sorted(headings.items(), key=lambda kv: kv[1])
    out: list[Section] = []
    for k, (number, i) in enumerate(order):
        end = order[k + 1][1] if k + 1 < len(order) else len(lines)
        text, numbers = _narrative(lines, i + 1, end, regions)
        out.append(
            Section(
                number=number,
                heading=lines[i].text.strip(),
                text=text,
                lines=numbers,
                location=lines[i].location,
            )
        )
    return out
