"""Backslash escapes of report text in Markdown, written by :mod:`gongkai.render.markdown` and
read back by the text reader (:mod:`gongkai.parse.text`), so that a round trip keeps the text.

Report text is data, never markup: a ``<script>`` in a section, an agency name holding
``<img onerror=…>`` or a cell written ``[点击](javascript:…)`` must show as written in a Markdown
viewer, not run and not become a link. CommonMark lets any ASCII punctuation be escaped with a
backslash; these are the characters that can start raw HTML or an entity (``<`` ``>`` ``&``), a
link, an image or a link reference (``[`` ``]``), and the backslash itself (so that an escape
reads back unchanged). Without ``<`` no autolink (``<javascript:…>``) can form, and without
``[`` no link of any scheme; GFM's bare-URL links need ``http``, ``https`` or ``www.``.

At the start of a line ``#`` (a heading), ``|`` (a table row), ``>`` (a quote) and ``-`` ``+``
``*`` ``=`` (lists, rules, setext headings) are escaped too: the first two would otherwise be
read back as a heading or a table row by our own reader.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"[\\<>\[\]&]")
_LINE_START = frozenset("#|>-+*=")
_ESCAPED = re.compile(r"\\([\\<>\[\]&#|\-+*=])")


def escape_markdown(text: str, *, line: bool = True) -> str:
    """``text`` as Markdown that shows it literally. ``line``: the text starts a line (a
    paragraph or the title), so its first character is escaped too if it would start a block;
    a table cell does not start a line."""
    out = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    if line and out[:1] in _LINE_START:
        out = "\\" + out
    return out


def unescape_markdown(text: str) -> str:
    """The text :func:`escape_markdown` was given (other backslashes are kept as written)."""
    if "\\" not in text:
        return text
    return _ESCAPED.sub(r"\1", text)
