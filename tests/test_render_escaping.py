"""Report text is data, never markup: raw HTML, event handlers and ``javascript:`` / ``data:`` /
``vbscript:`` links written in a report (title, agency, paragraphs, cells) must not run or
become links in the rendered Markdown or HTML, and the Markdown must still read back to the
same report."""

from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from gongkai.escaping import escape_markdown, unescape_markdown
from gongkai.parse.values import read_value
from gongkai.render import render
from gongkai.report import Cell, Report, Section

from .test_roundtrip import assert_same_report, reparse, reports_example

HOSTILE = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">点击</a>',
    "[点击](javascript:alert(4))",
    "![图](data:text/html;base64,PHNjcmlwdD4=)",
    "[链接][r]",
    "[r]: vbscript:msgbox(5)",
    "<javascript:alert(6)>",
    '" onmouseover="alert(7)',
    "&lt;script&gt;与\\<b\\>",
    "# 不是标题",
    "| 不是 | 表格 |",
)

HEADING_5 = "存在的主要问题及改进情况"


def hostile_report(*, text_cell: bool = True) -> Report:
    """Hostile text everywhere; ``text_cell``: one cell of table 三 too (a cell that is not a
    number is read back as a label by every reader, so round trips leave it out)."""
    report = reports_example("2021")
    sections = [Section(number=5, heading=HEADING_5, text="\n".join(HOSTILE))]
    t3 = report.tables["t3"]
    row = t3.rows[0]
    raw = "<b onmouseover=alert(8)>3</b>"
    v = read_value(raw)
    bad = Cell(column=row.cells[0].column, raw=raw, value=v.value, kind=v.kind)
    rows = [row.model_copy(update={"cells": [bad, *row.cells[1:]]}), *t3.rows[1:]]
    tables = {**report.tables, "t3": t3.model_copy(update={"rows": rows})}
    if not text_cell:
        tables = report.tables
    return report.model_copy(
        update={
            "agency": "某某局<script>alert(9)</script>",
            "preamble": "[官网](javascript:alert(10))\n<iframe src=data:text/html,x>",
            "sections": sections,
            "tables": tables,
        }
    )


def markdown_viewer() -> MarkdownIt:
    """A CommonMark viewer at its most permissive: raw HTML on and every link scheme allowed
    (markdown-it refuses javascript: links itself by default; a viewer may not)."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True
    return md


def assert_inert(page: str) -> None:
    root = lxml.html.fromstring(f"<div>{page}</div>")
    for el in root.iter():
        assert el.tag not in ("script", "img", "iframe", "a"), lxml.html.tostring(el)
        for name, value in el.attrib.items():
            assert not name.startswith("on"), (el.tag, name)
            assert name not in ("href", "src"), (el.tag, name, value)


def test_markdown_shows_report_text_literally() -> None:
    report = hostile_report()
    md = render(report, "md")
    assert isinstance(md, str)
    page = markdown_viewer().render(md)
    assert_inert(page)
    text = lxml.html.fromstring(f"<div>{page}</div>").text_content()
    for line in HOSTILE:
        assert line in text  # shown as written, not swallowed
    assert "某某局<script>alert(9)</script>" in text
    assert "<b onmouseover=alert(8)>3</b>" in text


def test_the_viewer_would_run_the_text_if_it_were_not_escaped() -> None:
    """The check above can fail: the same text unescaped makes scripts and links."""
    page = markdown_viewer().render("\n\n".join(HOSTILE))
    tags = {el.tag for el in lxml.html.fromstring(f"<div>{page}</div>").iter()}
    assert {"script", "img", "a"} <= tags


def test_markdown_with_hostile_text_round_trips() -> None:
    report = hostile_report(text_cell=False)
    back = reparse(report, "md")
    assert_same_report(report, back, "hostile → md")
    assert back.agency == report.agency


def test_html_escapes_everything() -> None:
    page = render(hostile_report(), "html")
    assert isinstance(page, str)
    root = lxml.html.document_fromstring(page.encode())
    assert_inert(lxml.html.tostring(root.body, encoding="unicode"))
    assert root.find(".//title").text_content().startswith("某某局<script>alert(9)</script>")
    text = root.body.text_content()
    for line in HOSTILE:
        assert line in text
    report = hostile_report(text_cell=False)
    assert_same_report(report, reparse(report, "html"), "hostile → html")


@given(st.text())
def test_unescape_undoes_escape(text: str) -> None:
    for line in (True, False):
        assert unescape_markdown(escape_markdown(text, line=line)) == text


@given(st.text(alphabet=st.sampled_from("<>[]&\\#|-a字 ")))
def test_escaped_text_has_no_bare_markup(text: str) -> None:
    out = escape_markdown(text)
    i = 0
    while i < len(out):
        if out[i] == "\\":
            i += 2  # an escape and the character it protects
            continue
        assert out[i] not in "<>[]&", (text, out)
        i += 1


MARKUP = st.text(alphabet=st.sampled_from("<>[]()&\\#|-+*=!`_:/ 字a"), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(MARKUP.map(str.strip).filter(bool), min_size=1, max_size=4), MARKUP)
def test_markup_in_text_round_trips_through_markdown(lines: list[str], agency: str) -> None:
    report = reports_example("2021").model_copy(
        update={
            "agency": "某局" + "".join(agency.split()),  # a title keeps no spaces
            "sections": [Section(number=5, heading=HEADING_5, text="\n".join(lines))],
        }
    )
    back = reparse(report, "md")
    assert back.agency == report.agency
    section = back.section(5)
    assert section is not None and section.text == report.sections[0].text
