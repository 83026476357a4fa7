#!/usr/bin/env python
"""Build the docxtpl templates of the letters (src/gongkai/web/letters/docx/*.docx).

The generated files are committed as package data, so the layout can be reviewed in Word or
LibreOffice; this script is how they are made, and ``tests/web/test_letters.py`` checks that
running it again gives the committed bytes (fixed zip timestamps and document properties).

Layout after GB/T 9704-2012 《党政机关公文格式》: A4, margins 37/35/28/26 mm; the title in
二号 (22 pt) 小标宋, centred; the 文号 centred beneath it; the addressee flush left; the body in
三号 (16 pt) 仿宋 with a two-character first-line indent and a fixed 28 pt line pitch; the
signing body and the date (Arabic numerals, "2025年3月4日", §7.3.5.3) right-aligned four
characters from the margin. 三号 is also what makes the letter readable when printed
(《条例》第四十三条: help for applicants with reading difficulties).

Usage: ``.venv/bin/python scripts/build_letter_templates.py [OUTDIR]``
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "src" / "gongkai" / "web" / "letters" / "docx"

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28
INDENT = Pt(2 * BODY_PT)  # two characters
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _font(run_or_style: Any, name: str, size: int, bold: bool = False) -> None:
    font = run_or_style.font
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _document() -> Any:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _font(normal, BODY_FONT, BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    props = doc.core_properties
    props.author = props.last_modified_by = "gongkai"
    props.title = "政府信息公开文书模板"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    return doc


def _para(
    doc: Any,
    text: str = "",
    *,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    right_indent: Any = None,
    font: str = BODY_FONT,
    size: int = BODY_PT,
    bold: bool = False,
) -> Any:
    p = doc.add_paragraph()
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = INDENT
    if right_indent is not None:
        p.paragraph_format.right_indent = right_indent
    if text:
        _font(p.add_run(text), font, size, bold)  # one run: docxtpl tags are never split
    return p


def _title(doc: Any, text: str = "{{ title }}") -> None:
    p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=TITLE_PT)
    p.paragraph_format.line_spacing = Pt(36)
    p.paragraph_format.space_after = Pt(LINE_PT / 2)


def _heading(doc: Any) -> None:
    _title(doc)
    _para(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc)


def _body(doc: Any) -> None:
    _para(doc, "{%p for p in paragraphs %}")
    _para(doc, "{{ p }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if remedy %}")
    _para(doc, "{{ remedy }}", indent=True)
    _para(doc, "{%p endif %}")


def _signature(doc: Any) -> None:
    _para(doc)
    _para(doc)
    right = Pt(4 * BODY_PT)
    _para(doc, "{{ signature }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=right)
    _para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=right)
    _para(doc)
    _para(doc, "{%p if contact %}")
    _para(doc, "（联系人及电话：{{ contact }}）", indent=True)
    _para(doc, "{%p endif %}")


def _cell(cell: Any, text: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    if text:
        _font(p.add_run(text), HEADING_FONT if bold else BODY_FONT, BODY_PT, bold=False)


def _table(doc: Any, rows: list[tuple[str, str]], widths: tuple[float, float] = (40, 116)) -> Any:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Mm(widths[0]), Mm(widths[1])
        _cell(cells[0], label, bold=True)
        _cell(cells[1], value)
    return table


def notice() -> Any:
    """告知书 and 答复书: title, 文号, addressee, body, 救济, signature, date."""
    doc = _document()
    _heading(doc)
    _para(doc, "{{ addressee }}：")
    _body(doc)
    _signature(doc)
    return doc


def receipt() -> Any:
    """登记回执: the facts of the application as a table, then the text."""
    doc = _document()
    _heading(doc)
    _para(doc, "{{ addressee }}：")
    _table(
        doc,
        [
            ("登记号", "{{ case_number }}"),
            ("申请人", "{{ applicant }}"),
            ("提交方式", "{{ channel }}"),
            ("收到申请之日", "{{ received }}"),
            ("所需信息", "{{ description }}"),
            ("获取方式", "{{ form }}"),
            ("答复期限", "{{ due }}"),
        ],
    )
    _para(doc)
    _body(doc)
    _signature(doc)
    return doc


def consultation() -> Any:
    """征求意见书: the letter, then a reply slip for the consulted party to return."""
    doc = _document()
    _heading(doc)
    _para(doc, "{{ addressee }}：")
    _body(doc)
    _signature(doc)
    doc.add_page_break()
    _title(doc, "意见回执")
    _para(doc, "（请被征求意见方填写、签章后送回{{ signature }}）", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc)
    _table(
        doc,
        [
            ("文号", "{{ number }}"),
            ("登记号", "{{ case_number }}"),
            ("所涉信息", "{{ description }}"),
            ("被征求意见方", ""),
            ("意见", "□ 同意公开　　□ 不同意公开"),
            ("理由", "\n\n\n\n"),
            ("签章", ""),
            ("日期", "　　　　年　　月　　日"),
        ],
    )
    return doc


TEMPLATES = {"notice.docx": notice, "receipt.docx": receipt, "consultation.docx": consultation}


def _stable(data: bytes) -> bytes:
    """The same package with fixed zip timestamps, so that a rebuild gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build(outdir: Path = OUT) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        buf = io.BytesIO()
        make().save(buf)
        path = outdir / name
        path.write_bytes(_stable(buf.getvalue()))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(p)
