"""Scanned reports through OCR (issue 13), on the scan checked in under tests/scans/ (seed 000
rendered to DOCX, printed by LibreOffice, drawn at 150 dpi with skew, blur, JPEG noise and a red
seal: tests/scans.py remakes it). Golden values are the seed's own."""

from __future__ import annotations

import io
import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import gongkai
from gongkai import Location, Report, formats
from gongkai.check import check
from gongkai.cli import main
from gongkai.errors import ParseError
from gongkai.parse import ocr, ocr_doubt
from gongkai.parse.pdf import read_pdf
from gongkai.render import render

from .conftest import SHARED_REAL
from .pdfgen import Page, build
from .scans import SCANS, SEED

pytestmark = pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")

SCAN = SCANS / "000_mild_150dpi.pdf"


@pytest.fixture(scope="module")
def seed() -> Report:
    return gongkai.parse(SEED)


@pytest.fixture(scope="module")
def scanned() -> Report:
    """The scan through the CLI, as a user runs it: ``gongkai parse scan.pdf --format json``."""
    result = CliRunner().invoke(main, ["parse", str(SCAN), "--format", "json"])
    assert result.exit_code == 0, result.output
    return Report.model_validate_json(result.stdout)


def cells(report: Report) -> dict[tuple[str, str, str], Any]:
    return {
        (t, r.key, c.column): c
        for t, table in report.tables.items()
        for r in table.rows
        for c in r.cells
    }


def test_every_cell_of_the_scan_is_read_and_marked_ocr(seed: Report, scanned: Report) -> None:
    want, got = cells(seed), cells(scanned)
    assert set(got) == set(want)
    wrong = [k for k in want if got[k].value != want[k].value]
    assert wrong == []
    for key, cell in got.items():
        loc = cell.location
        assert loc is not None and loc.ocr is not None and 0 <= loc.ocr <= 1, key
        assert loc.box is not None and loc.page is not None, key
        x0, top, x1, bottom = loc.box
        assert 0 <= x0 < x1 <= 595 and 0 <= top < bottom <= 842, key  # on the A4 page
    assert any(w.code == "ocr" for w in scanned.warnings)


def test_check_finds_what_it_finds_on_the_text_version(seed: Report, scanned: Report) -> None:
    # The text version of the scan is what was printed: the seed through its DOCX (the DOCX
    # renderer leaves out a surplus cell of the seed, so the seed itself has one finding more).
    printed = gongkai.parse(render(seed, "docx"), name="printed.docx")
    want = sorted((f.rule, f.message) for f in check(printed))
    got = sorted((f.rule, f.message) for f in check(scanned))
    assert want and got == want


def test_the_narrative_is_read_too(scanned: Report) -> None:
    assert scanned.agency == "杭州市临安区科学技术局" and scanned.year == 2020
    assert len(scanned.sections) == 6
    assert "主动公开信息233条" in scanned.sections[0].text.replace("\n", "")


def test_a_folder_of_page_images_is_one_report(tmp_path: Path, scanned: Report) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(SCAN)
    for i in range(len(pdf)):
        # page10 after page9: file names in natural order
        pdf[i].render(scale=150 / 72).to_pil().save(tmp_path / f"page{i + 9}.png")
    pdf.close()
    result = CliRunner().invoke(main, ["parse", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = Report.model_validate_json(result.stdout)
    assert report.source == tmp_path.name
    assert {k: c.value for k, c in cells(report).items()} == {
        k: c.value for k, c in cells(scanned).items()
    }
    pages = {c.location.page for c in cells(report).values() if c.location}
    assert pages <= set(range(1, 6)) and len(pages) >= 2
    # `gongkai check` on the folder: one report, the findings of the scan itself.
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json"])
    (checked,) = json.loads(result.stdout)
    assert checked["file"] == str(tmp_path) and "error" not in checked, checked
    want = sorted((f.rule, f.message) for f in check(scanned))
    assert sorted((f["rule"], f["message"]) for f in checked["findings"]) == want


def test_parse_takes_the_page_images_of_one_report(tmp_path: Path, scanned: Report) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(SCAN)
    for i in (2, 3):  # the pages of tables 二, 三 and 四
        pdf[i].render(scale=150 / 72).to_pil().save(tmp_path / f"扫描{i + 1}.png")
    pdf.close()
    pages = [str(tmp_path / "扫描3.png"), str(tmp_path / "扫描4.png")]
    result = CliRunner().invoke(main, ["parse", *pages, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = Report.model_validate_json(result.stdout)
    want = {k: c.raw for k, c in cells(scanned).items() if k[0] in ("t3", "t4")}
    assert {k: c.raw for k, c in cells(report).items() if k in want} == want
    # Several files are one report only as page images: anything else is a usage error.
    result = CliRunner().invoke(main, ["parse", pages[0], str(SEED)])
    assert result.exit_code == 2 and "须都是同一份年报的页面图片" in result.output


def test_a_scanned_page_among_text_pages_is_read() -> None:
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(build([Page().text(72, 700, "一行字")]))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text)
    mixed.import_pages(pdfium.PdfDocument(SCAN), [2])  # the page of table 二
    buf = io.BytesIO()
    mixed.save(buf)
    doc = read_pdf(buf.getvalue(), "mixed.pdf")
    first = [line for line in doc.lines if line.location.page == 1]
    second = [line for line in doc.lines if line.location.page == 2]
    assert [line.text for line in first] == ["一行字"]
    assert first[0].location.ocr is None  # read from the text layer, as text
    # Every cell and line of the scanned page says it was OCR'd (the empty placeholders a
    # merged cell leaves in the atoms it covers are no cells).
    assert any(line.grid for line in second) and all(
        s.location.ocr is not None for line in second for s in line.cells if s.text
    )
    assert any("规范性文件" in line.text for line in second)
    assert [w.code for w in doc.warnings] == ["ocr"]


@pytest.mark.parametrize("angle", [-2.5, -1.0, 0.0, 0.6, 2.8])
def test_deskew_finds_the_angle_a_page_was_turned_by(angle: float) -> None:
    import pypdfium2 as pdfium

    from gongkai.parse import ocr_grid

    pdf = pdfium.PdfDocument(SCAN)
    grey = ocr_grid.greyscale(pdf[2].render(scale=100 / 72, grayscale=True).to_numpy().copy())
    pdf.close()
    upright = ocr_grid.rotate(grey, ocr_grid.skew_angle(grey))
    turned = ocr_grid.rotate(upright, angle)
    assert ocr_grid.skew_angle(turned) == pytest.approx(-angle, abs=0.15)


@pytest.fixture(scope="module")
def table_two_page() -> Any:
    """Page 3 of the scan (table 二) as a PIL image, and its lines read upright."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(SCAN)
    page = pdf[2].render(scale=150 / 72, grayscale=True).to_pil()
    pdf.close()
    buf = io.BytesIO()
    page.save(buf, "PNG")
    lines = ocr.read_images([("upright.png", buf.getvalue())], "upright").lines
    return page, [line.text for line in lines]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_scanned_turned_is_read_upright(table_two_page: Any, turn: int) -> None:
    page, upright = table_two_page
    buf = io.BytesIO()
    page.rotate(turn, expand=True).save(buf, "PNG")
    doc = ocr.read_images([(f"turned{turn}.png", buf.getvalue())], "turned")
    assert [line.text for line in doc.lines] == upright
    assert any(line.text.startswith("规章 0") for line in doc.lines)
    # The page keeps its size in points: judged from its short side, turned or not.
    boxes = [c.location.box for line in doc.lines for c in line.cells if c.location]
    assert boxes and all(b[3] <= 842 for b in boxes if b)


def test_a_table_without_rules_is_read_from_the_box_positions() -> None:
    import cv2
    import numpy as np
    import pypdfium2 as pdfium

    from gongkai.parse import ocr_grid

    pdf = pdfium.PdfDocument(SCAN)
    grey = ocr_grid.greyscale(pdf[2].render(scale=200 / 72, grayscale=True).to_numpy().copy())
    pdf.close()
    # Wipe every ruling line: what is left is table 二 as an unruled table.
    ink = ocr_grid.ink(grey)
    runs = [cv2.getStructuringElement(cv2.MORPH_RECT, size) for size in ((80, 1), (1, 80))]
    rules = np.maximum(*(cv2.morphologyEx(ink, cv2.MORPH_OPEN, k) for k in runs))
    grey = grey.copy()
    grey[cv2.dilate(rules, np.ones((5, 5), np.uint8)) > 0] = 255
    assert ocr_grid.rules(grey, 200, 30) == ([], [])
    lines = ocr.read_page(grey, 200, page=3, file="unruled.png")
    rows = [[c.text for c in line.cells] for line in lines if line.grid]
    assert ["规章", "0", "0", "0"] in rows and ["规范性文件", "0", "0", "0"] in rows
    assert ["政府集中采购", "2", "1.68万元"] in rows
    assert all(c.location.ocr is not None for line in lines for c in line.cells)


def test_cells_the_detector_missed_are_read_from_their_ink(table_two_page: Any) -> None:
    """With no detected box at all, every ruled cell with ink is cut round its ink and read:
    what a lone thin digit the detector overlooks gets (a real report, below)."""
    import numpy as np

    from gongkai.parse import ocr_grid

    page, _ = table_two_page
    grey = ocr_grid.greyscale(np.asarray(page))
    grey = ocr_grid.rotate(grey, ocr_grid.skew_angle(grey))
    found = ocr.recognise(grey, 150)
    heights = sorted(b[3] - b[1] for b in (ocr._bounds(q) for q, _, _ in found))
    hs, vs = ocr_grid.rules(grey, 150, heights[len(heights) // 2])
    by_cell = ocr._missed_cells(grey, [], hs, vs, 150, heights[len(heights) // 2])
    texts = [t for _, t, _ in by_cell]
    assert texts.count("0") >= 20 and "规章" in texts and "政府集中采购" in texts
    # Cells the detector did find are left alone: nothing is read twice.
    assert ocr._missed_cells(grey, found, hs, vs, 150, heights[len(heights) // 2]) == []


def test_the_detector_input_is_rapidocrs_own_normalising() -> None:
    import cv2
    import numpy as np

    grey = np.random.default_rng(7).integers(0, 256, (256, 384), dtype=np.uint8)
    ocr.engine()
    want = ocr._det_pre(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR))
    got = ocr._det_input(grey)
    assert got.shape == want.shape and got.dtype == want.dtype
    assert np.array_equal(got, want)


def test_a_lone_narrow_digit_is_not_read_as_vertical_text() -> None:
    import numpy as np

    grey = np.full((200, 200), 255, np.uint8)
    tall = np.array([[10, 10], [30, 10], [30, 50], [10, 50]], np.float32)  # 20 wide, 40 tall
    # A box half again as tall as wide and about a character wide is vertical text: turned.
    assert ocr._crop(grey, tall, glyph=24).shape[:2] == (20, 40)
    # As narrow as a "1" beside 40-pixel characters: read as it stands ("1", not "一").
    assert ocr._crop(grey, tall, glyph=40).shape[:2] == (40, 20)


@pytest.mark.skipif(not SHARED_REAL.is_dir(), reason=f"no shared real reports at {SHARED_REAL}")
def test_a_real_report_scanned_reads_as_its_text_layer(tmp_path: Path) -> None:
    """A real published PDF (its own fonts: a light Song face whose lone "0" and "1" the
    detector overlooks) drawn at 200 dpi with mild noise: its tables pages read through OCR
    give tables 三 and 四 exactly as the text layer does."""
    from .scans import MILD, image_pdf, scan

    source = SHARED_REAL / "01_huaian_city_gov_2024.pdf"
    digital = gongkai.parse(source)
    pages = scan(digital, 200, MILD, tmp_path, pdf=source.read_bytes())[3:5]  # 表三 and 表四
    scanned = gongkai.parse(image_pdf(pages, 200, quality=60), name="huaian-scan.pdf")
    want = {k: c.raw for k, c in cells(digital).items() if k[0] in ("t3", "t4")}
    got = {k: cells(scanned)[k].raw if k in cells(scanned) else None for k in want}
    assert len(want) == 190 and got == want
    assert all(c.location.ocr is not None for k, c in cells(scanned).items() if k in want)


def test_the_engine_is_built_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import rapidocr_onnxruntime

    models = sorted(
        p.name for p in (Path(rapidocr_onnxruntime.__file__).parent / "models").iterdir()
    )
    assert [m for m in models if m.endswith(".onnx")] == [
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
        "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    ]

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(ocr, "_engine", None)
    engine = ocr.engine()
    import numpy as np

    blank = np.full((200, 400, 3), 255, dtype=np.uint8)
    found, _ = engine(blank)
    assert not found


def test_jpeg_and_tiff_pages_are_read(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from gongkai.parse.readers import sniff

    pdf = pdfium.PdfDocument(SCAN)
    page = pdf[2].render(scale=150 / 72).to_pil()
    pdf.close()
    for fmt in ("JPEG", "TIFF"):
        buf = io.BytesIO()
        page.save(buf, fmt)
        data = buf.getvalue()
        assert sniff(data) == "image"
        doc = ocr.read_images([(f"p.{fmt}", data)], "p")
        assert any(line.text.startswith("规章 0") for line in doc.lines), fmt
        assert doc.ocr


def test_too_many_pictures_are_refused_before_reading() -> None:
    with pytest.raises(ParseError) as e:
        ocr.read_images([(None, b"")] * (ocr.MAX_IMAGES + 1), "many")
    assert f"上限{ocr.MAX_IMAGES}张" in e.value.message


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="规章0123456789 .万元", min_size=1, max_size=12),
            st.floats(0, 1000),
            st.floats(1, 300),
        ),
        max_size=5,
    )
)
def test_boxes_become_characters_inside_them_in_order(
    boxes: list[tuple[str, float, float]],
) -> None:
    found = [([[x, 10], [x + w, 10], [x + w, 40], [x, 40]], t, 0.9) for t, x, w in boxes]
    chars = ocr._chars(found, 0.5)
    assert [c.text for c in chars] == [ch for t, _, _ in boxes for ch in t.strip() if ch != " "]
    assert all(c.ocr == 0.9 and c.x0 <= c.x1 and c.top < c.bottom for c in chars)
    pos = 0
    for t, x, w in boxes:
        mine = chars[pos : pos + len(t.strip().replace(" ", ""))]
        pos += len(mine)
        assert all(x * 0.5 - 1e-6 <= c.x0 and c.x1 <= (x + w) * 0.5 + 1e-6 for c in mine)
        assert [c.x0 for c in mine] == sorted(c.x0 for c in mine)


def test_an_image_without_the_extra_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(ParseError) as e:
        gongkai.parse(png, name="page1.png")
    assert e.value.message == ocr.NEEDS_EXTRA and "gongkai[ocr]" in e.value.message


def test_ocr_asked_for_without_the_extra_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(ParseError) as e:
        gongkai.parse(SCAN, ocr=True)
    assert e.value.message == ocr.NEEDS_EXTRA


def test_a_broken_image_is_a_clear_error() -> None:
    with pytest.raises(ParseError) as e:
        gongkai.parse(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="page1.png")
    assert "图片已损坏" in e.value.message and e.value.location is not None


def test_ocr_off_refuses_pictures(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as e:
        gongkai.parse(SCAN, ocr=False)
    assert e.value.message == "图片版PDF，没有文本层，需要先OCR"


# -- doubt ---------------------------------------------------------------------------------


def as_ocr(report: Report, confidence: float = 0.99) -> Report:
    """The seed as if every cell had been read from a picture."""
    for cell in cells(report).values():
        loc = cell.location or Location()
        cell.location = loc.with_(ocr=confidence, box=(1.0, 2.0, 3.0, 4.0))
    return report


def review(report: Report) -> list[Any]:
    warnings: list[Any] = []
    ocr_doubt.review(report.tables, formats.get(report.format or "2019"), warnings)
    return warnings


def test_a_low_confidence_cell_is_named() -> None:
    report = as_ocr(gongkai.parse(SEED))
    cell = report.cell("t3", "r1", "total")
    assert cell is not None and cell.location is not None
    cell.location = cell.location.with_(ocr=0.42)
    warnings = review(report)
    low = [w for w in warnings if w.code == "ocr-low-confidence"]
    assert len(low) == 1
    assert "表三" in low[0].message and "0.42" in low[0].message
    assert f"读作「{cell.raw}」" in low[0].message
    assert low[0].location.ocr == 0.42


def test_a_confused_digit_is_proposed_not_changed() -> None:
    report = as_ocr(gongkai.parse(SEED))
    cell = report.cell("t3", "r1", "total")
    assert cell is not None and isinstance(cell.value, int)
    true = cell.value
    # Misread: a digit of the 总计 of 本年新收 turned into one it is often confused with.
    misread = next(
        v for v in ocr_doubt._alternatives(str(true)) if true in ocr_doubt._alternatives(str(v))
    )
    cell.value, cell.raw = misread, str(misread)
    warnings = review(report)
    digit = [w for w in warnings if w.code == "ocr-digit"]
    assert len(digit) == 1, [w.message for w in warnings]
    assert f"若为{true}则全部成立" in digit[0].message and "数值未改动" in digit[0].message
    assert cell.inferred and cell.value == misread  # marked, never silently changed


def test_blank_ocr_cells_are_one_warning_per_table() -> None:
    report = as_ocr(gongkai.parse(SEED))
    per_table: dict[str, int] = {}
    for (table, _, _), c in cells(report).items():
        if c.raw == "" and c.location is not None:
            c.location = c.location.with_(ocr=0.0)
            per_table[table] = per_table.get(table, 0) + 1
    got = [w for w in review(report) if w.code == "ocr-blank"]
    assert per_table and len(got) == len(per_table)
    numbers = {"t2": "二", "t3": "三", "t4": "四"}
    assert sorted(w.message[: w.message.index("个")] for w in got) == sorted(
        f"表{numbers[t]}有{n}" for t, n in per_table.items()
    )
    assert not [w for w in review(report) if w.code == "ocr-low-confidence"]


def _misread(text: str, *, ocr: bool) -> Report:
    """The seed with 予 of （一）予以公开 read as 子, its lines as if recognised or typed."""
    from gongkai.parse import parse_document
    from gongkai.parse.text import read_text

    doc = read_text(SEED.read_text(encoding="utf-8").replace("（一）予以公开", text), "seed")
    if ocr:
        for line in doc.lines:
            for span in line.cells:
                span.location = span.location.with_(ocr=0.97)
    return parse_document(doc)


def test_a_label_misread_by_one_character_is_read_and_named(seed: Report) -> None:
    report = _misread("（一）子以公开", ocr=True)
    want = seed.tables["t3"].row("a")
    assert want is not None
    assert [c.raw for c in report.tables["t3"].row("a").cells] == [c.raw for c in want.cells]
    (warning,) = [w for w in report.warnings if w.code == "ocr-label"]
    assert "读作「（一）子以公开」，与「（一）予以公开」相差1个字" in warning.message
    # Two characters of seven misread: still nearer that row than any other by far.
    (two,) = [w for w in _misread("（一）子以公升", ocr=True).warnings if w.code == "ocr-label"]
    assert "相差2个字" in two.message
    assert not [w for w in report.warnings if w.code in ("unknown-label", "missing-row")]


def test_typed_text_and_a_label_misread_too_far_are_no_guess() -> None:
    typed = _misread("（一）子以公开", ocr=False)
    far = _misread("（一）子乂公升", ocr=True)  # three of seven characters wrong
    for report in (typed, far):
        assert not [w for w in report.warnings if w.code == "ocr-label"]
        assert [w for w in report.warnings if w.code == "unknown-label"]


def test_no_two_labels_of_a_table_are_one_character_apart() -> None:
    """What makes a one-character OCR misreading of a label safe to read as that row."""
    from gongkai.parse.matcher import MIN_NEAR, edits, matcher_for

    for fmt in formats.FORMATS.values():
        for table in fmt.tables:
            forms = [
                (i, f) for i, _, fs in matcher_for(table)._forms for f in fs if len(f) >= MIN_NEAR
            ]
            close = [(f, g) for i, f in forms for j, g in forms if i < j and edits(f, g) < 2]
            assert close == [], (fmt.key, table.key)


@given(st.text("予子以公开一二", max_size=8), st.text("予子以公开一二", max_size=8))
def test_edits_is_a_distance(a: str, b: str) -> None:
    from gongkai.parse.matcher import edits

    assert edits(a, b) == edits(b, a) <= max(len(a), len(b))
    assert (edits(a, b) == 0) == (a == b) and edits(a, b) >= abs(len(a) - len(b))
    assert edits(a, b) <= edits(a, "") + edits("", b)


def test_no_proposal_when_the_identities_hold() -> None:
    report = as_ocr(gongkai.parse(SEED))
    assert [w for w in review(report) if w.code == "ocr-digit"] == []
    assert not any(c.inferred for c in cells(report).values())


def test_no_proposal_for_cells_read_from_text() -> None:
    report = gongkai.parse(SEED)
    cell = report.cell("t3", "r1", "total")
    assert cell is not None and isinstance(cell.value, int)
    cell.value = ocr_doubt._alternatives(str(cell.value))[0]
    assert [w for w in review(report) if w.code == "ocr-digit"] == []


@given(st.integers(0, 10**6))
def test_alternatives_differ_by_one_confusable_digit(n: int) -> None:
    s = str(n)
    for alt in ocr_doubt._alternatives(s):
        a = str(alt)
        assert len(a) == len(s)
        diff = [(x, y) for x, y in zip(s, a, strict=True) if x != y]
        assert len(diff) == 1 and diff[0][1] in ocr_doubt.CONFUSED[diff[0][0]]


# -- batch ---------------------------------------------------------------------------------


def test_batch_reads_a_scan_through_ocr(tmp_path: Path, seed: Report) -> None:
    from gongkai.batch import ingest, read_table

    out = tmp_path / "out.sqlite"
    summary = ingest([SCAN], out, timeout=0)  # OCR takes seconds per page, not milliseconds
    assert summary.errors == 0
    got = read_table(out, "cells")
    assert len(got) == len(cells(seed))
    assert all(r["ocr"] is not None and 0 <= r["ocr"] <= 1 for r in got)


def test_batch_without_ocr_skips_the_scan(tmp_path: Path) -> None:
    from gongkai.batch import read_table

    out = tmp_path / "out.sqlite"
    result = CliRunner().invoke(main, ["batch", str(SCAN), "-o", str(out), "--no-ocr", "-q"])
    reports = read_table(out, "reports")
    assert len(reports) == 1 and "需要先OCR" in str(reports[0]["error"]), result.output
    assert read_table(out, "cells") == []


# -- slow tier: fresh scans (LibreOffice and fonts-noto-cjk, which .ci/run installs) ----------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stem", "dpi", "noise"), [("003", 200, "harsh"), ("004", 200, "mild"), ("001", 200, "turned")]
)
def test_a_fresh_scan_reads_as_its_source(tmp_path: Path, stem: str, dpi: int, noise: str) -> None:
    from dataclasses import replace

    from . import scans

    source = gongkai.parse(next(SEED.parent.glob(f"{stem}_*.txt")))
    # "turned": mild noise, and every page laid on the scanner upside down or sideways.
    spoils = {n.name: n for n in (scans.MILD, scans.HARSH)}
    spoils["turned"] = replace(scans.MILD, name="turned", turn=90)
    pages = scans.scan(source, dpi, spoils[noise], tmp_path)
    if noise == "turned":
        pages = [p.rotate(90 * (i % 3), expand=True) for i, p in enumerate(pages)]
    got = gongkai.parse(scans.image_pdf(pages, dpi), name=f"{stem}.pdf")
    want = cells(source)
    mine = cells(got)
    wrong = [
        k
        for k in want
        if k[0] in ("t3", "t4") and (k not in mine or mine[k].value != want[k].value)
    ]
    # The target: at 200 dpi with mild noise at least 99.5 % of the cells right; at any
    # noise every wrong cell doubted aloud — below the confidence threshold
    # (ocr-low-confidence), read blank (ocr-blank names it) or proposed from the identities
    # (inferred). Harsh noise may miss a faint "1" (seen: table 四's 行政复议 总计).
    share = 0.02 if noise == "harsh" else 0.005
    assert len(wrong) <= share * sum(k[0] in ("t3", "t4") for k in want), wrong
    blank_warned = {w.location.table for w in got.warnings if w.code == "ocr-blank" and w.location}
    for k in wrong:
        cell = mine[k]
        assert cell.location is not None and cell.location.ocr is not None, k
        assert (
            cell.inferred
            or cell.location.ocr < ocr_doubt.LOW
            or (cell.value is None and k[0] in blank_warned)
        ), (k, cell)
