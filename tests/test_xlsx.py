"""The streaming XLSX workbook (gongkai.batch.xlsx) reads back as xlsxwriter's output did."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlsxwriter  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.batch.xlsx import Sheet, Workbook, column_letters

HEADER = ["编号", "文本", "是否", "数值"]
ROWS: list[tuple[object, ...]] = [
    (1, "普通文字", True, 12),
    (2, " 前后有空格 ", False, 1.25),
    (3, "a < b & c > d", None, None),
    (4, "控制\x01字符\x1f与\r回车", True, -3),
    (5, "像转义的 _x0041_ 文字", False, 1e20),
    (6, "换行\n保留", None, 0),
    (7, "\ufffe\uffff", None, 123456789012345),
    (8, None, None, 0.1),
    (9, "", False, 7),
]


def _ours(path: Path, rows: list[tuple[object, ...]], **kw: object) -> None:
    book = Workbook(path)
    sheet = book.add(Sheet("表一", HEADER, [8, 40, 8, 8], bools=[2], **kw))  # type: ignore[arg-type]
    sheet.write_rows(rows)
    book.close()


def _xlsxwriter(path: Path, rows: list[tuple[object, ...]]) -> None:
    # As the dataset's writer used it before: inline strings, rows flushed as written.
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(path), options)
    sheet = book.add_worksheet("表一")
    for i, h in enumerate(HEADER):
        sheet.write_string(0, i, h)
    for r, row in enumerate(rows, start=1):
        for i, v in enumerate(row):
            if v is None:
                continue
            if i == 2:
                sheet.write_string(r, i, "是" if v else "否")
            elif isinstance(v, str):
                sheet.write_string(r, i, v)
            else:
                sheet.write_number(r, i, v)
    book.close()


def _values(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    out = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return out


def test_reads_back_as_xlsxwriter_wrote_it(tmp_path: Path) -> None:
    _ours(tmp_path / "ours.xlsx", ROWS)
    _xlsxwriter(tmp_path / "ref.xlsx", ROWS)
    ours, ref = _values(tmp_path / "ours.xlsx"), _values(tmp_path / "ref.xlsx")
    assert ours == ref
    assert ours[1] == [1, "普通文字", "是", 12]
    assert ours[2][1] == " 前后有空格 "  # leading and trailing spaces kept


def test_header_frozen_filtered_and_styled(tmp_path: Path) -> None:
    _ours(tmp_path / "x.xlsx", ROWS)
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    ws = book["表一"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:D{len(ROWS) + 1}"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFDDEBF7"
    assert not ws["A2"].font.b
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_long_text_is_cut_with_a_mark(tmp_path: Path) -> None:
    _ours(tmp_path / "x.xlsx", [(1, "字" * 50, None, None)], max_chars=20, truncated="…（截断）")
    text = _values(tmp_path / "x.xlsx")[1][1]
    assert text == "字" * 15 + "…（截断）"


def test_column_letters() -> None:
    assert [column_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_any_text_reads_back_as_xlsxwriter_wrote_it(
    tmp_path_factory: object, texts: list[str]
) -> None:
    folder: Path = tmp_path_factory.mktemp("x")  # type: ignore[attr-defined]
    rows: list[tuple[object, ...]] = [(i, t, None, None) for i, t in enumerate(texts)]
    # A lone surrogate cannot be written as UTF-8 by either writer.
    rows = [r for r in rows if not any(0xD800 <= ord(ch) <= 0xDFFF for ch in str(r[1]))]
    _ours(folder / "ours.xlsx", rows)
    _xlsxwriter(folder / "ref.xlsx", rows)
    assert _values(folder / "ours.xlsx") == _values(folder / "ref.xlsx")
