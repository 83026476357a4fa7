"""The report as one self-contained HTML page in the official layout.

Inline CSS only (no external fonts, scripts or images): the page must open on an offline
intranet and print on A4 portrait. Merged cells are ``rowspan``/``colspan``; every cell has a
border; blank cells stay empty.
"""

from __future__ import annotations

from html import escape

from ..report import Report
from .layout import Grid, outline

# Fonts as official documents use them, each with the fallbacks a machine without the
# founder (方正) fonts has: 正文 仿宋_GB2312, tables 宋体, title 方正小标宋简体 else 黑体.
BODY_FONT = '"仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", serif'
TABLE_FONT = '"宋体", SimSun, STSong, "Noto Serif CJK SC", serif'
TITLE_FONT = '"方正小标宋简体", "方正小标宋_GBK", "黑体", SimHei, "Noto Sans CJK SC", sans-serif'
HEADING_FONT = '"黑体", SimHei, STHeiti, "Noto Sans CJK SC", sans-serif'

CSS = f"""
@page {{ size: A4 portrait; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }}
body {{ font-family: {BODY_FONT}; font-size: 16pt; line-height: 28pt; color: #000;
  max-width: 15.6cm; margin: 2em auto; }}
h1 {{ font-family: {TITLE_FONT}; font-size: 22pt; font-weight: normal; text-align: center;
  line-height: 1.5; margin: 0 0 28pt; }}
h2 {{ font-family: {HEADING_FONT}; font-size: 16pt; font-weight: normal; margin: 0;
  text-indent: 2em; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
table {{ font-family: {TABLE_FONT}; border-collapse: collapse; width: 100%;
  margin: 6pt 0 14pt; line-height: 1.35; table-layout: fixed; }}
table.t2 {{ font-size: 10.5pt; }}
table.t3, table.t4 {{ font-size: 9pt; }}
th, td {{ border: 1px solid #000; padding: 2pt 3pt; text-align: center;
  vertical-align: middle; font-weight: normal; empty-cells: show; word-break: break-all; }}
td.label {{ text-align: left; }}
th.note {{ font-size: 8pt; text-align: left; }}
"""


def _table(grid: Grid) -> str:
    total = sum(grid.widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in grid.widths)
    out = [f'<table class="{grid.key}"><colgroup>{cols}</colgroup>']
    rows = grid.by_row()
    for r, cells in enumerate(rows):
        if r == 0 and grid.header_rows:
            out.append("<thead>")
        if r == grid.header_rows:
            out.append("<tbody>")
        parts = []
        for p in cells:
            cell = p.cell
            tag = "td" if cell.role in ("label", "value", "group") else "th"
            attrs = f' class="{cell.role}"'
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            parts.append(f"<{tag}{attrs}>{escape(cell.text)}</{tag}>")
        out.append(f"<tr>{''.join(parts)}</tr>")
        if grid.header_rows and r == grid.header_rows - 1:
            out.append("</thead>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(report: Report) -> str:
    blocks = list(outline(report))
    title = escape(blocks[0].text)
    body: list[str] = []
    for block in blocks:
        if block.kind == "title":
            body.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "heading":
            body.append(f"<h2>{escape(block.text)}</h2>")
        elif block.kind == "paragraph":
            body.append(f"<p>{escape(block.text)}</p>")
        elif block.grid is not None:
            body.append(_table(block.grid))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<article>\n"
        + "\n".join(body)
        + "\n</article>\n</body>\n</html>\n"
    )
