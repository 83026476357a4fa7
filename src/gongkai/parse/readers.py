"""Choosing the reader by the content of the input, not only by its suffix.

Every reader returns the same neutral :class:`~.document.Document`; the table reader downstream
does not know which one ran.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from ..errors import ParseError
from ..report import Location
from .document import Document
from .ocr import is_image, read_images
from .text import decode, read_text, utf16_without_bom

_HTML_MARKERS = (
    b"<html",
    b"<!doctype html",
    b"<body",
    b"<table",
    b"<meta",
    b"<div",
    b"<p ",
    b"<p>",
)


def sniff(data: bytes, name: str | None = None) -> str:
    """The kind of input: ``pdf``, ``docx``, ``html``, ``image`` or ``text``."""
    if is_image(data[:16]):
        return "image"
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
            pass  # a damaged or exotic ZIP: said below
        raise ParseError("ZIP 文件已损坏或不是 Word 文档（.docx），无法作为年报读取", _where(name))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError("旧版 Word 文档（.doc）不受支持：请另存为 .docx 后再读取", _where(name))
    lowered = head[:1024].lower()
    for bom in (b"\xef\xbb\xbf",):
        lowered = lowered.removeprefix(bom)
    if any(m in lowered for m in _HTML_MARKERS):
        return "html"
    return "text"


def read_document(data: bytes, name: str | None = None, *, ocr: bool | None = None) -> Document:
    """``ocr``: read pictures (scanned PDF pages, page images) through OCR; by default when the
    ``ocr`` extra is installed. Off, a picture is refused as needing OCR."""
    kind = sniff(data, name)
    if kind == "image":
        if ocr is False:
            raise ParseError("图片年报需要OCR识别，但OCR已关闭", _where(name))
        return read_images([(name, data)], name)
    if kind == "text" and b"\x00" in data[:4096]:
        # UTF-16 without a BOM hides an HTML page's markers behind zero bytes: sniff its text.
        text = utf16_without_bom(data)
        if text is not None:
            data = text.encode("utf-8")
            kind = sniff(data, name)
    if kind == "text":
        return read_text(decode(data, name), name)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, name)
    if kind == "html":
        from .html import read_html

        return read_html(data, name)
    from .pdf import read_pdf

    return read_pdf(data, name, ocr=ocr)


def _where(name: str | None) -> Location | None:
    return Location(file=name) if name else None
