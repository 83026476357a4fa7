"""A streaming XLSX workbook for the dataset: whole rows go out as XML text, in constant memory.

xlsxwriter writes one cell at a time through several Python calls (~5 µs a cell); a dataset of
10 000 reports has ~25 million cells, so its XLSX took minutes. Here a sheet's rows are
formatted as one string per batch of rows (inline strings, no shared-string table, so memory
does not grow with the text) into a temporary file per sheet; ``close`` writes the package
(workbook, styles, sheets) into the zip. What the sheets show is what xlsxwriter wrote: the
same escaping of XML and control characters (``_xHHHH_``), a bold shaded header row, frozen,
with an autofilter and column widths.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

# Excel's own escapes for what XML cannot hold: "\x01" → "_x0001_", and a literal "_x0001_"
# gets its underscore escaped ("_x005F_x0001_") so that it reads back as written.
_ESCAPED_LOOKALIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_NEEDS_WORK = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]")
# A row's strings are scanned joined by DEL: whitespace after a DEL (or, reversed, before one)
# is a string's leading (trailing) space. A DEL inside a string may give a false alarm: that
# row merely takes the slow path.
_JOIN = "\x7f"
_AFTER_JOIN = re.compile(r"\x7f\s")
# Where a row template takes the row's number: \x00 cannot be in a value on the fast path.
_ROW_NUMBER = "\x00"
_Template = tuple[str, tuple[bool, ...], "Callable[[Sequence[object]], tuple[object, ...]]"]
# Strings this short repeat across rows (keys, labels, kinds, units): formatted once.
_CACHED_LENGTH = 40
_CACHE_ENTRIES = 100_000
# The zip's deflate level: 1 is several times faster than zlib's default and, on this XML,
# only ~15 % larger.
COMPRESSLEVEL = 1

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _getter(indexes: Sequence[int]) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """The values at ``indexes`` of a row, always as a tuple (``itemgetter`` of one index
    returns the bare value)."""
    if len(indexes) == 1:
        i = indexes[0]
        return lambda row: (row[i],)
    if not indexes:
        return lambda row: ()
    return itemgetter(*indexes)


def column_letters(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _xml_text(s: str) -> str:
    """A cell string as the body of ``<t>``: escaped as xlsxwriter escapes it."""
    if _NEEDS_WORK.search(s):
        s = _ESCAPED_LOOKALIKE.sub(r"_x005F\1", s)
        s = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", s)
        s = s.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s


class Sheet:
    """One worksheet: rows are appended to a temporary file as XML text."""

    def __init__(
        self,
        title: str,
        header: Sequence[str],
        widths: Sequence[float],
        *,
        bools: Iterable[int] = (),
        max_chars: int | None = None,
        truncated: str = "",
    ) -> None:
        self.title = title
        self.columns = len(header)
        self.widths = list(widths)
        self.rows = 0  # rows written, the header included
        self._letters = [column_letters(i) for i in range(self.columns)]
        self._bools = frozenset(bools)
        self._max_chars = max_chars
        self._truncated = truncated
        self._cache: dict[str, str] = {}
        # Closed (and so deleted) by the workbook's close().
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="gongkai-xlsx-")  # noqa: SIM115
        self._templates: dict[tuple[object, ...], _Template] = {}
        self._bool_values = _getter(sorted(self._bools))
        self._write([tuple(header)], style=' s="1"')

    def write_rows(self, rows: Iterable[Sequence[object]]) -> None:
        """Append rows of plain values: ``str``, ``int``/``float``, ``None`` (an empty cell);
        a value in a ``bools`` column is shown as 是/否."""
        rows = list(rows)
        templates, bool_values = self._templates, self._bool_values
        shaped: list[_Template] = []
        strings: list[object] = []
        for row in rows:
            key = (tuple(map(type, row)), bool_values(row))
            template = templates.get(key)
            if template is None:
                template = templates[key] = self._template(row)
            shaped.append(template)
            strings.extend(template[2](row))
        out: list[str] = []
        n = self.rows
        # Most rows need no escaping, no kept whitespace and no cut, and a few C-level scans
        # of all their strings at once say so: then each row is one %-format of the template
        # for its shape. Otherwise each row is looked at alone.
        clean = self._plain(_JOIN.join(strings))  # type: ignore[arg-type]
        for row, (fmt, picked, strings_of) in zip(rows, shaped, strict=True):
            if not clean and not self._plain(_JOIN.join(strings_of(row))):  # type: ignore[arg-type]
                self.rows = n
                out.append(self._rows_xml([row], style="", bools=self._bools))
                n += 1
                continue
            n += 1
            out.append((fmt % tuple(compress(row, picked))).replace(_ROW_NUMBER, str(n)))
        self.rows = n
        self._flush(out)

    def _plain(self, strings: str) -> bool:
        """Whether strings joined by DEL need no escaping, no kept whitespace and no cut."""
        return not (
            (self._max_chars is not None and len(strings) > self._max_chars)
            or _SPECIAL.search(strings)
            or "_x" in strings
            or strings[:1].isspace()
            or strings[-1:].isspace()
            or _AFTER_JOIN.search(strings)
            or _AFTER_JOIN.search(strings[::-1])
        )

    def _template(self, row: Sequence[object]) -> _Template:
        """(format, which values it takes, the strings to scan) for rows shaped like ``row``."""
        cells, picked, strings = [], [], []
        for i, v in enumerate(row):
            ref = f"{self._letters[i]}{_ROW_NUMBER}"
            if v is None:
                picked.append(False)
            elif i in self._bools:
                picked.append(False)
                yes_no = "是" if v else "否"
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{yes_no}</t></is></c>')
            elif isinstance(v, str):
                picked.append(True)
                strings.append(i)
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>%s</t></is></c>')
            else:
                picked.append(True)
                cells.append(f'<c r="{ref}"><v>%.16G</v></c>')
        fmt = f'<row r="{_ROW_NUMBER}">' + "".join(cells) + "</row>"
        return fmt, tuple(picked), _getter(strings)

    def _write(self, rows: Iterable[Sequence[object]], style: str) -> None:
        self._flush([self._rows_xml(rows, style, frozenset())])

    def _flush(self, xml: list[str]) -> None:
        # A lone surrogate (from a broken decoder upstream) must not stop the whole dataset.
        self._file.write("".join(xml).encode("utf-8", "replace"))

    def _rows_xml(self, rows: Iterable[Sequence[object]], style: str, bools: frozenset[int]) -> str:
        """Rows cell by cell, each string escaped and cut as it needs (after ``self.rows``)."""
        letters, cache = self._letters, self._cache
        out: list[str] = []
        n = self.rows
        for row in rows:
            n += 1
            out.append(f'<row r="{n}">')
            for i, v in enumerate(row):
                if v is None:
                    continue
                if i in bools:
                    v = "是" if v else "否"
                if isinstance(v, str):
                    body = cache.get(v)
                    if body is None:
                        body = self._string(v)
                        if len(v) <= _CACHED_LENGTH:
                            if len(cache) >= _CACHE_ENTRIES:
                                cache.clear()
                            cache[v] = body
                    out.append(f'<c r="{letters[i]}{n}"{style} t="inlineStr"><is>{body}</is></c>')
                else:
                    out.append(f'<c r="{letters[i]}{n}"{style}><v>{v:.16G}</v></c>')
            out.append("</row>")
        self.rows = n
        return "".join(out)

    def _string(self, v: str) -> str:
        if self._max_chars is not None and len(v) > self._max_chars:
            v = v[: self._max_chars - len(self._truncated)] + self._truncated
        text = _xml_text(v)
        if v[:1].isspace() or v[-1:].isspace():
            return f'<t xml:space="preserve">{text}</t>'
        return f"<t>{text}</t>"

    @property
    def ref(self) -> str:
        """The used range, for the autofilter: ``A1:Q300``."""
        return f"A1:{self._letters[-1]}{self._last_row}"

    @property
    def absolute_ref(self) -> str:
        """The same range as a workbook-level name refers to it: ``'单元格'!$A$1:$Q$300``."""
        title = self.title.replace("'", "''")
        return f"'{title}'!$A$1:${self._letters[-1]}${self._last_row}"

    @property
    def _last_row(self) -> int:
        return max(self.rows, 2)  # a filter over the header alone still spans a row

    def _head(self) -> str:
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w + 0.7109375:.16G}" customWidth="1"/>'
            for i, w in enumerate(self.widths)
        )
        return (
            f'{_XML_HEAD}<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}">'
            f'<dimension ref="{self.ref}"/>'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>"
        )

    def _tail(self) -> str:
        return (
            f'</sheetData><autoFilter ref="{self.ref}"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )

    def _copy_into(self, book: zipfile.ZipFile, name: str) -> None:
        self._file.seek(0)
        with book.open(name, "w", force_zip64=True) as out:
            out.write(self._head().encode())
            shutil.copyfileobj(self._file, out, 1 << 20)
            out.write(self._tail().encode())
        self._file.close()

    def discard(self) -> None:
        self._file.close()


class Workbook:
    """Sheets in the order they were added; ``close`` writes the file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.sheets: list[Sheet] = []

    def add(self, sheet: Sheet) -> Sheet:
        """Add a sheet (after the others) and return it."""
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Write the package; raises OSError when the file cannot be written."""
        try:
            with zipfile.ZipFile(
                self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL
            ) as book:
                book.writestr("[Content_Types].xml", self._content_types())
                book.writestr("_rels/.rels", _ROOT_RELS)
                book.writestr("xl/workbook.xml", self._workbook())
                book.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
                book.writestr("xl/styles.xml", _STYLES)
                for n, sheet in enumerate(self.sheets, start=1):
                    sheet._copy_into(book, f"xl/worksheets/sheet{n}.xml")
        finally:
            for sheet in self.sheets:
                sheet.discard()

    def _content_types(self) -> str:
        sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet}"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        return (
            f"{_XML_HEAD}<Types "
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(s.title)} sheetId="{n}" r:id="rId{n}"/>'
            for n, s in enumerate(self.sheets, start=1)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"{s.absolute_ref}</definedName>"
            for n, s in enumerate(self.sheets)
        )
        return (
            f'{_XML_HEAD}<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
            "<bookViews><workbookView/></bookViews>"
            f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames>"
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _workbook_rels(self) -> str:
        kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="{kind}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        styles = len(self.sheets) + 1
        return (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{rels}'
            f'<Relationship Id="rId{styles}" Type="{kind}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )


_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
# Two cell formats: 0 the default, 1 the header (bold, fill #DDEBF7).
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/>'
    '<bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
    'applyFill="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
