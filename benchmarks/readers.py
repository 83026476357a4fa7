"""DOCX and HTML parsing throughput on one core, over the seed reports rendered by gongkai.

Renders every text report of tests/corpus/ to DOCX and HTML once, then times
``gongkai.parse(bytes)`` on them (reader + table reader, as a user calls it) and the reader
alone. Prints reports/s and ms/report; the target is ≥ 100 reports/s for each. Run:
``.venv/bin/python benchmarks/readers.py [--seconds N]``; record the figures, with the date and
the machine, in docs/benchmarks.md. (PDF has its own script.)
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from pathlib import Path

import gongkai
from gongkai.parse.docx import read_docx
from gongkai.parse.html import read_html
from gongkai.render import render

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"


def measure(
    label: str, files: list[bytes], work: Callable[[bytes], object], seconds: float
) -> None:
    for data in files:  # warm-up: imports, caches
        work(data)
    done = 0
    start, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        for data in files:
            work(data)
        done += len(files)
    elapsed = time.perf_counter() - start
    used = time.process_time() - cpu
    # CPU time too: on a shared machine the wall clock also counts other processes' turns.
    print(
        f"{label:<22} {done / elapsed:6.0f} reports/s  {1000 * elapsed / done:6.2f} ms/report"
        f"   (CPU time: {done / used:6.0f} reports/s)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=5.0, help="time per measurement")
    args = ap.parse_args()
    seeds = sorted(CORPUS.glob("*.txt"))
    reports = [gongkai.parse(p) for p in seeds]
    docx = [bytes(render(r, "docx")) for r in reports]
    html = [str(render(r, "html")).encode("utf-8") for r in reports]
    variants_docx = [p.read_bytes() for p in sorted((CORPUS / "docx").glob("*.docx"))]
    variants_html = [p.read_bytes() for p in sorted((CORPUS / "html").glob("*.html"))]
    kib_docx = sum(map(len, docx)) / len(docx) / 1024
    kib_html = sum(map(len, html)) / len(html) / 1024
    print(
        f"{len(seeds)} seed reports rendered: DOCX mean {kib_docx:.0f} KiB, HTML mean "
        f"{kib_html:.0f} KiB; Python {platform.python_version()}"
    )
    print(f"machine: {platform.machine()}, {platform.processor() or 'unknown cpu'}; one core")
    measure("parse DOCX", docx, lambda d: gongkai.parse(d, name="r.docx"), args.seconds)
    measure("  read_docx only", docx, lambda d: read_docx(d, "r.docx"), args.seconds)
    measure("parse HTML", html, lambda d: gongkai.parse(d, name="r.html"), args.seconds)
    measure("  read_html only", html, lambda d: read_html(d, "r.html"), args.seconds)
    measure("parse DOCX variants", variants_docx, lambda d: gongkai.parse(d), args.seconds)
    measure("parse HTML variants", variants_html, lambda d: gongkai.parse(d), args.seconds)


if __name__ == "__main__":
    main()
