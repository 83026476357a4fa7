"""PDF fixtures built in code: a few hundred bytes of PDF syntax per page, no tools, no fonts.

Chinese text uses the non-embedded Adobe font ``STSong-Light`` with the predefined CMap
``UniGB-UCS2-H``: every character is written as its UCS-2 code, and pdfium maps it back to Unicode
from its built-in Adobe-GB1 tables. The font is not embedded, so pdfium reads the text through a
substitute font: gongkai's own (``gongkai.parse.pdf_fonts``), never one installed on the machine,
so every fixture reads the same everywhere. ``build(..., font=IDENTITY_SIMSUN)`` writes the
other common shape instead: a non-embedded ``SimSun`` with the ``Identity-H`` encoding and a
``ToUnicode`` map, as Word and WPS export a report whose fonts are not embedded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from gongkai import formats

A4 = (595.0, 842.0)


@dataclass
class Page:
    """One page's drawing, in PDF coordinates (origin bottom-left, points)."""

    width: float = A4[0]
    height: float = A4[1]
    rotate: int = 0
    ops: list[str] = field(default_factory=list)
    image: bool = False  # a grey picture filling the page (a scanned page)

    def text(self, x: float, y: float, s: str, size: float = 10.5, angle: float = 0) -> Page:
        """Text from (x, y) on its baseline; ``angle`` in degrees turns it (a watermark)."""
        hexcodes = "".join(f"{ord(ch):04X}" for ch in s)
        c, sn = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        tm = f"{c:.4f} {sn:.4f} {-sn:.4f} {c:.4f} {x:.2f} {y:.2f}"
        self.ops.append(f"BT /F1 {size:g} Tf {tm} Tm <{hexcodes}> Tj ET")
        return self

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.75) -> Page:
        self.ops.append(f"{width:g} w {x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S")
        return self

    def rect(self, x: float, y: float, w: float, h: float, fill: bool = False) -> Page:
        self.ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re {'f' if fill else 'S'}")
        return self


def text_width(s: str, size: float) -> float:
    """Width of ``s`` in the fixture font: Chinese 1 em, ASCII half an em."""
    return sum(size * (0.5 if ord(ch) < 128 else 1.0) for ch in s)


def table(
    page: Page,
    rows: Sequence[Sequence[str | None]],
    *,
    x: float,
    top: float,
    widths: Sequence[float],
    row_height: float = 22.0,
    size: float = 9.0,
    ruled: bool = True,
) -> float:
    """Draw a table; a ``None`` cell continues the cell to its left (a horizontal merge: no
    vertical rule between them). Returns the y of the table's bottom."""
    y = top
    for row in rows:
        cx = x
        bottom = y - row_height
        if ruled:
            page.line(x, y, x + sum(widths), y)
        for i, (cell, w) in enumerate(zip(row, widths, strict=True)):
            if ruled and (i == 0 or cell is not None):
                page.line(cx, y, cx, bottom)
            if cell:
                page.text(cx + 3, bottom + (row_height - size) / 2 + 1, cell, size)
            cx += w
        if ruled:
            page.line(cx, y, cx, bottom)
        y = bottom
    if ruled:
        page.line(x, y, x + sum(widths), y)
    return y


STSONG = "STSong-Light"
IDENTITY_SIMSUN = "SimSun"
FONTS = (STSONG, IDENTITY_SIMSUN)


def build(pages: Sequence[Page], *, encrypted: bool = False, font: str = STSONG) -> bytes:
    """The bytes of a PDF with these pages, all text in ``font`` (one of :data:`FONTS`, neither
    embedded). ``encrypted``: a standard security handler whose password is unknown (the keys are
    random), as a protected report looks to a reader."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree exists
    tree = add(b"")
    if font == STSONG:
        font_ref = add(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
            b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
            b"/FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 "
            b"/CapHeight 683 /StemV 93 >> /DW 1000 /W [1 95 500] >>] >>"
        )
    elif font == IDENTITY_SIMSUN:
        # The character code is the CID, and (here) also the Unicode value: ToUnicode maps
        # each code to itself, one range per high byte.
        ranges = b"".join(b"<%02X00> <%02XFF> <%02X00>\n" % (h, h, h) for h in range(256))
        cmap = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            b"/CMapName /Identity-Self def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"256 beginbfrange\n" + ranges + b"endbfrange endcmap "
            b"CMapName currentdict /CMap defineresource pop end end"
        )
        to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
        font_ref = add(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
            b"/ToUnicode %d 0 R /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 "
            b"/BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
            b"/Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /SimSun "
            b"/Flags 32 /FontBBox [-8 -145 1000 859] /ItalicAngle 0 /Ascent 859 "
            b"/Descent -141 /CapHeight 683 /StemV 80 >> /DW 1000 /W [32 126 500] >>] >>"
            % to_unicode
        )
    else:
        raise ValueError(f"no such fixture font: {font}")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 64 >>\nstream\n" + bytes(range(0, 256, 4)) + b"\nendstream"
    )
    kids: list[int] = []
    for p in pages:
        ops = list(p.ops)
        if p.image:
            ops.insert(0, f"q {p.width:g} 0 0 {p.height:g} 0 0 cm /Im1 Do Q")
        content = "\n".join(ops).encode("ascii")
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Rotate %d "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> "
                b"/Contents %d 0 R >>"
                % (tree, p.width, p.height, p.rotate, font_ref, image, stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    trailer_extra = b""
    if encrypted:
        key = bytes(range(32)).hex().encode()
        enc = add(
            b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 "
            b"/O <" + key + b"> /U <" + key[::-1] + b"> >>"
        )
        trailer_extra = b" /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> " % enc
        trailer_extra += b"<00112233445566778899aabbccddeeff>]"

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        trailer_extra,
        xref,
    )
    return bytes(out)


# -- a whole 2021-format report ------------------------------------------------------------------


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    vertical: bool = False  # one character per line (a group label in a tall merged cell)


@dataclass
class Layout:
    """How the generated report is drawn: the hard cases of real PDFs, each switchable."""

    ruled: bool = True
    rotate: int = 0  # 0 or 90: the page is stored landscape and shown turned
    footers: bool = True  # "- N -" at the bottom of every page
    repeat_header: bool = False  # table 三's header drawn again on its continuation page
    t3_break: int | None = None  # break table 三 before this data row (else where it overflows)
    size: float = 7.5


class _Writer:
    """Lays content out top to bottom over as many pages as needed."""

    MARGIN = 72.0

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.pages: list[Page] = []
        self.y = 0.0
        self.new_page()

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = A4[1] - self.MARGIN

    def para(self, text: str, size: float = 12.0, indent: bool = True) -> None:
        per_line = int((A4[0] - 2 * self.MARGIN) // size)
        s = ("\u3000\u3000" if indent else "") + text
        for i in range(0, len(s), per_line):
            if self.y < self.MARGIN + size:
                self.new_page()
            chunk = s[i : i + per_line].replace("\u3000", "")
            x = self.MARGIN + (2 * size if i == 0 and indent else 0)
            self.page.text(x, self.y - size, chunk, size)
            self.y -= size * 1.8

    def grid(
        self,
        widths: Sequence[float],
        heights: Sequence[float],
        cells: Sequence[Cell],
        breaks: Sequence[int] = (),
        header_rows: int = 0,
    ) -> None:
        """A ruled (or unruled) table; before each row index in ``breaks`` the table continues on
        a new page (its header rows drawn again when the layout asks)."""
        size = self.layout.size
        x0 = self.MARGIN - 10
        # Row → (page index, top y) in the final layout.
        place: list[tuple[int, float]] = []
        for r, h in enumerate(heights):
            if r in breaks or self.y - h < self.MARGIN:
                self.new_page()
                if self.layout.repeat_header and header_rows:
                    self._header_again(widths, heights, cells, header_rows, x0)
            place.append((len(self.pages) - 1, self.y))
            self.y -= h
        for cell in cells:
            self._cell(cell, widths, heights, place, x0, size)
        self.y -= 20

    def _header_again(
        self,
        widths: Sequence[float],
        heights: Sequence[float],
        cells: Sequence[Cell],
        header_rows: int,
        x0: float,
    ) -> None:
        place = []
        for h in heights[:header_rows]:
            place.append((len(self.pages) - 1, self.y))
            self.y -= h
        for cell in cells:
            if cell.row < header_rows:
                self._cell(cell, widths, heights, place, x0, self.layout.size)

    def _cell(
        self,
        cell: Cell,
        widths: Sequence[float],
        heights: Sequence[float],
        place: list[tuple[int, float]],
        x0: float,
        size: float,
    ) -> None:
        left = x0 + sum(widths[: cell.col])
        width = sum(widths[cell.col : cell.col + cell.colspan])
        rows = range(cell.row, cell.row + cell.rowspan)
        # The cell's pieces, one per page it is drawn on: (page, top, bottom, virtual top).
        pieces: list[tuple[int, float, float, float]] = []
        virtual = 0.0
        for r in rows:
            page, top = place[r]
            if pieces and pieces[-1][0] == page:
                p, t, _, v = pieces[-1]
                pieces[-1] = (p, t, top - heights[r], v)
            else:
                pieces.append((page, top, top - heights[r], virtual))
            virtual += heights[r]
        if self.layout.ruled:
            for page, top, bottom, _ in pieces:
                self.pages[page].rect(left, bottom, width, top - bottom)
        if cell.vertical:
            lines = list(cell.text)
        else:
            per_line = max(1, int((width - 6) // size))
            lines = [cell.text[i : i + per_line] for i in range(0, len(cell.text), per_line)]
        line_h = size * 1.6
        start = (virtual - len(lines) * line_h) / 2  # centred in the whole merged cell
        for k, text in enumerate(lines):
            v = start + k * line_h
            for page, top, bottom, vtop in pieces:
                if vtop <= v < vtop + (top - bottom):
                    y = top - (v - vtop) - size - (line_h - size) / 2
                    w = text_width(text, size)
                    x = left + (width - w) / 2 if cell.vertical else left + 3
                    self.pages[page].text(x, y, text, size)
                    break

    def finish(self) -> list[Page]:
        for n, page in enumerate(self.pages, start=1):
            if self.layout.footers:
                page.text(A4[0] / 2 - 10, 40, f"- {n} -", 10.5)
            if self.layout.rotate == 90:
                # Stored landscape, shown turned clockwise: draw the portrait page rotated.
                page.ops = [f"q 0 1 -1 0 {A4[1]:g} 0 cm", *page.ops, "Q"]
                page.width, page.height, page.rotate = A4[1], A4[0], 90
        return self.pages


def report_pdf(values: dict[str, dict[str, list[str]]], layout: Layout | None = None) -> bytes:
    """A 2021-format report with the given cells (``values[table][row key]``, in column order),
    drawn the way published PDFs are: ruled tables with merged header cells, the 办理结果 group
    label written vertically, table 三 broken across pages, page numbers at the bottom."""
    layout = layout or Layout()
    fmt = formats.V2021
    w = _Writer(layout)
    w.page.text(150, w.y - 18, "示例市人民政府", 18)
    w.page.text(110, w.y - 44, "2024年政府信息公开工作年度报告", 18)
    w.y -= 80
    w.para(
        "本报告根据《中华人民共和国政府信息公开条例》编制。统计期限自2024年1月1日至2024年12月31日。"
    )
    w.para("一、总体情况", 14, indent=False)
    w.para("2024年，本市认真落实政府信息公开各项工作。" * 3)

    w.para("二、主动公开政府信息情况", 14, indent=False)
    t2 = fmt.table("t2")
    cells: list[Cell] = []
    r = 0
    for block in t2.blocks:
        # A one-column block's cells span the three value columns, as in published reports.
        span = 3 if len(block.columns) == 1 else 1
        cells.append(Cell(r, 0, block.caption, colspan=4))
        cells.append(Cell(r + 1, 0, "信息内容"))
        for i, col in enumerate(block.columns):
            cells.append(Cell(r + 1, 1 + i, col.label, colspan=span))
        r += 2
        for row in (x for x in t2.rows if x.block == block.key):
            cells.append(Cell(r, 0, row.label))
            for i, v in enumerate(values["t2"][row.key]):
                cells.append(Cell(r, 1 + i, v, colspan=span))
            r += 1
    w.grid([150, 100, 100, 100], [24.0] * r, cells)

    w.para("三、收到和处理政府信息公开申请情况", 14, indent=False)
    t3 = fmt.table("t3")
    cells = [
        Cell(0, 0, t3.note or "", rowspan=3, colspan=3),
        Cell(0, 3, "申请人情况", colspan=7),
        Cell(1, 3, "自然人", rowspan=2),
        Cell(1, 4, "法人或其他组织", colspan=5),
        Cell(1, 9, "总计", rowspan=2),
        *(Cell(2, 4 + i, c.label) for i, c in enumerate(t3.columns[1:6])),
    ]
    r = 3
    result_rows = [row for row in t3.rows if row.key not in ("r1", "r2", "r4")]
    for row in t3.rows:
        if row.key == "a":
            cells.append(Cell(r, 0, "三、本年度办理结果", rowspan=len(result_rows), vertical=True))
        if row.key in ("r1", "r2", "r4"):
            cells.append(Cell(r, 0, row.label, colspan=3))
        elif row.group is None or row.group == "三、本年度办理结果":
            cells.append(Cell(r, 1, row.label, colspan=2))
        else:
            members = [x for x in t3.rows if x.group == row.group]
            if row is members[0]:
                cells.append(Cell(r, 1, row.group, rowspan=len(members)))
            cells.append(Cell(r, 2, row.label))
        for i, v in enumerate(values["t3"][row.key]):
            cells.append(Cell(r, 3 + i, v))
        r += 1
    widths = [22.0, 40.0, 110.0, *([43.0] * 6), 45.0]
    heights = [18.0] * r
    for c in cells:
        if c.rowspan == 1 and not c.vertical:
            per_line = max(1, int((sum(widths[c.col : c.col + c.colspan]) - 6) // layout.size))
            lines = -(-len(c.text) // per_line)
            heights[c.row] = max(heights[c.row], lines * layout.size * 1.6 + 6)
    breaks = [3 + layout.t3_break] if layout.t3_break else []
    w.grid(widths, heights, cells, breaks=breaks, header_rows=3)

    w.para("四、政府信息公开行政复议、行政诉讼情况", 14, indent=False)
    t4 = fmt.table("t4")
    cells = [
        Cell(0, 0, "行政复议", colspan=5),
        Cell(0, 5, "行政诉讼", colspan=10),
        *(Cell(1, i, t4.columns[i].label, rowspan=2) for i in range(5)),
        Cell(1, 5, "未经复议直接起诉", colspan=5),
        Cell(1, 10, "复议后起诉", colspan=5),
        *(Cell(2, 5 + i, t4.columns[5 + i].label) for i in range(10)),
        *(Cell(3, i, v) for i, v in enumerate(values["t4"]["cases"])),
    ]
    w.grid([31.0] * 15, [20.0, 20.0, 30.0, 24.0], cells)
    w.para("五、存在的主要问题及改进情况", 14, indent=False)
    w.para("政策解读质量仍需提升。")
    w.para("六、其他需要报告的事项", 14, indent=False)
    w.para("本年度未收取信息处理费。")
    return build(w.finish())
