"""The renderers draw the official layout: merged headers, table 三's note, group labels,
every label verbatim from the format, blank stays blank, "/" stays "/", fonts and A4."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

import lxml.html
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

import gongkai
from gongkai import formats
from gongkai.errors import GongkaiError
from gongkai.render import kind_for, render
from gongkai.render.layout import Grid, table_grid
from gongkai.report import Report

from .conftest import CORPUS
from .test_roundtrip import reports_example

SEED_2019 = CORPUS / "000_d46c6233cefb6b7a.txt"
SEED_2021 = CORPUS / "003_de0397beeb1d474d.txt"


@pytest.fixture(scope="module", params=["2019", "2021"])
def report(request: pytest.FixtureRequest) -> Report:
    return reports_example(request.param)


def spans(grid: Grid) -> dict[str, tuple[int, int, int, int]]:
    """First placement of each text: (row, column, rowspan, colspan)."""
    out: dict[str, tuple[int, int, int, int]] = {}
    for p in grid.cells:
        out.setdefault(p.cell.text, (p.row, p.column, p.cell.rowspan, p.cell.colspan))
    return out


# -- layout -----------------------------------------------------------------------------------


def test_table3_header_note_and_groups(report: Report) -> None:
    fmt = report.spec
    t3 = fmt.table("t3")
    grid = table_grid(report, t3)
    where = spans(grid)
    assert grid.columns == 10 and grid.header_rows == 3
    assert where[t3.note or ""] == (0, 0, 3, 3)  # the note fills the corner over 3 rows
    assert where["申请人情况"] == (0, 3, 1, 7)
    assert where["自然人"] == (1, 3, 2, 1)
    assert where["法人或其他组织"] == (1, 4, 1, 5)
    assert where["总计"] == (1, 9, 2, 1)
    assert where["商业企业"] == (2, 4, 1, 1)
    # 三、本年度办理结果 spans its 20 (2019) or 22 (2021) rows; （三） spans its 8.
    results = 20 if fmt.key == "2019" else 22
    assert where["三、本年度办理结果"] == (5, 0, results, 1)
    assert where["（三）不予公开"][2:] == (8, 1)
    assert where["（四）无法提供"][2:] == (3, 1)
    assert where["（五）不予处理"][2:] == (5, 1)
    assert where["一、本年新收政府信息公开申请数量"] == (3, 0, 1, 3)
    assert where["（一）予以公开"] == (5, 1, 1, 2)
    if fmt.key == "2021":
        assert where["（六）其他处理"][2:] == (3, 1)
    else:
        assert where["（六）其他处理"][2:] == (1, 2)
    grid.slots()  # every position covered exactly once (raises otherwise)


def test_table4_three_header_rows(report: Report) -> None:
    grid = table_grid(report, report.spec.table("t4"))
    assert grid.columns == 15 and grid.header_rows == 3 and grid.rows == 4
    rows = grid.by_row()
    assert [(p.cell.text, p.cell.colspan) for p in rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [(p.cell.text, p.cell.rowspan, p.cell.colspan) for p in rows[1]] == [
        ("结果维持", 2, 1),
        ("结果纠正", 2, 1),
        ("其他结果", 2, 1),
        ("尚未审结", 2, 1),
        ("总计", 2, 1),
        ("未经复议直接起诉", 1, 5),
        ("复议后起诉", 1, 5),
    ]
    assert len(rows[2]) == 10 and len(rows[3]) == 15


def test_table2_blocks_with_captions(report: Report) -> None:
    t2 = report.spec.table("t2")
    grid = table_grid(report, t2)
    texts = [p.cell.text for p in grid.cells if p.cell.role != "value"]
    for block in t2.blocks:
        assert block.caption in texts
        for col in block.columns:
            assert col.label in texts
    assert texts.count("信息内容") == len(t2.blocks)
    for p in grid.cells:
        if p.cell.role == "caption":
            assert p.cell.colspan == grid.columns


@pytest.mark.parametrize("kind", ["html", "md", "txt"])
def test_every_label_verbatim(report: Report, kind: str) -> None:
    text = render(report, kind)
    assert isinstance(text, str)
    fmt = report.spec
    for t in fmt.tables:
        labels = [*t.group_labels, *t.header_labels, *(b.caption for b in t.blocks)]
        labels += [c.label for c in t.all_columns] + ([t.note] if t.note else [])
        if len(t.rows) > 1:
            labels += [r.label for r in t.rows]
        for label in labels:
            assert label in text, f"{kind}: {label}"
    for s in fmt.sections:
        assert s.heading in text


def test_blank_slash_and_units_are_written_as_found() -> None:
    report = gongkai.parse(SEED_2019)
    page = render(report, "html")
    assert ">1.68万元<" in page
    root = lxml.html.document_fromstring(page.encode())
    t3 = root.find_class("t3")[0]
    first = t3.findall(".//tbody/tr")[0]
    assert [td.text_content() for td in first.findall("td")][1:] == [""] * 6 + ["0"]
    r = reports_example("2021")
    assert ">/<" in render(r, "html")


# -- HTML ---------------------------------------------------------------------------------


def test_html_is_self_contained() -> None:
    page = render(reports_example("2021"), "html")
    assert isinstance(page, str)
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"(?:src|href)\s*=", page) and "url(" not in page
    assert "size: A4 portrait" in page
    for font in ("仿宋_GB2312", "FangSong", "宋体", "SimSun", "方正小标宋简体", "黑体"):
        assert font in page
    root = lxml.html.document_fromstring(page.encode())
    assert root.find(".//h1").text_content() == "某省人民政府办公厅2021年政府信息公开工作年度报告"
    assert len(root.findall(".//table")) == 3
    assert root.find_class("t3")[0].find(".//th[@rowspan='3'][@colspan='3']") is not None


# -- Markdown ----------------------------------------------------------------------------------


def test_markdown_tables_are_github_tables() -> None:
    md = render(reports_example("2021"), "md")
    assert isinstance(md, str)
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            header = lines[i - 1]
            assert header.startswith("| ") and not lines[i - 2].startswith("|")
            assert line.count("|") == header.count("|")  # the header has the full width
    assert "# 某省人民政府办公厅2021年政府信息公开工作年度报告" in lines
    # Group labels are repeated on their rows so each row reads alone.
    assert sum(line.startswith("| 三、本年度办理结果 |") for line in lines) == 22


# -- DOCX ------------------------------------------------------------------------------------


def test_docx_page_fonts_and_borders() -> None:
    data = render(reports_example("2021"), "docx")
    assert isinstance(data, bytes)
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert section.page_height > section.page_width  # portrait
    east_asia = {
        name: doc.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
        for name in ("Normal", "GK Title", "GK Heading", "GK Body", "GK Table")
    }
    assert east_asia == {
        "Normal": "仿宋_GB2312",
        "GK Title": "方正小标宋简体",
        "GK Heading": "黑体",
        "GK Body": "仿宋_GB2312",
        "GK Table": "宋体",
    }
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        fonts = z.read("word/fontTable.xml").decode()
        xml = z.read("word/document.xml").decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts
    assert len(doc.tables) == 3
    # Outer and inside borders on every table: each cell has its four borders.
    assert xml.count("<w:tblBorders>") == 3
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert xml.count(f'<w:{edge} w:val="single"') == 3, edge
    t3 = doc.tables[1]._tbl
    spans = Counter(el.get(qn("w:val")) for el in t3.iter(qn("w:gridSpan")))
    assert spans["7"] == 1 and spans["5"] == 1 and spans["3"] >= 4  # 申请人情况, 法人…, labels
    restarts = [el for el in t3.iter(qn("w:vMerge")) if el.get(qn("w:val")) == "restart"]
    assert len(restarts) == 1 + 2 + 1 + 4  # note; 自然人, 总计; 三、; （三）…（六）


def test_docx_text_in_body_order() -> None:
    doc = Document(io.BytesIO(render(gongkai.parse(SEED_2021), "docx")))
    assert (
        doc.paragraphs[0].text == "杭州市临平区经济信息化和科学技术局2023年政府信息公开工作年度报告"
    )
    assert doc.paragraphs[0].style.name == "GK Title"
    # Headings and tables in body order: each table right after its section's heading.
    order: list[str] = []
    for child in doc.element.body:
        if child.tag == qn("w:tbl"):
            order.append("table")
        elif child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if re.match(r"^[一二三四五六]、", text):
                order.append(text[0])
    assert order == ["一", "二", "table", "三", "table", "四", "table", "五", "六"]


# -- API -------------------------------------------------------------------------------------


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(GongkaiError, match="不支持的输出格式"):
        render(reports_example("2021"), "pdf")


def test_kind_for_suffix() -> None:
    assert kind_for("a.DOCX") == "docx" and kind_for("b.htm") == "html"
    assert kind_for("c.markdown") == "md" and kind_for("d.txt") == "txt"
    assert kind_for("e.pdf") is None


def test_missing_table_renders_blank_official_layout() -> None:
    report = reports_example("2021")
    del report.tables["t4"]
    back = gongkai.parse(render(report, "html").encode(), name="x.html")
    row = back.tables["t4"].rows[0]
    assert [c.kind.value for c in row.cells] == ["blank"] * 15


def test_all_formats_have_grids() -> None:
    for fmt in formats.FORMATS.values():
        r = reports_example(fmt.key)
        for t in fmt.tables:
            table_grid(r, t).slots()
