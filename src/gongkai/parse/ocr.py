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
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any

from ..errors import ParseError
from ..files import IMAGE_SUFFIXES as IMAGE_SUFFIXES  # re-exported: page images
from ..report import Location, ParseWarning
from .document import Document, Line
from .pdf_layout import Char, layout_page

# Pages are drawn at this resolution for the recogniser: enough for 9 pt digits, and the
# detector reduces larger pictures anyway.
DPI = 200
A4_WIDTH_IN = 8.27  # a page image's resolution is judged from its width: reports are A4
MAX_IMAGE_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million
MAX_IMAGES = 200  # pages of one report given as pictures
# The detector runs on the page reduced to this resolution: its boxes are as good as at 200 dpi
# or more, on three quarters of the pixels. (At 110 dpi it costs a fifth, but the box round a
# lone "0" in a table cell is then often too tight for the recogniser: measured, such cells
# came out blank on 300 dpi scans.)
DET_DPI = 150
# A box is padded to at least this width/height ratio for the recogniser: rapidocr's 320/48.
# Less padding is faster (a lone "0" is 40 pixels wide) but measured worse: at 2.0 or 4.0 some
# lone digits of table 三 came out blank on 200 dpi scans of seed 003.
REC_MIN_RATIO = 320 / 48
MAX_DET_SIDE = 4096  # pixels; only a huge picture is reduced further
# The detector's input is padded (white, right and bottom) to a multiple of this many pixels:
# pages of slightly different sizes then share one input shape, whose first inference costs
# twice a later one's (onnxruntime plans its memory per shape).
DET_CANVAS = 128
# A table cell's interior starts this far (inches) inside its ruling lines, which are about
# 0.01 in thick and may lean a pixel or two after deskewing.
CELL_INSET = 0.02
SPECK = 6  # pixels at 200 dpi: an ink blot smaller than this is JPEG noise, not a glyph
RULE_LEFT = 4  # pixels: how thick what is left of a ruling line inside a cell may be
VERTICAL_WIDTH = 0.75  # a column of vertical text is at least this many characters wide
TURN_SAMPLE = 12  # the longest boxes the direction classifier is asked about, per page
TEXT_SCORE = 0.5  # rapidocr's own threshold: boxes recognised below it are dropped
NARROW = 0.55  # a Latin letter or digit's share of a Chinese character's width

NEEDS_EXTRA = "需要OCR识别，但未安装OCR组件：请安装 gongkai[ocr]（pip install 'gongkai[ocr]'）"

_engine: Any = None
_det_pre: Any = None  # the detector's resizing and normalising, without rapidocr's upscaling
_det_lut: Any = None  # the same normalising as a table per channel and grey level
_engine_lock = threading.Lock()


def available() -> bool:
    """Whether the ``ocr`` extra is installed (rapidocr with onnxruntime, OpenCV)."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # type: ignore[import-untyped]  # noqa: F401
    except (ImportError, OSError):  # OSError: a native library (libGL, onnxruntime) is missing
        return False
    return True


def threads() -> int:
    """Threads the recogniser may use: ``GONGKAI_OCR_THREADS``, else 2 (the machines here have
    two cores; a batch runs a process per core and can set it to 1)."""
    try:
        return max(1, int(os.environ.get("GONGKAI_OCR_THREADS", "2")))
    except ValueError:
        return 2


def engine() -> Any:
    """The recogniser, built once per process from the models inside the rapidocr wheel.

    The detector gets every thread for its one large inference; the recogniser's session gets
    one, and :func:`recognise` runs that many crops at once instead: a text box is a small
    input whose inference splits poorly over threads, while two boxes at once keep two cores
    busy."""
    global _engine, _det_pre
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            n = threads()
            _engine = RapidOCR(print_verbose=False, intra_op_num_threads=n, inter_op_num_threads=1)
            # rapidocr 1.4.4 copies its global thread count over every model's own: give the
            # recogniser its one-thread session here.
            rec = _engine.text_rec.session
            rec.session = _session("ch_PP-OCRv4_rec_infer.onnx", 1)
            # The detector's session keeps its memory arena between pages (rapidocr turns it
            # off): without it each page's inference maps and faults in some 600 MB of fresh
            # pages, measured as 0.3-2.4 s of system time per page; its inputs have few
            # shapes (:data:`DET_CANVAS`), so the arena does not keep growing.
            _engine.text_det.infer.session = _session("ch_PP-OCRv4_det_infer.onnx", n, arena=True)
            # The picture handed to the detector is already reduced (DET_DPI): no upscaling to
            # rapidocr's minimum side of 736 pixels, only rounding to multiples of 32.
            from rapidocr_onnxruntime.ch_ppocr_det.utils import (  # type: ignore[import-untyped]
                DetPreProcess,
            )

            det = _engine.text_det
            _det_pre = DetPreProcess(MAX_DET_SIDE, "max", det.mean, det.std)
        return _engine


def _session(model: str, intra: int, *, arena: bool = False) -> Any:
    """An onnxruntime session of one of the models inside the rapidocr wheel."""
    import onnxruntime as ort  # type: ignore[import-untyped]
    import rapidocr_onnxruntime

    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = intra
    opts.inter_op_num_threads = 1
    # Off by default, as rapidocr: the recogniser's crops have every width, and an arena sized
    # for the widest would be kept for good.
    opts.enable_cpu_mem_arena = arena
    path = Path(rapidocr_onnxruntime.__file__).parent / "models" / model
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def is_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


# -- one page ------------------------------------------------------------------------------------


def read_page(picture: Any, dpi: float, *, page: int, file: str | None) -> list[Line]:
    """The lines of one page picture (a numpy array, grey or colour), in reading order."""
    import numpy as np

    from . import ocr_grid

    grey = ocr_grid.greyscale(picture)
    grey = ocr_grid.rotate(grey, ocr_grid.skew_angle(grey))
    quads = _detect(grey, dpi)
    turn = _turn(grey, quads, dpi)
    if turn:
        # A page scanned turned by 90° or 180°: turn it upright, deskew and detect again.
        grey = np.ascontiguousarray(np.rot90(grey, turn // 90))
        grey = ocr_grid.rotate(grey, ocr_grid.skew_angle(grey))
        quads = _detect(grey, dpi)
    found = _recognise(grey, quads)
    heights = sorted(b[3] - b[1] for b in (_bounds(quad) for quad, _, _ in found))
    text_height = heights[len(heights) // 2] if heights else 0.0
    hs, vs = ocr_grid.rules(grey, dpi, text_height)
    found += _missed_cells(grey, found, hs, vs, dpi, text_height)
    chars = _chars(found, 72.0 / dpi)
    height = grey.shape[0] * 72.0 / dpi
    return layout_page(chars, hs, vs, page=page, height=height, file=file, ocr=True)


def recognise(grey: Any, dpi: float) -> list[tuple[Any, str, float]]:
    """Text boxes of an upright grey page: ``(quad in pixels, text, confidence)``.

    rapidocr's own models, driven here rather than through ``RapidOCR.__call__``, which spends
    most of a page's time on work a scanned report does not need (measured on a 200 dpi page
    of table 三, docs/benchmarks.md):

    * the detector runs on a copy reduced to :data:`DET_DPI` (rapidocr would run it on the
      page reduced only to 2000 pixels, 1.3 times the pixels for the same boxes);
    * every box is cut from the full-resolution page, so the recogniser sees sharp glyphs;
    * no direction classifier on each box: the page is turned upright as a whole first
      (:func:`_turn`);
    * each box recognised alone (padded to :data:`REC_MIN_RATIO`, as rapidocr pads): recognition
      costs in proportion to the width it is given, and a batch pads every box to its longest.
    """
    return _recognise(grey, _detect(grey, dpi))


def _detect(grey: Any, dpi: float) -> list[Any]:
    """The detector's text boxes (quads in pixels of ``grey``), in reading order."""
    import cv2
    import numpy as np

    eng = engine()
    det = eng.text_det
    h, w = grey.shape
    scale = min(1.0, DET_DPI / dpi)
    small = (
        grey
        if scale == 1.0
        else cv2.resize(
            grey,
            (max(32, round(w * scale)), max(32, round(h * scale))),
            interpolation=cv2.INTER_AREA,
        )
    )
    sh, sw = small.shape
    canvas = cv2.copyMakeBorder(
        small,
        0,
        -sh % DET_CANVAS,
        0,
        -sw % DET_CANVAS,
        cv2.BORDER_CONSTANT,
        value=255,
    )
    if max(canvas.shape) <= MAX_DET_SIDE:
        x = _det_input(canvas)
    else:  # a huge picture: rapidocr's own reducing and normalising
        x = _det_pre(cv2.cvtColor(canvas, cv2.COLOR_GRAY2BGR))
    boxes, _ = det.postprocess_op(det.infer(x)[0], canvas.shape[:2])
    boxes = det.filter_tag_det_res(boxes, small.shape[:2])
    if len(boxes) == 0:
        return []
    sx, sy = w / small.shape[1], h / small.shape[0]
    scale_xy = np.array([sx, sy], dtype=np.float32)
    return [np.asarray(b, dtype=np.float32) * scale_xy for b in eng.sorted_boxes(boxes)]


def _det_input(grey: Any) -> Any:
    """The detector's input for a grey picture: what rapidocr's DetPreProcess makes of it in
    three colour channels (each pixel scaled and normalised with that channel's mean and
    deviation), looked up from one table of the 256 grey levels per channel: 0.15 s a page
    less, on the one step of a page that runs on a single core."""
    import numpy as np

    global _det_lut
    if _det_lut is None:
        det = engine().text_det
        levels = np.arange(256, dtype=np.float32) * np.float32(1 / 255.0)
        mean, std = np.array(det.mean), np.array(det.std)
        _det_lut = ((levels[None, :] - mean[:, None]) / std[:, None]).astype(np.float32)
    return _det_lut[:, grey][np.newaxis]


def _turn(grey: Any, quads: list[Any], dpi: float) -> int:
    """Degrees (0, 90, 180, 270, counter-clockwise) that turn the page upright.

    Turned by a quarter, a page's text lines stand upright: most elongated boxes are taller
    than wide. Upside down, they lie flat like an upright page's, and the direction classifier
    (rapidocr's 0°/180° model) tells them apart, asked about the longest few boxes only."""
    import numpy as np

    turn = 0
    sides = [(_side(q, 0, 1), _side(q, 0, 3)) for q in quads]
    tall = sum(h >= 2 * w for w, h in sides)
    wide = sum(w >= 2 * h for w, h in sides)
    if tall >= 3 and tall > 2 * wide:
        turn = 90
        grey = np.ascontiguousarray(np.rot90(grey, 1))
        quads = _detect(grey, dpi)
    if _upside_down(grey, quads):
        turn += 180
    return turn % 360


def _side(quad: Any, a: int, b: int) -> float:
    import numpy as np

    return float(np.linalg.norm(quad[a] - quad[b]))


def _upside_down(grey: Any, quads: list[Any]) -> bool:
    lines = sorted(
        (q for q in quads if _side(q, 0, 1) >= 3 * _side(q, 0, 3)),
        key=lambda q: -_side(q, 0, 1),
    )[:TURN_SAMPLE]
    if len(lines) < 3:
        return False
    cls = engine().text_cls
    _, votes, _ = cls([_crop(grey, q) for q in lines])
    down = sum(label == "180" and score >= cls.cls_thresh for label, score in votes)
    up = sum(label == "0" and score >= cls.cls_thresh for label, score in votes)
    return bool(down > up)


def _recognise(grey: Any, quads: list[Any]) -> list[tuple[Any, str, float]]:
    if not quads:
        return []
    # A box's short side: a line's height, or a vertical column's width. Their median is the
    # size of one character of the page's text.
    sides = sorted(min(_side(q, 0, 1), _side(q, 0, 3)) for q in quads)
    size = sides[len(sides) // 2]
    return _read_crops(quads, [_crop(grey, q, glyph=size) for q in quads])


def _read_crops(quads: Sequence[Any], crops: Sequence[Any]) -> list[tuple[Any, str, float]]:
    """The crops recognised, ``threads()`` at a time; those read with a score below
    :data:`TEXT_SCORE`, or as nothing, are dropped (as rapidocr drops them)."""
    if not crops:
        return []
    rec = engine().text_rec
    n = threads()
    if n > 1 and len(crops) > 8:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(n) as pool:  # onnxruntime lets go of the GIL while it runs
            texts = list(pool.map(partial(_recognise_one, rec), crops))
    else:
        texts = [_recognise_one(rec, c) for c in crops]
    return [
        (q.tolist(), text, score)
        for q, (text, score) in zip(quads, texts, strict=True)
        if score >= TEXT_SCORE and text.strip()
    ]


def _missed_cells(
    grey: Any, found: Sequence[Any], hs: Any, vs: Any, dpi: float, text_height: float
) -> list[tuple[Any, str, float]]:
    """Text in table cells the detector found nothing in: each such cell with ink in it is cut
    out round its ink and recognised on its own.

    The detector overlooks a lone thin digit (a "0" or "7" in a light Song face, measured on a
    real report scanned at 200 dpi: 64 of the 190 cells of tables 三 and 四), while the ruling
    lines say exactly where the cell is. A cell whose ink is taller than two lines of text is
    left to the blank-cell warning: the recogniser reads one line at a time."""
    import numpy as np

    from . import ocr_grid
    from .pdf_layout import build_grids, cell_box

    grids = build_grids(hs, vs)
    if not grids or text_height <= 0:
        return []
    mask = ocr_grid.ink(grey)
    px = dpi / 72.0
    # Where each recognised character will land (a box may span several cells: a header row's
    # labels run together), so that no cell is read twice.
    centres = [((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2) for c in _chars(found, 1.0)]
    inset = max(3, round(CELL_INSET * dpi))
    speck = max(2, round((dpi / 200) ** 2 * SPECK))
    quads: list[Any] = []
    for grid in grids:
        for atom in sorted(set(grid.owner)):
            x0, y0, x1, y1 = (round(v * px) for v in cell_box(grid, atom))
            if any(x0 <= cx <= x1 and y0 <= cy <= y1 for cx, cy in centres):
                continue
            ix0, iy0, ix1, iy1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
            if ix1 - ix0 < 4 or iy1 - iy0 < 4:
                continue
            box = _ink_box(mask[iy0:iy1, ix0:ix1], speck)
            if box is None:
                continue
            bx0, by0, bx1, by1 = box
            if by1 - by0 > 2 * text_height:
                continue
            pad = max(3.0, 0.35 * (by1 - by0))
            qx0, qy0 = max(ix0, ix0 + bx0 - pad), max(iy0, iy0 + by0 - pad)
            qx1, qy1 = min(ix1, ix0 + bx1 + pad), min(iy1, iy0 + by1 + pad)
            quads.append(
                np.array([[qx0, qy0], [qx1, qy0], [qx1, qy1], [qx0, qy1]], dtype=np.float32)
            )
    return _read_crops(quads, [_crop(grey, q) for q in quads])


def _ink_box(mask: Any, speck: int) -> tuple[int, int, int, int] | None:
    """The bounds of the ink in a cell's interior (255 on 0), without JPEG specks and without
    what is left of a ruling line along its edge (a run across most of the cell, a few pixels
    thick); None for no ink."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if area < speck:
            continue
        if (bw > 0.8 * w and bh <= RULE_LEFT) or (bh > 0.8 * h and bw <= RULE_LEFT):
            continue
        boxes.append((x, y, x + bw, y + bh))
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _crop(grey: Any, quad: Any, glyph: float = float("inf")) -> Any:
    """A detected box cut out straight (as rapidocr cuts it), three channels for the model.

    A box half again as tall as wide is a column of text set vertically, read turned (as
    rapidocr does), but only if it is about a character wide (``glyph``: the page's usual
    character size; without it, never): a lone narrow digit's box is as tall, and a "1" turned
    reads "一" (measured on a real report's table 三)."""
    import cv2
    import numpy as np

    w = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    h = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    w, h = max(w, 1), max(h, 1)
    target = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad, target)
    out = cv2.warpPerspective(
        grey, m, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC
    )
    if h / w >= 1.5 and w >= VERTICAL_WIDTH * glyph:
        out = np.rot90(out)
    return cv2.cvtColor(np.ascontiguousarray(out), cv2.COLOR_GRAY2BGR)


def _recognise_one(rec: Any, crop: Any) -> tuple[str, float]:
    import numpy as np

    ratio = crop.shape[1] / crop.shape[0]
    wide = max(REC_MIN_RATIO, ratio)
    batch = rec.resize_norm_img(crop, wide)[np.newaxis].astype(np.float32)
    (text, score), *_ = rec.postprocess_op(
        rec.session(batch)[0], False, wh_ratio_list=[ratio], max_wh_ratio=wide
    )
    return str(text), float(score)


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
        dpi = min(picture.shape[:2]) / A4_WIDTH_IN  # a page turned by 90°: its short side
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
