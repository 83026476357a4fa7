"""pdfium's substitute fonts, fixed: what pdfium reads of a PDF's text must not depend on the fonts
installed on the machine that reads it.

**Why.** A PDF may name a font without embedding it (STSong-Light, SimSun, 宋体). pdfium then loads
a substitute through its "system font info": by default the fonts it finds on the machine. The
characters' codes, widths (the font's ``/W`` or ``/Widths``) and origins come from the PDF itself,
but each character's *glyph box* comes from the substitute, and pdfium uses it twice (pdfium's
``core/fpdftext/cpdf_textpage.cpp`` and ``core/fpdfapi/page/cpdf_textobject.cpp``):

1. **Which text exists.** A text object's box is the union of its glyphs' boxes. Without a CJK
   font on the machine the substitute is pdfium's built-in Latin font, every Chinese character's
   glyph box is empty, and ``CPDF_TextPage::ProcessTextObject`` silently skips

   * a text object under 0.01 pt wide: a single character (a cell that says 无 or 0 in a Chinese
     font), *any* run drawn turned by a quarter (a rotated page, a vertical label), whose box
     is zero tall and so zero wide once turned, and any run in vertical writing (a ``-V`` CMap),
     which runs downwards in a box zero wide;
   * a text object with the same characters as one of the five before it when both boxes are
     empty (``IsSameTextObject`` takes it for fake bold), even a line apart: stacked identical
     lines and repeated values lose all copies but the first.

2. **Where each character is.** ``FPDFText_GetLooseCharBox`` is the character's advance (from
   the PDF's widths) by the PDF font's ``/FontBBox``, *united with the glyph box*: a substitute
   glyph wider than its advance (a full-width Latin glyph of a CJK font) widens the character and
   narrows the gap after it, where gongkai reads word spaces and cell boundaries.

With a CJK font installed the characters are there and sized by that font: the same PDF read
differently on two machines, and nothing told the caller.

**What this module does.** It replaces pdfium's system font info, once per process, by one that
never looks at the machine: a request for one of the standard 14 fonts (Helvetica, Times,
Courier and the names pdfium maps to them, such as Arial) gets nothing, so pdfium uses its own
built-in copy, as on every machine; every other request — a CJK font, or any font pdfium does not
have — gets :func:`box_font`, a tiny TrueType font built here in which every character from
U+0021 up is the same small box at its origin. pdfium keeps every character (each has a box), and
the box fits inside the character's advance and the font's height, so the loose box is exactly
what the PDF defines. gongkai never draws a glyph, so nothing else of a substitute matters. The
same PDF yields the same characters, at the same places, on every machine.
"""

from __future__ import annotations

import ctypes
import struct
from functools import cache
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

UNITS_PER_EM = 1000
# The box every character gets, in font units: a small square on the baseline at the origin.
# pdfium's box for a character (FPDFText_GetLooseCharBox) is its advance (from the PDF font's
# widths) by the PDF font's /FontBBox height, *united with the glyph's own box*: a glyph that fits
# inside every character's advance (narrow Latin letters have about 200 units) and above the
# baseline leaves that box exactly as the PDF defines it. 100 units is still wide enough for
# pdfium to keep a single character (it skips text objects under 0.01 pt wide, 0.1 pt text).
BOX = (0, 0, 100, 100)
# The font's own bounding box, ascent and descent: an ordinary CJK em square. pdfium takes them
# only for a PDF font whose descriptor gives no /FontBBox.
EM_BOX = (0, -120, 1000, 880)
ASCENT, DESCENT = EM_BOX[3], EM_BOX[1]
FAMILY = "GongkaiBox"

# Windows charsets (fpdf_sysfontinfo.h) for which pdfium asks for a CJK font.
CJK_CHARSETS = frozenset(
    {
        pdfium_c.FXFONT_SHIFTJIS_CHARSET,
        pdfium_c.FXFONT_HANGEUL_CHARSET,
        pdfium_c.FXFONT_GB2312_CHARSET,
        pdfium_c.FXFONT_CHINESEBIG5_CHARSET,
    }
)
# The standard 14 fonts, as pdfium names them when it asks (Arial, Times New Roman and Courier
# New are mapped to these first): pdfium has them built in, with their real glyphs.
STANDARD_FONTS = frozenset(
    f"{family}{style}"
    for family, styles in (
        ("Courier", ("", "-Bold", "-BoldOblique", "-Oblique")),
        ("Helvetica", ("", "-Bold", "-BoldOblique", "-Oblique")),
        ("Times", ("-Roman", "-Bold", "-BoldItalic", "-Italic")),
        ("Symbol", ("",)),
        ("ZapfDingbats", ("",)),
    )
    for style in styles
)


def wants_box_font(charset: int, family: bytes) -> bool:
    """Whether pdfium's request for a substitute font is answered with the box font: every
    request but one for a standard Latin font (which pdfium has built in). A font of unknown
    name may hold Chinese whatever charset pdfium asks with: a CID font whose character
    collection is Identity (Word's and WPS's exports) tells pdfium no charset at all, so pdfium
    asks for "SimSun" or the GBK bytes of 宋体 as if for a Latin font."""
    return charset in CJK_CHARSETS or family.decode("latin-1") not in STANDARD_FONTS


# -- the box font ----------------------------------------------------------------------------------


def _table_checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}L", padded)
    return sum(words) & 0xFFFFFFFF


def _name_table() -> bytes:
    # Family, subfamily, full name, PostScript name, for Windows (UTF-16BE, en-US).
    records = [(1, FAMILY), (2, "Regular"), (4, FAMILY), (6, FAMILY)]
    strings = b""
    entries = b""
    for name_id, text in records:
        raw = text.encode("utf-16-be")
        entries += struct.pack(">6H", 3, 1, 0x409, name_id, len(raw), len(strings))
        strings += raw
    return struct.pack(">3H", 0, len(records), 6 + 12 * len(records)) + entries + strings


@cache
def box_font() -> bytes:
    """A TrueType font of two glyphs: .notdef (empty) and a small box, the box mapped to every
    Unicode character from U+0021 up (a format-13 many-to-one cmap; the space and control
    characters have no ink, as in any font). About 600 bytes, built here, so no font file (or its
    licence) ships with gongkai."""
    x0, y0, x1, y1 = BOX
    # The box glyph: one closed contour of four on-curve points, coordinates as deltas.
    points = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
    xs, ys, px, py = b"", b"", 0, 0
    for x, y in points:
        xs += struct.pack(">h", x - px)
        ys += struct.pack(">h", y - py)
        px, py = x, y
    glyph = struct.pack(">5h", 1, x0, y0, x1, y1) + struct.pack(">HH", 3, 0) + b"\x01" * 4 + xs + ys
    glyph += b"\0" * (-len(glyph) % 4)
    tables = {
        "head": struct.pack(
            ">LLLLHHqqhhhhHHhhh",
            0x00010000,
            0x00010000,
            0,  # checkSumAdjustment: set below
            0x5F0F3CF5,
            0x000B,
            UNITS_PER_EM,
            0,
            0,
            *EM_BOX,
            0,
            8,
            2,
            0,  # short loca offsets
            0,
        ),
        "hhea": struct.pack(
            ">LhhhHhhhhhh8xhH",
            0x00010000,
            ASCENT,
            DESCENT,
            0,
            UNITS_PER_EM,
            0,
            UNITS_PER_EM - x1,
            x1,
            1,
            0,
            0,
            0,
            2,
        ),
        "maxp": struct.pack(">L14H", 0x00010000, 2, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        "hmtx": struct.pack(">HhHh", UNITS_PER_EM, 0, UNITS_PER_EM, x0),
        "loca": struct.pack(">3H", 0, 0, len(glyph) // 2),
        "glyf": glyph,
        # Windows, UCS-4 (3, 10): the charmap FreeType picks for Unicode before any other.
        "cmap": struct.pack(">HHHHL", 0, 1, 3, 10, 12)
        + struct.pack(">HHLLL", 13, 0, 16 + 12, 0, 1)
        + struct.pack(">LLL", 0x21, 0x10FFFF, 1),
        "name": _name_table(),
        "post": struct.pack(">LLhhLLLLL", 0x00030000, 0, 0, 0, 0, 0, 0, 0, 0),
    }
    tags = sorted(tables)
    n = len(tags)
    entry_selector = n.bit_length() - 1
    search_range = 16 * (1 << entry_selector)
    header = struct.pack(
        ">LHHHH", 0x00010000, n, search_range, entry_selector, 16 * n - search_range
    )
    offset = len(header) + 16 * n
    directory = b""
    body = b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sLLL", tag.encode(), _table_checksum(data), offset, len(data))
        padded = data + b"\0" * (-len(data) % 4)
        body += padded
        offset += len(padded)
    font = bytearray(header + directory + body)
    # head.checkSumAdjustment makes the whole file sum to the magic number.
    head_at = struct.unpack_from(">L", directory, 16 * tags.index("head") + 8)[0]
    struct.pack_into(
        ">L", font, head_at + 8, (0xB1B0AFBA - _table_checksum(bytes(font))) & 0xFFFFFFFF
    )
    return bytes(font)


# -- the font info pdfium asks ------------------------------------------------------------------

_BOX_HANDLE = 1  # the one font this font info has; 0 (NULL) means "no such font"


class _FontInfo:
    """The ``FPDF_SYSFONTINFO`` handed to pdfium, with its callbacks. Kept alive for the life of
    the process: pdfium holds the pointers."""

    def __init__(self) -> None:
        fields = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
        self.requests: list[tuple[int, bytes]] = []  # (charset, family) answered with the box font
        self.map_font = fields["MapFont"](self._map_font)
        self.get_font_data = fields["GetFontData"](self._get_font_data)
        info = pdfium_c.FPDF_SYSFONTINFO()
        info.version = 1
        info.MapFont = self.map_font
        info.GetFontData = self.get_font_data
        # EnumFonts, GetFont, GetFaceName, GetFontCharset, DeleteFont and Release stay NULL:
        # pdfium then lists no installed fonts and takes the face name from the font itself.
        self.info = info

    def _map_font(
        self,
        _this: Any,
        _weight: int,
        _italic: int,
        charset: int,
        _pitch: int,
        face: Any,
        exact: Any,
    ) -> int | None:
        family = ctypes.string_at(face) if face else b""
        if not wants_box_font(charset, family):
            return None  # pdfium uses its built-in standard font
        if len(self.requests) < 100:
            self.requests.append((charset, family))
        if exact:
            exact[0] = 0
        return _BOX_HANDLE

    def _get_font_data(self, _this: Any, handle: Any, table: int, buffer: Any, size: int) -> int:
        if handle != _BOX_HANDLE or table != 0:
            return 0  # only the whole file is offered (no single tables, no collection)
        data = box_font()
        if buffer and size >= len(data):
            ctypes.memmove(buffer, data, len(data))
        return len(data)


_installed: _FontInfo | None = None


def install() -> _FontInfo:
    """Hand pdfium the font info above (once per process; later calls return it). Must run
    before the first document is opened, so no system font is ever cached."""
    global _installed
    if _installed is None:
        info = _FontInfo()
        pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info.info))
        _installed = info
    return _installed
