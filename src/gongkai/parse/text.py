"""The plain-text reader: bytes → :class:`Document`.

Handles what text extractions of real reports look like (spec §12): one cell per tab-indented
line with rows separated by empty lines; tab-separated rows; Markdown tables; cells broken over
several lines; page footers such as ``- 4 -``; ``[bookmark: …]`` artifacts; no-break spaces.
A line that may be a row written with a separator keeps its source text (``Line.raw``): its
blank fields are read by the table reader (:mod:`.fields`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from ..errors import ParseError
from ..escaping import unescape_markdown
from ..report import Location, trusted
from .document import Document, Line, Span
from .flattened import detect as detect_flattened
from .flattened import split_line

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# A page number line between pages: "- 4 -", "— 5 —", "-4-", "第 3 页".
_PAGE_FOOTER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)\s*$"
)
_FOOTER_START = frozenset("-—–－第")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# A GitHub table's separator row: the text is Markdown, whose backslash escapes are undone.
_MD_TABLE = re.compile(r"^[ \t]*\|[ \t]*:?-{2,}", re.M)
_NUMBERED_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、")

# What may separate the fields of a row written on one line (read by :mod:`.fields`).
_SEPARATOR = re.compile(r"\t|\||,|\S {2,}")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")

MAX_CONTROL_RATIO = 0.05


def decode(data: bytes, name: str | None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (which covers GBK/GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        text = utf16_without_bom(data)
        if text is not None:
            return text
        raise ParseError("不是文本文件（含有二进制内容），无法作为年报读取", _where(name))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise ParseError(
            f"无法识别文件编码（既不是UTF-8也不是GB18030），第{e.start}字节附近无法解码",
            _where(name),
        ) from None


def utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 without a byte-order mark (Windows tools write it), else None.

    Such a file is full of zero bytes (the high byte of every ASCII character: digits,
    punctuation, newlines), which is why it looked binary. Both byte orders are tried; the
    one whose first 2 048 characters are at least 95 % text a report is made of (printable
    ASCII, whitespace, CJK ideographs and punctuation, full-width forms) wins. Binary data
    decodes to characters spread over the whole range, a third of them at most in those
    blocks, and is refused."""
    even = data[: len(data) - len(data) % 2]
    best: tuple[float, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(codec)
        except UnicodeDecodeError:  # an unpaired surrogate: not this byte order
            continue
        sample = text[:2048]
        score = sum(map(_report_char, sample)) / max(len(sample), 1)
        if best is None or score > best[0]:
            best = (score, text)
    return best[1] if best is not None and best[0] >= 0.95 else None


def _report_char(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o < 0x7F
        or ch in "\t\r\n"
        or 0x3000 <= o <= 0x303F  # CJK punctuation: 、。《》「」
        or 0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0xFF00 <= o <= 0xFFEF  # full-width forms: （）：，
        or 0x2000 <= o <= 0x206F  # general punctuation: “” — …
        or o in (0xA0, 0xB7, 0xD7)  # no-break space, middle dot, ×
    )


def _where(name: str | None) -> Location | None:
    return Location(file=name) if name else None


def read_text(text: str, name: str | None = None) -> Document:
    """Split text into lines and group one-cell-per-line cells into grid rows."""
    controls = len(_CONTROLS.findall(text, 0, 8192))
    if text and controls / min(len(text), 8192) > MAX_CONTROL_RATIO:
        raise ParseError("不是文本文件（含有大量控制字符），无法作为年报读取", _where(name))
    doc = Document(name=name)
    group: list[Span] = []

    def flush() -> None:
        if group:
            doc.lines.append(Line(list(group), grid=True))
            group.clear()

    text = text.replace("\xa0", " ").replace("\u3000", " ")
    # Text a crawler flattened (no whitespace between cells): its lines are cut at labels.
    flattened = detect_flattened(text)
    has_bookmarks = "[bookmark:" in text
    markdown = _MD_TABLE.search(text) is not None
    for number, raw in _numbered_lines(text):
        line = _BOOKMARK.sub("", raw) if has_bookmarks else raw
        stripped = line.strip()
        if not stripped:
            if line.startswith("\t") and line.strip(" ") == "\t":
                # An empty cell of a one-cell-per-line table.
                group.append(Span("", trusted(Location, file=name, line=number)))
            else:
                flush()
            continue
        if stripped[0] in _FOOTER_START and _PAGE_FOOTER.match(line):
            continue  # a page break inside a table must not cut the table
        loc = trusted(Location, file=name, line=number)
        if stripped[0] == "|":
            flush()
            if not _MD_SEPARATOR.match(stripped):
                doc.lines.append(Line(_markdown_cells(line, loc, markdown), grid=True, raw=line))
            continue
        tabbed = line[0] == "\t"
        if "\t" in stripped or (tabbed and line.count("\t") > 1):
            # A whole row on one line, cells separated by tabs (leading empty cells are the
            # placeholders of merged columns).
            flush()
            cells = [Span(c.strip(), loc) for c in line.rstrip().split("\t")]
            # The line as written keeps its trailing tabs: a blank last cell, or filler.
            doc.lines.append(Line(cells, grid=True, raw=line))
            continue
        if tabbed:
            group.append(Span(stripped, loc))
            continue
        if group and not _NUMBERED_HEADING.match(line):
            # A line without the leading tab inside a group continues the previous cell, whose
            # text was broken across lines (商业\n企业).
            prev = group[-1]
            group[-1] = Span(prev.text + stripped, prev.location)
            continue
        text_line = _MD_HEADING.sub("", stripped).strip() if stripped[0] == "#" else stripped
        if markdown:
            text_line = unescape_markdown(text_line)
        if text_line and flattened:
            doc.lines.extend(split_line(text_line, loc, first=not doc.lines))
        elif text_line:
            kept = line if _SEPARATOR.search(line) else None
            doc.lines.append(Line([Span(text_line, loc)], raw=kept))
    flush()
    return doc


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines numbered as an editor shows them (by line feeds, not by ``str.splitlines``, which
    also breaks at form feeds and other separators)."""
    sep = "\n" if "\n" in text or "\r" not in text else "\r"
    rows = text.split(sep)
    if rows and not rows[-1]:
        rows.pop()
    for number, raw in enumerate(rows, start=1):
        raw = raw.rstrip("\r")
        if "\f" not in raw:
            yield number, raw
            continue
        # A form feed starts a new page (pdftotext): it separates the text around it but is no
        # line of its own; an empty line here would end a one-cell-per-line row in the middle.
        for part in raw.split("\f"):
            if part.strip():
                yield number, part


def _markdown_cells(line: str, loc: Location, escaped: bool = False) -> list[Span]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    if escaped:
        return [Span(unescape_markdown(c.strip()), loc) for c in body.split("|")]
    return [Span(c.strip(), loc) for c in body.split("|")]
