"""A page image → upright greyscale image and its ruling lines: the picture half of OCR.

What :mod:`.ocr` needs before the recogniser runs, on numpy and OpenCV (both come with the
``ocr`` extra):

* **Greyscale, stamp left out.** A colour scan is turned grey through its brightest channel: a
  red seal (印章) is bright in the red channel, so it fades to near white instead of covering the
  signature's text as dark ink, while black text stays black in every channel.
* **Deskew.** A page scanned up to ±3° off is turned back: the angle is the one whose horizontal
  projection (ink per pixel row) is the most peaked, because text lines and ruling lines then
  fall into few rows. Searched coarse to fine on a reduced copy.
* **Ruling lines.** Morphological opening with a long thin kernel keeps only long horizontal
  (or vertical) runs of ink; each connected run is one segment. The segments are handed, in
  points, to the same grid builder the digital-PDF reader uses (:mod:`.pdf_layout`), which finds
  the merged cells.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from .pdf_layout import Edge

MAX_SKEW = 3.0  # degrees either way (issue 13); a page more askew is read as it is
COARSE = 0.25  # degrees between angles tried first
FINE = 0.05  # then around the best one
SKEW_WIDTH = 800  # pixels: the reduced copy the angle is searched on
# A horizontal rule is a run of ink at least this long (inches): longer than the widest
# character's stroke (一 at 16 pt is about 0.22 in), shorter than the narrowest table column.
H_RUN = 0.3
# Vertical rules are shorter (one table row is about 0.25 in high): a character's vertical stroke
# is shorter still, and a stray one touches no horizontal rule, so it never joins a grid.
V_RUN = 0.12
# A vertical rule runs from one horizontal rule to another; a character's stroke touches none.
# How near (points) its ends must come, for blur and what deskewing leaves.
TOUCH = 4.0
# A vertical rule is this much taller than a line of text (the detector's box is about the
# glyphs' height).
TALLER = 1.3
# A rule is at most this thick (inches); thicker runs are filled areas (a black bar, a photo).
MAX_THICK = 0.06

Image = Any  # numpy.ndarray (numpy's own type parameters add nothing here)


def greyscale(img: Image) -> Image:
    """A 2-D uint8 image: colour through its brightest channel (see the module docstring)."""
    a = np.asarray(img)
    if a.ndim == 3:
        a = a[:, :, :3].max(axis=2) if a.shape[2] >= 3 else a[:, :, 0]
    if a.dtype != np.uint8:
        a = np.clip(a, 0, 255).astype(np.uint8)
    return a


def ink(grey: Image) -> Image:
    """Ink as 255 on 0 (Otsu's threshold copes with a grey or yellowed page)."""
    _, out = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return out


def skew_angle(grey: Image) -> float:
    """The page's skew in degrees (positive: counter-clockwise), within ±MAX_SKEW."""
    h, w = grey.shape
    scale = min(1.0, SKEW_WIDTH / max(w, 1))
    small = cv2.resize(grey, (max(1, int(w * scale)), max(1, int(h * scale))))
    mask = ink(small).astype(np.float32)
    centre = (mask.shape[1] / 2, mask.shape[0] / 2)

    def peakedness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(mask, m, (mask.shape[1], mask.shape[0]))
        rows = turned.sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    def best(angles: Any) -> float:
        return float(max(angles, key=peakedness))

    coarse = best(np.arange(-MAX_SKEW, MAX_SKEW + COARSE / 2, COARSE))
    return best(np.arange(coarse - COARSE, coarse + COARSE + FINE / 2, FINE))


def rotate(grey: Image, angle: float) -> Image:
    """The image turned by ``angle`` degrees about its centre, corners filled white."""
    if abs(angle) < FINE / 2:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        grey, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def rules(grey: Image, dpi: float, text_height: float = 0.0) -> tuple[list[Edge], list[Edge]]:
    """Horizontal and vertical ruling segments in points (1/72 in, origin top-left), as
    ``(position across, start along, end along)``, the digital-PDF reader's edges.
    ``text_height``: the recognised text's usual box height in pixels. A vertical rule must be
    longer than that, so that the strokes of characters in a tight table row (10.5 pt text in a
    15 pt row) cannot pass for a rule between two horizontal ones."""
    mask = ink(grey)
    to_pt = 72.0 / dpi
    thick = max(2, int(MAX_THICK * dpi))
    out: list[list[Edge]] = []
    for horizontal in (True, False):
        run = max(8, int(H_RUN * dpi if horizontal else max(V_RUN * dpi, TALLER * text_height)))
        size = (run, 1) if horizontal else (1, run)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
        lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        # Close the small gaps a faint or JPEG-damaged rule has.
        close = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1) if horizontal else (1, 5))
        lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, close)
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        edges: list[Edge] = []
        for i in range(1, n):
            x, y, w, h = (int(v) for v in stats[i][:4])
            across, along = (h, w) if horizontal else (w, h)
            if across > thick or along < run:
                continue
            if horizontal:
                edges.append(((y + h / 2) * to_pt, x * to_pt, (x + w) * to_pt))
            else:
                edges.append(((x + w / 2) * to_pt, y * to_pt, (y + h) * to_pt))
        out.append(edges)
    hs, vs = out
    return hs, [v for v in vs if _touches(v[1], v[0], hs) and _touches(v[2], v[0], hs)]


def _touches(y: float, x: float, hs: list[Edge]) -> bool:
    return any(abs(hy - y) <= TOUCH and x0 - TOUCH <= x <= x1 + TOUCH for hy, x0, x1 in hs)
