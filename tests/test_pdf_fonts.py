"""PDF text does not depend on the machine's fonts: a font the PDF names without embedding it gets
gongkai's box font as its substitute, never a system font (``gongkai.parse.pdf_fonts``).

Without it, on a machine with no CJK font, pdfium silently dropped the text objects whose glyph
boxes came out empty: single characters (a cell that says 无), any run turned by a quarter (a
rotated page, a vertical label) and all but the first of identical lines drawn one above the other.
Every test below failed that way; a machine with a CJK font installed read them. The fixture fonts
are not embedded, so each test here is read through the substitute font.
"""

from __future__ import annotations

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.parse import pdf_fonts
from gongkai.parse.pdf import _chars, read_pdf
from gongkai.parse.pdf_fonts import box_font, wants_box_font

from .pdfgen import FONTS, IDENTITY_SIMSUN, STSONG, Page, build, table

BBOX_TOP, BBOX_BOTTOM = 0.859, -0.141  # both fixture fonts: /FontBBox [.. -141 .. 859]


def texts(data: bytes) -> list[str]:
    return [line.text for line in read_pdf(data, "f.pdf").lines]


def grid_rows(data: bytes) -> list[list[str]]:
    return [[c.text for c in line.cells] for line in read_pdf(data, "f.pdf").lines if line.grid]


@pytest.mark.parametrize("font", FONTS)
def test_single_character_cells_are_read(font: str) -> None:
    page = Page()
    table(
        page,
        [["项目", "数量", "备注"], ["收到申请", "0", "无"], ["办结", "7", "—"]],
        x=72,
        top=700,
        widths=[120, 60, 60],
    )
    assert grid_rows(build([page], font=font)) == [
        ["项目", "数量", "备注"],
        ["收到申请", "0", "无"],
        ["办结", "7", "—"],
    ]


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("angle", [90, 270])
def test_quarter_turned_text_is_read(font: str, angle: int) -> None:
    # A label written turned, as beside a table's row group. The reader lays such a run out one
    # character per line (its order is the layout's business): every character must be there.
    page = Page().text(300, 400, "本年度办理结果", size=10, angle=angle)
    page.text(72, 700, "第一段", size=10)
    got = texts(build([page], font=font))
    assert got[0] == "第一段"
    assert sorted("".join(got[1:])) == sorted("本年度办理结果")


def test_vertical_writing_is_read() -> None:
    # The same font with the vertical-writing CMap (UniGB-UCS2-V): each character below the
    # last. pdfium's text objects then run downwards, zero wide without glyph boxes: this page
    # had no text at all ("no text layer").
    page = Page().text(300, 700, "本年度办理结果", size=10)
    data = build([page]).replace(b"/UniGB-UCS2-H", b"/UniGB-UCS2-V")
    assert b"/UniGB-UCS2-V" in data
    assert "".join(texts(data)) == "本年度办理结果"


@pytest.mark.parametrize("font", FONTS)
def test_rotated_page_is_read(font: str) -> None:
    # Stored landscape, shown turned (/Rotate 90): every run is turned in PDF space.
    page = Page(width=842, height=595, rotate=90)
    page.ops = ["q 0 1 -1 0 842 0 cm", *Page().text(72, 700, "示例").text(72, 680, "无").ops, "Q"]
    assert texts(build([page], font=font)) == ["示例", "无"]


@pytest.mark.parametrize("font", FONTS)
def test_identical_lines_one_above_the_other_are_all_read(font: str) -> None:
    # pdfium took a repeat within an eighth of the line's length below for the same run drawn
    # twice (fake bold) when the glyph boxes were empty: here 170 pt long, lines 14 pt apart.
    line = "本年度新增政府信息公开申请数量合计"
    page = Page()
    for i in range(4):
        page.text(72, 700 - i * 14, line, size=10)
    assert texts(build([page], font=font)) == [line] * 4


@pytest.mark.parametrize("font", FONTS)
def test_fake_bold_is_still_read_once(font: str) -> None:
    # The same run drawn twice a hair apart is one run made to look bold, not two.
    page = Page().text(72, 700, "总体情况", size=12).text(72.3, 700, "总体情况", size=12)
    assert texts(build([page], font=font)) == ["总体情况"]


@pytest.mark.parametrize("font", FONTS)
def test_character_boxes_come_from_the_pdf_not_the_substitute(font: str) -> None:
    """Each character's box is its origin, the advance the PDF font's /W gives it (Chinese
    1000, ASCII 500 per 1000 units) and the height of the descriptor's /FontBBox: the values a
    reader computes from the PDF alone, whatever font drew the glyphs."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    size, x, y = 10.0, 100.0, 700.0
    s = "年报2024年"
    pdf = pdfium.PdfDocument(build([Page().text(x, y, s, size=size)], font=font))
    try:
        page = pdf[0]
        chars = _chars(page, 1, "f.pdf")
        page.close()
    finally:
        pdf.close()
    assert "".join(c.text for c in chars) == s
    left = x
    for c in chars:
        advance = size * (0.5 if c.text.isascii() else 1.0)
        assert c.x0 == pytest.approx(left, abs=1e-3)
        assert c.x1 == pytest.approx(left + advance, abs=1e-3)
        assert c.base == pytest.approx(842 - y, abs=1e-3)
        assert c.top == pytest.approx(842 - y - BBOX_TOP * size, abs=1e-3)
        assert c.bottom == pytest.approx(842 - y - BBOX_BOTTOM * size, abs=1e-3)
        left += advance


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(
        st.sampled_from("无有零一二三四五申请公开政府信息年度报告合计（）、。0123456789ABC-"),
        min_size=1,
        max_size=12,
    ).filter(lambda s: s.strip("-") != "" and not s.strip("0123456789-").isdigit()),
    rotate=st.sampled_from([0, 90, 180, 270]),
    font=st.sampled_from(FONTS),
    size=st.sampled_from([7.5, 10.5, 16.0]),
)
def test_any_run_is_read_whole(text: str, rotate: int, font: str, size: float) -> None:
    # The run is drawn turned in PDF space, and the page turned back for display (/Rotate), as
    # a landscape-stored page is: upright to the reader, turned to pdfium's glyph boxes.
    page = Page(rotate=rotate)
    cm = {0: "1 0 0 1 0 0", 90: "0 1 -1 0 595 0", 180: "-1 0 0 -1 595 842", 270: "0 -1 1 0 0 842"}
    page.ops = [f"q {cm[rotate]} cm", *Page().text(100, 420, text, size=size).ops, "Q"]
    assert texts(build([page], font=font)) == [text]


# -- the substitute font itself --------------------------------------------------------------------


def test_standard_fonts_keep_pdfiums_own_and_the_rest_get_the_box() -> None:
    gb2312, ansi = 134, 0
    assert wants_box_font(gb2312, b"STSong-Light")
    assert wants_box_font(ansi, b"SimSun")  # Identity-H: pdfium asks without a charset
    assert wants_box_font(ansi, "宋体".encode("gbk"))
    assert wants_box_font(gb2312, b"Helvetica")  # a CJK request needs CJK glyphs
    for name in (b"Helvetica", b"Times-Roman", b"Courier-Bold", b"Symbol"):
        assert not wants_box_font(ansi, name)


@pytest.mark.parametrize("font", [STSONG, IDENTITY_SIMSUN])
def test_pdfium_asks_gongkai_for_the_substitute(font: str) -> None:
    read_pdf(build([Page().text(72, 700, "无")], font=font), "f.pdf")
    info = pdf_fonts.install()
    assert any(family.startswith(font.encode()) for _, family in info.requests), info.requests


def test_box_font_is_a_well_formed_truetype_font() -> None:
    data = box_font()
    version, n = struct.unpack_from(">LH", data)
    assert version == 0x00010000
    tables = {}
    for i in range(n):
        tag, checksum, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
        tables[tag.decode()] = data[offset : offset + length]
        if tag != b"head":  # head's own checksum is taken with checkSumAdjustment zero
            assert pdf_fonts._table_checksum(tables[tag.decode()]) == checksum, tag
    assert {"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "name", "post"} <= set(tables)
    assert pdf_fonts._table_checksum(data) == 0xB1B0AFBA  # the whole file, per the spec
    # The cmap maps everything from U+0021 to the box glyph (format 13, one group).
    fmt, _, _, _, groups = struct.unpack_from(">HHLLL", tables["cmap"], 12)
    assert (fmt, groups) == (13, 1)
    assert struct.unpack_from(">LLL", tables["cmap"], 28) == (0x21, 0x10FFFF, 1)
    assert len(data) < 1024
