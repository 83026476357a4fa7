"""Build the DOCX and HTML variants of the seed reports in tests/corpus/docx/ and html/.

Each variant is a seed report (tests/corpus/NNN_*.txt) written the way real publishers write
it: Word's HTML export inside a portal page in GB2312, a page of nested layout tables in GBK, a
UTF-8 page that splits table 二 into four tables, a DOCX made with Word-like cell merges, a
DOCX whose tables are tab-separated paragraphs, a DOCX framed in a one-cell table with content
controls and tracked changes. The output is byte-for-byte reproducible (fixed ZIP timestamps).

Run from the repository root, then review the goldens (``pytest --update-golden``)::

    .venv/bin/python tests/make_corpus_variants.py
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

import gongkai
from gongkai.render.layout import Block, Grid, outline
from gongkai.report import Report

CORPUS = Path(__file__).resolve().parent / "corpus"
SEEDS = {p.name[:3]: p for p in CORPUS.glob("*.txt")}


def seed(number: str) -> Report:
    return gongkai.parse(SEEDS[number])


# -- HTML ------------------------------------------------------------------------------------

NAV = """<div class="top"><ul class="nav">
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwgk/xxgk/">政府信息公开</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zwgk/nb/2019.html">临安区人民政府2019年政府信息公开工作年度报告</a></li>
</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
 &gt; 年度报告</div>
"""
FOOTER = """<div class="footer"><p>主办：杭州市临安区人民政府办公室　网站标识码：3301850001</p>
<p>浙ICP备05001234号　<a href="/sitemap">网站地图</a></p></div>"""


def _mso_spans(text: str) -> str:
    """Text as Word's HTML export writes it: runs split where the script changes (digits in
    an EN-US span), source lines wrapped mid-sentence, a trailing <o:p>."""
    out: list[str] = []
    run = ""
    for ch in text:
        if run and (ch.isascii() != run[-1].isascii()):
            out.append(run)
            run = ""
        run += ch
    if run:
        out.append(run)
    spans = []
    for piece in out:
        body = escape(piece)
        if len(body) > 38:  # Word wraps its source lines; the reader must join them
            body = body[:38] + "\r\n" + body[38:]
        lang = " lang=EN-US" if piece.isascii() else ""
        spans.append(f"<span{lang} style='font-size:16.0pt;font-family:仿宋_GB2312'>{body}</span>")
    return "".join(spans)


def _word_table(grid: Grid) -> str:
    rows = grid.by_row()
    html = [
        "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
        "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>"
    ]
    for cells in rows:
        html.append("<tr style='mso-yfti-irow:0;height:18.0pt'>")
        for p in cells:
            c = p.cell
            attrs = ""
            if c.rowspan > 1:
                attrs += f" rowspan={c.rowspan}"
            if c.colspan > 1:
                attrs += f" colspan={c.colspan}"
            if c.text:
                inner = f"<span style='font-size:10.5pt'>&nbsp;{escape(c.text)}<o:p></o:p></span>"
            else:
                inner = "<span lang=EN-US style='font-size:10.5pt'><o:p>&nbsp;</o:p></span>"
            html.append(
                f"<td width=60{attrs} valign=center style='border:solid windowtext 1.0pt;"
                f"padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center "
                f"style='text-align:center'>{inner}</p></td>"
            )
        html.append("</tr>")
    # Word's row of invisible cells for misaligned columns: no content, no borders.
    html.append("<![if !supportMisalignedColumns]><tr height=0>")
    html.extend("<td width=60 style='border:none'></td>" for _ in range(grid.columns))
    html.append("</tr><![endif]>")
    html.append("</table>")
    return "\n".join(html)


def word_gb2312_nav(report: Report) -> bytes:
    """Seed 004 as Word's HTML export pasted into a portal page declared GB2312."""
    body: list[str] = []
    for block in outline(report):
        if block.kind == "title":
            body.append(
                f"<p class=MsoTitle align=center style='text-align:center'><b>"
                f"<span style='font-size:22.0pt;font-family:方正小标宋简体'>{escape(block.text)}"
                "</span></b></p>\n<div class=info>发布日期：2021-01-20　来源：区府办</div>"
            )
        elif block.kind == "heading":
            body.append(
                f"<p class=MsoNormal style='text-indent:32.0pt'><b>{_mso_spans(block.text)}</b></p>"
            )
        elif block.kind == "paragraph":
            body.append(
                f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>"
                f"<![if !supportLists]>{_mso_spans(block.text)}<![endif]><o:p></o:p></p>"
            )
        elif block.grid is not None:
            body.append(_word_table(block.grid))
    body.append("<p class=MsoNormal><span>联系人：王堃，电话：0571-63722000。</span></p>")
    page = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:'
        'office:office">\n<head>\n<meta http-equiv=Content-Type content="text/html; '
        'charset=gb2312">\n<title>临安区人民政府2020年政府信息公开工作年度报告</title>\n'
        "<style>\n<!-- p.MsoNormal {margin:0cm;font-size:10.5pt;} -->\n</style>\n"
        "<script>var _hmt = _hmt || [];</script>\n</head>\n<body>\n"
        + NAV
        + "<div class=article><div class=WordSection1 style='layout-grid:15.6pt'>\n"
        + "\n".join(body)
        + "\n</div></div>\n"
        + FOOTER
        + "\n</body></html>\n"
    )
    return page.encode("gb18030")


def utf8_split_tables(report: Report) -> bytes:
    """Seed 003 on a UTF-8 page still declaring GB2312, with a sidebar of past reports, table
    二 split into one table per block, <th> headers, and <br> inside label cells."""
    blocks: list[str] = []
    for block in outline(report):
        if block.kind == "title":
            blocks.append(f'<h1 class="title">{escape(block.text)}</h1>')
        elif block.kind == "heading":
            blocks.append(f"<h3><strong>{escape(block.text)}</strong></h3>")
        elif block.kind == "paragraph":
            blocks.append(
                f'<p style="text-indent:2em"><span><font>{escape(block.text)}</font></span></p>'
            )
        elif block.grid is not None:
            blocks.extend(_split_tables(block))
    aside = (
        '<aside class="side"><h4>年度报告</h4><ul>'
        + "".join(
            f'<li><a href="/nb/{y}.html">{report.agency}{y}年政府信息公开工作年度报告</a></li>'
            for y in (2022, 2021)
        )
        + "</ul></aside>"
    )
    menu = (
        '<table class="menu"><tr><td><a href="/xxgk">信息公开指南</a></td>'
        '<td><a href="/fy">行政复议</a></td><td><a href="/ysq">依申请公开</a></td></tr></table>'
    )
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="gb2312"><title>年报</title></head><body>\n'
        + menu
        + aside
        + "\n<main><article>\n"
        + "\n".join(blocks)
        + "\n</article></main>\n"
        + "<footer><p>版权所有：杭州市临平区人民政府</p></footer>\n</body></html>\n"
    )
    return page.encode("utf-8")


_BREAKS = {
    "商业企业": "商业<br>企业",
    "（三）不予公开": "（三）<br>不予公开",
    "结果维持": "结果<br/>维持",
}


def _cell_html(text: str) -> str:
    return _BREAKS.get(text) or escape(text)


def _split_tables(block: Block) -> list[str]:
    grid = block.grid
    assert grid is not None
    out: list[str] = []
    current: list[str] = []
    for cells in grid.by_row():
        if grid.key == "t2" and cells[0].cell.role == "caption" and current:
            out.append('<table border="1">' + "".join(current) + "</table>")
            current = []
        tds = []
        for p in cells:
            tag = "th" if p.cell.role in ("header", "note", "caption") else "td"
            attrs = (f' rowspan="{p.cell.rowspan}"' if p.cell.rowspan > 1 else "") + (
                f' colspan="{p.cell.colspan}"' if p.cell.colspan > 1 else ""
            )
            tds.append(f"<{tag}{attrs}>{_cell_html(p.cell.text)}</{tag}>")
        current.append("<tr>" + "".join(tds) + "</tr>\n")
    out.append('<table border="1">' + "".join(current) + "</table>")
    return out


def layout_tables_gbk(report: Report) -> bytes:
    """Seed 002 on an old portal page laid out with nested tables, declared GBK, with the
    title over two lines (agency, then year and title)."""
    inner: list[str] = []
    for block in outline(report):
        if block.kind == "title":
            agency = report.agency or ""
            inner.append(f'<p align="center"><b>{escape(agency)}</b></p>')
            inner.append(f'<p align="center"><b>{escape(block.text[len(agency) :])}</b></p>')
        elif block.kind in ("heading", "paragraph"):
            inner.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{escape(block.text)}</p>")
        elif block.grid is not None:
            inner.append(_split_tables(Block("table", grid=block.grid))[0] if block.grid.key != "t2"
                         else "\n".join(_split_tables(block)))  # fmt: skip
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>'
        '<body><table width="980"><tr><td colspan="2"><img src="banner.jpg"></td></tr>'
        '<tr><td width="200" valign="top"><table><tr><td><a href="/">首页</a></td></tr>'
        '<tr><td><a href="/gk">政府信息公开</a></td></tr></table></td>'
        '<td valign="top"><table width="100%"><tr><td>\n'
        + "\n".join(inner)
        + '\n</td></tr></table></td></tr><tr><td colspan="2">版权所有 区科技局</td></tr>'
        "</table></body></html>\n"
    )
    return page.encode("gbk")


# -- DOCX ------------------------------------------------------------------------------------


def _reproducible(data: bytes) -> bytes:
    """Re-pack a DOCX with fixed timestamps so the bytes do not change between runs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 20, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _save(doc: object) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)  # type: ignore[attr-defined]
    return _reproducible(buf.getvalue())


def merged_python_docx(report: Report) -> bytes:
    """Seed 004 typed in Word: tables made with python-docx's own ``cell.merge`` (as Word
    merges: vMerge down the group labels, gridSpan across headers, table 四's 3-row header),
    a header label written as two paragraphs (商业 / 企业)."""
    doc = Document()
    for block in outline(report):
        if block.kind != "table" or block.grid is None:
            doc.add_paragraph(block.text)
            continue
        grid = block.grid
        table = doc.add_table(rows=grid.rows, cols=grid.columns)
        table.style = "Table Grid"
        for p in grid.cells:
            c = p.cell
            cell = table.cell(p.row, p.column)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(table.cell(p.row + c.rowspan - 1, p.column + c.colspan - 1))
            if c.text == "商业企业":
                cell.paragraphs[0].text = "商业"
                cell.add_paragraph("企业")
            else:
                cell.paragraphs[0].text = c.text
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)
    return _save(doc)


def paragraph_tables(report: Report) -> bytes:
    """Seed 001's text as Word paragraphs: its tab-separated table rows become paragraphs
    with tab characters, as when a table was pasted as text."""
    doc = Document()
    for line in SEEDS["001"].read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        p = doc.add_paragraph()
        pieces = line.split("\t")
        for k, piece in enumerate(pieces):
            run = p.add_run(piece)
            if k < len(pieces) - 1:
                run.add_tab()
    return _save(doc)


def _run(text: str, deleted: bool = False) -> OxmlElement:
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.text = text
    r.append(t)
    return r


def framed_with_controls(report: Report) -> bytes:
    """Seed 002 typed inside a one-cell frame table, its title in a content control with a
    tracked deletion (the old year) and insertion, and a page-number field in the text."""
    doc = Document()
    frame = doc.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    first = True
    for block in outline(report):
        if block.kind == "title":
            sdt = OxmlElement("w:sdt")
            content = OxmlElement("w:sdtContent")
            p = OxmlElement("w:p")
            agency = report.agency or ""
            p.append(_run(agency))
            deletion = OxmlElement("w:del")
            deletion.set(qn("w:id"), "1")
            deletion.set(qn("w:author"), "办公室")
            deletion.append(_run("2020", deleted=True))
            p.append(deletion)
            insertion = OxmlElement("w:ins")
            insertion.set(qn("w:id"), "2")
            insertion.set(qn("w:author"), "办公室")
            insertion.append(_run(block.text[len(agency) : len(agency) + 4]))
            p.append(insertion)
            p.append(_run(block.text[len(agency) + 4 :]))
            content.append(p)
            sdt.append(content)
            cell._tc.append(sdt)
            continue
        if block.kind == "table" and block.grid is not None:
            grid = block.grid
            table = cell.add_table(rows=grid.rows, cols=grid.columns)
            for pl in grid.cells:
                c = pl.cell
                target = table.cell(pl.row, pl.column)
                if c.rowspan > 1 or c.colspan > 1:
                    target = target.merge(
                        table.cell(pl.row + c.rowspan - 1, pl.column + c.colspan - 1)
                    )
                target.paragraphs[0].text = c.text
            cell.add_paragraph("")
            continue
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        para.text = block.text
    # The frame's first (empty) paragraph stays first; python-docx put the title control last.
    sdt = cell._tc.find(qn("w:sdt"))
    cell._tc.remove(sdt)
    cell._tc.insert(1, sdt)
    doc.add_paragraph("")
    return _save(doc)


# Frame tables in DOCX are read as body content only when their cell holds no nested table
# at the same level; see test_read_docx for what this variant checks.

VARIANTS: dict[str, tuple[str, Callable[[Report], bytes]]] = {
    "html/004_word_gb2312_nav.html": ("004", word_gb2312_nav),
    "html/003_utf8_split_tables.html": ("003", utf8_split_tables),
    "html/002_layout_tables_gbk.html": ("002", layout_tables_gbk),
    "docx/004_merged_python_docx.docx": ("004", merged_python_docx),
    "docx/001_paragraph_tables.docx": ("001", paragraph_tables),
    "docx/002_framed_with_controls.docx": ("002", framed_with_controls),
}


def main() -> None:
    for name, (number, build) in VARIANTS.items():
        path = CORPUS / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(build(seed(number)))
        print(f"wrote {path.relative_to(CORPUS.parent.parent)}")


if __name__ == "__main__":
    main()
