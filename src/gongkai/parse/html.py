"""The HTML reader: a web page → :class:`~.document.Document`.

Real report pages are Word exports (``MsoNormal`` paragraphs, text split over nested spans,
``&nbsp;`` padding) inside a portal's navigation chrome, often in GB2312. The reader

* decodes the bytes itself: UTF-8 when the bytes are valid UTF-8, else the declared charset,
  with GB2312 and GBK read as GB18030 (their superset: pages declared GB2312 use GBK
  characters), whatever the ``<meta>`` says;
* keeps to the article: the smallest element holding the report's title and its tables, read
  from the title on (navigation menus, sidebars and footers around it are left out);
* turns every table row into a grid line, expanding ``rowspan``/``colspan``: a cell's text
  once, a blank placeholder for each further column it spans, a blank where a cell from an
  earlier row spans down; ``<br>`` and paragraphs inside a cell become newlines;
* turns every other block (``<p>``, ``<div>``, headings, list items, ``<br>``-separated
  lines) into a text line located by its source line.

Limits (docs/limits.md): no DTD (a page declaring entities is refused), no network, lxml's
default tree-size limits (a page nested deeper than :data:`MAX_DEPTH` is refused, not read
cut off), spans capped as browsers cap them, at most :data:`MAX_GRID_CELLS` grid positions
per document.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from lxml import etree  # type: ignore[import-untyped]

from ..errors import ParseError
from ..formats import FORMATS, normalise
from ..report import Location
from .document import Document, Line, Span

MAX_COLSPAN = 1000  # what browsers allow (HTML: colspan ≤ 1000, rowspan ≤ 65534)
MAX_ROWSPAN = 65534
MAX_GRID_CELLS = 100_000  # per document; a report's tables have a few hundred positions
MAX_DEPTH = 256  # libxml2's limit on nested elements without XML_PARSE_HUGE (huge_tree)
MIN_REPORT_WORDS = 3  # header words of a report table needed to call a table one

_BLOCK = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
        "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "tfoot", "thead", "tr", "td", "th", "ul",
    )
)  # fmt: skip
_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "select",
    "button", "textarea", "svg", "math", "head", "title",
)  # fmt: skip
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "csgb2312", "x-euc-cn", "hz-gb-2312"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_DTD_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden", re.I)
_CJK = "\u2014\u2018-\u201f\u2026\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"  # with “” … —
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_NO_BORDER = re.compile(r"border\s*:\s*none", re.I)
# A whole element's text that is a title: the agency, the year, …报告, nothing after it.
_TITLE = re.compile(
    r"^[^。；;]{0,60}?(?:19|20)\d{2}年度?[^。；;]{0,40}?政府信息公开(?:工作)?(?:年度)?报告$"
)
TITLE_MAX = 120  # characters: a title element is short
_TITLE_TAGS = (
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "td", "th", "center", "header", "section",
    "article", "caption", "strong", "b", "font", "span",
)  # fmt: skip


def _where(name: str | None) -> Location | None:
    return Location(file=name) if name else None


def decode_html(data: bytes) -> str:
    """Bytes → text. A BOM wins; then UTF-8 if the bytes are valid UTF-8 (a page is often
    re-saved as UTF-8 with its old GB2312 meta left in); then the declared charset, GB2312 and
    GBK as GB18030; then GB18030."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii", "replace").lower() if m else ""
    candidates = ["gb18030" if declared in _GB else declared, "gb18030"]
    for codec in candidates:
        try:
            codecs.lookup(codec)
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace")


def _squash(text: str) -> str:
    """Collapse whitespace as a browser does, but join CJK text that the source broke over
    lines (Word wraps its HTML source mid-sentence) without inserting a space."""
    text = text.replace("\xa0", " ").replace("\u3000", " ")
    text = _CJK_BREAK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _span(value: str | None, cap: int) -> int:
    try:
        n = int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1
    return min(max(n, 1), cap)


def _hidden(el: etree._Element) -> bool:
    style = el.get("style")
    return el.get("hidden") is not None or (style is not None and bool(_HIDDEN.search(style)))


def _invisible(tr: etree._Element, cells: list[etree._Element]) -> bool:
    """Word's export ends a table with a row of empty, borderless cells (for misaligned
    columns): not a row of the report's table."""
    if any(_squash("".join(c.itertext())) for c in cells):
        return False
    borderless = all(_NO_BORDER.search(c.get("style") or "") for c in cells)
    return tr.get("height") == "0" or (bool(cells) and borderless)


def _is_layout(table: etree._Element) -> bool:
    """A table holding tables, or of a single column, is page layout, not a data table."""
    if table.find(".//table") is not None:
        return True
    return all(sum(1 for c in tr if c.tag in ("td", "th")) <= 1 for tr in table.iter("tr"))


class _Walker:
    def __init__(
        self, name: str | None, start: etree._Element | None, *, texts_only: bool = False
    ) -> None:
        self.name = name
        self.texts_only = texts_only  # inside a cell: only the text of each line is kept
        self.texts: list[str] = []
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.start = start  # the title element: where the report begins
        self.start_index: int | None = None
        self.grid_cells = 0

    def flush(self) -> None:
        text = _squash("".join(self.buf))
        if text and self.texts_only:
            self.texts.append(text)
        elif text:
            where = Location(file=self.name, line=self.buf_line)
            self.lines.append(Line([Span(text, where)]))
        self.buf.clear()
        self.buf_line = None

    def add(self, text: str | None, line: int | None) -> None:
        if text:
            if self.buf_line is None and text.strip():
                self.buf_line = line
            self.buf.append(text)

    def walk(self, el: etree._Element) -> None:
        tag = el.tag
        if not isinstance(tag, str) or _hidden(el):
            self.add(el.tail, el.sourceline)
            return
        if el is self.start:
            self.flush()
            self.start_index = len(self.lines)
        if tag == "br":
            self.flush()
        elif tag == "table" and not _is_layout(el):
            self.flush()
            self.table(el)
        elif tag in _BLOCK:
            self.flush()
            self.add(el.text, el.sourceline)
            for child in el:
                self.walk(child)
            self.flush()
        else:
            self.add(el.text, el.sourceline)
            for child in el:
                self.walk(child)
        self.add(el.tail, el.sourceline)

    def cell_text(self, cell: etree._Element) -> str:
        if len(cell) == 0:
            return _squash(cell.text or "")
        inner = _Walker(self.name, None, texts_only=True)
        inner.add(cell.text, cell.sourceline)
        for child in cell:
            inner.walk(child)
        inner.flush()
        return "\n".join(inner.texts)

    def table(self, table: etree._Element) -> None:
        carried: dict[int, int] = {}  # column → rows still covered by a cell from above
        for r, tr in enumerate(table.iter("tr"), start=1):
            slots = self._row(tr, r, carried)
            self.grid_cells += len(slots)
            if slots:
                self.lines.append(Line(slots, grid=True))

    def _row(self, tr: etree._Element, r: int, carried: dict[int, int]) -> list[Span]:
        slots: list[tuple[Span, bool]] = []  # (span, is a colspan placeholder)
        column = 0
        cells = [c for c in tr if c.tag in ("td", "th") and not _hidden(c)]
        if _invisible(tr, cells):
            return []
        last_below = max((c for c, n in carried.items() if n > 0), default=-1)
        # Refuse before building anything: the row's width is known from its spans.
        width = sum(_span(c.get("colspan"), MAX_COLSPAN) for c in cells)
        if self.grid_cells + max(width, last_below + 1) > MAX_GRID_CELLS:
            raise ParseError(
                f"网页中的表格过大（超过{MAX_GRID_CELLS}个单元格），不是年报，拒绝读取",
                _where(self.name),
            )
        # Walk the columns until the row's cells and the cells spanning down from above end.
        while cells or column <= last_below:
            if carried.get(column, 0) > 0:
                carried[column] -= 1  # a cell from an earlier row spans down here: blank
                slots.append((Span("", self._loc(tr, r, column)), False))
                column += 1
                continue
            if not cells:
                slots.append((Span("", self._loc(tr, r, column)), False))  # a hole
                column += 1
                continue
            cell = cells.pop(0)
            rowspan = _span(cell.get("rowspan"), MAX_ROWSPAN)
            colspan = _span(cell.get("colspan"), MAX_COLSPAN)
            slots.append((Span(self.cell_text(cell), self._loc(cell, r, column)), False))
            for j in range(column, column + colspan):
                if j > column:
                    slots.append((Span("", self._loc(cell, r, j)), True))
                if rowspan > 1:
                    carried[j] = rowspan - 1
            column += colspan
        # The placeholders of a row's last cell are left out: a blank after the last value
        # could not be told from a blank value, and nothing to its right needs its place.
        while slots and slots[-1][1]:
            slots.pop()
        return [s for s, _ in slots]

    def _loc(self, el: etree._Element, row: int, column: int) -> Location:
        return Location(file=self.name, line=el.sourceline, row=row, column=column + 1)


def _report_words() -> frozenset[str]:
    """Words found only in a report's tables: captions, header words, column and group
    labels, the note (row labels such as 行政许可 also name menu entries)."""
    words: set[str] = set()
    for fmt in FORMATS.values():
        for t in fmt.tables:
            texts = [*t.header_labels, *t.group_labels, *(b.caption for b in t.blocks)]
            texts += [c.label for c in t.all_columns] + [t.note or ""]
            words.update(w for w in (normalise(x) for x in texts) if len(w) >= 4)
    return frozenset(words)


_REPORT_WORDS = _report_words()


def _short_text(el: etree._Element, limit: int = TITLE_MAX) -> str | None:
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        if size > limit * 4:  # whitespace and &nbsp; padding count too; stop early on big blocks
            return None
        parts.append(piece)
    text = "".join("".join(parts).split())
    return text if len(text) <= limit else None


def _titles(body: etree._Element) -> Iterator[etree._Element]:
    """Elements whose whole text is a report title, innermost of each nesting."""
    last: etree._Element | None = None
    for el in body.iter(*_TITLE_TAGS):
        parent = el.getparent()
        if el.tag in ("td", "th") and parent is not None and len(parent) > 1:
            continue  # a cell among others is table data; a title sits alone in its row
        text = _short_text(el)
        if not text or not _TITLE.match(text):
            continue
        if any(a.tag == "a" for a in el.iterancestors()) or el.find(".//a") is not None:
            continue  # a link to a report (a menu, a list of past years) is not the title
        if last is not None and any(a is last for a in el.iterancestors()):
            last = el  # a descendant of the previous match: closer to the text
            continue
        if last is not None:
            yield last
        last = el
    if last is not None:
        yield last


def _report_tables(body: etree._Element) -> list[etree._Element]:
    found: list[etree._Element] = []
    for table in body.iter("table"):
        if _is_layout(table):
            continue
        text = normalise(_SPACES.sub("", "".join(table.itertext())))
        # Several header words, not one: a menu of links may hold 行政复议 or 信息内容.
        if sum(w in text for w in _REPORT_WORDS) >= MIN_REPORT_WORDS:
            found.append(table)
    return found


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    paths = [[*reversed(list(e.iterancestors())), e] for e in elements]
    common = paths[0][0]
    for level in zip(*paths, strict=False):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _content(body: etree._Element) -> tuple[etree._Element, etree._Element | None]:
    """The element holding the report (its title and its tables), and the title element."""
    tables = _report_tables(body)
    titles = list(_titles(body))
    if not tables:
        return body, titles[0] if titles else None
    # The title is the last one before the first table: titles further up are menu entries.
    order = {el: i for i, el in enumerate(body.iter())}
    before = [t for t in titles if order[t] < order[tables[0]]]
    if not before:
        return (_common_ancestor(tables) if len(tables) > 1 else body), None
    title = before[-1]
    return _common_ancestor([title, *tables]), title


def read_html(data: bytes, name: str | None = None) -> Document:
    """Read a report page into the neutral document."""
    text = decode_html(data)
    if _DTD_SUBSET.search(text[:65536]):
        raise ParseError(
            "网页含有 DTD 实体声明（网页不会使用；可能是实体扩展攻击），拒绝读取", _where(name)
        )
    text = _XML_DECL.sub("", text, count=1)
    # lxml's plain HTML parser: lxml.html's element classes cost a lookup per node.
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ParseError(f"无法解析网页：{e}", _where(name)) from None
    limits = [e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:
        # libxml2 stops at a resource limit (MAX_DEPTH nested elements, a huge text node)
        # and drops the rest of the page: a cut-off page must not be read as whole, or as
        # empty.
        if any("depth" in m.lower() for m in limits):
            problem = f"的标签嵌套过深（超过{MAX_DEPTH}层，正常的网页不超过几十层）"
        else:
            problem = "超出解析器的资源上限（如单段文字过长）"
        raise ParseError(f"网页{problem}，无法解析", _where(name))
    if root is None:
        raise ParseError("网页是空的", _where(name))
    etree.strip_elements(root, *_DROP, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    content, title = _content(body)
    walker = _Walker(name, title)
    walker.walk(content)
    walker.flush()
    lines = walker.lines
    if walker.start_index is not None:
        start = walker.start_index
        # A title that starts with its year has the agency on the line above (a two-line title).
        if start > 0 and _title_starts_with_year(lines, start):
            start -= 1
        lines = lines[start:]
    return Document(lines=lines, name=name)


def _title_starts_with_year(lines: list[Line], start: int) -> bool:
    if start >= len(lines):
        return False
    first = "".join(lines[start].text.split())
    above = lines[start - 1]
    return bool(re.match(r"(?:19|20)\d{2}年", first)) and not above.grid and len(above.text) <= 40
