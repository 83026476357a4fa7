"""The case register at scale: a year's report from 100 000 applications, and the reply
deadline of each of them (targets: under 1 s each, on one core).

Applications are generated with random legal histories (tests/factories_cases.py walks the
transition table), received over one year plus the end of the year before, so some are
carried over and some carried forward. Generation is not timed. ``due_date`` is timed twice:
cold (its cache emptied: every distinct history computed by walking the calendar) and warm (a
second pass, as a register page that is shown again). Run:
``.venv/bin/python benchmarks/register.py [--cases N]``; record the figures in
docs/benchmarks.md with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.factories_cases

from tests.factories_cases import (  # noqa: E402
    random_register,
    random_reviews,
    typical_register,
)

from gongkai.errors import GongkaiError  # noqa: E402
from gongkai.register import case_deadlines  # noqa: E402
from gongkai.register import cases as register_cases  # noqa: E402
from gongkai.register.annual import build_report  # noqa: E402
from gongkai.workdays import default_calendar  # noqa: E402


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--year", type=int, default=2024)
    args = ap.parse_args()
    n, year = args.cases, args.year

    start = time.perf_counter()
    cases = random_register(n, dt.date(year - 1, 11, 1), dt.date(year, 12, 31), seed=1)
    reviews = random_reviews(200, dt.date(year - 1, 1, 1), dt.date(year, 12, 31), seed=1)
    made = time.perf_counter() - start
    events = sum(len(c.events) for c in cases)
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor()}")
    print(f"generated {n} applications ({events} events) in {made:.2f} s (not timed below)")

    t = best_of(3, lambda: build_report(cases, reviews, year, "某某市某某局"))
    report = build_report(cases, reviews, year, "某某市某某局")
    r1 = report.number("t3", "r1", "total")
    print(f"build_report   {t * 1000:8.1f} ms  ({n / t:,.0f} cases/s; r1 = {r1})")

    cal = default_calendar()
    typical = typical_register(n, dt.date(year - 1, 11, 1), dt.date(year, 12, 31), seed=2)
    for name, register in (("random histories", cases), ("typical office", typical)):
        time_deadlines(name, register, cal)


def time_deadlines(name: str, register: list[register_cases.Application], cal: object) -> None:
    def deadlines() -> int:
        refused = 0
        for case in register:
            try:
                register_cases.due_date(case, calendar=cal)  # type: ignore[arg-type]
            except GongkaiError:  # e.g. a random 延迟答复 date before the ordinary deadline
                refused += 1
        return refused

    case_deadlines._due.cache_clear()
    case_deadlines._cap.cache_clear()
    start = time.perf_counter()
    refused = deadlines()
    cold = time.perf_counter() - start
    info = case_deadlines._due.cache_info()
    start = time.perf_counter()
    deadlines()
    warm = time.perf_counter() - start
    print(f"due_date, {name} ({len(register)} cases):")
    print(
        f"  cold {cold * 1000:8.1f} ms  ({info.currsize} distinct histories computed, "
        f"{info.hits} cache hits, {refused} refused by 第三十五条)"
    )
    print(f"  warm {warm * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
