"""The HTML reader: rowspan/colspan grids, Word markup, encodings, the article inside a
portal's chrome, the corpus variants, and hostile pages refused fast and clearly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import gongkai
from gongkai.errors import ParseError
from gongkai.parse.html import MAX_GRID_CELLS, decode_html, read_html

from .conftest import CORPUS

VARIANTS = sorted((CORPUS / "html").glob("*.html"))


def lines(html: str | bytes) -> list[tuple[bool, list[str]]]:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return [(line.grid, [c.text for c in line.cells]) for line in read_html(data, "t.html").lines]


# -- corpus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VARIANTS, ids=[p.stem for p in VARIANTS])
def test_html_variant_has_its_seeds_sections(path: Path) -> None:
    # The tables are compared with the seed's in tests/test_corpus.py.
    seed = next(CORPUS.glob(f"{path.name[:3]}_*.txt"))
    want = gongkai.parse(seed)
    got = gongkai.parse(path)
    for s in want.sections[:5]:  # section 六 of 004's page adds a contact line
        back = got.section(s.number)
        assert back is not None and back.text == s.text, f"{path.name}: section {s.number}"


def test_gb2312_page_with_gbk_characters_and_chrome() -> None:
    path = CORPUS / "html" / "004_word_gb2312_nav.html"
    data = path.read_bytes()
    assert b"charset=gb2312" in data
    report = gongkai.parse(path)
    assert report.section(6) is not None and "王堃" in report.section(6).text  # GBK, not GB2312
    # The menu's link to 2019's report is not the title; the footer is not section 六.
    assert report.title == "临安区人民政府2020年政府信息公开工作年度报告"
    assert "网站标识码" not in report.text and "首页" not in report.text


# -- grids -----------------------------------------------------------------------------------


def test_rowspan_and_colspan_expand_to_a_grid() -> None:
    page = """<table>
<tr><td rowspan="3" colspan="2">注</td><td colspan="3">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td>商业企业</td><td rowspan="2">总计</td></tr>
<tr><td>科研机构</td></tr>
<tr><td rowspan="2">组</td><td>甲</td><td>1</td><td></td><td colspan="2">2</td></tr>
<tr><td>乙</td><td>3</td><td>4</td><td>5</td></tr>
</table>"""
    assert lines(page) == [
        (True, ["注", "", "申请人情况"]),  # the last cell's placeholders are left out
        (True, ["", "", "自然人", "商业企业", "总计"]),
        (True, ["", "", "", "科研机构", ""]),  # cells spanning down are blank, right end too
        (True, ["组", "甲", "1", "", "2"]),
        (True, ["", "乙", "3", "4", "5"]),
    ]
    doc = read_html(page.encode(), "t.html")
    cell = doc.lines[3].cells[2]
    assert (cell.location.line, cell.location.row, cell.location.column) == (5, 4, 3)


def test_word_markup_nbsp_nested_spans_and_br() -> None:
    page = """<html><body>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>二、主动公开政府
信息情况</span><span lang=EN-US><o:p></o:p></span></p>
<p class=MsoNormal>&nbsp;&nbsp;本年<span lang=EN-US>2020</span><span>年</span></p>
<table class=MsoNormalTable border=1><tr>
<td><p class=MsoNormal><span>商业<br>企业</span></p></td>
<td><p class=MsoNormal><span lang=EN-US>&nbsp;0<o:p></o:p></span></p></td>
<td><p class=MsoNormal><span><o:p>&nbsp;</o:p></span></p></td>
<td><p>结果</p><p>维持</p></td></tr></table></body></html>"""
    assert lines(page) == [
        (False, ["二、主动公开政府信息情况"]),  # a source line break inside CJK text is no space
        (False, ["本年2020年"]),
        (True, ["商业\n企业", "0", "", "结果\n维持"]),
    ]


def test_hidden_script_and_style_are_left_out() -> None:
    page = """<body><script>document.write('<p>脚本</p>')</script><style>p{}</style>
<p style="display:none">隐藏</p><p hidden>也隐藏</p><p>可见</p></body>"""
    assert lines(page) == [(False, ["可见"])]


def test_several_tables_and_paragraphs_in_order() -> None:
    page = "<p>一</p><table><tr><td>a</td><td>1</td></tr></table><p>二</p>"
    page += "<table><tr><td>b</td><td>2</td></tr></table><div>三<br>四</div>"
    assert lines(page) == [
        (False, ["一"]),
        (True, ["a", "1"]),
        (False, ["二"]),
        (True, ["b", "2"]),
        (False, ["三"]),
        (False, ["四"]),
    ]


def test_nav_menus_and_sidebars_do_not_take_the_title() -> None:
    page = """<html><body><ul class=nav><li><a href=/a>首页</a></li>
<li><a href=/b>某局2019年政府信息公开工作年度报告</a></li></ul>
<div class=side><p>某局2020年政府信息公开工作年度报告</p><p>相关链接</p></div>
<div class=main><div class=crumb>当前位置：首页 &gt; 年报</div>
<h2>某局2021年政府信息公开工作年度报告</h2><p>正文。</p>
<table><tr><td>第二十条第（一）项</td><td></td></tr><tr><td>信息内容</td><td>本年制发件数</td></tr>
<tr><td>规章</td><td>1</td></tr></table></div><div class=foot>版权所有</div></body></html>"""
    got = lines(page)
    assert got[0] == (False, ["某局2021年政府信息公开工作年度报告"])
    assert (False, ["版权所有"]) not in got and (False, ["相关链接"]) not in got


def test_two_line_title_keeps_the_agency_line() -> None:
    page = """<body><div>导航</div><div class=c><p>某某县财政局</p>
<p>2021年度政府信息公开工作年度报告</p><table><tr><td>第二十条第（一）项</td><td>x</td></tr><tr><td>信息内容</td><td>本年制发件数</td>
</tr></table></div></body>"""
    assert lines(page)[:2] == [
        (False, ["某某县财政局"]),
        (False, ["2021年度政府信息公开工作年度报告"]),
    ]


# -- encodings -------------------------------------------------------------------------------


def test_declared_gb2312_is_read_as_gb18030() -> None:
    text = '<meta charset="gb2312"><p>王堃 镕</p>'  # 堃 and 镕 are GBK, not GB2312
    assert decode_html(text.encode("gb18030")).endswith("<p>王堃 镕</p>")


def test_utf8_bytes_win_over_a_stale_gb2312_meta() -> None:
    text = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>信息公开</p>'
    assert "信息公开" in decode_html(text.encode("utf-8"))


def test_undeclared_gbk_and_bom() -> None:
    assert decode_html("<p>政府信息公开</p>".encode("gbk")) == "<p>政府信息公开</p>"
    assert decode_html(b"\xef\xbb\xbf<p>\xe5\x85\xac</p>") == "<p>公</p>"
    assert decode_html("<p>公开</p>".encode("utf-16")) == "<p>公开</p>"


# -- hostile pages ---------------------------------------------------------------------------


def test_entity_expansion_is_refused_fast() -> None:
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    page = f"<!DOCTYPE html [{ents}]><html><body><p>&j;</p></body></html>"
    start = time.perf_counter()
    with pytest.raises(ParseError, match="实体声明") as info:
        gongkai.parse(page.encode(), name="恶意.html")
    assert time.perf_counter() - start < 1.0
    assert "恶意.html" in str(info.value)


def test_huge_spans_are_refused() -> None:
    row = "<tr>" + '<td colspan="1000">x</td>' * 300 + "</tr>"
    with pytest.raises(ParseError, match=f"超过{MAX_GRID_CELLS}个单元格"):
        read_html(f"<table>{row}</table>".encode(), "大.html")


def test_plain_html_doctype_is_fine() -> None:
    page = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"><p>正文</p>'
    assert lines(page) == [(False, ["正文"])]
