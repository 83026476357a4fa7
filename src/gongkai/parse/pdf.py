"""The digital-PDF reader: PDF bytes → :class:`~.document.Document`, on pypdfium2.

pdfium gives every character with its box and baseline, and every path object with its segments;
:mod:`.pdf_layout` turns those into table rows (from the ruling lines) and text lines. The
characters are read through pdfium's C API in one tight loop per page (three calls per character:
box, baseline, angle), because pypdfium2's object wrappers cost more than the rest of the parse.

Which characters pdfium reports must not depend on the fonts installed on the machine: a font the
PDF names without embedding it gets a substitute from :mod:`.pdf_fonts`, never from the system
(the module says how a missing CJK font made pdfium drop text).

What is refused, with a clear Chinese error (limits in ``docs/limits.md``): damaged files,
encrypted files, documents with too many pages or characters, and scanned PDFs, which have no
text layer and need OCR first.
"""

from __future__ import annotations

import ctypes
import math
import threading
from typing import Any

# pypdfium2 ships no type information (no py.typed): its names are Any here.
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from ..errors import ParseError
from ..report import Location, ParseWarning
from . import ocr as ocr_reader
from . import pdf_fonts
from .document import Document, Line
from .pdf_layout import MIN_EDGE, THIN, Char, Edge, layout_page

MAX_PDF_PAGES = 500  # annual reports run to 5–30 pages; a 500-page file is not one report
MAX_PAGE_CHARS = 50_000  # a dense A4 page holds about 3 000
MAX_TOTAL_CHARS = 1_000_000
MAX_PAGE_OBJECTS = 100_000  # beyond this a page's drawing is not searched for ruling lines
MAX_PAGE_SEGMENTS = 50_000
MAX_FORM_DEPTH = 8  # form XObjects nest; deeper nesting is not followed
EOF_WINDOW = 1024
# A text layer that is mostly unmapped glyphs (fonts without a Unicode map) is as good as none.
UNREADABLE_SHARE = 0.3
MIN_CHARS_TO_JUDGE = 20

SCANNED = "图片版PDF，没有文本层，需要先OCR"

# pdfium is not thread-safe: one document at a time per process (batches use processes).
_LOCK = threading.Lock()

Matrix = tuple[float, float, float, float, float, float]
HALF_PI = math.pi / 2
SLANT = 0.1  # radians (about 6°) off a quarter turn: slanted text


def read_pdf(data: bytes, name: str | None = None, *, ocr: bool | None = None) -> Document:
    """Read a PDF's text and ruled tables; pages that are only a picture are read through OCR
    (:mod:`.ocr`) when ``ocr`` is true (by default: when the ``ocr`` extra is installed).
    Raises :class:`ParseError` for a damaged, encrypted or oversized PDF, and for a scanned one
    when OCR is off."""
    where = Location(file=name) if name else None
    with _LOCK:
        pdf_fonts.install()
        pdf = _open(data, where)
        try:
            return _read(pdf, name, where, ocr)
        finally:
            pdf.close()


def scanned_pages(data: bytes) -> int:
    """How many pages of a PDF have no text layer but a picture: the pages :func:`read_pdf`
    reads through OCR. Cheap (nothing is drawn), and free for a PDF without pictures: a
    picture is an image XObject, a stream, whose dictionary (``/Subtype /Image``) is never
    compressed into an object stream, so a PDF whose bytes do not hold ``/Image`` has none.
    0 for a PDF that cannot be opened (reading it says why)."""
    if b"/Image" not in data:
        return 0
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return 0
        try:
            if len(pdf) > MAX_PDF_PAGES:
                return 0
            count = 0
            for i in range(len(pdf)):
                page = pdf[i]
                try:
                    textpage = page.get_textpage()
                    try:
                        empty = textpage.count_chars() == 0
                    finally:
                        textpage.close()
                    count += empty and _has_image(page.raw)
                finally:
                    page.close()
            return count
        except pdfium.PdfiumError:
            return 0
        finally:
            pdf.close()


def _open(data: bytes, where: Location | None) -> pdfium.PdfDocument:
    # pdfium rebuilds a cut-off file from what is left and reads its first pages as if nothing
    # were missing; a report whose tables were cut off must say so instead. Acrobat, too,
    # wants the end-of-file marker within the last 1 KB.
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise ParseError("PDF文件不完整（缺少文件结尾标记），可能没有下载完整", where)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ParseError("PDF已加密，需要密码才能打开：请先解除密码再读取", where) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ParseError(
                "PDF已加密，使用了不支持的加密方式：请先解除加密再读取", where
            ) from None
        raise ParseError("PDF文件已损坏或不完整，无法读取", where) from None


def _read(
    pdf: pdfium.PdfDocument, name: str | None, where: Location | None, ocr: bool | None
) -> Document:
    pages = len(pdf)
    if pages > MAX_PDF_PAGES:
        raise ParseError(f"PDF页数过多（{pages}页），超过年报的上限{MAX_PDF_PAGES}页", where)
    doc = Document(name=name)
    total = 0
    unreadable = 0
    images = False
    image_pages: list[int] = []
    ocr_pages: list[int] = []
    for number in range(1, pages + 1):
        try:
            page = pdf[number - 1]
        except pdfium.PdfiumError:
            raise ParseError(
                f"PDF第{number}页已损坏，无法读取", Location(file=name, page=number)
            ) from None
        try:
            chars = _chars(page, number, name)
            total += len(chars)
            unreadable += sum(1 for c in chars if _unreadable(c.text))
            if total > MAX_TOTAL_CHARS:
                raise ParseError(f"PDF文字过多（超过{MAX_TOTAL_CHARS}字），不像一份年报", where)
            if not chars:
                if _has_image(page.raw):
                    images = True
                    if ocr is None:  # asked only now: importing the engine takes a second
                        ocr = ocr_reader.available()
                    elif ocr:
                        ocr_reader.require(name)  # asked for, but not installed: say so
                    if ocr:
                        # Only pages without a text layer: a page with text is read as text
                        # (a drawing of it would show the font hook's boxes, not glyphs).
                        doc.lines.extend(_ocr_page(page, number, name))
                        ocr_pages.append(number)
                    else:
                        image_pages.append(number)
                continue
            hs, vs = _rules(page)
            height = _display_size(page)[1]
            doc.lines.extend(layout_page(chars, hs, vs, page=number, height=height, file=name))
        finally:
            page.close()
    if ocr_pages:
        doc.ocr = True
        doc.warnings.append(ocr_reader.scanned_warning(name, ocr_pages))
    elif total == 0 and images:
        raise ParseError(SCANNED, Location(file=name))
    if total == 0 and pages and not ocr_pages:
        raise ParseError("PDF没有文本层（文字可能已转为曲线），需要先OCR", Location(file=name))
    if total >= MIN_CHARS_TO_JUDGE and unreadable > UNREADABLE_SHARE * total:
        raise ParseError(
            "PDF的文字无法识别（字体缺少编码映射，提取出的是乱码），需要先OCR", Location(file=name)
        )
    for number in image_pages:
        # A scanned page among text pages: its tables would be silently missing.
        doc.warnings.append(
            ParseWarning(
                code="image-page",
                message=f"第{number}页是图片，没有文本层：该页内容未读取，需要先OCR",
                location=Location(file=name, page=number),
            )
        )
    return doc


def _ocr_page(page: pdfium.PdfPage, number: int, name: str | None) -> list[Line]:
    bitmap = page.render(scale=ocr_reader.DPI / 72, grayscale=True)
    try:
        picture = bitmap.to_numpy().copy()
    finally:
        bitmap.close()
    return ocr_reader.read_page(picture, ocr_reader.DPI, page=number, file=name)


def _unreadable(ch: str) -> bool:
    # What pdfium returns for glyphs whose font has no Unicode mapping: U+FFFD or the raw glyph
    # code in the private use area.
    return ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff"


# -- display coordinates ---------------------------------------------------------------------------


def _display_size(page: pdfium.PdfPage) -> tuple[float, float]:
    w, h = page.get_size()  # pypdfium2 gives the size as displayed (rotation applied)
    return float(w), float(h)


def _display_matrix(page: pdfium.PdfPage) -> Matrix:
    """PDF user space → display space (top-left origin, y down, page rotation applied)."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    if rotation == 90:  # shown turned clockwise: PDF "up" points right, "right" points down
        return (0.0, 1.0, 1.0, 0.0, -bottom, -left)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, 1.0, right, -bottom)
    if rotation == 270:
        return (0.0, -1.0, -1.0, 0.0, top, right)
    return (1.0, 0.0, 0.0, -1.0, -left, top)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


# -- characters ------------------------------------------------------------------------------------


def _chars(page: pdfium.PdfPage, number: int, name: str | None) -> list[Char]:
    textpage = pdfium_c.FPDFText_LoadPage(page.raw)
    if not textpage:
        raise ParseError(f"PDF第{number}页的文字无法读取", Location(file=name, page=number))
    try:
        n = pdfium_c.FPDFText_CountChars(textpage)
        if n > MAX_PAGE_CHARS:
            raise ParseError(
                f"PDF第{number}页文字过多（{n}字），超过每页上限{MAX_PAGE_CHARS}字",
                Location(file=name, page=number),
            )
        if n <= 0:
            return []
        text = _page_text(textpage, n)
        return _boxes(textpage, text, _display_matrix(page))
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


def _page_text(textpage: pdfium_c.FPDF_TEXTPAGE, n: int) -> list[str]:
    """One string per character index. The whole page's text comes in one call; pdfium counts
    characters outside the BMP as two UTF-16 units, so then each is asked for on its own."""
    buf = ctypes.create_string_buffer(2 * (n + 1))
    got = pdfium_c.FPDFText_GetText(
        textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buf.raw[: 2 * max(got - 1, 0)].decode("utf-16-le", errors="replace")
    if len(text) == n:
        return list(text)
    out = []
    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        # A lone UTF-16 surrogate (a damaged text layer) is no character: it could not even
        # be written out as UTF-8 JSON.
        ok = 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF
        out.append(chr(code) if ok else "\ufffd")
    return out


class _Fast:
    """The C functions called once per character or per page object, re-declared with plain
    ``void *`` arguments: pypdfium2's typed wrappers convert every argument on every call, which
    doubled the cost of reading a page's characters. Built once, on first use."""

    def __init__(self) -> None:
        vp, i = ctypes.c_void_p, ctypes.c_int
        self.loose_box = _plain(pdfium_c.FPDFText_GetLooseCharBox, i, vp, i, vp)
        self.origin = _plain(pdfium_c.FPDFText_GetCharOrigin, i, vp, i, vp, vp)
        self.angle = _plain(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float, vp, i)
        self.object_type = _plain(pdfium_c.FPDFPageObj_GetType, i, vp)
        self.page_object = _plain(pdfium_c.FPDFPage_GetObject, vp, vp, i)


def _plain(function: Any, restype: type[Any], *argtypes: type[Any]) -> Any:
    return ctypes.CFUNCTYPE(restype, *argtypes)(_address(function))


_fast: _Fast | None = None


def _api() -> _Fast:
    global _fast
    if _fast is None:
        _fast = _Fast()
    return _fast


def _address(handle: Any) -> int:
    """The address behind a pypdfium2 handle or function, as a plain integer."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _boxes(textpage: pdfium_c.FPDF_TEXTPAGE, text: list[str], m: Matrix) -> list[Char]:
    api = _api()
    loose_box, origin, angle = api.loose_box, api.origin, api.angle
    tp = _address(textpage)
    rect = pdfium_c.FS_RECTF()
    p_rect = ctypes.addressof(rect)
    o = (ctypes.c_double * 2)()
    p_ox = ctypes.addressof(o)
    p_oy = p_ox + ctypes.sizeof(ctypes.c_double)
    a, b, c, d, e, f = m
    upright = b == 0.0 and c == 0.0  # no rotation: skip the corner arithmetic
    out: list[Char] = []
    append = out.append
    lo, hi = SLANT, HALF_PI - SLANT
    for i, ch in enumerate(text):
        # Spaces and line breaks carry no ink; pdfium also invents them. Gaps are measured.
        # The loose box is the character's origin, its advance from the PDF font's own widths
        # and the font's ascent and descent: nothing in it comes from a substitute font.
        if ch <= " " or ch.isspace() or ch == "\ufffe":
            continue
        if not loose_box(tp, i, p_rect) or not origin(tp, i, p_ox, p_oy):
            continue
        # Text set at a slant is a watermark or a stamp, never a cell: it would cut across
        # table rows. Upright and quarter-turned text (a rotated page) is kept.
        turn = angle(tp, i)  # radians; -1 when pdfium cannot tell
        if turn > 0 and lo < turn % HALF_PI < hi:
            continue
        if upright:
            x0, x1 = a * rect.left + e, a * rect.right + e
            top, bottom = d * rect.top + f, d * rect.bottom + f
            if x0 > x1:
                x0, x1 = x1, x0
            if top > bottom:
                top, bottom = bottom, top
            base = d * o[1] + f
        else:
            xa, ya = _apply(m, rect.left, rect.top)
            xb, yb = _apply(m, rect.right, rect.bottom)
            x0, x1 = sorted((xa, xb))
            top, bottom = sorted((ya, yb))
            base = _apply(m, o[0], o[1])[1]
        append(Char(ch, x0, x1, top, bottom, base, bottom - top if bottom - top > 0.1 else 0.1))
    return out


# -- ruling lines ----------------------------------------------------------------------------------


def _rules(page: pdfium.PdfPage) -> tuple[list[Edge], list[Edge]]:
    """Horizontal and vertical segments of the page's path objects, in display coordinates."""
    hs: list[Edge] = []
    vs: list[Edge] = []
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    if count > MAX_PAGE_OBJECTS:
        return hs, vs  # a map or a chart, not a report page: read its text only
    w, h = _display_size(page)
    budget = [MAX_PAGE_SEGMENTS]
    base = _display_matrix(page)
    api = _api()
    page_object, object_type = api.page_object, api.object_type
    page_raw = _address(raw)
    fs_matrix = pdfium_c.FS_MATRIX()
    path, form = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    # Most objects are text; only paths and forms are looked at. (handle, matrix, depth)
    wanted = (path, form)
    objects = [page_object(page_raw, i) for i in range(count)]
    todo: list[tuple[Any, Matrix, int]] = [
        (obj, base, 0) for obj in objects if object_type(obj) in wanted
    ]
    seen = 0
    while todo:
        handle, outer, depth = todo.pop()
        seen += 1
        if seen > MAX_PAGE_OBJECTS:
            return [], []  # forms drawn over and over: too much drawing to be a table page
        obj = ctypes.cast(handle, pdfium_c.FPDF_PAGEOBJECT)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs_matrix)):
            continue
        own = (fs_matrix.a, fs_matrix.b, fs_matrix.c, fs_matrix.d, fs_matrix.e, fs_matrix.f)
        if kind == path:
            _path_edges(obj, _compose(own, outer), (w, h), hs, vs, budget)
            if budget[0] <= 0:
                return [], []  # too much drawing to be a table page
        elif depth < MAX_FORM_DEPTH:
            inner = _compose(own, outer)
            n = pdfium_c.FPDFFormObj_CountObjects(obj)
            if len(todo) + n > MAX_PAGE_OBJECTS:
                return hs, vs
            for k in range(n):
                child = pdfium_c.FPDFFormObj_GetObject(obj, k)
                if pdfium_c.FPDFPageObj_GetType(child) in (path, form):
                    todo.append((_address(child), inner, depth + 1))
    return hs, vs


def _path_edges(
    obj: pdfium_c.FPDF_PAGEOBJECT,
    m: Matrix,
    page_size: tuple[float, float],
    hs: list[Edge],
    vs: list[Edge],
    budget: list[int],
) -> None:
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 0 or not _visible(obj):
        return
    budget[0] -= n
    if budget[0] <= 0:
        return
    fx, fy = ctypes.c_float(), ctypes.c_float()
    p_fx, p_fy = ctypes.byref(fx), ctypes.byref(fy)
    points: list[tuple[int, float, float, bool]] = []
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, p_fx, p_fy):
            return
        x, y = _apply(m, fx.value, fy.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        points.append((kind, x, y, bool(pdfium_c.FPDFPathSegment_GetClose(seg))))
    xs = [p[1] for p in points]
    ys = [p[2] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = page_size
    if x1 - x0 >= 0.95 * w and y1 - y0 >= 0.95 * h:
        return  # a page background or frame
    # A rule drawn as a thin rectangle (or a doubled stroke) is one line along its middle.
    if x1 - x0 <= THIN and y1 - y0 > THIN:
        vs.append(((x0 + x1) / 2, y0, y1))
        return
    if y1 - y0 <= THIN and x1 - x0 > THIN:
        hs.append(((y0 + y1) / 2, x0, x1))
        return
    if x1 - x0 <= THIN and y1 - y0 <= THIN:
        return  # a dot
    start = cur = (points[0][1], points[0][2])
    for kind, x, y, close in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = cur = (x, y)
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO:
            _edge(cur, (x, y), hs, vs)
        cur = (x, y)
        if close:
            _edge(cur, start, hs, vs)
            cur = start


def _visible(obj: pdfium_c.FPDF_PAGEOBJECT) -> bool:
    """Whether a path is painted at all: a path neither filled nor stroked (a clip, an
    invisible box) draws no rule."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    return bool(fill.value) or bool(stroke.value)


def _edge(p: tuple[float, float], q: tuple[float, float], hs: list[Edge], vs: list[Edge]) -> None:
    (px, py), (qx, qy) = p, q
    if abs(py - qy) <= 0.5 and abs(px - qx) >= MIN_EDGE:
        hs.append(((py + qy) / 2, min(px, qx), max(px, qx)))
    elif abs(px - qx) <= 0.5 and abs(py - qy) >= MIN_EDGE:
        vs.append(((px + qx) / 2, min(py, qy), max(py, qy)))


def _has_image(raw: pdfium_c.FPDF_PAGE) -> bool:
    stack = [
        (pdfium_c.FPDFPage_GetObject(raw, i), 0)
        for i in range(min(pdfium_c.FPDFPage_CountObjects(raw), MAX_PAGE_OBJECTS))
    ]
    seen = 0
    while stack and seen < MAX_PAGE_OBJECTS:
        obj, depth = stack.pop()
        seen += 1
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            n = min(pdfium_c.FPDFFormObj_CountObjects(obj), MAX_PAGE_OBJECTS)
            stack.extend((pdfium_c.FPDFFormObj_GetObject(obj, i), depth + 1) for i in range(n))
    return False
