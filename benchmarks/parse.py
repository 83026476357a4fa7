"""Parse + check throughput on one core, over the text reports of tests/corpus/.

Prints reports/s and ms/report for parse alone and parse + check (the best of many rounds).
Run: ``make bench`` or
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
    """Rounds over all texts for ``seconds``; the best round counts (on a shared machine the
    others were slowed down by someone else), in wall and in CPU time."""
    for data in texts:  # warm-up: imports, caches
        work(data)
    best_wall = best_cpu = float("inf")
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or done < 3:
        wall, cpu = time.perf_counter(), time.process_time()
        for data in texts:
            work(data)
        best_wall = min(best_wall, (time.perf_counter() - wall) / len(texts))
        best_cpu = min(best_cpu, (time.process_time() - cpu) / len(texts))
        done += 1
    print(
        f"{label:<16} {1 / best_wall:8.0f} reports/s  {1000 * best_wall:6.2f} ms/report "
        f"(CPU {1000 * best_cpu:.2f} ms; best of {done} rounds)"
    )


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
