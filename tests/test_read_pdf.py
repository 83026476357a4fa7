"""The digital-PDF reader: the real published report read exactly, generated reports in the
shapes real PDFs take (merged cells, vertical group labels, tables broken across pages, page
numbers, rotated pages, unruled tables), and scanned PDFs refused with a clear error."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import gongkai
from gongkai import formats
from gongkai.cli import main
from gongkai.errors import ParseError
from gongkai.parse.document import Line
from gongkai.parse.pdf import SCANNED, read_pdf
from gongkai.parse.pdf_layout import Char, build_grids, char, group_lines, layout_page, pieces
from gongkai.report import Report

from .conftest import ROOT, SHARED_REAL
from .pdfgen import Layout, Page, build, report_pdf, table

HUAIAN = SHARED_REAL / "01_huaian_city_gov_2024.pdf"
HUAIAN_EXPECTED = ROOT / "tests" / "real" / "01_huaian_city_gov_2024.pdf.expected.json"
needs_real = pytest.mark.skipif(
    not HUAIAN.exists(), reason=f"the shared corpus of real reports is not here ({SHARED_REAL})"
)


# -- the real report --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def huaian() -> Report:
    return gongkai.parse(HUAIAN)


@needs_real
def test_huaian_pdf_reads_exactly(huaian: Report) -> None:
    expected = json.loads(HUAIAN_EXPECTED.read_text(encoding="utf-8"))
    assert (huaian.agency, huaian.year, huaian.format) == (
        expected["agency"],
        expected["year"],
        expected["format"],
    )
    assert [str(w) for w in huaian.warnings] == expected["warnings"]
    assert [s.number for s in huaian.sections] == expected["sections"]
    for key in ("t2", "t3", "t4"):
        rows = {r.key: r for r in huaian.tables[key].rows}
        assert list(rows) == list(expected[key]), f"{key}: rows differ"
        for row_key, want in expected[key].items():
            row = rows[row_key]
            got = [[c.model_dump(mode="json")["value"], c.kind.value] for c in row.cells]
            assert got == want["cells"], f"{key}.{row_key}"
            assert not row.extra and not row.inferred, f"{key}.{row_key}"
            assert {c.location.page for c in row.cells if c.location} == {want["page"]}
            if "unit" in want:
                assert {c.unit for c in row.cells} == {want["unit"]}


@needs_real
def test_huaian_pdf_locations_name_page_row_and_column(huaian: Report) -> None:
    cell = huaian.cell("t3", "d2", "natural")  # first row of table 三 on page 5
    assert cell is not None and cell.location is not None
    loc = cell.location
    assert (loc.file, loc.page, loc.row, loc.column) == ("01_huaian_city_gov_2024.pdf", 5, 1, 4)


@needs_real
def test_huaian_pdf_lines() -> None:
    doc = read_pdf(HUAIAN.read_bytes(), HUAIAN.name)
    texts = [line.text for line in doc.lines]
    # Page numbers are gone, also the one that falls inside table 三.
    assert not any(t.strip(" -").isdigit() for t in texts)
    # The group label written one character per line is one cell; a label that wraps around
    # its numbers inside one cell is whole.
    cells = [c.text for line in doc.lines if line.grid for c in line.cells]
    assert "三、本年度办理结果" in cells
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in cells
    assert "（三）不予公开" in cells
    # Narrative lines are text lines with a page and a line number.
    first = doc.lines[0]
    assert not first.grid and first.text == "淮安市人民政府"
    assert (first.location.page, first.location.line) == (1, 1)


# -- generated reports ------------------------------------------------------------------------


def sample_values() -> dict[str, dict[str, list[str]]]:
    """A report's cells that satisfy the format's identities."""
    t3: dict[str, list[str]] = {}
    keys = [r.key for r in formats.V2021.table("t3").rows if r.key not in ("r1", "r2", "r4", "t")]
    total = [0] * 6
    for k, key in enumerate(keys):
        vals = [(k * 3 + i) % 4 for i in range(6)]
        total = [a + b for a, b in zip(total, vals, strict=True)]
        t3[key] = [str(v) for v in [*vals, sum(vals)]]
    t3["t"] = [str(v) for v in [*total, sum(total)]]
    r4, r2 = [1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0]
    r1 = [t + a - b for t, a, b in zip(total, r4, r2, strict=True)]
    for key, v in (("r1", r1), ("r2", r2), ("r4", r4)):
        t3[key] = [str(x) for x in [*v, sum(v)]]
    t2 = {
        "rules": ["0", "1", "5"],
        "normative": ["12", "3", "40"],
        "licensing": ["1520"],
        "penalty": ["310"],
        "coercion": ["7"],
        "fees": ["12.5"],
    }
    t4 = {"cases": [str(x) for x in (3, 1, 0, 1, 5, 2, 0, 1, 0, 3, 1, 0, 0, 1, 2)]}
    return {"t2": t2, "t3": t3, "t4": t4}


LAYOUTS = {
    "ruled": Layout(),
    "break-inside-group": Layout(t3_break=9),  # （三）不予公开 split over two pages
    "repeated-header": Layout(t3_break=9, repeat_header=True),
    "rotated-page": Layout(rotate=90, t3_break=12),
    "unruled": Layout(ruled=False),
    "unruled-repeated-header": Layout(ruled=False, t3_break=9, repeat_header=True),
    "no-page-numbers": Layout(footers=False, t3_break=20),
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_generated_report_reads_exactly(layout: Layout) -> None:
    values = sample_values()
    report = gongkai.parse(report_pdf(values, layout), name="gen.pdf")
    assert report.warnings == []
    assert (report.agency, report.year, report.format) == ("示例市人民政府", 2024, "2021")
    for key, rows in values.items():
        got = {r.key: [c.raw for c in r.cells] for r in report.tables[key].rows}
        assert got == rows, key
    assert gongkai.check(report) == []  # the sample's identities hold, so nothing is flagged


def test_table_broken_across_pages_keeps_its_order() -> None:
    doc = read_pdf(report_pdf(sample_values(), Layout(t3_break=9)), "gen.pdf")
    labels = [
        c.text for line in doc.lines if line.grid for c in line.cells if c.text.startswith("5.")
    ]
    pages = {c.text: line.location.page for line in doc.lines if line.grid for c in line.cells}
    assert pages["5.属于三类内部事务信息"] < pages["6.属于四类过程性信息"]
    assert labels[:2] == ["5.属于三类内部事务信息", "5.要求行政机关确认或重新出具已获取信息"]
    assert not any(line.text.strip() in ("- 1 -", "- 2 -", "- 3 -") for line in doc.lines)


# -- the geometry, piece by piece --------------------------------------------------------------


def _chars(
    text: str, x: float, top: float, size: float = 10.0, step: float | None = None
) -> list[Char]:
    step = step or size
    return [
        char(ch, x + i * step, x + i * step + size * 0.9, top, top + size, top + size * 0.85)
        for i, ch in enumerate(text)
        if ch != " "  # the reader keeps no space characters: gaps are measured
    ]


def _box(x0: float, x1: float, y0: float, y1: float) -> tuple[list[Any], list[Any]]:
    return [(y0, x0, x1), (y1, x0, x1)], [(x0, y0, y1), (x1, y0, y1)]


def test_merged_cells_give_text_once_and_placeholders() -> None:
    # Two rows, three columns; the left column is one cell over both rows, the top-right two
    # atoms are one cell (no rule between them in the first row).
    hs = [(100.0, 0.0, 300.0), (120.0, 100.0, 300.0), (140.0, 0.0, 300.0)]
    vs = [(0.0, 100.0, 140.0), (100.0, 100.0, 140.0), (200.0, 120.0, 140.0), (300.0, 100.0, 140.0)]
    chars = [*_chars("组", 40, 104), *_chars("别", 40, 124), *_chars("表头", 120, 104)]
    chars += [*_chars("1", 120, 124), *_chars("2", 220, 124)]
    lines = layout_page(chars, hs, vs, page=2, height=842, file="t.pdf")
    assert [[c.text for c in line.cells] for line in lines] == [["组别", "表头"], ["", "1", "2"]]
    assert all(line.grid for line in lines)
    loc = lines[1].cells[2].location
    assert (loc.page, loc.row, loc.column, loc.line) == (2, 2, 3, None)


def test_one_column_box_is_text_not_a_table() -> None:
    hs, vs = _box(50, 500, 100, 160)
    assert build_grids(hs, vs) == []
    lines = layout_page(_chars("方框里的一段说明", 60, 120), hs, vs, page=1, height=842, file=None)
    assert [(line.grid, line.text) for line in lines] == [(False, "方框里的一段说明")]


def test_page_number_near_the_edge_is_dropped_but_not_in_the_body() -> None:
    chars = _chars("- 4 -", 280, 800, step=6) + _chars("正文", 72, 100) + _chars("- 5 -", 280, 400)
    lines = layout_page(chars, [], [], page=4, height=842, file=None)
    assert [line.text for line in lines] == ["正文", "- 5 -"]


def test_words_and_letter_spacing() -> None:
    # 2024 年: a word space between digits and a Chinese character; 商 业 企 业: letter spacing
    # of a justified cell, no spaces.
    line = _chars("2024", 0, 0, step=5) + _chars("年", 28, 0)
    assert pieces(line) == ["2024 年"]
    assert pieces(_chars("商业企业", 0, 0, step=13)) == ["商业企业"]
    # Fake bold: each character drawn twice, a hair apart.
    bold = sorted(_chars("标题", 0, 0) + _chars("标题", 0.4, 0), key=lambda c: c.x0)
    assert pieces(bold) == ["标题"]


def test_unruled_row_with_clear_gaps_becomes_cells() -> None:
    chars = _chars("行政许可", 72, 100) + _chars("1520", 260, 100, step=5)
    [line] = layout_page(chars, [], [], page=1, height=842, file=None)
    assert line.grid and [c.text for c in line.cells] == ["行政许可", "1520"]
    # A distributed title (one character per piece) stays one text line.
    [title] = layout_page(_chars("目录", 200, 100, step=60), [], [], page=1, height=842, file=None)
    assert not title.grid and title.text == "目 录"


def test_lines_follow_baselines_across_fonts() -> None:
    # A numeral font with a taller box shares the baseline of the Chinese text beside it.
    a = char("第", 0, 10, 100, 110, 108.5)
    b = char("1", 11, 16, 98, 111, 108.5)
    c = char("下", 0, 10, 120, 130, 128.5)
    assert [[x.text for x in line] for line in group_lines([c, b, a])] == [["第", "1"], ["下"]]


def test_table_rows_in_page_order_with_text_between() -> None:
    page = Page()
    page.text(72, 780, "表前说明")
    table(page, [["规章", "1", "0"]], x=72, top=760, widths=[150, 100, 100])
    page.text(72, 700, "表后说明")
    doc = read_pdf(build([page]), "p.pdf")
    assert [(line.grid, line.text) for line in doc.lines] == [
        (False, "表前说明"),
        (True, "规章 1 0"),
        (False, "表后说明"),
    ]
    assert [line.location.line for line in doc.lines if not line.grid] == [1, 2]


def test_slanted_watermark_stays_out_of_the_cells() -> None:
    page = Page()
    table(
        page,
        [["规章", "1", "0"], ["行政规范性文件", "8", "26"]],
        x=72,
        top=700,
        widths=[150, 100, 100],
    )
    page.text(100, 640, "内部资料注意保密", size=40, angle=35)
    doc = read_pdf(build([page]), "w.pdf")
    assert [[c.text for c in line.cells] for line in doc.lines] == [
        ["规章", "1", "0"],
        ["行政规范性文件", "8", "26"],
    ]


def test_numbers_of_a_table_row_at_the_page_edge_are_not_a_page_number() -> None:
    page = Page()
    table(page, [["", "1", "0"]], x=72, top=60, widths=[150, 100, 100])
    page.text(290, 30, "- 3 -")
    doc = read_pdf(build([page]), "edge.pdf")
    assert [[c.text for c in line.cells] for line in doc.lines] == [["", "1", "0"]]


# -- scanned PDFs -----------------------------------------------------------------------------


def scanned_pdf() -> bytes:
    return build([Page(image=True), Page(image=True)])


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """As without the ``ocr`` extra: importing rapidocr fails."""
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)


@pytest.mark.usefixtures("no_ocr")
def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    with pytest.raises(ParseError) as e:
        gongkai.parse(path)
    assert e.value.message == SCANNED == "图片版PDF，没有文本层，需要先OCR"
    assert e.value.location is not None and e.value.location.file == "scan.pdf"


@pytest.mark.usefixtures("no_ocr")
def test_scanned_pdf_exits_1_from_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 1
    assert SCANNED in result.output


@pytest.mark.usefixtures("no_ocr")
def test_a_scanned_page_among_text_pages_is_a_located_warning() -> None:
    doc = read_pdf(build([Page().text(72, 700, "一行字"), Page(image=True)]), "mixed.pdf")
    assert [(w.code, w.location.page if w.location else None) for w in doc.warnings] == [
        ("image-page", 2)
    ]
    assert "第2页是图片" in doc.warnings[0].message and "OCR" in doc.warnings[0].message


def test_pdf_without_text_or_images() -> None:
    page = Page()
    page.line(72, 700, 500, 700)  # text drawn as outlines looks like this: paths, no characters
    with pytest.raises(ParseError) as e:
        read_pdf(build([page]), "outlines.pdf")
    assert "没有文本层" in e.value.message and "OCR" in e.value.message


def test_line_is_document_line() -> None:
    # The reader returns the neutral document's own lines (grid rows and text lines).
    doc = read_pdf(build([Page().text(72, 700, "一行字")]), None)
    assert isinstance(doc.lines[0], Line) and doc.name is None
