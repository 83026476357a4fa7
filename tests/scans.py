"""Scanned reports made in code: a report → DOCX (gongkai.render) → PDF (LibreOffice, with real
CJK glyphs from fonts-noto-cjk) → page pictures at a chosen resolution, made worse the way a
scanner and an office make them worse (skew, blur, JPEG noise, a red seal) → an image-only PDF.

The golden values are the source report's. The slow tier builds these on the fly (it needs
LibreOffice and the fonts, which .ci/run installs); the default tier uses the few scans checked in
under ``tests/scans/``, made by running this file::

    .venv/bin/python -m tests.scans        # rewrites tests/scans/*.pdf

"""

from __future__ import annotations

import io
import random
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SCANS = HERE / "scans"
SEED = HERE / "corpus" / "000_d46c6233cefb6b7a.txt"


@dataclass(frozen=True)
class Noise:
    """How a page is spoiled: turned by ``skew`` degrees, blurred by ``blur`` pixels (Gaussian
    radius), saved as JPEG of ``jpeg`` quality (None: lossless), with a red seal or not, and
    laid on the scanner turned by ``turn`` degrees (0, 90, 180, 270, counter-clockwise)."""

    name: str
    skew: float = 0.0
    blur: float = 0.0
    jpeg: int | None = None
    stamp: bool = False
    turn: int = 0


CLEAN = Noise("clean")
MILD = Noise("mild", skew=0.8, blur=0.6, jpeg=60, stamp=True)
HARSH = Noise("harsh", skew=2.5, blur=1.2, jpeg=35, stamp=True)


def report_pdf(report: Any, workdir: Path) -> bytes:
    """The report as LibreOffice prints its DOCX (fonts embedded, glyphs real)."""
    from gongkai.render import render

    from .test_roundtrip import soffice_pdf

    docx = workdir / "report.docx"
    docx.write_bytes(render(report, "docx"))
    (pdf,) = soffice_pdf([docx], workdir)
    return pdf.read_bytes()


def pictures(pdf: bytes, dpi: int) -> list[Any]:
    """Every page of a PDF drawn at ``dpi``, as RGB PIL images."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def spoil(page: Any, noise: Noise, seed: int = 0) -> Any:
    """A page picture as a scanner and an office leave it (greyscale unless a seal is on it)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    img = page
    if noise.stamp:
        # A red seal over the lower right, where the signature and date stand.
        img = img.copy()
        draw = ImageDraw.Draw(img, "RGBA")
        r = int(0.09 * img.size[0])
        cx, cy = _signature(img)
        for k in range(max(3, r // 25)):
            ring = (cx - r + k, cy - r + k, cx + r - k, cy + r - k)
            draw.ellipse(ring, outline=(220, 30, 30, 200))
        draw.regular_polygon((cx, cy, r // 3), 5, fill=(220, 30, 30, 200))
    else:
        img = img.convert("L")
    if noise.skew:
        angle = noise.skew * (1 if rng.random() < 0.5 else -1)
        fill = 255 if img.mode == "L" else (255, 255, 255)
        img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=fill)
    if noise.turn:
        img = img.rotate(noise.turn, expand=True)  # quarter turns: exact, nothing cut off
    if noise.blur:
        img = img.filter(ImageFilter.GaussianBlur(noise.blur))
    if noise.jpeg is not None:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=noise.jpeg)
        img = Image.open(io.BytesIO(buf.getvalue()))
        img.load()
    return img


def _signature(img: Any) -> tuple[int, int]:
    """Where the seal goes: over the last line of text above the page number (the date and the
    agency's name stand there)."""
    import numpy as np

    grey = np.asarray(img.convert("L"))
    h, w = grey.shape
    rows = np.nonzero((grey[: int(0.88 * h)] < 128).sum(axis=1) > 2)[0]
    y = int(rows[-1]) if len(rows) else h // 2
    line = np.nonzero((grey[max(0, y - 5) : y + 1] < 128).any(axis=0))[0]
    x = int((line[0] + line[-1]) / 2) if len(line) else w // 2
    return x, y - int(0.01 * h)


def image_pdf(images: list[Any], dpi: int, quality: int = 75) -> bytes:
    """An image-only PDF (no text layer), one picture per page, as a scanner writes it."""
    buf = io.BytesIO()
    first, *rest = images
    first.save(buf, "PDF", save_all=True, append_images=rest, resolution=dpi, quality=quality)
    return buf.getvalue()


def scan(
    report: Any, dpi: int, noise: Noise, workdir: Path | None = None, pdf: bytes | None = None
) -> list[Any]:
    """The report's pages as spoiled pictures (the seal on the last page, by the signature).
    ``pdf``: a published digital PDF of the report, scanned as it is instead of printed from
    the report's DOCX (a real report's own layout and fonts)."""
    if pdf is None:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = report_pdf(report, workdir or Path(tmp))
    drawn = pictures(pdf, dpi)
    last = len(drawn) - 1
    return [
        spoil(p, noise if i == last else replace(noise, stamp=False), i)
        for i, p in enumerate(drawn)
    ]


def main() -> None:
    """Rewrite the checked-in scans: seed 000 at 150 dpi, mild noise (greyscale JPEG pages)."""
    import gongkai

    SCANS.mkdir(exist_ok=True)
    report = gongkai.parse(SEED)
    pages = scan(report, 150, MILD)
    out = SCANS / "000_mild_150dpi.pdf"
    out.write_bytes(image_pdf(pages, 150, quality=45))
    print(f"{out}: {out.stat().st_size // 1024} KB, {len(pages)} pages")


if __name__ == "__main__":
    main()
