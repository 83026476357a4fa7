"""The DOCX reader: merged cells, paragraphs in cells, body order, paragraph "tables", the
corpus variants, and hostile files (ZIP bombs, entity expansion) refused fast and clearly."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest
from docx import Document

import gongkai
from gongkai.errors import ParseError
from gongkai.parse.docx import MAX_DOCUMENT_XML, MAX_ENTRIES, read_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def saved(doc: object) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def texts(data: bytes) -> list[tuple[bool, list[str]]]:
    return [(line.grid, [c.text for c in line.cells]) for line in read_docx(data, "t.docx").lines]


# -- structure -------------------------------------------------------------------------------


def test_merged_cells_give_text_once_and_blank_placeholders() -> None:
    doc = Document()
    doc.add_paragraph("前言")
    table = doc.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "分组"  # vertical merge over 3 rows
    table.cell(0, 1).merge(table.cell(0, 2)).text = "跨两列"  # horizontal merge
    table.cell(0, 3).text = "末列"
    table.cell(1, 1).text = "a"
    table.cell(1, 2).merge(table.cell(1, 3)).text = "最后一格跨两列"
    table.cell(2, 1).text = "b"
    doc.add_paragraph("后记")
    lines = texts(saved(doc))
    assert lines == [
        (False, ["前言"]),
        (True, ["分组", "跨两列", "", "末列"]),
        # A vMerge continuation is blank; the last cell's own placeholders are left out.
        (True, ["", "a", "最后一格跨两列"]),
        (True, ["", "b", "", ""]),
        (False, ["后记"]),
    ]
    locs = read_docx(saved(doc), "t.docx").lines[1].cells
    assert [(c.location.row, c.location.column) for c in locs] == [(1, 1), (1, 2), (1, 3), (1, 4)]
    assert locs[0].location.file == "t.docx"


def test_paragraphs_in_a_cell_are_joined_and_breaks_kept() -> None:
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    cell = table.cell(0, 0)
    cell.paragraphs[0].text = "商业"
    cell.add_paragraph("企业")
    run = table.cell(0, 1).paragraphs[0].add_run("结果")
    run.add_break()
    run.add_text("维持")
    assert texts(saved(doc)) == [(True, ["商业\n企业", "结果\n维持"])]


def test_tables_typed_as_paragraphs_become_text_lines_with_tabs() -> None:
    doc = Document()
    p = doc.add_paragraph()
    for k, piece in enumerate(["规章", "0", "0", "0"]):
        run = p.add_run(piece)
        if k < 3:
            run.add_tab()
    assert texts(saved(doc)) == [(False, ["规章\t0\t0\t0"])]


def test_one_column_frame_is_read_as_body_content() -> None:
    doc = Document()
    frame = doc.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "某局2021年政府信息公开工作年度报告"
    inner = frame.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "规章"
    inner.cell(0, 1).text = "3"
    frame.add_paragraph("结尾")
    assert texts(saved(doc)) == [
        (False, ["某局2021年政府信息公开工作年度报告"]),
        (True, ["规章", "3"]),
        (False, ["结尾"]),
    ]


def test_deleted_text_and_text_boxes_are_left_out() -> None:
    body = (
        '<w:p><w:r><w:t>某局</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>2020'
        '</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>2021</w:t></w:r>'
        "</w:ins><w:r><w:t>年报告</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r>"
        "<w:t>浮动文本框</w:t></w:r></w:p></w:txbxContent></w:pict></w:r></w:p>"
    )
    assert texts(docx_with(body)) == [(False, ["某局2021年报告"])]


def test_strict_ooxml_namespace_is_read() -> None:
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    data = docx_with("<w:p><w:r><w:t>严格格式</w:t></w:r></w:p>", namespace=strict)
    assert texts(data) == [(False, ["严格格式"])]


# -- hostile files ---------------------------------------------------------------------------


def docx_with(body: str, namespace: str = W, *, prolog: str = "", entries: int = 0) -> bytes:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{namespace}"><w:body>{body}</w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
        for i in range(entries):
            z.writestr(f"customXml/item{i}.xml", "")
    return buf.getvalue()


def patch_sizes(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a ZIP declares for ``member`` (local and central headers)."""
    raw = bytearray(data)
    name = member.encode()
    pos = 0
    while (pos := raw.find(name, pos)) != -1:
        if raw[pos - 30 : pos - 26] == b"PK\x03\x04":
            struct.pack_into("<I", raw, pos - 30 + 22, size)
        elif raw[pos - 46 : pos - 42] == b"PK\x01\x02":
            struct.pack_into("<I", raw, pos - 46 + 24, size)
        pos += len(name)
    return bytes(raw)


def refused(data: bytes, match: str) -> ParseError:
    start = time.perf_counter()
    with pytest.raises(ParseError, match=match) as info:
        gongkai.parse(data, name="恶意.docx")
    assert time.perf_counter() - start < 2.0
    assert "恶意.docx" in str(info.value)  # the error names the file
    return info.value


def test_zip_bomb_by_declared_size_is_refused() -> None:
    data = patch_sizes(docx_with("<w:p/>"), "word/document.xml", MAX_DOCUMENT_XML + 1)
    refused(data, "超过上限.*ZIP 炸弹")


def test_zip_bomb_that_lies_about_its_size_is_refused() -> None:
    # 60 MB of spaces deflate to ~60 KB; the archive claims 1 KB: reading stops at 1 KB and
    # the checksum fails.
    body = "<w:p><w:r><w:t>" + " " * (60 * 1024 * 1024) + "</w:t></w:r></w:p>"
    data = patch_sizes(docx_with(body), "word/document.xml", 1024)
    assert len(data) < 1024 * 1024
    refused(data, "已损坏")


def test_too_many_entries_are_refused() -> None:
    refused(docx_with("<w:p/>", entries=MAX_ENTRIES), f"超过上限{MAX_ENTRIES}个")


def test_entity_expansion_is_refused() -> None:
    lol = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    data = docx_with("<w:p><w:r><w:t>&j;</w:t></w:r></w:p>", prolog=lol + "]>")
    refused(data, "DTD 或实体声明")


def test_external_entity_is_refused() -> None:
    xxe = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    refused(docx_with("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", prolog=xxe), "DTD")


def test_broken_files_are_clear_errors() -> None:
    data = docx_with("<w:p>")
    with pytest.raises(ParseError, match="不是有效的 XML"):
        read_docx(data, "坏.docx")
    with pytest.raises(ParseError, match="已损坏"):
        read_docx(b"PK\x03\x04 not a zip", "坏.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/other.xml", "<x/>")
    with pytest.raises(ParseError, match="缺少正文"):
        read_docx(buf.getvalue(), "坏.docx")


def test_huge_grid_span_is_capped() -> None:
    row = '<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr><w:p/></w:tc>'
    body = "<w:tbl>" + ("<w:tr>" + row * 2 + "</w:tr>") * 300 + "</w:tbl>"
    with pytest.raises(ParseError, match="表格过大"):
        read_docx(docx_with(body), "大.docx")
