"""Hostile and broken files are refused quickly, with a clear Chinese error, in bounded memory.
Every limit tested here is documented in docs/limits.md."""

from __future__ import annotations

import contextlib
import importlib
import os
import random
import time
import tracemalloc
from pathlib import Path

import pytest

import gongkai
from gongkai.errors import ParseError
from gongkai.parse import pdf as pdf_reader
from gongkai.parse import pdf_layout
from gongkai.parse.pdf import MAX_PAGE_CHARS, MAX_PDF_PAGES, read_pdf

from .pdfgen import Page, build, table

# The module, not the function gongkai.parse that shadows it as an attribute of the package.
parse_module = importlib.import_module("gongkai.parse")
MB = 1024 * 1024
LIMITS_DOC = Path(__file__).resolve().parents[1] / "docs" / "limits.md"


def small_report_pdf() -> bytes:
    page = Page().text(72, 780, "某县人民政府2024年政府信息公开工作年度报告")
    table(page, [["规章", "1", "0", "11"]], x=72, top=700, widths=[150, 100, 100, 100])
    return build([page])


def _sparse(path: Path, head: bytes, size: int) -> Path:
    """A file that reports ``size`` bytes but takes no disk space beyond its head."""
    with path.open("wb") as f:
        f.write(head)
        f.truncate(size)
    return path


@pytest.mark.parametrize(
    ("head", "limit"),
    [
        (b"%PDF-1.7\n", "PDF年报的上限100 MB"),
        (b"\xe6\x8a\xa5\xe5\x91\x8a\n", "文本年报的上限20 MB"),
    ],
    ids=["pdf", "text"],
)
def test_huge_file_is_refused_by_size_before_reading(
    tmp_path: Path, head: bytes, limit: str
) -> None:
    path = _sparse(tmp_path / "huge.pdf", head, 200 * MB)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(ParseError) as e:
            gongkai.parse(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "文件过大（200 MB）" in e.value.message and limit in e.value.message
    assert e.value.location is not None and e.value.location.file == "huge.pdf"
    assert peak < 1 * MB, "the file was read before its size was checked"
    assert elapsed < 5


def test_input_without_a_size_is_read_only_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # /dev/zero reports size 0 and never ends: the read stops one byte past the limit.
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    monkeypatch.setattr(parse_module, "MAX_TEXT_BYTES", 1 * MB)
    with pytest.raises(ParseError) as e:
        gongkai.parse(Path("/dev/zero"))
    assert "文件过大" in e.value.message and "1 MB" in e.value.message


def test_bytes_over_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_PDF_BYTES", 1 * MB)
    data = small_report_pdf()
    data = data + b"%" * (2 * MB)  # a PDF comment as padding
    with pytest.raises(ParseError) as e:
        gongkai.parse(data, name="big.pdf")
    assert "输入过大（2 MB）" in e.value.message and "PDF年报的上限1 MB" in e.value.message


def test_too_many_pages_is_refused_quickly() -> None:
    data = build([Page() for _ in range(2000)])
    started = time.perf_counter()
    with pytest.raises(ParseError) as e:
        gongkai.parse(data, name="thick.pdf")
    assert time.perf_counter() - started < 5
    assert e.value.message == f"PDF页数过多（2000页），超过年报的上限{MAX_PDF_PAGES}页"


def test_too_many_characters_on_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # A smaller limit keeps the test fast; the real one is pinned by the documentation test.
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 5000)
    page = Page()
    per_line = 1000  # pdfium keeps at most 16 384 characters of one text-showing operator
    for i in range(6):
        page.text(10, 800 - i * 2, "字" * per_line, size=0.5)
    with pytest.raises(ParseError) as e:
        read_pdf(build([page]), "dense.pdf")
    assert e.value.message.startswith("PDF第1页文字过多（60")  # pdfium counts line breaks too
    assert e.value.message.endswith("字），超过每页上限5000字")
    assert e.value.location is not None and e.value.location.page == 1


def test_truncated_pdf(tmp_path: Path) -> None:
    data = small_report_pdf()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError) as e:
        gongkai.parse(path)
    assert "PDF文件不完整" in e.value.message and "cut.pdf" in str(e.value)


def test_corrupt_pdf() -> None:
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    with pytest.raises(ParseError) as e:
        gongkai.parse(data, name="broken.pdf")
    assert e.value.message == "PDF文件已损坏或不完整，无法读取"


def test_encrypted_pdf() -> None:
    with pytest.raises(ParseError) as e:
        gongkai.parse(build([Page().text(72, 700, "机密")], encrypted=True), name="locked.pdf")
    assert e.value.message.startswith("PDF已加密")
    assert "locked.pdf" in str(e.value)


def test_a_page_of_drawing_is_read_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # A map or chart: more path segments than the budget. The page's ruling lines are not
    # searched (bounded time); its text is still read.
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_SEGMENTS", 200)
    page = Page().text(72, 780, "附图说明")
    for i in range(300):
        page.line(50 + i, 100, 50 + i, 300)
    doc = read_pdf(build([page]), "map.pdf")
    assert [line.text for line in doc.lines] == ["附图说明"]


def test_limits_are_documented() -> None:
    text = LIMITS_DOC.read_text(encoding="utf-8")
    for figure in (
        f"{parse_module.MAX_PDF_BYTES // MB} MB",
        f"{parse_module.MAX_TEXT_BYTES // MB} MB",
        f"{MAX_PDF_PAGES}",
        f"{MAX_PAGE_CHARS:,}",
        f"{pdf_reader.MAX_TOTAL_CHARS:,}",
        f"{pdf_reader.MAX_PAGE_OBJECTS:,}",
        f"{pdf_reader.MAX_PAGE_SEGMENTS:,}",
        f"{pdf_layout.MAX_EDGES:,}",
        f"{pdf_layout.MAX_ATOMS:,}",
    ):
        assert figure in text, f"docs/limits.md does not state {figure}"


def test_sparse_helper_takes_no_space(tmp_path: Path) -> None:
    path = _sparse(tmp_path / "s.bin", b"x", 200 * MB)
    assert path.stat().st_size == 200 * MB
    if hasattr(os.stat_result, "st_blocks"):
        assert path.stat().st_blocks * 512 < 10 * MB


def test_text_layer_of_unmapped_glyphs_needs_ocr() -> None:
    # Fonts without a Unicode map give private-use codes: the text layer is unreadable.
    page = Page().text(72, 700, "".join(chr(0xE000 + i) for i in range(40)))
    page.text(72, 680, "年度报告")
    with pytest.raises(ParseError) as e:
        read_pdf(build([page]), "garbled.pdf")
    assert "乱码" in e.value.message and "OCR" in e.value.message


def test_a_dense_grid_is_not_taken_for_a_table() -> None:
    # 200 × 200 crossing rules: 39 601 atoms, more than any report table. Read as text, fast.
    page = Page().text(72, 780, "坐标纸")
    for i in range(200):
        page.line(50, 100 + i * 3, 650, 100 + i * 3, width=0.2)
        page.line(50 + i * 3, 100, 50 + i * 3, 700, width=0.2)
    started = time.perf_counter()
    doc = read_pdf(build([page]), "grid.pdf")
    assert time.perf_counter() - started < 5
    assert [(line.grid, line.text) for line in doc.lines] == [(False, "坐标纸")]


def test_damaged_bytes_give_a_report_or_a_parse_error() -> None:
    # Random bytes overwritten in a real-shaped PDF: pdfium repairs what it can; everything
    # else must be a ParseError, never another exception.
    rnd = random.Random(4)
    base = small_report_pdf()
    for _ in range(25):
        data = bytearray(base)
        for _ in range(rnd.randint(1, 20)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        with contextlib.suppress(ParseError):
            gongkai.parse(bytes(data), name="damaged.pdf")
