"""The DOCX reader: a Word document → :class:`~.document.Document`.

Reads ``word/document.xml`` in body order: each paragraph is a text line, each table row a
grid line. A cell merged across columns (``w:gridSpan``) gives its text once, then a blank
placeholder for each further column it covers, so the columns to its right keep their grid
positions; a cell continuing a vertical merge (``w:vMerge``) is blank. A table of one column
is a layout frame around the report: its content is read as body content. Reports whose
"tables" are paragraphs with tabs and spaces come out as text lines, which the table reader
splits.

The document XML is read straight from the ZIP, not through ``docx.Document``: that would
load every part of the package into memory, so a ZIP bomb hidden in any part (an image, a
custom XML item) would be inflated. Limits (docs/limits.md): at most :data:`MAX_ENTRIES`
entries in the archive, at most :data:`MAX_DOCUMENT_XML` bytes of ``word/document.xml``
(declared and actually inflated), no DTD, no entity expansion, no network access.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from io import BytesIO

from lxml import etree  # type: ignore[import-untyped]

from ..errors import ParseError
from ..report import Location
from .document import Document, Line, Span

MAX_ENTRIES = 10_000
MAX_DOCUMENT_XML = 50 * 1024 * 1024
MAX_SPAN = 1000  # columns one cell may span (Word allows 63 columns in a table)
MAX_GRID_CELLS = 100_000  # per document; a report's tables have a few hundred positions
MAIN_PART = "word/document.xml"

_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO 29500 Strict
)
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_MB = 1024 * 1024


def _where(name: str | None) -> Location | None:
    return Location(file=name) if name else None


def document_xml(data: bytes, name: str | None = None) -> bytes:
    """The bytes of ``word/document.xml``, refusing archives that exceed the limits."""
    where = _where(name)
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_ENTRIES:
                raise ParseError(
                    f"DOCX 压缩包内有{len(infos)}个文件，超过上限{MAX_ENTRIES}个"
                    "（可能是恶意构造的压缩包），拒绝读取",
                    where,
                )
            try:
                info = z.getinfo(MAIN_PART)
            except KeyError:
                raise ParseError(
                    "DOCX 文件缺少正文（word/document.xml），无法读取", where
                ) from None
            if info.file_size > MAX_DOCUMENT_XML:
                raise ParseError(
                    f"DOCX 正文解压后为{info.file_size // _MB} MB，超过上限"
                    f"{MAX_DOCUMENT_XML // _MB} MB（可能是 ZIP 炸弹），拒绝读取",
                    where,
                )
            # The declared size may lie: never inflate more than the limit.
            with z.open(info) as f:
                xml = f.read(MAX_DOCUMENT_XML + 1)
            if len(xml) > MAX_DOCUMENT_XML:
                raise ParseError(
                    f"DOCX 正文解压后超过上限{MAX_DOCUMENT_XML // _MB} MB"
                    "（可能是 ZIP 炸弹），拒绝读取",
                    where,
                )
            return xml
    except ParseError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as e:
        raise ParseError(f"DOCX 文件已损坏，无法解压：{e}", where) from None
    except (RuntimeError, NotImplementedError):
        # zipfile raises these for encrypted entries and unsupported compression methods.
        raise ParseError("DOCX 文件已加密或使用了不支持的压缩方式，无法读取", where) from None


def parse_xml(xml: bytes, name: str | None, what: str = "DOCX 正文") -> etree._Element:
    """Parse OOXML safely: no DTD (Word never writes one; a DTD is how entity-expansion
    attacks such as "billion laughs" start), entities left unresolved, no network."""
    if _DOCTYPE.search(xml[:65536]):
        raise ParseError(
            f"{what}含有 DTD 或实体声明（Word 不会写入；可能是实体扩展攻击），拒绝读取",
            _where(name),
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as e:
        raise ParseError(f"{what}不是有效的 XML：{e}", _where(name)) from None
    if root is None:
        raise ParseError(f"{what}是空的", _where(name))
    return root


class _Reader:
    def __init__(self, ns: str, name: str | None) -> None:
        self.name = name
        w = f"{{{ns}}}"
        self.P, self.TBL, self.TR, self.TC = w + "p", w + "tbl", w + "tr", w + "tc"
        self.SDT, self.SDT_CONTENT = w + "sdt", w + "sdtContent"
        self.CUSTOM_XML, self.SMART_TAG = w + "customXml", w + "smartTag"
        self.T, self.TAB, self.PTAB = w + "t", w + "tab", w + "ptab"
        self.BR, self.CR, self.NB_HYPHEN = w + "br", w + "cr", w + "noBreakHyphen"
        self.TC_PR, self.TR_PR = w + "tcPr", w + "trPr"
        self.GRID_SPAN, self.V_MERGE, self.H_MERGE = w + "gridSpan", w + "vMerge", w + "hMerge"
        self.GRID_BEFORE, self.VAL = w + "gridBefore", w + "val"
        # Text boxes (floating shapes, written twice for new and old Word) and the source of a
        # tracked move (its text is also at the destination) are not part of the paragraph.
        self.SKIP = (w + "txbxContent", w + "moveFrom")
        self._text_tags = (self.T, self.TAB, self.PTAB, self.BR, self.CR, self.NB_HYPHEN)
        # What each text-bearing tag contributes; "t" is the element's own text.
        self._kinds = {
            self.T: "t",
            self.TAB: "\t",
            self.PTAB: "\t",
            self.BR: "\n",
            self.CR: "\n",
            self.NB_HYPHEN: "-",
            **dict.fromkeys(self.SKIP, "skip"),
        }
        self.lines: list[Line] = []
        self.grid_cells = 0

    # -- text ---------------------------------------------------------------------------

    def text(self, p: etree._Element) -> str:
        """A paragraph's text; tabs stay tabs, line breaks become newlines. Deleted text is in
        w:delText, not w:t, so tracked deletions drop out by themselves."""
        parts: list[str] = []
        kinds = self._kinds
        for node in p.iter():
            kind = kinds.get(node.tag)
            if kind is None:
                continue
            if kind == "t":
                parts.append(node.text or "")
            elif kind == "skip":
                return self._text_without_boxes(p)
            else:
                parts.append(kind)
        return "".join(parts)

    def _text_without_boxes(self, p: etree._Element) -> str:
        parts: list[str] = []
        for node in p.iter(*self._text_tags):
            if any(a.tag in self.SKIP for a in node.iterancestors()):
                continue
            kind = self._kinds[node.tag]
            parts.append((node.text or "") if kind == "t" else kind)
        return "".join(parts)

    def cell_text(self, tc: etree._Element) -> str:
        """The paragraphs of a cell (and of any table nested in it) joined by newlines."""
        lines = [self.text(p).strip() for p in tc.iter(self.P)]
        return "\n".join(line for line in lines if line)

    # -- blocks -------------------------------------------------------------------------

    def blocks(self, parent: Iterable[etree._Element]) -> None:
        for child in parent:
            tag = child.tag
            if tag == self.P:
                text = self.text(child)
                for piece in text.split("\n"):
                    if piece.strip():
                        where = Location(file=self.name)
                        self.lines.append(Line([Span(piece.strip(), where)]))
            elif tag == self.TBL:
                self.table(child)
            elif tag == self.SDT:
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    self.blocks(content)
            elif tag in (self.CUSTOM_XML, self.SMART_TAG, self.SDT_CONTENT):
                self.blocks(child)

    def _rows(self, tbl: etree._Element) -> list[etree._Element]:
        rows: list[etree._Element] = []
        for child in tbl:
            if child.tag == self.TR:
                rows.append(child)
            elif child.tag == self.SDT:
                rows.extend(child.iterfind(f"{self.SDT_CONTENT}/{self.TR}"))  # a content control
            elif child.tag == self.CUSTOM_XML:
                rows.extend(child.iterfind(self.TR))
        return rows

    def _cells(self, tr: etree._Element) -> list[etree._Element]:
        cells: list[etree._Element] = []
        for child in tr:
            if child.tag == self.TC:
                cells.append(child)
            elif child.tag == self.SDT:
                cells.extend(child.iterfind(f"{self.SDT_CONTENT}/{self.TC}"))
            elif child.tag == self.CUSTOM_XML:
                cells.extend(child.iterfind(self.TC))
        return cells

    def _int(self, parent: etree._Element | None, tag: str, default: int) -> int:
        el = parent.find(tag) if parent is not None else None
        try:
            return int(el.get(self.VAL)) if el is not None else default
        except (TypeError, ValueError):
            return default

    def _merge(self, tc: etree._Element) -> tuple[int, bool]:
        """The columns a cell spans, and whether it continues a merge (so is blank)."""
        span, continued = 1, False
        pr = tc.find(self.TC_PR)
        if pr is None:
            return span, continued
        for el in pr:
            tag = el.tag
            if tag == self.GRID_SPAN:
                try:
                    span = min(max(1, int(el.get(self.VAL, "1"))), MAX_SPAN)
                except ValueError:
                    span = 1
            elif tag == self.V_MERGE or tag == self.H_MERGE:
                # No w:val, or "continue": the cell continues the merge above (or to the left).
                continued = el.get(self.VAL) != "restart"
        return span, continued

    def table(self, tbl: etree._Element) -> None:
        rows = self._rows(tbl)
        cells = [self._cells(tr) for tr in rows]
        if all(len(c) <= 1 for c in cells):
            # One column: a frame around content (a report typed inside a 1×1 table).
            for row in cells:
                for tc in row:
                    self.blocks(tc)
            return
        for r, (tr, tcs) in enumerate(zip(rows, cells, strict=True), start=1):
            spans: list[Span] = []
            column = min(self._int(tr.find(self.TR_PR), self.GRID_BEFORE, 0), MAX_SPAN)
            merges = [self._merge(tc) for tc in tcs]
            # Refuse before building anything: the row's width is known from its spans.
            self.grid_cells += column + sum(span for span, _ in merges)
            if self.grid_cells > MAX_GRID_CELLS:
                raise ParseError(
                    f"DOCX 中的表格过大（超过{MAX_GRID_CELLS}个单元格），不是年报，拒绝读取",
                    _where(self.name),
                )
            spans.extend(Span("", self._loc(r, c + 1)) for c in range(column))
            for k, (tc, (span, continued)) in enumerate(zip(tcs, merges, strict=True)):
                text = "" if continued else self.cell_text(tc)
                spans.append(Span(text, self._loc(r, column + 1)))
                # The placeholders of a row's last cell are left out: a blank after the last
                # value could not be told from a blank value, and nothing to its right needs
                # its place kept.
                if k < len(tcs) - 1:
                    spans.extend(Span("", self._loc(r, column + 1 + j)) for j in range(1, span))
                column += span
            if spans:
                self.lines.append(Line(spans, grid=True))

    def _loc(self, row: int, column: int) -> Location:
        return Location(file=self.name, row=row, column=column)


def read_docx(data: bytes, name: str | None = None) -> Document:
    """Read a DOCX file's body into the neutral document."""
    root = parse_xml(document_xml(data, name), name)
    ns = etree.QName(root).namespace
    if ns not in _NAMESPACES:
        raise ParseError("DOCX 正文不是 WordprocessingML 文档，无法读取", _where(name))
    reader = _Reader(ns, name)
    body = root.find(f"{{{ns}}}body")
    if body is not None:
        reader.blocks(body)
    return Document(lines=reader.lines, name=name)
