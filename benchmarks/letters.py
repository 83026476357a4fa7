"""Issuing letters: compose + number + render (docxtpl) + store + hash, per letter, and a
re-download (read + sha256 check). Runs on a throwaway SQLite database and data directory.

Run: ``.venv/bin/python benchmarks/letters.py [--letters N]``; record the figures in
docs/benchmarks.md with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time

os.environ.setdefault("GONGKAI_DATA", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("GONGKAI_SECRET_KEY", "bench-only")
os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.web.settings_test"

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from gongkai.register.cases import Event, EventKind  # noqa: E402
from gongkai.web import demo  # noqa: E402
from gongkai.web.cases import register  # noqa: E402
from gongkai.web.letters import service  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=100)
    n = parser.parse_args().letters
    call_command("migrate", verbosity=0)
    orgs, _ = demo.load(0)
    officer = get_user_model().objects.get(username="officer_a")
    cases = []
    for i in range(n):
        received = dt.date(2025, 3, 3) + dt.timedelta(days=i % 200)
        case = register.create_case(
            orgs.agency_a,
            register.Intake(
                channel="网络",
                applicant_type="natural",
                received=received,
                description=f"申请公开第{i}号文件",
                applicant_name="王伟",
            ),
            officer,
        )
        answer = Event(EventKind.ANSWERED, received + dt.timedelta(days=10), outcome="disclosed")
        cases.append(register.record(case.pk, case.version, answer, officer))
    times, reads = [], []
    for case in cases:
        for seq, kind in ((1, "receipt"), (2, "reply_disclosed")):
            t = time.perf_counter()
            letter, _ = service.issue(case, seq, kind, officer)
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            service.read(letter)
            reads.append(time.perf_counter() - t)
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(
        f"issue: {len(times)} letters, median {statistics.median(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms; read+sha256: median "
        f"{statistics.median(reads) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
