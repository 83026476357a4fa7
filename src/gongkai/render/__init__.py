"""``gongkai.render``: a :class:`~gongkai.report.Report` → the official layout as DOCX, HTML,
Markdown or plain text.

Every renderer draws the same layout (:mod:`.layout`): the title, the preamble, the six
sections with tables 二, 三 and 四 in the official format, merged header cells included. Labels
come from the report's :class:`~gongkai.formats.Format`; values are the cells' raw text. What
a renderer writes, :func:`gongkai.parse` reads back to the same cells.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Literal, overload

from ..errors import GongkaiError
from ..report import Report

Kind = Literal["docx", "html", "md", "txt"]
KINDS: tuple[Kind, ...] = ("docx", "html", "md", "txt")
# File suffixes → kind; what ``gongkai render -o`` accepts.
SUFFIXES: dict[str, Kind] = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
}

__all__ = ["KINDS", "SUFFIXES", "Kind", "kind_for", "render"]


def kind_for(path: str | PurePath) -> Kind | None:
    """The output kind a file name asks for, by its suffix; None if unknown."""
    return SUFFIXES.get(PurePath(path).suffix.lower())


@overload
def render(report: Report, to: Literal["docx"]) -> bytes: ...
@overload
def render(report: Report, to: Literal["html", "md", "txt"]) -> str: ...
@overload
def render(report: Report, to: str = ...) -> bytes | str: ...
def render(report: Report, to: str = "docx") -> bytes | str:
    """The report in the official layout: ``bytes`` for DOCX, ``str`` for the others."""
    if to == "docx":
        from .docx import render_docx

        return render_docx(report)
    if to == "html":
        from .html import render_html

        return render_html(report)
    if to == "md":
        from .markdown import render_markdown

        return render_markdown(report)
    if to == "txt":
        from .text import render_text

        return render_text(report)
    raise GongkaiError(f"不支持的输出格式：{to!r}（可用：{'、'.join(KINDS)}）")
