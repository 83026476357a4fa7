"""OCR accuracy and speed on scans made in code (issue 13).

Each seed report is rendered to DOCX, printed to PDF by LibreOffice (needs libreoffice-writer-nogui
and fonts-noto-cjk), drawn at each resolution with each noise level (tests/scans.py: skew, blur,
JPEG, a red seal), saved as an image-only PDF and parsed by ``gongkai.parse``. Printed per run:

* cell accuracy: exact match of every cell of tables 三 and 四 against the seed's own values;
* how many wrong cells carry an OCR warning (``ocr-low-confidence`` or ``ocr-digit``) naming them;
* seconds per page (the whole parse, OCR included, divided by the page count).

    .venv/bin/python benchmarks/ocr.py [--seeds 000,003] [--dpi 150,200,300] [--noise clean,mild]
        [--keep DIR]   # keep the scans made (DIR/<seed>-<dpi>-<noise>.pdf) and reuse them

A ``--seeds`` entry ending in ``.pdf`` is a published digital PDF (e.g.
../shared/corpus/real/01_huaian_city_gov_2024.pdf): its own pages are scanned, and the golden
values are what gongkai reads from its text layer.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import scans  # noqa: E402

import gongkai  # noqa: E402

NOISES = {n.name: n for n in (scans.CLEAN, scans.MILD, scans.HARSH)}
# Parse warnings that name a row whose cells may be wrong: lost, too few (shifted), or a row
# of values placed by the official row order.
ROW_WARNINGS = ("row-without-values", "missing-row", "missing-cells", "inferred-row")


def run(
    seed: Path, dpi: int, noise: scans.Noise, workdir: Path, keep: Path | None = None
) -> tuple[int, int, int, int, float, float]:
    """(cells, right, wrong with a warning, pages, seconds per page, CPU seconds per page: the
    CPU time of all the engine's threads, which a busy shared machine inflates less)."""
    report = gongkai.parse(seed)
    kept = keep / f"{_label(seed)}-{dpi}-{noise.name}.pdf" if keep else None
    if kept is not None and kept.exists():
        pdf = kept.read_bytes()
    else:
        own = seed.read_bytes() if seed.suffix.lower() == ".pdf" else None
        pages = scans.scan(report, dpi, noise, workdir, pdf=own)
        pdf = scans.image_pdf(pages, dpi, quality=noise.jpeg or 95)
        if kept is not None:
            kept.write_bytes(pdf)
    n_pages = _pages(pdf)
    start, cpu = time.perf_counter(), time.process_time()
    got = gongkai.parse(pdf, name=f"{seed.stem}-{dpi}-{noise.name}.pdf")
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    warned = {
        (w.location.page, w.location.box)
        for w in got.warnings
        if w.code in ("ocr-low-confidence", "ocr-digit") and w.location
    }
    # A blank OCR cell (confidence 0) is named by its table's one ``ocr-blank`` warning; a cell
    # of a row whose cells were lost, shifted or placed by row order, by a warning naming the
    # row's label.
    blank_tables = {w.location.table for w in got.warnings if w.code == "ocr-blank" and w.location}
    row_warnings = " ".join(w.message for w in got.warnings if w.code in ROW_WARNINGS)
    total = right = flagged = 0
    for key in ("t3", "t4"):
        for row in report.tables[key].rows if key in report.tables else []:
            for cell in row.cells:
                total += 1
                mine = got.cell(key, row.key, cell.column)
                same = mine is not None and mine.raw.strip() == cell.raw.strip()
                if mine is not None and same and mine.value == cell.value:
                    right += 1
                elif row.label and f"「{row.label}」" in row_warnings:
                    flagged += 1
                elif mine is None or mine.location is None:
                    continue
                elif mine.location.ocr == 0 and not mine.raw.strip():
                    flagged += key in blank_tables
                else:
                    flagged += (mine.location.page, mine.location.box) in warned
    n = max(n_pages, 1)
    return total, right, flagged, n_pages, seconds / n, cpu / n


def _label(seed: Path) -> str:
    return seed.stem[:3] if seed.suffix != ".pdf" else seed.stem[:12]


def _pages(pdf: bytes) -> int:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="000,003")
    ap.add_argument("--dpi", default="150,200,300")
    ap.add_argument("--noise", default="clean,mild,harsh")
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    seeds = [
        Path(s) if s.endswith(".pdf") else next((ROOT / "tests" / "corpus").glob(f"{s}_*.txt"))
        for s in args.seeds.split(",")
    ]
    print("seed  dpi  noise   cells  right  accuracy  wrong-but-warned  pages  s/page  CPU s/page")
    with tempfile.TemporaryDirectory() as tmp:
        for noise_name in args.noise.split(","):
            for dpi in (int(d) for d in args.dpi.split(",")):
                for seed in seeds:
                    total, right, flagged, pages, spp, cpu = run(
                        seed, dpi, NOISES[noise_name], Path(tmp), args.keep
                    )
                    print(
                        f"{_label(seed)}  {dpi:>3}  {noise_name:<6} {total:>5}  {right:>5}"
                        f"  {100 * right / max(total, 1):>7.2f}%  {flagged:>3}/{total - right:<3}"
                        f"             {pages:>3}  {spp:>6.2f}  {cpu:>10.2f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
