"""Page images uploaded to the supervisor's ingest become scanned reports, grouped as
``gongkai batch`` groups them, each stored as one image-only PDF of its pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gongkai.parse import ocr
from gongkai.web.supervise.pages import page_reports

from ...scans import SCANS
from .test_ingest_api import SEEDS, _items, _zip

SCAN = SCANS / "000_mild_150dpi.pdf"


def _pages(n: int, fmt: str = "JPEG") -> list[bytes]:
    """The first ``n`` pages of the checked-in scan (seed 000 at 150 dpi) as image files."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument(SCAN)
    try:
        out = []
        for i in range(n):
            buf = io.BytesIO()
            doc[i].render(scale=150 / 72, grayscale=True).to_pil().save(buf, fmt, quality=70)
            out.append(buf.getvalue())
        return out
    finally:
        doc.close()


def _page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def test_a_zip_folder_of_images_is_one_pdf_with_its_jpegs_untouched() -> None:
    a, b = _pages(2)
    out = page_reports(
        [("某局/第2页.jpg", b), ("某局/第1页.jpg", a), ("单页.png", _pages(1, "PNG")[0])],
        folders=True,
        root="全区年报",
    )
    assert [n for n, _ in out] == ["某局.pdf", "单页.png"]
    top = page_reports([("1.jpg", a), ("2.jpg", b)], folders=True, root="全区年报")
    assert [n for n, _ in top] == ["全区年报.pdf"]
    pdf = out[0][1]
    assert _page_count(pdf) == 2
    # JPEG pages go in as they are (no second compression), in page order.
    assert a in pdf and b in pdf and pdf.index(a) < pdf.index(b)


def test_images_beside_other_reports_group_by_page_number() -> None:
    a, b = _pages(2)
    out = page_reports(
        [("年报/某局2024_p1.jpg", a), ("年报/某局2024_p2.jpg", b), ("年报/封面.jpg", a)],
        folders=True,
        others=["年报/另一局.docx"],
    )
    assert [n for n, _ in out] == ["某局2024.pdf", "封面.jpg"]
    assert _page_count(out[0][1]) == 2


def test_a_group_with_a_broken_page_stays_as_its_images() -> None:
    (a,) = _pages(1)
    out = page_reports([("x-1.jpg", a), ("x-2.jpg", b"\xff\xd8\xff not a jpeg")], folders=False)
    assert out == [("x-1.jpg", a), ("x-2.jpg", b"\xff\xd8\xff not a jpeg")]


@pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
def test_page_images_in_a_zip_are_read_as_one_scanned_report(
    post: Callable[..., Any], client_as: Callable[[str | None], Client]
) -> None:
    members = {f"扫描件/某局2024年报/{i + 1}.jpg": p for i, p in enumerate(_pages(5))}
    members["扫描件/" + SEEDS[0].name] = SEEDS[0].read_bytes()
    r = post([("全区年报.zip", _zip(members))])
    assert r.status_code == 202, r.content
    items = _items(client_as("supervisor"), r.json()["id"])
    assert [(i["file"], i["status"]) for i in items] == [
        (SEEDS[0].name, "ok"),
        ("某局2024年报.pdf", "ok"),
    ]
    c = client_as("supervisor")
    report = c.get(f"/api/v1/ingested/{items[1]['id']}").json()
    t3 = report["tables"]["t3"]["rows"]
    assert t3 and all(cell["location"]["ocr"] is not None for row in t3 for cell in row["cells"])
