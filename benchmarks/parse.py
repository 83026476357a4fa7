"""Parse + check throughput on one core, over the text reports of tests/corpus/.

Prints reports/s and ms/report for parse alone and parse + check. Run: ``make bench`` or
``.venv/bin/python benchmarks/parse.py [--seconds N]``. Record the figures, with the date and
the machine, in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from pathlib import Path

import gongkai

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"


def measure(
    label: str, texts: list[bytes], work: Callable[[bytes], object], seconds: float
) -> None:
    for data in texts:  # warm-up: imports, caches
        work(data)
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for data in texts:
            work(data)
        done += len(texts)
    elapsed = time.perf_counter() - start
    print(f"{label:<16} {done / elapsed:8.0f} reports/s  {1000 * elapsed / done:6.2f} ms/report")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=5.0, help="time per measurement")
    args = ap.parse_args()
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in {".txt", ".md"})
    texts = [p.read_bytes() for p in files]
    size = sum(len(t) for t in texts) / len(texts)
    print(
        f"{len(files)} text reports, mean {size / 1024:.1f} KiB; Python {platform.python_version()}"
    )
    print(f"machine: {platform.machine()}, {platform.processor() or 'unknown cpu'}; one core")
    measure("parse", texts, gongkai.parse, args.seconds)
    measure("parse + check", texts, lambda d: gongkai.check(gongkai.parse(d)), args.seconds)


if __name__ == "__main__":
    main()
