"""Scanned reports: page pictures → :class:`~.document.Document`, through OCR, offline.

A scanned PDF page (an image and no text layer) or a page image (PNG, JPEG, TIFF) is read by
rapidocr (the ``ocr`` extra: ``pip install gongkai[ocr]``) with the PP-OCRv4 detection,
direction and recognition models that ship inside its wheel, on onnxruntime; nothing is
downloaded, ever (docs/ocr.md).

The picture is made upright and its ruling lines found (:mod:`.ocr_grid`); every recognised text
box becomes characters with boxes — the box's width shared out over its characters — and
those go, with the ruling lines, through the very layout the digital-PDF reader uses
(:func:`.pdf_layout.layout_page`): the same grids with merged cells, the same unruled rows cut
at wide gaps, the same page-number dropping, then the same table reader. Every cell and line
read that way carries its recognition confidence and its box (:class:`~gongkai.report.Location`
``ocr`` and ``box``); :mod:`.ocr_doubt` turns doubt into warnings.

Without the extra, scanned input is refused as before, with the reason and the remedy.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Sequence
from io import BytesIO
from typing import Any

from ..errors import ParseError
from ..report import Location, ParseWarning
from .document import Document, Line
from .pdf_layout import Char, layout_page

# Pages are drawn at this resolution for the recogniser: enough for 9 pt digits, and the
# detector reduces larger pictures anyway.
DPI = 200
A4_WIDTH_IN = 8.27  # a page image's resolution is judged from its width: reports are A4
MAX_IMAGE_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million
MAX_IMAGES = 200  # pages of one report given as pictures
NARROW = 0.55  # a Latin letter or digit's share of a Chinese character's width

NEEDS_EXTRA = "需要OCR识别，但未安装OCR组件：请安装 gongkai[ocr]（pip install 'gongkai[ocr]'）"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

_engine: Any = None
_engine_lock = threading.Lock()


def available() -> bool:
    """Whether the ``ocr`` extra is installed (rapidocr with onnxruntime, OpenCV)."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # type: ignore[import-untyped]  # noqa: F401
    except (ImportError, OSError):  # OSError: a native library (libGL, onnxruntime) is missing
        return False
    return True


def engine() -> Any:
    """The recogniser, built once per process from the models inside the rapidocr wheel."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            # Two threads: the machines here have two cores, and batches run a process each.
            threads = int(os.environ.get("GONGKAI_OCR_THREADS", "2"))
            _engine = RapidOCR(
                intra_op_num_threads=threads, inter_op_num_threads=1, print_verbose=False
            )
        return _engine


def is_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


# -- one page ------------------------------------------------------------------------------------


def read_page(picture: Any, dpi: float, *, page: int, file: str | None) -> list[Line]:
    """The lines of one page picture (a numpy array, grey or colour), in reading order."""
    from . import ocr_grid

    grey = ocr_grid.greyscale(picture)
    grey = ocr_grid.rotate(grey, ocr_grid.skew_angle(grey))
    found = engine()(grey)[0] or []
    heights = sorted(b[3] - b[1] for b in (_bounds(quad) for quad, _, _ in found))
    hs, vs = ocr_grid.rules(grey, dpi, heights[len(heights) // 2] if heights else 0.0)
    chars = _chars(found, 72.0 / dpi)
    height = grey.shape[0] * 72.0 / dpi
    return layout_page(chars, hs, vs, page=page, height=height, file=file, ocr=True)


def _bounds(quad: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _chars(found: Sequence[Any], to_pt: float) -> list[Char]:
    """Recognised boxes → characters. rapidocr gives a box per run of text; its width is shared
    out by character width (a digit is narrower than a Chinese character), so that each
    character lands in the cell under it even where one box spans a ruling line."""
    out: list[Char] = []
    for quad, text, score in found:
        text = str(text).strip()
        if not text:
            continue
        x0, top, x1, bottom = (v * to_pt for v in _bounds(quad))
        # The detector's box is padded (unclipped) around the ink: take the text's own height
        # as about 70% of the box, centred, the scale for every gap downstream.
        pad = (bottom - top) * 0.15
        top, bottom = top + pad, bottom - pad
        weights = [_width(ch) for ch in text]
        unit = (x1 - x0) / (sum(weights) or 1.0)
        x = x0
        conf = float(score)
        for ch, w in zip(text, weights, strict=True):
            nx = x + w * unit
            if not ch.isspace():
                out.append(Char(ch, x, nx, top, bottom, bottom, max(bottom - top, 0.1), conf))
            x = nx
    return out


def _width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else NARROW


# -- whole inputs --------------------------------------------------------------------------------


def require(name: str | None) -> None:
    """Refuse scanned input when the extra is missing: the reason and the remedy."""
    if not available():
        raise ParseError(NEEDS_EXTRA, Location(file=name) if name else None)


def read_images(images: Sequence[tuple[str | None, bytes]], name: str | None) -> Document:
    """A report given as page pictures (in page order): one document. ``images`` holds each
    page's file name (for messages) and bytes."""
    require(name)
    if len(images) > MAX_IMAGES:
        raise ParseError(
            f"图片过多（{len(images)}张），超过一份年报的上限{MAX_IMAGES}张",
            Location(file=name) if name else None,
        )
    doc = Document(name=name, ocr=True)
    for number, (own, data) in enumerate(images, start=1):
        picture = _decode(data, own or name)
        dpi = picture.shape[1] / A4_WIDTH_IN
        doc.lines.extend(read_page(picture, dpi, page=number, file=name))
    doc.warnings.append(scanned_warning(name, list(range(1, len(images) + 1))))
    return doc


def scanned_warning(name: str | None, pages: list[int]) -> ParseWarning:
    shown = "、".join(str(p) for p in pages[:10]) + ("等" if len(pages) > 10 else "")
    return ParseWarning(
        code="ocr",
        message=f"第{shown}页是图片，内容经OCR识别读取：识别可能有误，"
        "每个单元格的位置和置信度见其location（ocr、box）",
        location=Location(file=name, page=pages[0]) if pages else Location(file=name),
    )


def _decode(data: bytes, name: str | None) -> Any:
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    where = Location(file=name) if name else None
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(BytesIO(data)) as im:
            im.load()
            if im.width * im.height > MAX_IMAGE_PIXELS:
                raise ParseError("图片过大，超过每页上限", where)
            rgb = im.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ParseError("图片已损坏或格式不受支持，无法读取", where) from None
    return np.asarray(rgb)
