"""Import and export at scale in the web application: the case list as XLSX and the register as
a ledger from 100 000 cases (time, and how much the process grew: the exports stream, so it
must stay small), and a ledger of 5 000 applications imported (preview, then the confirmed
import in one transaction).

Runs against a throw-away data directory (SQLite file in WAL mode, as ``gongkai serve``), the
demo bodies and the demo case generator. Run:
``.venv/bin/python benchmarks/web_transfer.py [--cases N] [--import-rows M]``; record the
figures in docs/benchmarks.md with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.factories_cases

DATA = tempfile.mkdtemp(prefix="gongkai-bench-")
os.environ["GONGKAI_DATA"] = DATA
os.environ.setdefault("GONGKAI_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from tests.factories_cases import random_reviews, typical_register  # noqa: E402

from gongkai.register.ledger_write import write_ledger  # noqa: E402
from gongkai.web import demo  # noqa: E402
from gongkai.web.appeals.models import Appeal  # noqa: E402
from gongkai.web.cases.models import Case  # noqa: E402
from gongkai.web.transfer import ledger_io, views  # noqa: E402


def rss_mb(field: str = "VmRSS") -> float:
    """The resident set now (``VmHWM``: its high-water mark), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def download(view: object, url: str, user: object) -> tuple[float, int, float]:
    """Time one download in a forked child, whose peak resident set, less the parent's
    resident set at the fork, is what the export itself needed."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the present RSS
        before = rss_mb()
        request = RequestFactory().get(url)
        request.user = user  # type: ignore[attr-defined]
        start = time.perf_counter()
        response = view(request)  # type: ignore[operator]
        size = sum(len(chunk) for chunk in response.streaming_content)
        grew = rss_mb("VmHWM") - before
        os.write(write, f"{time.perf_counter() - start} {size} {grew}".encode())
        os._exit(0)
    os.close(write)
    took, size, grew = os.read(read, 200).decode().split()
    os.waitpid(pid, 0)
    return float(took), int(size), float(grew)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--import-rows", type=int, default=5_000)
    args = ap.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, data {DATA}")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    orgs, n = demo.load(args.cases)
    print(f"loaded {n} demo cases in {time.perf_counter() - start:.1f} s (not timed below)")
    officer = demo.get_user_model().objects.get(username="officer_a")
    a_cases = Case.objects.filter(organisation=orgs.agency_a).count()
    print(f"RSS before the exports: {rss_mb():.0f} MB")

    t, size, grew = download(views.cases_xlsx, "/exports/cases.xlsx", officer)
    print(f"cases.xlsx, {a_cases} rows: {t:.1f} s, {size / 1e6:.1f} MB, peak RSS +{grew:.0f} MB")
    t, size, grew = download(
        views.ledger_xlsx, f"/exports/ledger.xlsx?organisation={orgs.agency_a.pk}", officer
    )
    print(
        f"ledger.xlsx, {a_cases} applications (histories replayed): {t:.1f} s, "
        f"{size / 1e6:.1f} MB, peak RSS +{grew:.0f} MB"
    )

    # Import: a fresh body receives a ledger of M applications and 100 reviews.
    apps = typical_register(args.import_rows, dt.date(2024, 1, 1), dt.date(2024, 12, 31), seed=2)
    reviews = random_reviews(100, dt.date(2024, 1, 1), dt.date(2024, 12, 31), seed=2)
    path = Path(DATA) / "ledger.xlsx"
    write_ledger(str(path), apps, reviews)
    org = demo._org("基准测试局", "department", orgs.district, supervisor=orgs.office)
    demo.Membership.objects.get_or_create(user=officer, organisation=org, role="officer")
    start = time.perf_counter()
    plan = ledger_io.plan(org, path, "0" * 64, "ledger.xlsx")
    planned = time.perf_counter() - start
    start = time.perf_counter()
    ledger_io.execute(org, plan, officer, path.stat().st_size)
    done = time.perf_counter() - start
    made = Case.objects.filter(organisation=org).count()
    appeals = Appeal.objects.filter(organisation=org).count()
    print(
        f"import {path.stat().st_size / 1e6:.1f} MB ledger: preview (read + plan) {planned:.1f} s,"
        f" confirm {done:.1f} s ({made} cases, {appeals} appeals, one transaction)"
    )


if __name__ == "__main__":
    main()
