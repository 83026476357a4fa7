"""Page images of one scanned report bundled as one image-only PDF, for a store that keeps one
file per report (the web application's uploads).

A JPEG page goes in as it is (DCTDecode: not decoded, not re-compressed, so not spoiled a
second time); a PNG or TIFF page goes in as its decoded pixels, losslessly. Each page is
sized so that its short side is A4's width (595 pt), which is how the PDF reader judges a
scanned page's resolution, whatever the image's own dpi tag says.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from ..errors import ParseError
from ..report import Location

A4_SHORT_PT = 595.0


def image_pdf(pages: Sequence[tuple[str, bytes]], name: str | None = None) -> bytes:
    """An image-only PDF of the pages, in order: ``(page file name, its bytes)``. A page that
    is no image, or a broken one, raises :class:`ParseError` naming it."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    from PIL import Image, UnidentifiedImageError

    from .ocr import MAX_IMAGE_PIXELS

    pdf = pdfium.PdfDocument.new()
    try:
        for own, data in pages:
            where = Location(file=name or own, label=own)
            try:
                with Image.open(io.BytesIO(data)) as im:
                    if im.width * im.height > MAX_IMAGE_PIXELS:
                        raise ParseError(f"{own}：图片过大，超过每页上限", where)
                    jpeg = im.format == "JPEG" and im.mode in ("L", "RGB", "CMYK")
                    if not jpeg:
                        im.load()
                        picture = im.convert("L" if im.mode in ("1", "L", "I;16") else "RGB")
                    width, height = im.size
            except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
                raise ParseError(f"{own}：不是可读取的页面图片（PNG、JPEG、TIFF）", where) from None
            image = pdfium.PdfImage.new(pdf)
            if jpeg:
                image.load_jpeg(io.BytesIO(data), inline=True)
            else:
                image.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
            scale = A4_SHORT_PT / min(width, height)
            w, h = width * scale, height * scale
            image.set_matrix(pdfium.PdfMatrix().scale(w, h))
            page = pdf.new_page(w, h)
            page.insert_obj(image)
            page.gen_content()
            page.close()
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()
